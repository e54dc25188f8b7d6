import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError, notFound } from '../http/errors.ts'
import { zonedInstant } from '../facilities/local-time.ts'
import { eligibilityFor, householdPermits, type Eligibility } from './eligibility.ts'
import { addDays, type Term } from './terms.ts'
import { permitTypeById, type PermitTypeFull } from './types.ts'
import { joinOrHold } from './waitlist.ts'
import { notifyCustomer } from './notify.ts'

export type PermitStatus =
  | 'pending_review'
  | 'waitlisted'
  | 'awaiting_payment'
  | 'active'
  | 'expired'
  | 'cancelled'
  | 'revoked'
  | 'rejected'

export interface RequestedVehicle {
  plate: string
  state: string
  printed: string
}

export interface Permit {
  id: number
  public_id: string
  number: string
  type_id: number
  customer_id: number
  utility_account_id: number | null
  premise_id: number | null
  facility_id: number | null
  status: PermitStatus
  eligibility: Eligibility
  requested_vehicles: RequestedVehicle[]
  starts_on: string | null
  ends_on: string | null
  time_zone: string
  auto_renew: boolean
  pay_method: 'card' | 'utility_bill' | null
  stripe_customer_id: string | null
  stripe_payment_method_id: string | null
  review_note: string | null
  reviewed_at: Date | null
  revoked_reason: string | null
  ended_at: Date | null
  renewal_failures: number
  created_at: Date
}

// dates come back as ISO strings, not Dates: a permit's days are the city's calendar days
const PERMIT = (sql: Db) => sql`
  id, public_id, number, type_id, customer_id, utility_account_id, premise_id, facility_id, status,
  eligibility, requested_vehicles, starts_on::text, ends_on::text, time_zone, auto_renew, pay_method,
  stripe_customer_id, stripe_payment_method_id, review_note, reviewed_at, revoked_reason, ended_at,
  renewal_failures, created_at`

export async function permitByPublicId(sql: Db, publicId: string, opts: { lock?: boolean } = {}): Promise<Permit> {
  const [permit]: [Permit?] = await sql`
    select ${PERMIT(sql)} from permits.permit where public_id = ${publicId}
    ${opts.lock ? sql`for update` : sql``}`
  if (!permit) {
    throw notFound('Permit')
  }
  return permit
}

export async function permitById(sql: Db, id: number, opts: { lock?: boolean } = {}): Promise<Permit> {
  const [permit]: [Permit?] = await sql`
    select ${PERMIT(sql)} from permits.permit where id = ${id} ${opts.lock ? sql`for update` : sql``}`
  if (!permit) {
    throw notFound('Permit')
  }
  return permit
}

/** The first instant of a city day, and the instant a permit valid through a day ends. */
export const dayStart = (date: string, timeZone: string) => new Date(zonedInstant(date, 0, timeZone))
export const dayEnd = (date: string, timeZone: string) => new Date(zonedInstant(addDays(date, 1), 0, timeZone))

/** Plates are kept apart per zone (residential), else per type: one permit per plate there. */
export const scopeOf = (type: { id: number; zone_id: number | null }) =>
  type.zone_id ? `zone:${type.zone_id}` : `type:${type.id}`

export interface ApplyRequest {
  type: PermitTypeFull
  customerId: number
  principal: Principal | null
  facility: string | null
  utilityAccountId: number | null
  vehicles: RequestedVehicle[]
  autoRenew: boolean
  today: string
  now: Date
  timeZone: string
}

/**
 * An application: eligibility first, from the record (refused with the reason when it says no),
 * then the vehicles (each free of other permits of the zone), then where it waits: for staff, for
 * a space, or for payment. One household's applications take turns, so its limit holds.
 */
export async function applyForPermit(sql: Db, req: ApplyRequest): Promise<Permit> {
  const { type } = req
  if (!type.active) {
    throw new AppError('conflict', `${type.name} permits are not being issued`)
  }
  if (req.vehicles.length > type.max_vehicles) {
    throw new AppError('invalid', `A ${type.name} permit holds at most ${type.max_vehicles} vehicle${type.max_vehicles === 1 ? '' : 's'}`, [
      { field: 'body.vehicles', message: `At most ${type.max_vehicles}` },
    ])
  }
  const facilityId = placeOfPermit(type, req.facility)
  await assertOwnAccount(sql, req.customerId, req.utilityAccountId)
  const eligibility = await eligibilityFor(sql, type, req.customerId, {
    today: req.today,
    utilityAccountId: req.utilityAccountId,
  })
  if (!eligibility.eligible) {
    throw new AppError('not_eligible', eligibility.message, { eligibility })
  }
  await assertPlatesFree(sql, type, req.vehicles, req.now, null)
  return inTransaction(sql, async (tx) => {
    const premiseId = eligibility.premise?.id ?? null
    if (premiseId !== null && type.kind === 'residential') {
      await tx`select pg_advisory_xact_lock(hashtextextended(${`permits.household:${type.id}:${premiseId}`}, 0))`
      const taken = await householdPermits(tx, type.id, premiseId)
      if (type.max_per_household !== null && taken >= type.max_per_household) {
        throw new AppError('not_eligible', `${eligibility.premise!.address} already has the most ${type.name} permits a household may hold`, {
          eligibility: { ...eligibility, eligible: false, reason: 'household_limit' },
        })
      }
    }
    const [permit]: [Permit?] = await tx`
      insert into permits.permit
        (number, type_id, customer_id, utility_account_id, premise_id, facility_id, status,
         eligibility, requested_vehicles, auto_renew, time_zone)
      values (${type.code} || '-' || nextval('permits.permit_number'), ${type.id}, ${req.customerId},
              ${eligibility.account?.id ?? req.utilityAccountId}, ${type.kind === 'residential' ? premiseId : null},
              ${facilityId}, 'pending_review', ${tx.json(eligibility as never)},
              ${tx.json(req.vehicles as never)}, ${req.autoRenew}, ${req.timeZone})
      returning ${PERMIT(tx)}`
    const placed = eligibility.review ? permit! : await joinOrHold(tx, type, permit!, req.now)
    await writeAudit(tx, req.principal, {
      action: 'permit.apply',
      entity: 'permits.permit',
      entityId: placed.id,
      after: { number: placed.number, type: type.code, status: placed.status, eligibility: eligibility.reason },
    })
    return placed
  })
}

/** An applicant names only an account they hold: the permit shows it and bills it. */
async function assertOwnAccount(sql: Db, customerId: number, accountId: number | null): Promise<void> {
  if (accountId === null) {
    return
  }
  const [held]: [{ id: number }?] = await sql`
    select utility_account_id as id from cis.account_holder
     where customer_id = ${customerId} and utility_account_id = ${accountId}`
  if (!held) {
    throw new AppError('invalid', 'That utility account is not linked to you', [
      { field: 'body.utilityAccountId', message: 'Not one of your utility accounts' },
    ])
  }
}

/** The facility a permit holds a space in: asked for, or the type's only counted one. */
function placeOfPermit(type: PermitTypeFull, code: string | null): number | null {
  const counted = type.facilities.filter((f) => f.capacity !== null)
  if (code) {
    const place = type.facilities.find((f) => f.code === code.toUpperCase())
    if (!place) {
      throw new AppError('invalid', `${type.name} permits are not valid at ${code}`, [
        { field: 'body.facility', message: `One of ${type.facilities.map((f) => f.code).join(', ')}` },
      ])
    }
    return place.capacity !== null ? place.facility_id : null
  }
  if (counted.length === 1) {
    return counted[0]!.facility_id
  }
  if (counted.length > 1) {
    throw new AppError('invalid', `Choose where your ${type.name} permit is for`, [
      { field: 'body.facility', message: `One of ${counted.map((f) => f.code).join(', ')}` },
    ])
  }
  return null
}

/**
 * Refuses plates that are on another live permit of the same zone (or type) now or later: the
 * message names the permit, so the holder knows what to remove first.
 */
export async function assertPlatesFree(
  sql: Db,
  type: { id: number; zone_id: number | null },
  vehicles: RequestedVehicle[],
  now: Date,
  exceptPermitId: number | null,
): Promise<void> {
  if (vehicles.length === 0) {
    return
  }
  const plates = vehicles.map((v) => `${v.plate}/${v.state}`)
  const held = await sql<{ plate: string; state: string; number: string; until: Date | null }[]>`
    select v.plate, v.state, p.number, upper(v.during) as until
      from permits.vehicle v join permits.permit p on p.id = v.permit_id
     where v.scope = ${scopeOf(type)}
       and v.plate || '/' || v.state = any(${plates}::text[])
       and v.during && tstzrange(${now}, null)
       and v.permit_id is distinct from ${exceptPermitId}`
  const first = held[0]
  if (first) {
    throw new AppError(
      'conflict',
      `Plate ${first.plate} (${first.state}) is on permit ${first.number}; a plate may be on one permit of a zone at a time`,
      { plates: held.map((h) => ({ plate: h.plate, state: h.state, permit: h.number, until: h.until?.toISOString() ?? null })) },
    )
  }
  const seen = new Set<string>()
  for (const p of plates) {
    if (seen.has(p)) {
      throw new AppError('invalid', `Plate ${p} is listed twice`, [{ field: 'body.vehicles', message: 'Listed twice' }])
    }
    seen.add(p)
  }
}

/**
 * Staff decide an application under review: approved, it waits for a space or for payment;
 * rejected, it ends, with the note the applicant sees.
 */
export async function reviewPermit(
  sql: Db,
  actor: Principal,
  input: { permit: string; decision: 'approve' | 'reject'; note: string | null; now: Date },
): Promise<Permit> {
  return inTransaction(sql, async (tx) => {
    const permit = await permitByPublicId(tx, input.permit, { lock: true })
    if (permit.status !== 'pending_review') {
      throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}, not waiting for review`)
    }
    if (input.decision === 'reject' && !input.note) {
      throw new AppError('invalid', 'Say why the application is rejected: the applicant reads it', [
        { field: 'body.note', message: 'Required to reject' },
      ])
    }
    const userId = actor.kind === 'user' ? actor.userId : null
    const [reviewed]: [Permit?] = await tx`
      update permits.permit
         set status = ${input.decision === 'reject' ? 'rejected' : 'pending_review'},
             review_note = ${input.note}, reviewed_by = ${userId}, reviewed_at = ${input.now},
             ended_at = ${input.decision === 'reject' ? input.now : null}, updated_at = now()
       where id = ${permit.id}
      returning ${PERMIT(tx)}`
    const type = await permitTypeById(tx, permit.type_id)
    const decided = input.decision === 'approve' ? await joinOrHold(tx, type, reviewed!, input.now) : reviewed!
    await notifyCustomer(tx, {
      dedupeKey: `permit-review:${permit.public_id}`,
      kind: input.decision === 'approve' ? 'permit_approved' : 'permit_rejected',
      customerId: permit.customer_id,
      subject:
        input.decision === 'approve'
          ? `Your ${type.name} application ${permit.number} is approved`
          : `Your ${type.name} application ${permit.number} was not approved`,
      body:
        input.decision === 'approve'
          ? decided.status === 'waitlisted'
            ? 'It is approved and on the waitlist: you will be offered a space when one frees.'
            : 'It is approved: pay for it in the portal and it is active at once.'
          : `Staff said: ${input.note}`,
      data: { permit: permit.number, status: decided.status },
    })
    await writeAudit(tx, actor, {
      action: `permit.${input.decision}`,
      entity: 'permits.permit',
      entityId: permit.id,
      before: { status: permit.status },
      after: { status: decided.status, note: input.note },
    })
    return decided
  })
}

/** Makes a paid permit active for a term, with its requested plates on it from now. */
export async function activate(tx: Tx, permit: Permit, term: Term, now: Date): Promise<void> {
  const timeZone = permit.time_zone
  const type = await permitTypeById(tx, permit.type_id)
  const until = dayEnd(term.endsOn, timeZone)
  const from = new Date(Math.max(now.getTime(), dayStart(term.startsOn, timeZone).getTime()))
  await tx`
    update permits.permit
       set status = 'active', starts_on = coalesce(starts_on, ${term.startsOn}::date),
           ends_on = ${term.endsOn}::date, renewal_failures = 0, updated_at = now()
     where id = ${permit.id}`
  for (const v of permit.requested_vehicles) {
    // a plate another permit took meanwhile stays off this one; the holder sees it missing
    await tx`
      insert into permits.vehicle (permit_id, scope, plate, state, plate_printed, during)
      values (${permit.id}, ${scopeOf(type)}, ${v.plate}, ${v.state}, ${v.printed},
              tstzrange(${from}, ${until}))
      on conflict do nothing`
  }
}

/** Carries a permit and the plates on it to the end of a renewed term. */
export async function extendTerm(tx: Tx, permit: Permit, term: Term): Promise<void> {
  const timeZone = permit.time_zone
  if (!permit.ends_on) {
    throw new Error(`permit ${permit.number} has no term to extend`)
  }
  const oldEnd = dayEnd(permit.ends_on, timeZone)
  const newEnd = dayEnd(term.endsOn, timeZone)
  await tx`
    update permits.permit
       set ends_on = greatest(ends_on, ${term.endsOn}::date), renewal_failures = 0, updated_at = now()
     where id = ${permit.id}`
  await tx`
    update permits.vehicle set during = tstzrange(lower(during), ${newEnd})
     where permit_id = ${permit.id} and not temporary and upper(during) = ${oldEnd}`
}

/**
 * Ends a permit now (cancelled by its holder, revoked by staff, or run out): its plates and
 * visitor passes end with it, and any space it held goes to the next in line.
 */
export async function endPermit(
  tx: Tx,
  permit: Permit,
  status: 'cancelled' | 'revoked' | 'expired',
  at: Date,
  reason: string | null,
): Promise<Permit> {
  const [ended]: [Permit?] = await tx`
    update permits.permit
       set status = ${status}, ended_at = ${at}, revoked_reason = ${status === 'revoked' ? reason : null},
           auto_renew = false, updated_at = now()
     where id = ${permit.id}
    returning ${PERMIT(tx)}`
  await tx`
    update permits.vehicle set during = tstzrange(lower(during), ${at})
     where permit_id = ${permit.id} and upper(during) > ${at} and lower(during) < ${at}`
  await tx`
    delete from permits.vehicle
     where permit_id = ${permit.id} and lower(during) >= ${at}`
  await tx`
    update permits.visitor_pass set cancelled_at = ${at}
     where permit_id = ${permit.id} and cancelled_at is null and upper(during) > ${at}`
  await tx`
    update permits.waitlist set status = 'withdrawn', decided_at = ${at}
     where permit_id = ${permit.id} and status in ('waiting', 'offered')`
  return ended!
}

const LABELS: Record<PermitStatus, string> = {
  pending_review: 'waiting for review',
  waitlisted: 'on the waitlist',
  awaiting_payment: 'waiting for payment',
  active: 'active',
  expired: 'expired',
  cancelled: 'cancelled',
  revoked: 'revoked',
  rejected: 'rejected',
}

export const label = (status: PermitStatus) => LABELS[status]
