import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import { postEntry, receivable } from '../ledger/post.ts'
import { refundPayment } from '../payments/refunds.ts'
import { CHARGE, chargesOf, type PayContext, type PermitCharge } from './charges.ts'
import { notifyCustomer } from './notify.ts'
import { endPermit, label, permitByPublicId, type Permit } from './permits.ts'
import { refundOf } from './terms.ts'
import { permitRevenue, permitTypeById } from './types.ts'
import { offerFreeSpaces, type OfferRules } from './waitlist.ts'

/*
  A permit ended before its term is out, and the money that comes back: cancelled by its holder
  or revoked by staff, with the unused part of each paid charge returned as the type's refund
  policy says, on the bill at once or to the card as soon as Stripe takes it.
*/

export interface Ending {
  permit: Permit
  refundedCents: number
  refunds: PermitCharge[]
}

/**
 * Ends a permit before its term is out: cancelled by its holder, or revoked by staff (with a
 * reason, audited). The unused part of each paid charge comes back as the type's refund policy
 * says (a revocation only when staff ask): a credit on the utility bill at once, a card refund as
 * soon as Stripe takes it (the permit job retries one Stripe could not take). Any space the
 * permit held goes to the next in line.
 */
export async function endEarly(
  sql: Db,
  ctx: PayContext & { offers: OfferRules },
  input: { permit: string; how: 'cancelled' | 'revoked'; reason: string | null; refund: boolean },
): Promise<Ending> {
  const ended = await inTransaction(sql, async (tx) => {
    const permit = await permitByPublicId(tx, input.permit, { lock: true })
    if (!['pending_review', 'waitlisted', 'awaiting_payment', 'active'].includes(permit.status)) {
      throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)} already`)
    }
    const type = await permitTypeById(tx, permit.type_id)
    const refunds: PermitCharge[] = []
    if (permit.status === 'active' && input.refund && type.refund_policy !== 'none') {
      const paid = (await chargesOf(tx, permit.id)).filter(
        (c) => c.status === 'paid' && c.kind !== 'refund' && c.method !== 'free',
      )
      for (const c of paid) {
        const amount = refundOf(type.refund_policy, { startsOn: c.term_starts_on, endsOn: c.term_ends_on, amountCents: c.amount_cents }, ctx.today)
        if (amount <= 0) {
          continue
        }
        const [made]: [PermitCharge?] = await tx`
          insert into permits.charge
            (key, permit_id, kind, term_starts_on, term_ends_on, amount_cents, method, status, payment_id)
          values (${`${c.key}:refund`}, ${permit.id}, 'refund', ${c.term_starts_on}, ${c.term_ends_on},
                  ${amount}, ${c.method}, ${c.method === 'utility_bill' ? 'paid' : 'pending'}, ${c.payment_id})
          on conflict (key) do nothing
          returning ${CHARGE(tx)}`
        if (!made) {
          continue
        }
        refunds.push(made)
        if (c.method === 'utility_bill' && permit.utility_account_id !== null) {
          await postEntry(tx, {
            key: `permits.charge:${made.key}`,
            source: 'permits',
            sourceRef: permit.number,
            description: `${type.name} permit ${permit.number} ${input.how}: unused part refunded`,
            occurredAt: ctx.now,
            lines: [
              { account: permitRevenue(type.code), amount: amount },
              { account: receivable.ofUtilityAccount('parking', permit.utility_account_id), amount: -amount },
            ],
          })
        }
      }
    }
    const done = await endPermit(tx, permit, input.how, ctx.now, input.reason)
    if (input.how === 'revoked') {
      await notifyCustomer(tx, {
        dedupeKey: `permit-revoked:${permit.public_id}`,
        kind: 'permit_revoked',
        customerId: permit.customer_id,
        subject: `Your ${type.name} permit ${permit.number} has been revoked`,
        body: `The city revoked permit ${permit.number}: ${input.reason}. Its vehicles are no longer permitted.`,
        data: { permit: permit.number, reason: input.reason },
      })
    }
    if (permit.facility_id !== null) {
      await offerFreeSpaces(tx, permit.type_id, permit.facility_id, ctx.now, ctx.offers)
    }
    await writeAudit(tx, ctx.principal, {
      action: input.how === 'revoked' ? 'permit.revoke' : 'permit.cancel',
      entity: 'permits.permit',
      entityId: permit.id,
      before: { status: permit.status },
      after: { status: done.status, reason: input.reason, refunds: refunds.map((r) => ({ key: r.key, amountCents: r.amount_cents })) },
    })
    return { permit: done, refunds }
  })
  if (ctx.stripe) {
    await sendCardRefunds(sql, ctx.stripe, ended.permit.id)
  }
  const refunds = await sql<PermitCharge[]>`
    select ${CHARGE(sql)} from permits.charge where permit_id = ${ended.permit.id} and kind = 'refund' order by id`
  return {
    permit: ended.permit,
    refundedCents: ended.refunds.reduce((s, r) => s + r.amount_cents, 0),
    refunds,
  }
}

/** Card refunds of ended permits not yet taken by Stripe: sent once each, by their key. */
export async function sendCardRefunds(sql: Db, stripe: Stripe, permitId: number | null = null): Promise<number> {
  const due = await sql<{ key: string; amount_cents: number; public_id: string; number: string }[]>`
    select c.key, c.amount_cents, pay.public_id, p.number
      from permits.charge c
      join payments.payment pay on pay.id = c.payment_id
      join permits.permit p on p.id = c.permit_id
     where c.kind = 'refund' and c.method = 'card' and c.status = 'pending'
       and (${permitId}::bigint is null or c.permit_id = ${permitId})`
  let sent = 0
  for (const r of due) {
    try {
      await refundPayment(sql, stripe, {
        paymentId: r.public_id,
        amountCents: r.amount_cents,
        reason: `Permit ${r.number} ended early: unused part`,
        key: `permit-refund:${r.key}`,
        requestedBy: null,
      })
      await sql`update permits.charge set status = 'paid', updated_at = now() where key = ${r.key}`
      sent++
    } catch (err) {
      await sql`
        update permits.charge set failure = ${err instanceof Error ? err.message : String(err)},
               attempts = attempts + 1, updated_at = now()
         where key = ${r.key}`
    }
  }
  return sent
}
