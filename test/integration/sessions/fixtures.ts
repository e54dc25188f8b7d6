import type { Db } from '../../../db/connect.ts'
import { tariffSchema, type TariffInput } from '../../../api/facilities/tariff.ts'
import { openAccount, parkingAccount } from '../../../api/ledger/accounts.ts'

const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]

/** Every hour of every day by the half hour: $1.50 the first hour, 50¢ an hour after. */
export function allDayTariff(overrides: Partial<TariffInput> = {}): TariffInput {
  return {
    timeZone: 'America/New_York',
    incrementMinutes: 30,
    bands: [{ days: ALL_WEEK, from: '00:00', to: '24:00', rates: [{ minutes: 60, cents: 75 }, { cents: 25 }] }],
    ...overrides,
  }
}

export interface FacilityFixture {
  code: string
  kind?: 'on_street_zone' | 'surface_lot' | 'garage' | 'airport_garage'
  gated?: boolean
  status?: 'open' | 'closed' | 'event'
  capacity?: number
  tariff?: TariffInput
}

/** A facility with a tariff the test controls, and its revenue account. */
export async function makeFacility(sql: Db, f: FacilityFixture): Promise<{ id: number; code: string }> {
  const tariff = tariffSchema.parse(f.tariff ?? allDayTariff())
  const [row]: [{ id: number }?] = await sql`
    insert into parking.facility (code, name, kind, capacity, gated, status, tariff)
    values (${f.code}, ${`Test facility ${f.code}`}, ${f.kind ?? 'surface_lot'}, ${f.capacity ?? 50},
            ${f.gated ?? false}, ${f.status ?? 'open'}, ${sql.json(tariff as never)})
    returning id`
  if (!row) {
    throw new Error('facility insert returned nothing')
  }
  await openAccount(sql, {
    code: parkingAccount.revenue(f.code),
    name: `Parking revenue - ${f.code}`,
    type: 'revenue',
    fund: 'parking',
  })
  return { id: row.id, code: f.code }
}
