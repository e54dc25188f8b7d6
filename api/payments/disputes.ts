import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import { postEntry, type PostingLine } from '../ledger/post.ts'
import { creditedAccount } from './refunds.ts'

const DISPUTES = 'disputes:stripe'

/**
 * Brings a dispute to where Stripe says it is. Opened: the funds leave Stripe clearing for the
 * disputes account, the payment and the session it paid for are flagged. Won: the funds come
 * back. Lost: they are gone, from what the payment credited. Each step posts once, keyed to the
 * dispute, whatever order or number of events.
 */
export async function applyDispute(sql: Db, dispute: Stripe.Dispute): Promise<void> {
  const intentId = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id
  if (!intentId) {
    return
  }
  await inTransaction(sql, async (tx) => {
    const [payment]: [{ id: number; purpose: string; purpose_ref: string }?] = await tx`
      select id, purpose, purpose_ref from payments.payment
       where stripe_payment_intent_id = ${intentId} for update`
    if (!payment) {
      return
    }
    await tx`
      insert into payments.dispute (stripe_dispute_id, payment_id, amount_cents, reason, status)
      values (${dispute.id}, ${payment.id}, ${dispute.amount}, ${dispute.reason ?? null}, ${dispute.status})
      on conflict (stripe_dispute_id) do update
        set status = excluded.status, updated_at = now()`
    if (payment.purpose === 'session') {
      await tx`
        update parking.session s set disputed_at = coalesce(s.disputed_at, now())
          from parking.purchase p
         where p.idempotency_key = ${payment.purpose_ref} and s.id = p.session_id`
    }
    const at = new Date(dispute.created * 1000)
    await post(tx, dispute, 'withdrawn', at, [
      { account: DISPUTES, amount: dispute.amount },
      { account: 'clearing:stripe', amount: -dispute.amount },
    ])
    if (dispute.status === 'won') {
      await post(tx, dispute, 'reinstated', new Date(), [
        { account: 'clearing:stripe', amount: dispute.amount },
        { account: DISPUTES, amount: -dispute.amount },
      ])
    } else if (dispute.status === 'lost') {
      await post(tx, dispute, 'lost', new Date(), [
        { account: await creditedAccount(tx, payment.id), amount: dispute.amount },
        { account: DISPUTES, amount: -dispute.amount },
      ])
    }
  })
}

async function post(tx: Tx, dispute: Stripe.Dispute, step: string, at: Date, lines: PostingLine[]): Promise<void> {
  const key = `stripe:${dispute.id}:${step}`
  const [done] = await tx`select 1 from ledger.journal_entry where idempotency_key = ${key}`
  if (done) {
    return
  }
  await postEntry(tx, {
    key,
    source: 'stripe',
    sourceRef: dispute.id,
    description: `Card dispute ${step}${dispute.reason ? ` (${dispute.reason.replace(/_/g, ' ')})` : ''}`,
    occurredAt: at,
    lines,
  })
}
