import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { openAccount } from '../ledger/accounts.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { Area } from './geometry.ts'
import type { Period, Proration } from './terms.ts'

export type PermitKind =
  | 'residential'
  | 'employee'
  | 'monthly_garage'
  | 'airport_employee'
  | 'contractor'
  | 'disability'

export interface PermitZone {
  id: number
  code: string
  name: string
  boundary: Area
}

export interface PermitType {
  id: number
  code: string
  name: string
  kind: PermitKind
  description: string
  zone_id: number | null
  price_cents: number
  period: Period
  proration: Proration
  refund_policy: Proration
  max_vehicles: number
  max_per_household: number | null
  needs_approval: boolean
  second_vehicle_cents: number
  renewal_window_days: number
  visitor_passes_per_month: number
  active: boolean
}

export interface TypeFacility {
  facility_id: number
  code: string
  name: string
  capacity: number | null
}

export interface PermitTypeFull extends PermitType {
  zone: PermitZone | null
  facilities: TypeFacility[]
}

/** Permit revenue, per type: what its sales credit and its refunds debit. */
export const permitRevenue = (typeCode: string) => `revenue:permits:${typeCode}`

export async function zones(sql: Db): Promise<PermitZone[]> {
  return sql<PermitZone[]>`select id, code, name, boundary from permits.zone order by code`
}

export interface ZoneInput {
  code: string
  name: string
  boundary: Area
}

export async function saveZone(sql: Db, actor: Principal | null, input: ZoneInput): Promise<PermitZone> {
  return inTransaction(sql, async (tx) => {
    const [before]: [PermitZone?] = await tx`
      select id, code, name, boundary from permits.zone where code = ${input.code} for update`
    const [zone]: [PermitZone?] = await tx`
      insert into permits.zone (code, name, boundary)
      values (${input.code}, ${input.name}, ${tx.json(input.boundary as never)})
      on conflict (code) do update
         set name = excluded.name, boundary = excluded.boundary, updated_at = now()
      returning id, code, name, boundary`
    await writeAudit(tx, actor, {
      action: before ? 'permit_zone.update' : 'permit_zone.create',
      entity: 'permits.zone',
      entityId: zone!.id,
      before: before ?? undefined,
      after: zone,
    })
    return zone!
  })
}

export async function permitTypes(sql: Db, opts: { activeOnly?: boolean } = {}): Promise<PermitTypeFull[]> {
  const types = await sql<PermitType[]>`
    select * from permits.permit_type
     where ${opts.activeOnly ? sql`active` : sql`true`}
     order by kind, name`
  return withPlaces(sql, types)
}

export async function permitTypeByCode(sql: Db, code: string): Promise<PermitTypeFull> {
  const [type]: [PermitType?] = await sql`select * from permits.permit_type where code = ${code.toUpperCase()}`
  if (!type) {
    throw notFound(`Permit type ${code}`)
  }
  return (await withPlaces(sql, [type]))[0]!
}

export async function permitTypeById(sql: Db, id: number): Promise<PermitTypeFull> {
  const [type]: [PermitType?] = await sql`select * from permits.permit_type where id = ${id}`
  if (!type) {
    throw notFound('Permit type')
  }
  return (await withPlaces(sql, [type]))[0]!
}

async function withPlaces(sql: Db, types: PermitType[]): Promise<PermitTypeFull[]> {
  if (types.length === 0) {
    return []
  }
  const ids = types.map((t) => t.id)
  const places = await sql<(TypeFacility & { type_id: number })[]>`
    select tf.type_id, tf.facility_id, f.code, f.name, tf.capacity
      from permits.type_facility tf join parking.facility f on f.id = tf.facility_id
     where tf.type_id = any(${ids}::bigint[])
     order by f.code`
  const zoneIds = types.flatMap((t) => (t.zone_id ? [t.zone_id] : []))
  const zoneRows = zoneIds.length
    ? await sql<PermitZone[]>`select id, code, name, boundary from permits.zone where id = any(${zoneIds}::bigint[])`
    : []
  return types.map((t) => ({
    ...t,
    zone: zoneRows.find((z) => z.id === t.zone_id) ?? null,
    facilities: places
      .filter((p) => p.type_id === t.id)
      .map(({ facility_id, code, name, capacity }) => ({ facility_id, code, name, capacity })),
  }))
}

export interface PermitTypeInput {
  code: string
  name: string
  kind: PermitKind
  description: string
  zone: string | null
  priceCents: number
  period: Period
  proration: Proration
  refundPolicy: Proration
  maxVehicles: number
  maxPerHousehold: number | null
  needsApproval: boolean
  secondVehicleCents: number
  renewalWindowDays: number
  visitorPassesPerMonth: number
  active: boolean
  facilities: { code: string; capacity: number | null }[]
}

/**
 * Creates or replaces a permit type by code, with where it is valid and each place's capacity,
 * and opens its revenue account. Permits already issued keep the terms they were sold on; a new
 * price applies from their next renewal.
 */
export async function savePermitType(
  sql: Db,
  actor: Principal | null,
  input: PermitTypeInput,
): Promise<PermitTypeFull> {
  const id = await inTransaction(sql, async (tx) => {
    let zoneId: number | null = null
    if (input.kind === 'residential') {
      if (!input.zone) {
        throw new AppError('invalid', 'A residential permit type names the zone whose residents are eligible', [
          { field: 'body.zone', message: 'Required for residential permits' },
        ])
      }
      const [zone]: [{ id: number }?] = await tx`select id from permits.zone where code = ${input.zone}`
      if (!zone) {
        throw new AppError('invalid', `There is no permit zone ${input.zone}`, [
          { field: 'body.zone', message: 'No such zone' },
        ])
      }
      zoneId = zone.id
    } else if (input.zone) {
      throw new AppError('invalid', 'Only residential permits have an eligibility zone', [
        { field: 'body.zone', message: 'Leave empty for this kind' },
      ])
    }
    const codes = input.facilities.map((f) => f.code)
    const facilities = await tx<{ id: number; code: string }[]>`
      select id, code from parking.facility where code = any(${codes}::text[])`
    const missing = codes.filter((c) => !facilities.some((f) => f.code === c))
    if (missing.length > 0) {
      throw new AppError('invalid', `No facility or zone ${missing.join(', ')}`, [
        { field: 'body.facilities', message: 'Unknown facility codes', codes: missing },
      ])
    }
    const [before]: [PermitType?] = await tx`
      select * from permits.permit_type where code = ${input.code} for update`
    const [saved]: [{ id: number }?] = await tx`
      insert into permits.permit_type
        (code, name, kind, description, zone_id, price_cents, period, proration, refund_policy,
         max_vehicles, max_per_household, needs_approval, second_vehicle_cents, renewal_window_days,
         visitor_passes_per_month, active)
      values (${input.code}, ${input.name}, ${input.kind}, ${input.description}, ${zoneId},
              ${input.priceCents}, ${input.period}, ${input.proration}, ${input.refundPolicy},
              ${input.maxVehicles}, ${input.maxPerHousehold}, ${input.needsApproval},
              ${input.secondVehicleCents}, ${input.renewalWindowDays}, ${input.visitorPassesPerMonth},
              ${input.active})
      on conflict (code) do update set
        name = excluded.name, kind = excluded.kind, description = excluded.description,
        zone_id = excluded.zone_id, price_cents = excluded.price_cents, period = excluded.period,
        proration = excluded.proration, refund_policy = excluded.refund_policy,
        max_vehicles = excluded.max_vehicles, max_per_household = excluded.max_per_household,
        needs_approval = excluded.needs_approval, second_vehicle_cents = excluded.second_vehicle_cents,
        renewal_window_days = excluded.renewal_window_days,
        visitor_passes_per_month = excluded.visitor_passes_per_month, active = excluded.active,
        updated_at = now()
      returning id`
    const typeId = saved!.id
    await tx`delete from permits.type_facility where type_id = ${typeId}`
    for (const f of input.facilities) {
      const facilityId = facilities.find((x) => x.code === f.code)!.id
      await tx`
        insert into permits.type_facility (type_id, facility_id, capacity)
        values (${typeId}, ${facilityId}, ${f.capacity})`
    }
    await openAccount(tx, {
      code: permitRevenue(input.code),
      name: `Permit revenue - ${input.name}`,
      type: 'revenue',
      fund: 'parking',
    })
    await writeAudit(tx, actor, {
      action: before ? 'permit_type.update' : 'permit_type.create',
      entity: 'permits.permit_type',
      entityId: typeId,
      before: before ?? undefined,
      after: input,
    })
    return typeId
  })
  return permitTypeById(sql, id)
}
