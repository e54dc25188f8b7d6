import type { Db } from '../../db/connect.ts'
import { notFound } from '../http/errors.ts'
import { tariffSchema, type Tariff } from './tariff.ts'

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

/** A facility by the code drivers know it by (a zone number is its code), or not found. */
export async function facilityByCode(sql: Db, code: string): Promise<Facility> {
  const [row]: [FacilityRow?] = await sql`
    select id, code, name, kind, address, lat, lon, geometry, capacity, gated, status, tariff
      from parking.facility where code = ${code.trim().toUpperCase()}`
  if (!row) {
    throw notFound(`Parking facility or zone ${code}`)
  }
  return withTariff(row)
}

export async function listFacilities(sql: Db): Promise<Facility[]> {
  const rows = await sql<FacilityRow[]>`
    select id, code, name, kind, address, lat, lon, geometry, capacity, gated, status, tariff
      from parking.facility order by kind, code`
  return rows.map(withTariff)
}

// Tariffs are validated on every write; parsing again applies the schema's defaults.
function withTariff(row: FacilityRow): Facility {
  return { ...row, tariff: tariffSchema.parse(row.tariff) }
}
