import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import { postEntry } from '../ledger/post.ts'

export type Purpose = 'session' | 'permit' | 'citation' | 'account_balance'
export type PaymentStatus = 'requires_payment' | 'processing' | 'succeeded' | 'failed' | 'canceled'

export interface Payment {
  id: number
  public_id: string
  purpose: Purpose
  purpose_ref: string
  customer_id: number | null
  amount_cents: number
  currency: string
  method: 'card' | 'cash' | 'utility_bill'
  status: PaymentStatus
  channel: string
  idempotency_key: string
  stripe_payment_intent_id: string | null
  mismatch: string | null
  failure: string | null
  created_at: Date
  succeeded_at: Date | null
}

/** What a card pays for so far: a parking balance; sessions, permits and citations follow. */
export type CardPurpose = Extract<Purpose, 'account_balance'>

export interface NewCardPayment {
  purpose: CardPurpose
  /** What it pays for, in its module's terms: for an account balance, the receivable's code. */
  purposeRef: string
  customerId: number | null
  amountCents: number
  channel: 'web' | 'kiosk' | 'phone'
  /** Deterministic per purchase: a retry of the same purchase finds the same payment. */
  key: string
  description: string
}

/**
 * A card payment for a purchase: the payment record first, then its PaymentIntent, created with
 * the record's own id as Stripe's Idempotency-Key, so a retried request (or a lost answer from
 * Stripe) finds the same record and the same PaymentIntent. The browser confirms it with the
 * client secret; only a verified event or a server-side retrieve says it succeeded.
 */
export async function createCardPayment(
  sql: Db,
  stripe: Stripe,
  p: NewCardPayment,
): Promise<{ payment: Payment; clientSecret: string }> {
  await sql`
    insert into payments.payment
      (purpose, purpose_ref, customer_id, amount_cents, method, status, channel, idempotency_key)
    values (${p.purpose}, ${p.purposeRef}, ${p.customerId}, ${p.amountCents}, 'card',
            'requires_payment', ${p.channel}, ${p.key})
    on conflict (idempotency_key) do nothing`
  const payment = await paymentByKey(sql, p.key)
  if (payment.purpose !== p.purpose || payment.purpose_ref !== p.purposeRef || payment.amount_cents !== p.amountCents) {
    throw new AppError('idempotency_conflict', 'That Idempotency-Key was used for a different payment')
  }
  if (payment.status === 'succeeded') {
    throw new AppError('conflict', 'This payment has already been made', { payment: payment.public_id })
  }
  const intent = await callStripe(() =>
    stripe.paymentIntents.create(
      {
        amount: p.amountCents,
        currency: 'usd',
        automatic_payment_methods: { enabled: true },
        description: p.description,
        metadata: { curbline_payment: payment.public_id, purpose: p.purpose, purpose_ref: p.purposeRef },
      },
      { idempotencyKey: `curbline-payment-${payment.public_id}` },
    ),
  )
  const [linked]: [Payment?] = await sql`
    update payments.payment
       set stripe_payment_intent_id = ${intent.id}, updated_at = now()
     where id = ${payment.id}
       and (stripe_payment_intent_id is null or stripe_payment_intent_id = ${intent.id})
    returning *`
  if (!linked || !intent.client_secret) {
    throw new Error(`payment ${payment.public_id} is linked to another PaymentIntent than ${intent.id}`)
  }
  return { payment: linked, clientSecret: intent.client_secret }
}

async function paymentByKey(sql: Db, key: string): Promise<Payment> {
  const [payment]: [Payment?] = await sql`select * from payments.payment where idempotency_key = ${key}`
  if (!payment) {
    throw new Error(`payment ${key} neither written nor found`)
  }
  return payment
}

export async function paymentByPublicId(sql: Db, publicId: string): Promise<Payment> {
  const [payment]: [Payment?] = await sql`select * from payments.payment where public_id = ${publicId}`
  if (!payment) {
    throw notFound('Payment')
  }
  return payment
}

/**
 * Brings a payment to where its PaymentIntent is, as Stripe says it is now: succeeded (posted to
 * the ledger and the purchase fulfilled, once), failed, canceled or still processing. Applying
 * the same PaymentIntent again changes nothing, so events in any order and any number end in the
 * same state. An amount or currency that is not the purchase's is recorded and never fulfilled.
 */
export async function applyIntent(sql: Db, intent: Stripe.PaymentIntent): Promise<Payment | null> {
  return inTransaction(sql, async (tx) => {
    const [payment]: [Payment?] = await tx`
      select * from payments.payment where stripe_payment_intent_id = ${intent.id} for update`
    if (!payment || payment.status === 'succeeded') {
      return payment ?? null
    }
    switch (intent.status) {
      case 'succeeded':
        return succeed(tx, payment, intent)
      case 'processing':
        return setStatus(tx, payment, 'processing', null)
      case 'canceled':
        return setStatus(tx, payment, 'canceled', intent.cancellation_reason ?? null)
      case 'requires_payment_method':
        // after a decline the intent waits for another card; the attempt itself failed
        return intent.last_payment_error
          ? setStatus(tx, payment, 'failed', intent.last_payment_error.message ?? 'The card was declined')
          : payment
      default:
        return payment
    }
  })
}

async function succeed(tx: Tx, payment: Payment, intent: Stripe.PaymentIntent): Promise<Payment> {
  if (intent.amount_received !== payment.amount_cents || intent.currency !== payment.currency) {
    const mismatch = `Stripe received ${intent.amount_received} ${intent.currency}; the purchase is ${payment.amount_cents} ${payment.currency}`
    const [flagged]: [Payment?] = await tx`
      update payments.payment set mismatch = ${mismatch}, updated_at = now()
       where id = ${payment.id} returning *`
    return flagged ?? payment
  }
  await fulfil(tx, payment, intent)
  const [done]: [Payment?] = await tx`
    update payments.payment
       set status = 'succeeded', succeeded_at = now(), failure = null, updated_at = now()
     where id = ${payment.id} returning *`
  return done ?? payment
}

/*
  What a succeeded card payment moves: Dr Stripe clearing, Cr what it paid for. A parking
  balance credits the receivable it names. The entry is keyed to the PaymentIntent, so no event,
  retry or retrieve can post it twice. Stripe's fee posts with the payout it is deducted from.
*/
async function fulfil(tx: Tx, payment: Payment, intent: Stripe.PaymentIntent): Promise<void> {
  switch (payment.purpose) {
    case 'account_balance':
      await postEntry(tx, {
        key: `stripe:${intent.id}:succeeded`,
        source: 'stripe',
        sourceRef: intent.id,
        description: 'Card payment of parking balance, thank you',
        occurredAt: new Date(intent.created * 1000),
        lines: [
          { account: 'clearing:stripe', amount: payment.amount_cents },
          { account: payment.purpose_ref, amount: -payment.amount_cents },
        ],
      })
      return
    default:
      // createCardPayment makes none of these; a row like this was written by hand
      throw new Error(`payment ${payment.public_id} is for ${payment.purpose}, which no card pays for`)
  }
}

async function setStatus(tx: Tx, payment: Payment, status: PaymentStatus, failure: string | null): Promise<Payment> {
  const [changed]: [Payment?] = await tx`
    update payments.payment set status = ${status}, failure = ${failure}, updated_at = now()
     where id = ${payment.id} returning *`
  return changed ?? payment
}

/** Stripe's refusals as the API's: a declined card is 402, Stripe out of reach is 503. */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    const e = err as { type?: string; message?: string; code?: string }
    if (e.type === 'StripeCardError') {
      throw new AppError('payment_failed', e.message ?? 'The card was declined', { code: e.code ?? null })
    }
    if (e.type === 'StripeConnectionError' || e.type === 'StripeAPIError' || e.type === 'StripeRateLimitError') {
      throw new AppError('service_unavailable', 'The card processor cannot be reached; try again in a moment')
    }
    throw err
  }
}
