import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { postEntry } from '../ledger/post.ts'
import { reverseEntry } from '../ledger/reverse.ts'
import { parkingAccount } from '../ledger/accounts.ts'
import { permitRevenue } from '../permits/types.ts'
import { citationReceivable, refundOnCitation } from '../enforcement/citation-payments.ts'
import { callStripe, paymentByPublicId, type Payment } from './payments.ts'

export interface Refund {
  id: number
  public_id: string
  payment_id: number
  amount_cents: number
  reason: string
  status: 'pending' | 'succeeded' | 'failed' | 'canceled'
  stripe_refund_id: string | null
  failure: string | null
  created_at: Date
}

export interface RefundRequest {
  paymentId: string
  /** All that is left to refund when omitted. */
  amountCents?: number
  reason: string
  key: string
  requestedBy: number | null
}

/**
 * Refunds a card payment, in full or in part, with a reason. The refund is recorded first (a
 * retry under the same key is the same refund, sent to Stripe under the same key), never for
 * more than is left of the payment; its entry posts as soon as Stripe accepts it. A refund Stripe
 * refuses at once is recorded as failed and posts nothing.
 */
export async function refundPayment(sql: Db, stripe: Stripe, req: RefundRequest): Promise<Refund> {
  const payment = await paymentByPublicId(sql, req.paymentId)
  const refund = await inTransaction(sql, async (tx) => {
    // refunds of one payment take turns on its row, so a retry racing its first try finds it
    const [locked]: [Payment?] = await tx`select * from payments.payment where id = ${payment.id} for update`
    const [prior]: [Refund?] = await tx`select * from payments.refund where idempotency_key = ${req.key}`
    if (prior) {
      return prior
    }
    if (!locked || locked.status !== 'succeeded' || !locked.stripe_payment_intent_id) {
      throw new AppError('conflict', 'Only a card payment that succeeded can be refunded')
    }
    const [{ refunded }]: [{ refunded: number }] = (await tx`
      select coalesce(sum(amount_cents), 0)::bigint as refunded from payments.refund
       where payment_id = ${payment.id} and status in ('pending', 'succeeded')`) as never
    const left = locked.amount_cents - refunded
    const amount = req.amountCents ?? left
    if (left <= 0) {
      throw new AppError('conflict', 'This payment has been refunded in full')
    }
    if (amount > left) {
      throw new AppError('invalid', `At most ${left} cents of this payment are left to refund`, [
        { field: 'body.amountCents', message: 'More than is left to refund' },
      ])
    }
    const [made]: [Refund?] = await tx`
      insert into payments.refund (payment_id, amount_cents, reason, status, idempotency_key, requested_by)
      values (${payment.id}, ${amount}, ${req.reason}, 'pending', ${req.key}, ${req.requestedBy})
      returning *`
    if (!made) {
      throw new Error('refund insert returned nothing')
    }
    return made
  })
  if (refund.stripe_refund_id || refund.status !== 'pending') {
    return refund
  }
  let stripeRefund: Stripe.Refund
  try {
    stripeRefund = await callStripe(() =>
      stripe.refunds.create(
        {
          payment_intent: payment.stripe_payment_intent_id ?? undefined,
          amount: refund.amount_cents,
          metadata: { curbline_refund: refund.public_id, reason: refund.reason },
        },
        { idempotencyKey: `curbline-refund-${refund.public_id}` },
      ),
    )
  } catch (err) {
    if (err instanceof AppError && err.code === 'payment_failed') {
      const [failed]: [Refund?] = await sql`
        update payments.refund set status = 'failed', failure = ${err.message}, updated_at = now()
         where id = ${refund.id} returning *`
      return failed ?? refund
    }
    throw err
  }
  return applyRefund(sql, stripeRefund)
}

/**
 * Brings a refund to where Stripe says it is: accepted (pending or succeeded) posts its entry
 * once; failed or canceled after that posts the entry's reversal, once. Any number of events, in
 * any order, end in the same state.
 */
export async function applyRefund(sql: Db, stripeRefund: Stripe.Refund): Promise<Refund> {
  return inTransaction(sql, async (tx) => {
    const publicId = stripeRefund.metadata?.curbline_refund
    const [refund]: [Refund?] = await tx`
      select * from payments.refund
       where stripe_refund_id = ${stripeRefund.id} or public_id::text = ${publicId ?? ''}
       for update`
    if (!refund) {
      throw new AppError('not_found', `Refund ${stripeRefund.id} is not one of Curbline's`)
    }
    const status = stripeRefund.status as Refund['status']
    if (status === 'pending' || status === 'succeeded') {
      await postRefund(tx, refund, stripeRefund.id)
    } else if (status === 'failed' || status === 'canceled') {
      await reverseRefund(tx, refund, stripeRefund.id)
    }
    const [changed]: [Refund?] = await tx`
      update payments.refund
         set stripe_refund_id = ${stripeRefund.id},
             status = ${refund.status === 'failed' || refund.status === 'canceled' ? refund.status : status},
             failure = ${stripeRefund.failure_reason ?? refund.failure},
             updated_at = now()
       where id = ${refund.id} returning *`
    return changed ?? refund
  })
}

const refundKey = (stripeRefundId: string) => `stripe:${stripeRefundId}:refund`

async function postRefund(tx: Tx, refund: Refund, stripeRefundId: string): Promise<void> {
  const credited = await creditedAccount(tx, refund.payment_id)
  await refundOnCitation(tx, refund.payment_id, refundKey(stripeRefundId), refund.amount_cents)
  await postEntry(tx, {
    key: refundKey(stripeRefundId),
    source: 'stripe',
    sourceRef: stripeRefundId,
    description: `Card refund: ${refund.reason}`,
    occurredAt: refund.created_at,
    lines: [
      { account: credited, amount: refund.amount_cents },
      { account: 'clearing:stripe', amount: -refund.amount_cents },
    ],
  })
}

async function reverseRefund(tx: Tx, refund: Refund, stripeRefundId: string): Promise<void> {
  const [posted]: [{ id: number; reversed: boolean }?] = await tx`
    select e.id, exists (select from ledger.journal_entry r where r.reverses = e.id) as reversed
      from ledger.journal_entry e where e.idempotency_key = ${refundKey(stripeRefundId)}`
  if (posted && !posted.reversed) {
    await refundOnCitation(tx, refund.payment_id, `${refundKey(stripeRefundId)}:failed`, -refund.amount_cents)
    await reverseEntry(tx, posted.id, {
      key: `${refundKey(stripeRefundId)}:failed`,
      description: `Card refund failed: ${refund.reason}`,
      occurredAt: new Date(),
    })
  }
}

/** The account the payment credited: a parking balance's receivable, or a facility's revenue. */
export async function creditedAccount(tx: Tx, paymentId: number): Promise<string> {
  const [row]: [{ purpose: string; purpose_ref: string; code: string | null }?] = await tx`
    select p.purpose, p.purpose_ref,
           (select f.code from parking.purchase pu
              join parking.session s on s.id = pu.session_id
              join parking.facility f on f.id = s.facility_id
             where pu.idempotency_key = p.purpose_ref) as code
      from payments.payment p where p.id = ${paymentId}`
  if (!row) {
    throw new Error(`payment ${paymentId} not found`)
  }
  if (row.purpose === 'account_balance') {
    return row.purpose_ref
  }
  if (row.purpose === 'session' && row.code) {
    return parkingAccount.revenue(row.code)
  }
  if (row.purpose === 'citation') {
    return citationReceivable(tx, row.purpose_ref)
  }
  if (row.purpose === 'permit') {
    const [type]: [{ code: string }?] = await tx`
      select t.code from permits.charge c
        join permits.permit p on p.id = c.permit_id
        join permits.permit_type t on t.id = p.type_id
       where c.key = ${row.purpose_ref}`
    if (type) {
      return permitRevenue(type.code)
    }
  }
  throw new Error(`payment ${paymentId} for ${row.purpose} credited no account this version knows`)
}

export async function refundsOf(sql: Db, paymentId: number): Promise<Refund[]> {
  return sql<Refund[]>`select * from payments.refund where payment_id = ${paymentId} order by id`
}

/**
 * Refunds what succeeded payments paid beyond what was owed (two channels paying one balance at
 * once), once each, keyed to the payment. Run after every event and server-side retrieve, and by
 * the replay job, so a refund missed by a crash is made the next time.
 */
export async function refundExcess(sql: Db, stripe: Stripe): Promise<number> {
  const due = await sql<{ public_id: string; excess_cents: number }[]>`
    select p.public_id, p.excess_cents from payments.payment p
     where p.status = 'succeeded' and p.excess_cents > 0
       and not exists (
         select from payments.refund r
          where r.payment_id = p.id and r.idempotency_key = 'auto-excess:' || p.public_id::text)`
  for (const payment of due) {
    await refundPayment(sql, stripe, {
      paymentId: payment.public_id,
      amountCents: payment.excess_cents,
      reason: 'Paid twice: the balance had already been paid',
      key: `auto-excess:${payment.public_id}`,
      requestedBy: null,
    })
  }
  return due.length
}
