import type Stripe from 'stripe'
import type { Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'

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
  stripe_reader_id: string | null
  mismatch: string | null
  /** What it paid beyond what was owed when it arrived, refunded automatically. */
  excess_cents: number
  failure: string | null
  created_at: Date
  succeeded_at: Date | null
}

/** What a card pays for: parking sessions, permits, citations and balances. */
export type CardPurpose = Purpose

/** Stripe takes no card payment under 50 cents in US dollars. */
export const MINIMUM_CARD_CENTS = 50

/** Refuses, before anything is written, a card payment Stripe would refuse as too small. */
export function assertCardMinimum(amountCents: number): void {
  if (amountCents < MINIMUM_CARD_CENTS) {
    throw new AppError(
      'invalid',
      `A card payment is at least $${(MINIMUM_CARD_CENTS / 100).toFixed(2)}: buy more time, or pay another way`,
      [{ field: 'body.payment.method', message: 'Below the card minimum', minimumCents: MINIMUM_CARD_CENTS }],
    )
  }
}

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
  /** A kiosk's Stripe Terminal reader: the PaymentIntent is card-present and sent to it. */
  readerId?: string | null
  /** Keep the card for later charges (permit renewals), on this Stripe Customer. */
  saveFor?: string | null
  /** Charge a saved card now, the holder absent: Stripe confirms at once. */
  offSession?: { customer: string; paymentMethod: string } | null
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
): Promise<{ payment: Payment; clientSecret: string; intent: Stripe.PaymentIntent }> {
  assertCardMinimum(p.amountCents)
  await sql`
    insert into payments.payment
      (purpose, purpose_ref, customer_id, amount_cents, method, status, channel, idempotency_key,
       stripe_reader_id)
    values (${p.purpose}, ${p.purposeRef}, ${p.customerId}, ${p.amountCents}, 'card',
            'requires_payment', ${p.channel}, ${p.key}, ${p.readerId ?? null})
    on conflict (idempotency_key) do nothing`
  const payment = await paymentByKey(sql, p.key)
  if (payment.purpose !== p.purpose || payment.purpose_ref !== p.purposeRef || payment.amount_cents !== p.amountCents) {
    throw new AppError('idempotency_conflict', 'That Idempotency-Key was used for a different payment')
  }
  if (payment.status === 'succeeded') {
    throw new AppError('conflict', 'This payment has already been made', { payment: payment.public_id })
  }
  // card_present is named the way Stripe's Terminal guide does; the SDK's types only list the
  // newer allowed_payment_method_types, hence the loose object here
  const how: Record<string, unknown> = p.readerId
    ? { amount: p.amountCents, currency: 'usd', payment_method_types: ['card_present'], capture_method: 'automatic' }
    : p.offSession
      ? {
          amount: p.amountCents,
          currency: 'usd',
          customer: p.offSession.customer,
          payment_method: p.offSession.paymentMethod,
          off_session: true,
          confirm: true,
        }
      : {
          amount: p.amountCents,
          currency: 'usd',
          automatic_payment_methods: { enabled: true },
          ...(p.saveFor ? { customer: p.saveFor, setup_future_usage: 'off_session' as const } : {}),
        }
  let intent: Stripe.PaymentIntent
  try {
    intent = await callStripe(() =>
      stripe.paymentIntents.create(
        {
          ...(how as { amount: number; currency: string }),
          description: p.description,
          metadata: { curbline_payment: payment.public_id, purpose: p.purpose, purpose_ref: p.purposeRef },
        },
        { idempotencyKey: `curbline-payment-${payment.public_id}` },
      ),
    )
  } catch (err) {
    // an off-session decline still made a PaymentIntent: link it, so its events find the payment
    const declined = (err as { details?: { paymentIntent?: string | null } }).details?.paymentIntent
    if (err instanceof AppError && err.code === 'payment_failed' && declined) {
      await sql`
        update payments.payment
           set stripe_payment_intent_id = ${declined}, status = 'failed', failure = ${err.message}, updated_at = now()
         where id = ${payment.id} and stripe_payment_intent_id is null`
    }
    throw err
  }
  const [linked]: [Payment?] = await sql`
    update payments.payment
       set stripe_payment_intent_id = ${intent.id}, updated_at = now()
     where id = ${payment.id}
       and (stripe_payment_intent_id is null or stripe_payment_intent_id = ${intent.id})
    returning *`
  if (!linked || (!intent.client_secret && !p.offSession)) {
    throw new Error(`payment ${payment.public_id} is linked to another PaymentIntent than ${intent.id}`)
  }
  if (p.readerId) {
    // the kiosk's reader takes the card; the kiosk asks the server for the outcome
    const readerId = p.readerId
    await callStripe(() =>
      stripe.terminal.readers.processPaymentIntent(
        readerId,
        { payment_intent: intent.id },
        { idempotencyKey: `curbline-reader-${payment.public_id}` },
      ),
    )
  }
  return { payment: linked, clientSecret: intent.client_secret ?? '', intent }
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

/** Stripe's refusals as the API's: a declined card is 402, Stripe out of reach is 503. */
export async function callStripe<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (err) {
    const e = err as { type?: string; message?: string; code?: string }
    if (e.type === 'StripeCardError') {
      const intent = (err as { raw?: { payment_intent?: { id?: string } } }).raw?.payment_intent?.id ?? null
      throw new AppError('payment_failed', e.message ?? 'The card was declined', { code: e.code ?? null, paymentIntent: intent })
    }
    if (e.type === 'StripeConnectionError' || e.type === 'StripeAPIError' || e.type === 'StripeRateLimitError') {
      throw new AppError('service_unavailable', 'The card processor cannot be reached; try again in a moment')
    }
    throw err
  }
}

/**
 * Cancels a card payment still waiting at a kiosk's reader: the reader's action first, so the
 * reader stops asking for a card, then the PaymentIntent. Returns the PaymentIntent as canceled.
 */
export async function cancelReaderPayment(stripe: Stripe, payment: Payment): Promise<Stripe.PaymentIntent> {
  if (!payment.stripe_payment_intent_id || !payment.stripe_reader_id) {
    throw new AppError('conflict', 'This payment is not waiting at a card reader')
  }
  const readerId = payment.stripe_reader_id
  const intentId = payment.stripe_payment_intent_id
  await callStripe(() => stripe.terminal.readers.cancelAction(readerId))
  return callStripe(() => stripe.paymentIntents.cancel(intentId))
}

/**
 * A PaymentIntent as Stripe has it now, with its charge's balance transaction, which carries
 * Stripe's fee for it.
 */
export function retrieveIntent(stripe: Stripe, id: string): Promise<Stripe.PaymentIntent> {
  return callStripe(() => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge.balance_transaction'] }))
}

/** Stripe's fee for a succeeded PaymentIntent, when its charge's balance transaction is known. */
export function feeOf(intent: Stripe.PaymentIntent): number | null {
  const charge = intent.latest_charge
  if (!charge || typeof charge === 'string') {
    return null
  }
  const txn = charge.balance_transaction
  return txn && typeof txn !== 'string' ? txn.fee : null
}
