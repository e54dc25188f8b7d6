import type { Db } from '../../../db/connect.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { saveZone, savePermitType, type PermitTypeInput } from '../../../api/permits/types.ts'

let counter = 0

/** A square zone, 0.01° on a side, its south-west corner at (lat, lon). */
export const square = (lat: number, lon: number, size = 0.01) => ({
  type: 'Polygon' as const,
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
})

export interface ResidentInput {
  customerId: number
  lat: number | null
  lon: number
  status?: 'active' | 'inactive' | 'closed'
  /** The service agreement's last day; null: still running. */
  serviceEndOn?: string | null
  /** Live at an existing premise (another household on one account's premise). */
  premiseId?: number
  address?: string
}

/** A utility account the customer holds, at a premise located where the test says. */
export async function makeResident(sql: Db, r: ResidentInput): Promise<{ accountId: number; premiseId: number; accountNumber: string }> {
  const n = ++counter
  const tag = `${process.pid}-r${n}`
  let premiseId = r.premiseId
  if (premiseId === undefined) {
    const [premise]: [{ id: number }?] = await sql`
      insert into cis.premise (cis_premise_id, address, city, state, zip, lat, lon)
      values (${`PR-${tag}`}, ${r.address ?? `${n} Oak Street`}, 'Raleigh', 'NC', '27601',
              ${r.lat}, ${r.lat === null ? null : r.lon})
      returning id`
    premiseId = premise!.id
  }
  const accountNumber = String(5_000_000_000 + ((process.pid * 1000 + n) % 1_000_000_000))
  const [account]: [{ id: number }?] = await sql`
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    values (${accountNumber}, ${premiseId}, 4, ${r.status ?? 'active'}, '2020-01-01')
    returning id`
  await sql`
    insert into cis.service_agreement (cis_agreement_id, utility_account_id, service, status, start_on, end_on)
    values (${`SA-${tag}`}, ${account!.id}, 'water', ${r.serviceEndOn ? 'stopped' : 'active'}, '2020-01-01',
            ${r.serviceEndOn ?? null})`
  await sql`
    insert into cis.account_holder (customer_id, utility_account_id, relationship)
    values (${r.customerId}, ${account!.id}, 'primary')`
  return { accountId: account!.id, premiseId: premiseId!, accountNumber }
}

export const ZONE_LAT = 35.77
export const ZONE_LON = -78.64

/** Zone Z (a 0.01° square), an on-street facility in it, and a residential type for it. */
export async function residentialSetup(sql: Db, overrides: Partial<PermitTypeInput> = {}) {
  await saveZone(sql, null, { code: 'Z', name: 'Zone Z', boundary: square(ZONE_LAT, ZONE_LON) })
  await makeFacility(sql, { code: 'ZST', kind: 'on_street_zone' })
  return savePermitType(sql, null, {
    code: 'RES-Z',
    name: 'Residential Z',
    kind: 'residential',
    description: '',
    zone: 'Z',
    priceCents: 3650,
    period: 'annual',
    proration: 'daily',
    refundPolicy: 'daily',
    maxVehicles: 2,
    maxPerHousehold: 2,
    needsApproval: false,
    secondVehicleCents: 1000,
    renewalWindowDays: 30,
    visitorPassesPerMonth: 2,
    active: true,
    facilities: [{ code: 'ZST', capacity: null }],
    ...overrides,
  })
}
