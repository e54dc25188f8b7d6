import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { localTime } from '../facilities/local-time.ts'
import { applyIntent } from '../payments/apply.ts'
import { failPermitCharge, renewPermit, RENEWAL_ATTEMPTS, termKey } from './charges.ts'
import { sendCardRefunds } from './ending.ts'
import { notifyCustomer } from './notify.ts'
import { dayEnd, endPermit, permitById, type Permit } from './permits.ts'
import { addDays, nextTerm } from './terms.ts'
import { permitTypeById } from './types.ts'
import { lapseOffers, offerFreeSpaces, type OfferRules } from './waitlist.ts'

/*
  The permit job, run every hour and safe to run any number of times: each step is keyed so a
  second run finds its work done.
  - Renewal reminders 30 and 7 days before a term ends (once each per term).
  - Automatic renewal from 5 days before the end, by the saved method; a failure is tried again
    a day later, and after the third the holder is told to renew by hand.
  - Permits past their last day expire; their spaces go to the waitlist.
  - Waitlist offers past their deadline lapse and move on.
  - Card refunds of ended permits that Stripe could not take are sent again.
*/

export const REMINDER_DAYS = [30, 7] as const
export const AUTO_RENEW_DAYS = 5

export interface PermitJobContext {
  now: Date
  timeZone: string
  stripe: Stripe | null
  offers: OfferRules
  baseUrl: string
}

export interface PermitJobResult {
  reminders: number
  renewed: number
  renewalFailures: number
  expired: number
  lapsedOffers: number
  refundsSent: number
}

export async function runPermitJob(sql: Db, ctx: PermitJobContext): Promise<PermitJobResult> {
  const today = localTime(ctx.now.getTime(), ctx.timeZone).date
  const reminders = await queueRenewalReminders(sql, today, ctx.baseUrl)
  const { renewed, failures } = await autoRenew(sql, ctx, today)
  const expired = await expirePermits(sql, ctx, today)
  const lapsedOffers = await lapseOffers(sql, ctx.now, ctx.offers)
  const refundsSent = ctx.stripe ? await sendCardRefunds(sql, ctx.stripe) : 0
  return { reminders, renewed, renewalFailures: failures, expired, lapsedOffers, refundsSent }
}

/** Reminders for active permits whose term ends within 30 or 7 days and is not yet renewed. */
export async function queueRenewalReminders(sql: Db, today: string, baseUrl: string): Promise<number> {
  const due = await sql<{ id: number; public_id: string; number: string; customer_id: number; ends_on: string; auto_renew: boolean; type: string }[]>`
    select p.id, p.public_id, p.number, p.customer_id, p.ends_on::text, p.auto_renew, t.name as type
      from permits.permit p join permits.permit_type t on t.id = p.type_id
     where p.status = 'active' and p.ends_on <= ${addDays(today, REMINDER_DAYS[0])}::date
       and p.ends_on >= ${today}::date
       and not exists (select from permits.charge c
                        where c.permit_id = p.id and c.kind = 'renewal' and c.status = 'paid'
                          and c.term_starts_on > p.ends_on)`
  let queued = 0
  for (const p of due) {
    // the nearest reminder due: a permit bought 10 days before its end gets the 7-day one only
    for (const days of [...REMINDER_DAYS].sort((a, b) => a - b)) {
      if (p.ends_on > addDays(today, days)) {
        continue
      }
      const sent = await notifyCustomer(sql, {
        dedupeKey: `permit-renewal:${p.public_id}:${p.ends_on}:${days}`,
        kind: 'permit_renewal_reminder',
        customerId: p.customer_id,
        subject: `Your ${p.type} permit ${p.number} ends on ${p.ends_on}`,
        body: p.auto_renew
          ? `Your permit ${p.number} ends on ${p.ends_on}. It renews automatically ${AUTO_RENEW_DAYS} days before, with the payment method you saved; change that in the portal: ${baseUrl}/permits/${p.public_id}`
          : `Your permit ${p.number} ends on ${p.ends_on}. Renew it in the portal: ${baseUrl}/permits/${p.public_id}`,
        data: { permit: p.number, endsOn: p.ends_on, days },
      })
      queued += sent ? 1 : 0
      break
    }
  }
  return queued
}

/**
 * Renews permits set to renew automatically, from AUTO_RENEW_DAYS before their end. Each term is
 * charged at most once (its charge is keyed by the term), whoever asks and however often.
 */
export async function autoRenew(sql: Db, ctx: PermitJobContext, today: string): Promise<{ renewed: number; failures: number }> {
  const due = await sql<{ public_id: string }[]>`
    select p.public_id from permits.permit p
     where p.status = 'active' and p.auto_renew
       and p.ends_on <= ${addDays(today, AUTO_RENEW_DAYS)}::date and p.ends_on >= ${today}::date
       and p.renewal_failures < ${RENEWAL_ATTEMPTS}
       and (p.renewal_retry_at is null or p.renewal_retry_at <= ${ctx.now})
     order by p.ends_on, p.id`
  let renewed = 0
  let failures = 0
  for (const { public_id } of due) {
    try {
      const paying = await renewPermit(
        sql,
        { principal: null, stripe: ctx.stripe, today, now: ctx.now, timeZone: ctx.timeZone },
        public_id,
        'saved',
      )
      if (paying.intent) {
        // Stripe answered an off-session charge at once: apply it now rather than wait for the event
        await applyIntent(sql, paying.intent)
      }
      if (!paying.replayed) {
        renewed++
      }
    } catch (err) {
      if (!(err instanceof AppError)) {
        throw err
      }
      failures++
      await renewalFailed(sql, public_id, err.message, ctx.now)
    }
  }
  return { renewed, failures }
}

async function renewalFailed(sql: Db, publicId: string, reason: string, now: Date): Promise<void> {
  await inTransaction(sql, async (tx) => {
    const [p]: [Permit?] = await tx`
      update permits.permit
         set renewal_failures = renewal_failures + 1, renewal_retry_at = ${now}::timestamptz + interval '1 day',
             updated_at = now()
       where public_id = ${publicId}
      returning id`
    const permit = await permitById(tx, p!.id)
    const type = await permitTypeById(tx, permit.type_id)
    if (permit.ends_on && permit.starts_on) {
      const next = nextTerm({ priceCents: type.price_cents, period: type.period, proration: type.proration }, permit.starts_on, permit.ends_on)
      await failPermitCharge(tx, termKey(permit, next.startsOn), reason)
    }
    if (permit.renewal_failures >= RENEWAL_ATTEMPTS) {
      await notifyCustomer(tx, {
        dedupeKey: `permit-renewal-failed:${permit.public_id}:${permit.ends_on}`,
        kind: 'permit_renewal_failed',
        customerId: permit.customer_id,
        subject: `We could not renew your ${type.name} permit ${permit.number}`,
        body:
          `Automatic renewal of permit ${permit.number} failed ${RENEWAL_ATTEMPTS} times (${reason}). ` +
          `It ends on ${permit.ends_on}: renew it in the portal before then.`,
        data: { permit: permit.number, endsOn: permit.ends_on, reason },
      })
    }
  })
}

/** Active permits whose last day has passed are expired, and their spaces offered on. */
export async function expirePermits(sql: Db, ctx: Pick<PermitJobContext, 'offers' | 'now'>, today: string): Promise<number> {
  const due = await sql<{ id: number }[]>`
    select id from permits.permit where status = 'active' and ends_on < ${today}::date`
  for (const { id } of due) {
    await inTransaction(sql, async (tx) => {
      const permit = await permitById(tx, id, { lock: true })
      if (permit.status !== 'active' || !permit.ends_on || permit.ends_on >= today) {
        return
      }
      const end = dayEnd(permit.ends_on, permit.time_zone)
      await endPermit(tx, permit, 'expired', end, null)
      if (permit.facility_id !== null) {
        await offerFreeSpaces(tx, permit.type_id, permit.facility_id, ctx.now, ctx.offers)
      }
    })
  }
  return due.length
}
