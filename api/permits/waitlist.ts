import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError } from '../http/errors.ts'
import { offerDeadline } from './business-days.ts'
import { notifyCustomer } from './notify.ts'
import type { Permit } from './permits.ts'
import type { PermitTypeFull } from './types.ts'

/*
  Spaces for permits where a type counts them (a garage's monthly permits): each permit waiting
  for payment or active holds one, and so does an open offer. When none is free, or others are
  already waiting, an application joins the line; first come, first served. When a space frees,
  the first in line is offered it, with a deadline of business days; an offer that lapses moves
  on to the next. Everything about one type's spaces at one facility takes turns on one lock, so
  two frees, two acceptances or an acceptance and a lapse never hand out one space twice.
*/

export interface OfferRules {
  businessDays: number
  timeZone: string
}

async function lockSpaces(tx: Tx, typeId: number, facilityId: number): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`permits.spaces:${typeId}:${facilityId}`}, 0))`
}

/** Spaces left: capacity less permits holding one and open offers. Null: not counted. */
export async function spacesLeft(tx: Db, typeId: number, facilityId: number): Promise<number | null> {
  const [row]: [{ capacity: number | null; held: number; offered: number }?] = await tx`
    select tf.capacity,
           (select count(*)::int from permits.permit p
             where p.type_id = tf.type_id and p.facility_id = tf.facility_id
               and p.status in ('awaiting_payment', 'active')) as held,
           (select count(*)::int from permits.waitlist w
             where w.type_id = tf.type_id and w.facility_id = tf.facility_id
               and w.status = 'offered') as offered
      from permits.type_facility tf
     where tf.type_id = ${typeId} and tf.facility_id = ${facilityId}`
  if (!row || row.capacity === null) {
    return null
  }
  return row.capacity - row.held - row.offered
}

/**
 * Where an approved application goes: straight to payment, or into the line when no space is
 * free or someone is already waiting for one.
 */
export async function joinOrHold(tx: Tx, type: PermitTypeFull, permit: Permit, now: Date): Promise<Permit> {
  const facilityId = permit.facility_id
  let status: 'awaiting_payment' | 'waitlisted' = 'awaiting_payment'
  if (facilityId !== null) {
    await lockSpaces(tx, type.id, facilityId)
    const left = await spacesLeft(tx, type.id, facilityId)
    const [queue]: [{ waiting: number }?] = await tx`
      select count(*)::int as waiting from permits.waitlist
       where type_id = ${type.id} and facility_id = ${facilityId} and status = 'waiting'`
    if (left !== null && (left <= 0 || (queue?.waiting ?? 0) > 0)) {
      status = 'waitlisted'
      await tx`
        insert into permits.waitlist (type_id, facility_id, permit_id, status, joined_at)
        values (${type.id}, ${facilityId}, ${permit.id}, 'waiting', ${now})`
    }
  }
  const [placed]: [Permit?] = await tx`
    update permits.permit set status = ${status}, updated_at = now()
     where id = ${permit.id}
    returning id, public_id, number, type_id, customer_id, utility_account_id, premise_id,
              facility_id, status, eligibility, requested_vehicles, starts_on::text, ends_on::text,
              time_zone, auto_renew, pay_method, stripe_customer_id, stripe_payment_method_id, review_note,
              reviewed_at, revoked_reason, ended_at, renewal_failures, created_at`
  return placed!
}

/** Offers every free space to the next in line, in order of joining. Returns how many offers. */
export async function offerFreeSpaces(
  tx: Tx,
  typeId: number,
  facilityId: number,
  now: Date,
  rules: OfferRules,
): Promise<number> {
  await lockSpaces(tx, typeId, facilityId)
  let offers = 0
  for (;;) {
    const left = await spacesLeft(tx, typeId, facilityId)
    if (left === null || left <= 0) {
      return offers
    }
    const deadline = offerDeadline(now, rules.businessDays, rules.timeZone)
    const [next]: [{ id: number; customer_id: number; number: string; facility: string; type: string }?] = await tx`
      update permits.waitlist w
         set status = 'offered', offered_at = ${now}, offer_expires_at = ${deadline}
       where w.id = (select id from permits.waitlist
                      where type_id = ${typeId} and facility_id = ${facilityId} and status = 'waiting'
                      order by joined_at, id limit 1)
      returning w.id,
                (select customer_id from permits.permit where id = w.permit_id) as customer_id,
                (select number from permits.permit where id = w.permit_id) as number,
                (select name from parking.facility where id = w.facility_id) as facility,
                (select name from permits.permit_type where id = w.type_id) as type`
    if (!next) {
      return offers
    }
    offers++
    await notifyCustomer(tx, {
      dedupeKey: `permit-offer:${next.id}`,
      kind: 'permit_offer',
      customerId: next.customer_id,
      subject: `A ${next.type} space at ${next.facility} is yours if you accept it`,
      body:
        `A space has come free for your ${next.type} application ${next.number} at ${next.facility}. ` +
        `Accept it in the portal by ${deadline.toISOString()}; after that it goes to the next in line.`,
      data: { permit: next.number, expiresAt: deadline.toISOString() },
    })
  }
}

/**
 * The applicant takes the offered space: the application moves on to payment. Only an open offer
 * can be accepted, once; a lapsed one says so.
 */
export async function answerOffer(
  sql: Db,
  actor: Principal | null,
  input: { permit: Permit; accept: boolean; now: Date; rules: OfferRules },
): Promise<'accepted' | 'declined'> {
  const { permit } = input
  if (permit.facility_id === null) {
    throw new AppError('conflict', `Permit ${permit.number} is not on a waitlist`)
  }
  const facilityId = permit.facility_id
  return inTransaction(sql, async (tx) => {
    await lockSpaces(tx, permit.type_id, facilityId)
    const [entry]: [{ id: number; status: string; offer_expires_at: Date | null }?] = await tx`
      select id, status, offer_expires_at from permits.waitlist where permit_id = ${permit.id} for update`
    if (entry?.status === 'accepted' && input.accept) {
      return 'accepted'
    }
    if (!entry || entry.status !== 'offered') {
      throw new AppError('conflict', `Permit ${permit.number} has no open offer of a space`)
    }
    if (entry.offer_expires_at! <= input.now) {
      throw new AppError('conflict', `The offer for permit ${permit.number} lapsed at ${entry.offer_expires_at!.toISOString()}`)
    }
    if (input.accept) {
      await tx`update permits.waitlist set status = 'accepted', decided_at = ${input.now} where id = ${entry.id}`
      await tx`update permits.permit set status = 'awaiting_payment', updated_at = now() where id = ${permit.id}`
    } else {
      await tx`update permits.waitlist set status = 'withdrawn', decided_at = ${input.now} where id = ${entry.id}`
      await tx`
        update permits.permit set status = 'cancelled', ended_at = ${input.now}, updated_at = now()
         where id = ${permit.id}`
      await offerFreeSpaces(tx, permit.type_id, facilityId, input.now, input.rules)
    }
    await writeAudit(tx, actor, {
      action: input.accept ? 'permit.offer_accept' : 'permit.offer_decline',
      entity: 'permits.permit',
      entityId: permit.id,
    })
    return input.accept ? 'accepted' : 'declined'
  })
}

/**
 * Lapses every offer past its deadline (its application ends) and offers the space to the next
 * in line. Run by the permit job; running it twice lapses nothing twice.
 */
export async function lapseOffers(sql: Db, now: Date, rules: OfferRules): Promise<number> {
  const due = await sql<{ type_id: number; facility_id: number }[]>`
    select distinct type_id, facility_id from permits.waitlist
     where status = 'offered' and offer_expires_at <= ${now}`
  let lapsed = 0
  for (const place of due) {
    lapsed += await inTransaction(sql, async (tx) => {
      await lockSpaces(tx, place.type_id, place.facility_id)
      const gone = await tx<{ permit_id: number; customer_id: number; number: string }[]>`
        with gone as (
          update permits.waitlist set status = 'expired', decided_at = ${now}
           where type_id = ${place.type_id} and facility_id = ${place.facility_id}
             and status = 'offered' and offer_expires_at <= ${now}
          returning permit_id)
        update permits.permit p
           set status = 'cancelled', ended_at = ${now}, review_note = 'The offer of a space lapsed',
               updated_at = now()
          from gone where p.id = gone.permit_id
        returning p.id as permit_id, p.customer_id, p.number`
      for (const g of gone) {
        await notifyCustomer(tx, {
          dedupeKey: `permit-offer-lapsed:${g.permit_id}`,
          kind: 'permit_offer_lapsed',
          customerId: g.customer_id,
          subject: `The space offered for permit ${g.number} has gone to the next in line`,
          body: `The offer for permit application ${g.number} was not accepted in time. You may apply again.`,
        })
      }
      await offerFreeSpaces(tx, place.type_id, place.facility_id, now, rules)
      return gone.length
    })
  }
  return lapsed
}

export interface WaitlistRow {
  position: number | null
  permit: string
  number: string
  customer: string
  status: string
  joinedAt: string
  offerExpiresAt: string | null
}

/** A type's line at one facility: those waiting in order, then open offers. */
export async function waitlistOf(sql: Db, typeId: number, facilityId: number): Promise<WaitlistRow[]> {
  const rows = await sql<{ permit: string; number: string; customer: string; status: string; joined_at: Date; offer_expires_at: Date | null }[]>`
    select p.public_id as permit, p.number, c.name as customer, w.status, w.joined_at, w.offer_expires_at
      from permits.waitlist w
      join permits.permit p on p.id = w.permit_id
      join cis.customer c on c.id = p.customer_id
     where w.type_id = ${typeId} and w.facility_id = ${facilityId} and w.status in ('waiting', 'offered')
     order by w.status = 'offered' desc, w.joined_at, w.id`
  let position = 0
  return rows.map((r) => ({
    position: r.status === 'waiting' ? ++position : null,
    permit: r.permit,
    number: r.number,
    customer: r.customer,
    status: r.status,
    joinedAt: r.joined_at.toISOString(),
    offerExpiresAt: r.offer_expires_at?.toISOString() ?? null,
  }))
}

/** Where a waiting application stands in its line (1 = next). */
export async function positionOf(sql: Db, permitId: number): Promise<number | null> {
  const [row]: [{ position: number | null }?] = await sql`
    select (select count(*)::int + 1 from permits.waitlist o
             where o.type_id = w.type_id and o.facility_id = w.facility_id and o.status = 'waiting'
               and (o.joined_at, o.id) < (w.joined_at, w.id)) as position
      from permits.waitlist w where w.permit_id = ${permitId} and w.status = 'waiting'`
  return row?.position ?? null
}
