import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError } from '../http/errors.ts'
import { dayEnd, dayStart, label, permitByPublicId, type RequestedVehicle } from './permits.ts'
import { addDays } from './terms.ts'
import { permitTypeById } from './types.ts'

/*
  Visitor passes: a residential permit's holder gives a visitor's plate a day's parking where the
  permit is valid, up to the type's number of passes a calendar month. A pass is for one of the
  city's calendar days, from today to 30 days on, inside the permit's paid term; passes of one
  permit are issued one at a time, so the monthly count holds.
*/

/** How far ahead a pass can be issued. */
export const PASS_DAYS_AHEAD = 30

export interface VisitorPass {
  public_id: string
  plate: string
  state: string
  plate_printed: string
  valid_on: string
  cancelled_at: Date | null
  created_at: Date
}

export async function passesOf(sql: Db, permitId: number): Promise<VisitorPass[]> {
  return sql<VisitorPass[]>`
    select public_id, plate, state, plate_printed, valid_on::text, cancelled_at, created_at
      from permits.visitor_pass where permit_id = ${permitId}
     order by valid_on desc, id desc`
}

/** Passes left in the month of a day. */
export async function passesLeft(sql: Db, permitId: number, perMonth: number, day: string): Promise<number> {
  const [row]: [{ used: number }?] = await sql`
    select count(*)::int as used from permits.visitor_pass
     where permit_id = ${permitId} and cancelled_at is null
       and date_trunc('month', valid_on) = date_trunc('month', ${day}::date)`
  return perMonth - (row?.used ?? 0)
}

export async function issueVisitorPass(
  sql: Db,
  actor: Principal | null,
  input: { permit: string; vehicle: RequestedVehicle; validOn: string; today: string },
): Promise<VisitorPass> {
  return inTransaction(sql, async (tx) => {
    const permit = await permitByPublicId(tx, input.permit, { lock: true })
    const type = await permitTypeById(tx, permit.type_id)
    if (type.visitor_passes_per_month === 0) {
      throw new AppError('conflict', `${type.name} permits come with no visitor passes`)
    }
    if (permit.status !== 'active' || !permit.ends_on) {
      throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}; passes come with an active permit`)
    }
    const last = addDays(input.today, PASS_DAYS_AHEAD)
    if (input.validOn < input.today || input.validOn > last || input.validOn > permit.ends_on) {
      const until = last < permit.ends_on ? last : permit.ends_on
      throw new AppError('invalid', `A pass is for a day from today to ${until}`, [
        { field: 'body.validOn', message: `From ${input.today} to ${until}` },
      ])
    }
    const left = await passesLeft(tx, permit.id, type.visitor_passes_per_month, input.validOn)
    if (left <= 0) {
      throw new AppError(
        'conflict',
        `All ${type.visitor_passes_per_month} visitor passes for ${input.validOn.slice(0, 7)} have been used`,
      )
    }
    const [taken]: [{ id: number }?] = await tx`
      select id from permits.visitor_pass
       where permit_id = ${permit.id} and plate = ${input.vehicle.plate} and state = ${input.vehicle.state}
         and valid_on = ${input.validOn} and cancelled_at is null`
    if (taken) {
      throw new AppError('conflict', `Plate ${input.vehicle.printed} already has a pass for ${input.validOn}`)
    }
    const [pass]: [VisitorPass?] = await tx`
      insert into permits.visitor_pass (permit_id, plate, state, plate_printed, valid_on, during, created_by)
      values (${permit.id}, ${input.vehicle.plate}, ${input.vehicle.state}, ${input.vehicle.printed},
              ${input.validOn}, tstzrange(${dayStart(input.validOn, permit.time_zone)}, ${dayEnd(input.validOn, permit.time_zone)}),
              ${actor?.kind === 'user' ? actor.userId : null})
      returning public_id, plate, state, plate_printed, valid_on::text, cancelled_at, created_at`
    await writeAudit(tx, actor, {
      action: 'permit.visitor_pass',
      entity: 'permits.permit',
      entityId: permit.id,
      after: { plate: input.vehicle.plate, state: input.vehicle.state, validOn: input.validOn },
    })
    return pass!
  })
}

/** Cancels a pass not yet begun; it is given back to the month. */
export async function cancelVisitorPass(
  sql: Db,
  actor: Principal | null,
  input: { permit: string; pass: string; now: Date },
): Promise<void> {
  const permit = await permitByPublicId(sql, input.permit)
  const [row]: [{ id: number }?] = await sql`
    update permits.visitor_pass set cancelled_at = ${input.now}
     where public_id = ${input.pass} and permit_id = ${permit.id} and cancelled_at is null
       and lower(during) > ${input.now}
    returning id`
  if (!row) {
    throw new AppError('conflict', 'Only a pass for a day not yet begun can be cancelled')
  }
  await writeAudit(sql, actor, { action: 'permit.visitor_pass_cancel', entity: 'permits.permit', entityId: permit.id })
}
