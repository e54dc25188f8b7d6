import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { callStripe, retrieveIntent } from './payments.ts'
import { applyIntent } from './apply.ts'
import { applyRefund, refundExcess } from './refunds.ts'
import { applyDispute } from './disputes.ts'
import { applyPayout } from './payouts.ts'

/** Checks Stripe's signature on the raw body: a forged or stale event is refused here. */
export async function verifiedEvent(
  stripe: Stripe,
  rawBody: string,
  signature: string | undefined,
  secret: string | undefined,
): Promise<Stripe.Event> {
  if (!secret) {
    throw new AppError('service_unavailable', 'Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET)')
  }
  if (!signature) {
    throw new AppError('invalid', 'The Stripe-Signature header is missing')
  }
  try {
    return await stripe.webhooks.constructEventAsync(rawBody, signature, secret)
  } catch {
    throw new AppError('invalid', 'The Stripe signature does not match this body, or it is too old')
  }
}

/**
 * Takes one verified event: stored once by its id, and acted on in the same transaction that
 * records it as processed, so a delivery repeated any number of times, or at once, acts once.
 * A PaymentIntent's or a refund's event is not taken at its word: the object is read again from
 * Stripe and applied as it is now, so events arriving out of order end in the same state.
 */
export async function receiveEvent(
  sql: Db,
  stripe: Stripe,
  event: Stripe.Event,
): Promise<'processed' | 'duplicate'> {
  const object = event.data.object as { id?: string; object?: string; payment_intent?: string | null }
  const intent =
    event.type.startsWith('payment_intent.') && object.id
      ? await retrieveIntent(stripe, object.id as string)
      : null
  // a refund's events, and a charge's refunded event, are applied as the refunds are now
  const refunds: Stripe.Refund[] = []
  if (event.type.startsWith('refund.') && object.id) {
    refunds.push(await callStripe(() => stripe.refunds.retrieve(object.id as string)))
  }
  const dispute =
    event.type.startsWith('charge.dispute.') && object.id
      ? await callStripe(() => stripe.disputes.retrieve(object.id as string))
      : null
  const payout =
    event.type.startsWith('payout.') && object.id
      ? await callStripe(() => stripe.payouts.retrieve(object.id as string))
      : null
  if (event.type === 'charge.refunded' && object.payment_intent) {
    const pi = object.payment_intent
    for await (const refund of stripe.refunds.list({ payment_intent: pi, limit: 100 })) {
      refunds.push(refund)
    }
  }
  return inTransaction(sql, async (tx) => {
    // a delivery racing this one waits here for it to commit, then finds it processed
    const [stored] = await tx`
      insert into payments.stripe_event (id, type, object_id, payload)
      values (${event.id}, ${event.type}, ${object.id ?? null}, ${tx.json(event as never)})
      on conflict (id) do nothing
      returning id`
    if (!stored) {
      const [seen]: [{ processed_at: Date | null }?] = await tx`
        select processed_at from payments.stripe_event where id = ${event.id} for update`
      if (seen?.processed_at) {
        return 'duplicate'
      }
    }
    if (intent) {
      await applyIntent(tx, intent)
    }
    for (const refund of refunds) {
      if (refund.metadata?.curbline_refund) {
        await applyRefund(tx, refund)
      }
    }
    if (dispute) {
      await applyDispute(tx, dispute)
    }
    if (payout) {
      await applyPayout(tx, payout)
    }
    await tx`update payments.stripe_event set processed_at = now() where id = ${event.id}`
    return 'processed'
  })
}

/**
 * Events Stripe could not deliver (the endpoint was down, or answered an error) in the last
 * three days, taken as if delivered: each is stored and acted on once, like any delivery.
 * Returns how many were new here.
 */
export async function replayUndelivered(sql: Db, stripe: Stripe, now = new Date()): Promise<number> {
  const since = Math.floor(now.getTime() / 1000) - 3 * 24 * 3600
  let taken = 0
  for await (const event of stripe.events.list({ delivery_success: false, created: { gte: since }, limit: 100 })) {
    if ((await receiveEvent(sql, stripe, event)) === 'processed') {
      taken++
    }
  }
  await refundExcess(sql, stripe)
  return taken
}
