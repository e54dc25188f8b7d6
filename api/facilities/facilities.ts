import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { notFound } from '../http/errors.ts'
import { tariffSchema, type Tariff, type TariffInput } from './tariff.ts'
import { hoursSchema, type Hours } from './hours.ts'

export type FacilityKind =
  | 'surface_lot'
  | 'garage'
  | 'on_street_zone'
  | 'airport_garage'
  | 'airport_lot'
  | 'cell_phone_lot'

export interface Facility {
  id: number
  code: string
  name: string
  kind: FacilityKind
  address: string | null
  lat: number | null
  lon: number | null
  geometry: object | null
  capacity: number | null
  gated: boolean
  status: 'open' | 'closed' | 'event'
  /** Weekly opening hours in the tariff's time zone; null: always open. */
  hours: Hours | null
  tariff: Tariff
}

interface FacilityRow extends Omit<Facility, 'tariff' | 'hours'> {
  tariff: unknown
  hours: unknown
}

const COLUMNS = [
  'id', 'code', 'name', 'kind', 'address', 'lat', 'lon', 'geometry', 'capacity', 'gated', 'status',
  'hours', 'tariff',
]

/*
  Facilities by code, remembered for a few seconds per connection pool (keyed as the ledger's
  account ids are): every purchase and quote names one, and a tariff changes a few times a year.
  An administrator's change is seen at once by the process that made it and within
  FACILITY_CACHE_MS by the others.
*/
const FACILITY_CACHE_MS = 5_000
const facilitiesByDatabase = new WeakMap<Db['notify'], Map<string, { facility: Facility; until: number }>>()

function facilityCache(sql: Db): Map<string, { facility: Facility; until: number }> {
  let cache = facilitiesByDatabase.get(sql.notify)
  if (!cache) {
    cache = new Map()
    facilitiesByDatabase.set(sql.notify, cache)
  }
  return cache
}

/** A facility by the code drivers know it by (a zone number is its code), or not found. */
export async function facilityByCode(sql: Db, code: string): Promise<Facility> {
  const key = canonicalCode(code)
  const cache = facilityCache(sql)
  const hit = cache.get(key)
  if (hit && hit.until > Date.now()) {
    return hit.facility
  }
  const [row]: [FacilityRow?] = await sql`
    select ${sql(COLUMNS)}
      from parking.facility where code = ${key}`
  if (!row) {
    throw notFound(`Parking facility or zone ${code}`)
  }
  const facility = withTariff(row)
  cache.set(key, { facility, until: Date.now() + FACILITY_CACHE_MS })
  return facility
}

/** A facility by its id, read afresh (a purchase's careful way and a stop go by the session's). */
export async function facilityById(sql: Db, id: number): Promise<Facility> {
  const [row]: [FacilityRow?] = await sql`
    select ${sql(COLUMNS)}
      from parking.facility where id = ${id}`
  if (!row) {
    throw notFound('Parking facility')
  }
  return withTariff(row)
}

export async function listFacilities(sql: Db): Promise<Facility[]> {
  const rows = await sql<FacilityRow[]>`
    select ${sql(COLUMNS)}
      from parking.facility order by kind, code`
  return rows.map(withTariff)
}

// Codes are stored in capitals; drivers type them in any case.
function canonicalCode(code: string): string {
  return code.trim().toUpperCase()
}

// Tariffs and hours are validated on every write; parsing again applies the schema's defaults.
function withTariff(row: FacilityRow): Facility {
  return {
    ...row,
    hours: row.hours === null ? null : hoursSchema.parse(row.hours),
    tariff: tariffSchema.parse(row.tariff),
  }
}

export interface FacilityChange {
  name?: string
  status?: Facility['status']
  capacity?: number | null
  geometry?: object | null
  hours?: Hours | null
  tariff?: TariffInput
}

/**
 * Changes what an administrator may change of a facility, audited with before and after. The
 * tariff is checked by the engine's own schema, so the column holds only tariffs it can price.
 */
export async function updateFacility(
  sql: Db,
  code: string,
  change: FacilityChange,
  actor: Principal | null,
  requestId: string | null,
): Promise<Facility> {
  const tariff = change.tariff === undefined ? undefined : tariffSchema.parse(change.tariff)
  facilityCache(sql).delete(canonicalCode(code))
  const updated = await inTransaction(sql, async (tx) => {
    const [before]: [FacilityRow?] = await tx`
      select ${tx(COLUMNS)}
        from parking.facility where code = ${canonicalCode(code)} for update`
    if (!before) {
      throw notFound(`Parking facility or zone ${code}`)
    }
    const [after]: [FacilityRow?] = await tx`
      update parking.facility set
        name = ${change.name ?? before.name},
        status = ${change.status ?? before.status},
        capacity = ${change.capacity === undefined ? before.capacity : change.capacity},
        geometry = ${change.geometry === undefined ? tx.json(before.geometry as never) : change.geometry === null ? null : tx.json(change.geometry as never)},
        hours = ${change.hours === undefined ? (before.hours === null ? null : tx.json(before.hours as never)) : change.hours === null ? null : tx.json(hoursSchema.parse(change.hours) as never)},
        tariff = ${tx.json((tariff ?? before.tariff) as never)},
        updated_at = now()
      where id = ${before.id}
      returning ${tx(COLUMNS)}`
    if (!after) {
      throw notFound(`Parking facility or zone ${code}`)
    }
    const audited = (r: FacilityRow) => ({
      name: r.name,
      status: r.status,
      capacity: r.capacity,
      geometry: r.geometry,
      hours: r.hours,
      tariff: r.tariff,
    })
    await writeAudit(
      tx,
      actor,
      { action: 'facility.update', entity: 'parking_facility', entityId: before.code, before: audited(before), after: audited(after) },
      requestId,
    )
    return withTariff(after)
  })
  // after the commit too, so a read racing the change cannot keep the old one for long
  facilityCache(sql).delete(updated.code)
  return updated
}
