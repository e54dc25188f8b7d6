import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { quote, tariffSchema, TariffError, type Tariff } from '../../api/facilities/tariff.ts'
import { localTime, zonedInstant } from '../../api/facilities/local-time.ts'

const NY = 'America/New_York'
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return new Date(zonedInstant(date, h * 60 + m, NY))
}
const hours = (h: number) => h * 3_600_000

// Downtown on-street zone: $2.00 an hour in quarter hours, Monday to Saturday 8 am to 6 pm,
// free evenings, Sundays and city holidays, a 2-hour limit, 50 cents at least.
const onStreet: Tariff = tariffSchema.parse({
  timeZone: NY,
  incrementMinutes: 15,
  bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '18:00', rates: [{ cents: 50 }] }],
  holidays: ['2026-07-03', '2026-12-25'],
  freeOnHolidays: true,
  minimumCents: 50,
  maximumStayMinutes: 120,
})

// Airport short-term garage: $3.00 an hour around the clock, 15 minutes free, $24 a day at
// most and $120 a week, $60 for a lost ticket; the first hour of a stay is $2.00.
const airport: Tariff = tariffSchema.parse({
  timeZone: NY,
  incrementMinutes: 60,
  bands: [
    { days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ minutes: 60, cents: 200 }, { cents: 300 }] },
  ],
  graceMinutes: 15,
  dailyMaxCents: 2400,
  weeklyMaxCents: 12000,
  lostTicketCents: 6000,
  events: [{ name: 'Air show', from: '2026-09-12T06:00:00-04:00', to: '2026-09-13T22:00:00-04:00', cents: 3000 }],
})

describe('an on-street zone with a 2-hour limit and free evenings', () => {
  const cases: [string, Date, Date, number][] = [
    ['30 minutes on a Tuesday morning', at('2026-05-05', '10:00'), at('2026-05-05', '10:30'), 100],
    ['a part quarter hour counts whole', at('2026-05-05', '10:00'), at('2026-05-05', '10:31'), 150],
    ['two hours', at('2026-05-05', '09:00'), at('2026-05-05', '11:00'), 400],
    ['an hour from 5:30 pm: the evening half is free', at('2026-05-05', '17:30'), at('2026-05-05', '18:30'), 100],
    ['an evening', at('2026-05-05', '18:00'), at('2026-05-05', '20:00'), 0],
    ['a Sunday', at('2026-05-03', '10:00'), at('2026-05-03', '12:00'), 0],
    ['a city holiday (July 3rd, a Friday)', at('2026-07-03', '10:00'), at('2026-07-03', '11:00'), 0],
    ['a minute before the meter starts', at('2026-05-05', '07:59'), at('2026-05-05', '08:05'), 50],
    ['five minutes bought: the 50-cent minimum', at('2026-05-05', '12:00'), at('2026-05-05', '12:05'), 50],
  ]
  it.each(cases)('%s', (_name, start, end, cents) => {
    expect(quote(onStreet, start, end).totalCents).toBe(cents)
  })

  it('refuses a stay over the 2-hour limit', () => {
    expect(() => quote(onStreet, at('2026-05-05', '09:00'), at('2026-05-05', '11:01'))).toThrow(
      expect.objectContaining({ code: 'stay_too_long', message: 'The maximum stay here is 2 hours' }),
    )
  })

  it('itemises the charge by day, with a minimum top-up as its own line', () => {
    const cheaper = tariffSchema.parse({
      ...onStreet,
      bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '18:00', rates: [{ cents: 25 }] }],
    })
    const q = quote(cheaper, at('2026-05-05', '12:00'), at('2026-05-05', '12:05'))
    expect(q).toEqual({
      totalCents: 50,
      minutes: 5,
      lines: [
        { kind: 'time', description: 'Parking on 2026-05-05', date: '2026-05-05', minutes: 15, cents: 25 },
        { kind: 'minimum', description: 'Minimum purchase $0.50', cents: 25 },
      ],
    })
  })
})

describe('an airport garage with hourly, daily and weekly maximums', () => {
  const cases: [string, Date, Date, number][] = [
    ['10 minutes: within the grace period', at('2026-05-05', '10:00'), at('2026-05-05', '10:10'), 0],
    ['20 minutes: the first hour', at('2026-05-05', '10:00'), at('2026-05-05', '10:20'), 200],
    ['61 minutes: two hours', at('2026-05-05', '10:00'), at('2026-05-05', '11:01'), 500],
    ['5 hours', at('2026-05-05', '10:00'), at('2026-05-05', '15:00'), 200 + 4 * 300],
    ['10 hours: the daily maximum', at('2026-05-05', '08:00'), at('2026-05-05', '18:00'), 2400],
    ['Monday 10 am to Thursday 10 am: four capped days', at('2026-05-04', '10:00'), at('2026-05-07', '10:00'), 4 * 2400],
    ['ten days: the weekly maximum, then three more days', at('2026-05-04', '00:00'), at('2026-05-14', '00:00'), 12000 + 3 * 2400],
    ['a stay that starts during the air show', at('2026-09-12', '09:00'), at('2026-09-12', '23:00'), 3000],
  ]
  it.each(cases)('%s', (_name, start, end, cents) => {
    expect(quote(airport, start, end).totalCents).toBe(cents)
  })

  it('charges the lost-ticket rate at the exit gate', () => {
    const q = quote(airport, at('2026-05-05', '10:00'), at('2026-05-05', '11:00'), { lostTicket: true })
    expect(q).toMatchObject({ totalCents: 6000, lines: [{ kind: 'lost_ticket', cents: 6000 }] })
  })

  it('shows which maximum capped a day', () => {
    const q = quote(airport, at('2026-05-04', '00:00'), at('2026-05-12', '00:00'))
    expect(q.lines.map((l) => [l.date, l.cents, l.cappedBy])).toEqual([
      ['2026-05-04', 2400, 'daily_max'],
      ['2026-05-05', 2400, 'daily_max'],
      ['2026-05-06', 2400, 'daily_max'],
      ['2026-05-07', 2400, 'daily_max'],
      ['2026-05-08', 2400, 'daily_max'],
      ['2026-05-09', 0, 'weekly_max'],
      ['2026-05-10', 0, 'weekly_max'],
      ['2026-05-11', 2400, 'daily_max'],
    ])
  })
})

describe('time zones and DST', () => {
  const flat: Tariff = tariffSchema.parse({
    timeZone: NY,
    incrementMinutes: 60,
    bands: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 100 }] }],
  })

  it('prices the spring-forward day as 23 hours and the fall-back day as 25', () => {
    expect(quote(flat, at('2026-03-08', '00:00'), at('2026-03-09', '00:00')).totalCents).toBe(2300)
    expect(quote(flat, at('2026-11-01', '00:00'), at('2026-11-02', '00:00')).totalCents).toBe(2500)
    expect(quote(flat, at('2026-05-05', '00:00'), at('2026-05-06', '00:00')).totalCents).toBe(2400)
  })

  it('reads bands in the facility zone, not the server zone', () => {
    const la = tariffSchema.parse({ ...flat, timeZone: 'America/Los_Angeles', bands: [
      { days: [2], from: '09:00', to: '10:00', rates: [{ cents: 100 }] },
    ] })
    // 12:00 in New York is 09:00 in Los Angeles
    expect(quote(la, at('2026-05-05', '12:00'), at('2026-05-05', '13:00')).totalCents).toBe(100)
    expect(quote(la, at('2026-05-05', '09:00'), at('2026-05-05', '10:00')).totalCents).toBe(0)
  })

  it('maps local wall-clock times across the gaps', () => {
    // 02:30 does not exist on 2026-03-08 in New York: it moves on by the gap, to 03:30
    expect(localTime(zonedInstant('2026-03-08', 150, NY), NY)).toMatchObject({ minute: 210 })
    // 01:30 happens twice on 2026-11-01: the first, in EDT
    expect(new Date(zonedInstant('2026-11-01', 90, NY)).toISOString()).toBe('2026-11-01T05:30:00.000Z')
  })

  it('refuses an end before the start', () => {
    expect(() => quote(flat, at('2026-05-05', '10:00'), at('2026-05-05', '09:00'))).toThrow(TariffError)
  })
})

describe('tariff validation', () => {
  it('names what is wrong with a tariff', () => {
    const bad = tariffSchema.safeParse({
      timeZone: 'Mars/Olympus',
      incrementMinutes: 0,
      bands: [{ days: [7], from: '18:00', to: '08:00', rates: [{ minutes: 60, cents: -1 }] }],
      dailyMaxCents: 100,
      minimumCents: 200,
    })
    expect(bad.success).toBe(false)
    const paths = bad.error?.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(
      expect.arrayContaining(['timeZone', 'incrementMinutes', 'bands.0.days.0', 'bands.0.rates.0.cents']),
    )
    const order = tariffSchema.safeParse({
      timeZone: NY,
      incrementMinutes: 15,
      bands: [{ days: [1], from: '18:00', to: '08:00', rates: [{ minutes: 60, cents: 100 }] }],
      dailyMaxCents: 100,
      minimumCents: 200,
    })
    expect(order.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual(
      expect.arrayContaining([
        ['bands.0.to', 'a band ends after it starts (use 24:00 for midnight)'],
        ['bands.0.rates', 'every rate step but the last covers a number of minutes; the last runs on'],
      ]),
    )
    const minimum = tariffSchema.safeParse({ timeZone: NY, incrementMinutes: 15, bands: [], dailyMaxCents: 100, minimumCents: 200 })
    expect(minimum.error?.issues.map((i) => i.path.join('.'))).toEqual(['minimumCents'])
  })
})

describe('tariff properties', () => {
  const tariffs: fc.Arbitrary<Tariff> = fc
    .record({
      incrementMinutes: fc.constantFrom(5, 10, 15, 30, 60),
      bands: fc.array(
        fc
          .record({
            days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
            fromHour: fc.integer({ min: 0, max: 22 }),
            length: fc.integer({ min: 1, max: 24 }),
            first: fc.integer({ min: 0, max: 500 }),
            firstMinutes: fc.integer({ min: 15, max: 240 }),
            later: fc.integer({ min: 0, max: 800 }),
          })
          .map((b) => ({
            days: b.days,
            from: `${String(b.fromHour).padStart(2, '0')}:00`,
            to: b.fromHour + b.length >= 24 ? '24:00' : `${String(b.fromHour + b.length).padStart(2, '0')}:00`,
            rates: [{ minutes: b.firstMinutes, cents: b.first }, { cents: b.later }],
          })),
        { maxLength: 3 },
      ),
      graceMinutes: fc.integer({ min: 0, max: 20 }),
      dailyMaxCents: fc.option(fc.integer({ min: 500, max: 5000 }), { nil: undefined }),
      weeklyMaxCents: fc.option(fc.integer({ min: 2000, max: 20000 }), { nil: undefined }),
      minimumCents: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
      freeOnHolidays: fc.boolean(),
    })
    .map((t) => tariffSchema.parse({ ...t, timeZone: NY, holidays: ['2026-11-26', '2026-12-25'] }))

  // stays around both DST changes of 2026 and ordinary days
  const starts = fc
    .integer({ min: Date.parse('2026-03-05T00:00:00Z'), max: Date.parse('2026-03-10T00:00:00Z') })
    .chain((a) => fc.constantFrom(a, a + Date.parse('2026-11-01T00:00:00Z') - Date.parse('2026-03-07T00:00:00Z')))
  const lengths = fc.integer({ min: 0, max: 10 * 24 * 60 })

  it('charges a longer stay no less, never negative, and the same every time', () => {
    fc.assert(
      fc.property(tariffs, starts, lengths, lengths, (t, start, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a]
        const qs = quote(t, new Date(start), new Date(start + short * 60_000))
        const ql = quote(t, new Date(start), new Date(start + long * 60_000))
        expect(ql.totalCents).toBeGreaterThanOrEqual(qs.totalCents)
        for (const l of [...qs.lines, ...ql.lines]) {
          expect(l.cents).toBeGreaterThanOrEqual(0)
        }
        expect(quote(t, new Date(start), new Date(start + long * 60_000))).toEqual(ql)
        expect(ql.lines.reduce((s, l) => s + l.cents, 0)).toBe(ql.totalCents)
      }),
      { numRuns: 150 },
    )
  })

  it('never charges a day more than the daily maximum, nor 7 days more than the weekly', () => {
    fc.assert(
      fc.property(tariffs, starts, lengths, (t, start, length) => {
        const q = quote(t, new Date(start), new Date(start + length * 60_000))
        const byDay = new Map<string, number>()
        for (const l of q.lines) {
          if (l.date) {
            byDay.set(l.date, (byDay.get(l.date) ?? 0) + l.cents)
          }
        }
        for (const cents of byDay.values()) {
          expect(cents).toBeLessThanOrEqual(t.dailyMaxCents ?? Infinity)
        }
        const days = [...byDay.values()]
        for (let i = 0; i < days.length; i += 7) {
          const week = days.slice(i, i + 7).reduce((s, c) => s + c, 0)
          expect(week).toBeLessThanOrEqual(t.weeklyMaxCents ?? Infinity)
        }
      }),
      { numRuns: 150 },
    )
  })
})
