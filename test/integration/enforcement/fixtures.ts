import type { Db } from '../../../db/connect.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import type { TariffInput } from '../../../api/facilities/tariff.ts'

export const NY = 'America/New_York'

/** Monday 30 November 2026 at a local time in New York (EST, UTC-5). */
export const monday = (hhmm: string) => new Date(`2026-11-30T${hhmm}:00-05:00`)

/** Metered Mon-Sat 08:00-18:00 at $1.50 an hour, two hours at most, free on a holiday. */
export const metered = (overrides: Partial<TariffInput> = {}): TariffInput => ({
  timeZone: NY,
  incrementMinutes: 15,
  bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '18:00', rates: [{ cents: 38 }] }],
  holidays: ['2026-12-25'],
  freeOnHolidays: true,
  maximumStayMinutes: 120,
  ...overrides,
})

/** Free, but two hours at most, Mon-Sat 08:00-18:00 (chalked). */
export const timeLimited = (): TariffInput => ({
  timeZone: NY,
  incrementMinutes: 15,
  bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '18:00', rates: [{ cents: 0 }] }],
  maximumStayMinutes: 120,
})

/** An on-street zone with two block faces along a street running north, at (lat, lon). */
export async function makeZone(sql: Db, code: string, tariff: TariffInput, at = { lat: 35.78, lon: -78.64 }) {
  const zone = await makeFacility(sql, { code, kind: 'on_street_zone', tariff })
  const face = (side: number) => [
    [at.lon + side * 0.0001, at.lat],
    [at.lon + side * 0.0001, at.lat + 0.001],
  ]
  await sql`
    update parking.facility
       set geometry = ${sql.json({ type: 'MultiLineString', coordinates: [face(-1), face(1)] } as never)}
     where id = ${zone.id}`
  return { ...zone, west: { lat: at.lat + 0.0005, lon: at.lon - 0.00012 }, east: { lat: at.lat + 0.0005, lon: at.lon + 0.00012 } }
}

/** A paid session for a plate at a facility, written as a purchase would leave it. */
export async function paidSession(sql: Db, facilityId: number, plate: string, startsAt: Date, endsAt: Date, state = 'NC') {
  await sql`
    insert into parking.session (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
    values (${facilityId}, ${plate}, ${state}, ${plate}, 'web', 'active', ${startsAt}, ${endsAt})`
}
