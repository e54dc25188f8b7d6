import type { Db, Tx } from '../../db/connect.ts'
import { inTransaction } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError } from '../http/errors.ts'
import { assertPlatesFree, dayEnd, label, permitById, scopeOf, type Permit, type RequestedVehicle } from './permits.ts'
import { chargeVehicleSlot, type PayContext, type Paying } from './charges.ts'
import { permitTypeById } from './types.ts'

/*
  The plates on a permit over time. A row per plate per stay on the permit, with the span it was
  on: adding opens a span from now to the end of the paid term, removing closes it now, a swap
  does both at one instant, and a renewal carries the open spans on. Nothing is ever rewritten
  after the fact, so "was this plate permitted at 10:42 on that day" is one range test.
*/

/** A rental or loaner rides on the permit beside the others for at most this long. */
export const TEMPORARY_MAX_DAYS = 14

export interface PermitVehicle {
  id: number
  plate: string
  state: string
  plate_printed: string
  temporary: boolean
  from: Date
  until: Date | null
}

export async function vehiclesOf(sql: Db, permitId: number): Promise<PermitVehicle[]> {
  return sql<PermitVehicle[]>`
    select id, plate, state, plate_printed, temporary, lower(during) as from, upper(during) as until
      from permits.vehicle where permit_id = ${permitId}
     order by lower(during), id`
}

export interface VehicleChange {
  permit: string
  vehicle: RequestedVehicle
  /** Take this vehicle off at the same instant (a swap). */
  replaces: number | null
  /** A rental or loaner for this many days, beside the others. */
  temporaryDays: number | null
}

export type VehicleAdded =
  | { status: 'added'; vehicle: PermitVehicle }
  | { status: 'payment_required'; paying: Paying }

/**
 * Puts a plate on an active permit: within the type's limit (a swap frees its place first), off
 * every other permit of the zone, and, when it is a vehicle beyond those paid for this term, for
 * the second-vehicle price: on the utility bill at once, by card when the payment succeeds.
 */
export async function addVehicle(sql: Db, ctx: PayContext, change: VehicleChange): Promise<VehicleAdded> {
  const { vehicle } = change
  const permit = await permitActive(sql, change.permit)
  const type = await permitTypeById(sql, permit.type_id)
  if (change.temporaryDays !== null && (change.temporaryDays < 1 || change.temporaryDays > TEMPORARY_MAX_DAYS)) {
    throw new AppError('invalid', `A temporary vehicle is on a permit for 1 to ${TEMPORARY_MAX_DAYS} days`, [
      { field: 'body.temporaryDays', message: `1 to ${TEMPORARY_MAX_DAYS}` },
    ])
  }
  const now = ctx.now
  const termEnd = dayEnd(permit.ends_on!, permit.time_zone)
  const outcome = await inTransaction(sql, async (tx): Promise<VehicleAdded | { status: 'charge'; extra: number }> => {
    // one permit's vehicles change one request at a time
    await permitById(tx, permit.id, { lock: true })
    const live = await liveVehicles(tx, permit.id, now)
    if (live.some((v) => v.plate === vehicle.plate && v.state === vehicle.state)) {
      throw new AppError('conflict', `Plate ${vehicle.printed} (${vehicle.state}) is already on permit ${permit.number}`)
    }
    if (change.replaces !== null) {
      const old = live.find((v) => v.id === change.replaces)
      if (!old) {
        throw new AppError('invalid', 'That vehicle is not on this permit now', [
          { field: 'body.replaces', message: 'Not on the permit' },
        ])
      }
      await closeSpan(tx, old.id, now)
    }
    await assertPlatesFree(tx, type, [vehicle], now, null)
    if (change.temporaryDays !== null) {
      if (live.some((v) => v.temporary && v.id !== change.replaces)) {
        throw new AppError('conflict', 'A permit has one temporary vehicle at a time; remove the other first')
      }
      const until = new Date(Math.min(termEnd.getTime(), now.getTime() + change.temporaryDays * 86_400_000))
      return { status: 'added', vehicle: await insertVehicle(tx, permit, scopeOf(type), vehicle, now, until, true) }
    }
    const kept = live.filter((v) => !v.temporary && v.id !== change.replaces).length
    if (kept + 1 > type.max_vehicles) {
      throw new AppError(
        'conflict',
        `A ${type.name} permit holds at most ${type.max_vehicles} vehicle${type.max_vehicles === 1 ? '' : 's'}; remove one or swap it`,
      )
    }
    const extra = kept // vehicles beyond the first once this one is on
    if (extra > 0 && type.second_vehicle_cents > 0 && extra > (await paidSlots(tx, permit.id, ctx.today))) {
      return { status: 'charge', extra }
    }
    return { status: 'added', vehicle: await insertVehicle(tx, permit, scopeOf(type), vehicle, now, termEnd, false) }
  })
  if (outcome.status !== 'charge') {
    await writeAudit(sql, ctx.principal, {
      action: 'permit.vehicle_add',
      entity: 'permits.permit',
      entityId: permit.id,
      after: { plate: vehicle.plate, state: vehicle.state, temporary: change.temporaryDays !== null, replaces: change.replaces },
    })
    return outcome
  }
  const paying = await chargeVehicleSlot(sql, ctx, { permit, type, vehicle, slot: outcome.extra, replaces: change.replaces })
  if (paying.payment === null) {
    const [added] = (await liveVehicles(sql, permit.id, new Date())).filter(
      (v) => v.plate === vehicle.plate && v.state === vehicle.state,
    )
    if (added) {
      return { status: 'added', vehicle: added }
    }
  }
  return { status: 'payment_required', paying }
}

/** Takes a vehicle off a permit now. Its history stays. */
export async function removeVehicle(
  sql: Db,
  actor: Principal | null,
  input: { permit: string; vehicleId: number; now: Date },
): Promise<void> {
  const permit = await permitActive(sql, input.permit)
  await inTransaction(sql, async (tx) => {
    await permitById(tx, permit.id, { lock: true })
    const live = await liveVehicles(tx, permit.id, input.now)
    const v = live.find((x) => x.id === input.vehicleId)
    if (!v) {
      throw new AppError('not_found', 'That vehicle is not on this permit now')
    }
    await closeSpan(tx, v.id, input.now)
    await writeAudit(tx, actor, {
      action: 'permit.vehicle_remove',
      entity: 'permits.permit',
      entityId: permit.id,
      before: { plate: v.plate, state: v.state },
    })
  })
}

async function permitActive(sql: Db, publicId: string): Promise<Permit> {
  const [row]: [{ id: number }?] = await sql`select id from permits.permit where public_id = ${publicId}`
  if (!row) {
    throw new AppError('not_found', 'Permit not found')
  }
  const permit = await permitById(sql, row.id)
  if (permit.status !== 'active' || !permit.ends_on) {
    throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}; vehicles change on an active permit`)
  }
  return permit
}

export async function liveVehicles(sql: Db, permitId: number, at: Date): Promise<PermitVehicle[]> {
  return sql<PermitVehicle[]>`
    select id, plate, state, plate_printed, temporary, lower(during) as from, upper(during) as until
      from permits.vehicle
     where permit_id = ${permitId} and during && tstzrange(${at}, null) and lower(during) <= ${at}
     order by lower(during), id`
}

async function closeSpan(tx: Tx, vehicleId: number, at: Date): Promise<void> {
  await tx`update permits.vehicle set during = tstzrange(lower(during), ${at}) where id = ${vehicleId} and lower(during) < ${at}`
  await tx`delete from permits.vehicle where id = ${vehicleId} and lower(during) >= ${at}`
}

export async function insertVehicle(
  tx: Tx,
  permit: Permit,
  scope: string,
  v: RequestedVehicle,
  from: Date,
  until: Date,
  temporary: boolean,
): Promise<PermitVehicle> {
  const [row]: [PermitVehicle?] = await tx`
    insert into permits.vehicle (permit_id, scope, plate, state, plate_printed, temporary, during)
    values (${permit.id}, ${scope}, ${v.plate}, ${v.state}, ${v.printed}, ${temporary}, tstzrange(${from}, ${until}))
    returning id, plate, state, plate_printed, temporary, lower(during) as from, upper(during) as until`
  return row!
}

/** Vehicle slots paid for the term running today: with the term itself, and one by one. */
export async function paidSlots(sql: Db, permitId: number, today: string): Promise<number> {
  const [row]: [{ n: number }?] = await sql`
    select coalesce(sum(slots), 0)::int as n from permits.charge
     where permit_id = ${permitId} and status = 'paid' and kind in ('term', 'renewal', 'vehicle_slot')
       and term_starts_on <= ${today}::date and term_ends_on >= ${today}::date`
  return row?.n ?? 0
}
