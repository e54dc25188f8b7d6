import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { notFound } from '../http/errors.ts'
import { tariffSchema, type Tariff, type TariffInput } from './tariff.ts'

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
  tariff: Tariff
}

interface FacilityRow extends Omit<Facility, 'tariff'> {
  tariff: unknown
}

const COLUMNS = [
  'id', 'code', 'name', 'kind', 'address', 'lat', 'lon', 'geometry', 'capacity', 'gated', 'status',
  'tariff',
]

/** A facility by the code drivers know it by (a zone number is its code), or not found. */
export async function facilityByCode(sql: Db, code: string): Promise<Facility> {
  const [row]: [FacilityRow?] = await sql`
    select ${sql(COLUMNS)}
      from parking.facility where code = ${canonicalCode(code)}`
  if (!row) {
    throw notFound(`Parking facility or zone ${code}`)
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

// Tariffs are validated on every write; parsing again applies the schema's defaults.
function withTariff(row: FacilityRow): Facility {
  return { ...row, tariff: tariffSchema.parse(row.tariff) }
}

export interface FacilityChange {
  name?: string
  status?: Facility['status']
  capacity?: number | null
  geometry?: object | null
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
  return inTransaction(sql, async (tx) => {
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
}
