import { z } from 'zod'
import { isTimeZone, localTime } from './local-time.ts'

/*
  The tariff engine: what a stay costs at a facility or zone. Pure code, no I/O, so the web app
  and the kiosk (which keeps selling from its cached tariff when offline) quote exactly what the
  API charges.

  A stay's chargeable time is bought in increments (a part increment counts whole, as a meter
  rounds up), each priced by the band its first minute falls in, by local weekday and time of
  day in the facility's time zone; time in no band is free (evenings, Sundays), as is a holiday
  when the tariff says so. A band's rate may step up with the time already parked (first hour
  one price, later hours another). Every local calendar day is capped at the daily maximum,
  every 7 local days from the stay's first at the weekly maximum. A DST day is 23 or 25 hours
  long and is charged for the hours it has. A stay that starts during an event pays the event's
  flat rate; a gate exit without a known entry pays the lost-ticket rate.
*/

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day as HH:MM, 00:00 to 24:00')
const isoDate = z.iso.date()
const cents = z.number().int().nonnegative()

export const rateStepSchema = z.object({
  /** How many minutes of the stay this step covers; the last step has none and runs on. */
  minutes: z.number().int().positive().optional(),
  /** Cents per increment. */
  cents,
})

export const bandSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1),
    from: hhmm,
    to: hhmm,
    rates: z.array(rateStepSchema).min(1),
  })
  .refine((b) => minuteOfDay(b.from) < minuteOfDay(b.to), {
    message: 'a band ends after it starts (use 24:00 for midnight)',
    path: ['to'],
  })
  .refine((b) => b.rates.every((r, i) => (i === b.rates.length - 1) === (r.minutes === undefined)), {
    message: 'every rate step but the last covers a number of minutes; the last runs on',
    path: ['rates'],
  })

export const eventRateSchema = z
  .object({
    name: z.string().min(1).max(100),
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    /** A flat price for any stay that starts during the event. */
    cents,
  })
  .refine((e) => Date.parse(e.from) < Date.parse(e.to), {
    message: 'an event ends after it starts',
    path: ['to'],
  })

export const tariffSchema = z
  .object({
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone, e.g. America/New_York'),
    incrementMinutes: z.number().int().min(1).max(1440),
    bands: z.array(bandSchema),
    holidays: z.array(isoDate).default([]),
    freeOnHolidays: z.boolean().default(false),
    /** Stays this short cost nothing (a gated facility's drive-through). */
    graceMinutes: z.number().int().min(0).default(0),
    dailyMaxCents: cents.optional(),
    weeklyMaxCents: cents.optional(),
    /** A stay that costs anything costs at least this. */
    minimumCents: cents.optional(),
    /** A single purchase may not cost more. */
    maximumCents: cents.optional(),
    maximumStayMinutes: z.number().int().positive().optional(),
    events: z.array(eventRateSchema).default([]),
    /** Charged at a gate for a stay whose entry is unknown. */
    lostTicketCents: cents.optional(),
    /**
     * What stopping early gives back: nothing (the default, as at a meter), or the unused time's
     * price, to the utility account that paid it.
     */
    refundUnusedTime: z.boolean().default(false),
  })
  .refine(
    (t) =>
      t.minimumCents === undefined || t.dailyMaxCents === undefined || t.minimumCents <= t.dailyMaxCents,
    { message: 'the minimum purchase is at most the daily maximum', path: ['minimumCents'] },
  )

export type Tariff = z.output<typeof tariffSchema>
export type TariffInput = z.input<typeof tariffSchema>

export interface QuoteLine {
  kind: 'time' | 'grace' | 'event' | 'minimum' | 'lost_ticket'
  description: string
  /** The local calendar day a time line charges for. */
  date?: string
  /** Minutes charged (whole increments) on that day. */
  minutes?: number
  cents: number
  /** Set when a maximum lowered the day's charge: what it would have been. */
  uncappedCents?: number
  cappedBy?: 'daily_max' | 'weekly_max'
}

export interface Quote {
  totalCents: number
  /** The stay's length in minutes, a part minute counted whole. */
  minutes: number
  lines: QuoteLine[]
}

export class TariffError extends Error {
  constructor(
    readonly code: 'end_before_start' | 'stay_too_long' | 'over_maximum_purchase' | 'no_lost_ticket_rate',
    message: string,
  ) {
    super(message)
  }
}

export interface QuoteOptions {
  /** A gated facility's exit without a known entry. */
  lostTicket?: boolean
}

const MINUTE = 60_000

export function quote(tariff: Tariff, start: Date, end: Date, options: QuoteOptions = {}): Quote {
  const from = start.getTime()
  const to = end.getTime()
  if (!(to >= from)) {
    throw new TariffError('end_before_start', 'A stay ends after it starts')
  }
  const minutes = Math.ceil((to - from) / MINUTE)
  if (tariff.maximumStayMinutes !== undefined && minutes > tariff.maximumStayMinutes) {
    throw new TariffError(
      'stay_too_long',
      `The maximum stay here is ${formatMinutes(tariff.maximumStayMinutes)}`,
    )
  }
  if (options.lostTicket) {
    if (tariff.lostTicketCents === undefined) {
      throw new TariffError('no_lost_ticket_rate', 'This facility has no lost-ticket rate')
    }
    const line: QuoteLine = { kind: 'lost_ticket', description: 'Lost ticket', cents: tariff.lostTicketCents }
    return checked(tariff, { totalCents: line.cents, minutes, lines: [line] })
  }
  if (minutes <= tariff.graceMinutes) {
    const description = `Grace period (${formatMinutes(tariff.graceMinutes)})`
    return { totalCents: 0, minutes, lines: [{ kind: 'grace', description, cents: 0 }] }
  }
  const event = tariff.events.find((e) => Date.parse(e.from) <= from && from < Date.parse(e.to))
  if (event) {
    const line: QuoteLine = { kind: 'event', description: `Event rate: ${event.name}`, cents: event.cents }
    return checked(tariff, { totalCents: line.cents, minutes, lines: [line] })
  }

  const days = chargeByDay(tariff, from, to)
  const lines = capped(tariff, days)
  let totalCents = lines.reduce((sum, l) => sum + l.cents, 0)
  if (tariff.minimumCents !== undefined && totalCents > 0 && totalCents < tariff.minimumCents) {
    lines.push({
      kind: 'minimum',
      description: `Minimum purchase ${dollars(tariff.minimumCents)}`,
      cents: tariff.minimumCents - totalCents,
    })
    totalCents = tariff.minimumCents
  }
  return checked(tariff, { totalCents, minutes, lines })
}

/**
 * What extending a stay that is paid from start until paidUntil to a later end costs: the whole
 * stay's price less what the time already bought costs, so an extension continues the stay's
 * rate steps and daily maximum rather than buying a new first hour. The maximum stay applies to
 * the whole stay, the maximum purchase to the extension alone.
 */
export function quoteExtension(tariff: Tariff, start: Date, paidUntil: Date, end: Date): Quote {
  if (!(end.getTime() > paidUntil.getTime())) {
    throw new TariffError('end_before_start', 'An extension ends after the time already paid for')
  }
  const uncapped: Tariff = { ...tariff, maximumCents: undefined }
  const whole = quote(uncapped, start, end)
  const before = quote(uncapped, start, paidUntil)
  const minutes = Math.ceil((end.getTime() - paidUntil.getTime()) / MINUTE)
  const cents = Math.max(0, whole.totalCents - before.totalCents)
  const line: QuoteLine = {
    kind: 'time',
    description: `Extension of ${formatMinutes(minutes)}`,
    minutes,
    cents,
  }
  return checked(tariff, { totalCents: cents, minutes, lines: [line] })
}

function checked(tariff: Tariff, q: Quote): Quote {
  if (tariff.maximumCents !== undefined && q.totalCents > tariff.maximumCents) {
    throw new TariffError(
      'over_maximum_purchase',
      `A purchase here is at most ${dollars(tariff.maximumCents)}; this stay costs ${dollars(q.totalCents)}`,
    )
  }
  return q
}

interface DayCharge {
  date: string
  minutes: number
  cents: number
}

/*
  Walks the stay minute by minute. The first chargeable minute after a paid increment has run
  out buys the next increment, at the rate for the time parked so far, and charges it to its
  local day; time before a band opens is free, however the stay is aligned. The local clock is
  advanced by hand and read again from the zone at every local quarter hour, where every
  zone's changes of offset fall.
*/
function chargeByDay(tariff: Tariff, from: number, to: number): DayCharge[] {
  const holidays = new Set(tariff.freeOnHolidays ? tariff.holidays : [])
  const bands = tariff.bands.map((b) => ({ ...b, start: minuteOfDay(b.from), end: minuteOfDay(b.to) }))
  const days: DayCharge[] = []
  const minutes = Math.ceil((to - from) / MINUTE)
  let local = localTime(from, tariff.timeZone)
  let paidFor = 0
  for (let i = 0; i < minutes; i++) {
    if (i > 0) {
      local = { ...local, minute: local.minute + 1 }
      if (local.minute % 15 === 0 || local.minute >= 1440) {
        local = localTime(from + i * MINUTE, tariff.timeZone)
      }
    }
    let day = days[days.length - 1]
    if (day?.date !== local.date) {
      day = { date: local.date, minutes: 0, cents: 0 }
      days.push(day)
    }
    if (paidFor > 0) {
      paidFor--
      continue
    }
    if (holidays.has(local.date)) {
      continue
    }
    const band = bands.find(
      (b) => b.days.includes(local.weekday) && b.start <= local.minute && local.minute < b.end,
    )
    if (!band) {
      continue
    }
    day.minutes += tariff.incrementMinutes
    day.cents += rateAt(band.rates, i)
    paidFor = tariff.incrementMinutes - 1
  }
  return days
}

function rateAt(rates: Tariff['bands'][number]['rates'], parkedMinutes: number): number {
  let covered = 0
  for (const r of rates) {
    if (r.minutes === undefined || parkedMinutes < covered + r.minutes) {
      return r.cents
    }
    covered += r.minutes
  }
  return rates[rates.length - 1]?.cents ?? 0
}

/** A line per day, capped at the daily maximum and then, in order, at the weekly maximum. */
function capped(tariff: Tariff, days: DayCharge[]): QuoteLine[] {
  const firstDate = days[0]?.date
  let windowStart = firstDate
  let windowTotal = 0
  return days.map((d) => {
    const line: QuoteLine = {
      kind: 'time',
      description: `Parking on ${d.date}`,
      date: d.date,
      minutes: d.minutes,
      cents: d.cents,
    }
    if (tariff.dailyMaxCents !== undefined && line.cents > tariff.dailyMaxCents) {
      line.uncappedCents = d.cents
      line.cents = tariff.dailyMaxCents
      line.cappedBy = 'daily_max'
    }
    if (tariff.weeklyMaxCents !== undefined && windowStart !== undefined) {
      if (daysBetween(windowStart, d.date) >= 7) {
        windowStart = d.date
        windowTotal = 0
      }
      const room = Math.max(0, tariff.weeklyMaxCents - windowTotal)
      if (line.cents > room) {
        line.uncappedCents ??= line.cents
        line.cents = room
        line.cappedBy = 'weekly_max'
      }
      windowTotal += line.cents
    }
    return line
  })
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000)
}

function minuteOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return h * 60 + m
}

function dollars(c: number): string {
  return `$${(c / 100).toFixed(2)}`
}

function formatMinutes(m: number): string {
  if (m % 60 === 0) {
    const h = m / 60
    return `${h} hour${h === 1 ? '' : 's'}`
  }
  return `${m} minutes`
}
