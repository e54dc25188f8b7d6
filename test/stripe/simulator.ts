import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { randomBytes } from 'node:crypto'
import Stripe from 'stripe'

/*
  Stripe's API as Curbline calls it, answered in this process by msw: PaymentIntents (create,
  retrieve), with Stripe's object shapes and error format, Idempotency-Key replay and conflict,
  and the customer's side (a card that pays or is declined) as test helpers. Webhooks are signed
  with the real SDK's generateTestHeaderString, so the API's own signature check is what runs.
*/

const API = 'https://api.stripe.com/v1'
export const TEST_SECRET_KEY = 'sk_test_curbline_simulator'
export const TEST_WEBHOOK_SECRET = 'whsec_curbline_simulator'
export const TEST_PUBLISHABLE_KEY = 'pk_test_curbline_simulator'

type Intent = Stripe.PaymentIntent
type Refund = Stripe.Refund
type Dispute = Stripe.Dispute

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)

/** Stripe's form encoding, a[b]=c, back into objects. */
function parseForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, '').split('[')
    let node = out
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node[part] = value
      } else {
        node[part] = (node[part] as Record<string, unknown> | undefined) ?? {}
        node = node[part] as Record<string, unknown>
      }
    })
  }
  return out
}

function stripeError(status: number, type: string, message: string, extra: object = {}) {
  return HttpResponse.json({ error: { type, message, ...extra } }, { status })
}

export interface StripeSimulator {
  intents: Map<string, Intent>
  refunds: Map<string, Refund>
  /** The cardholder disputes the payment: Stripe withdraws the funds. */
  dispute: (intentId: string, reason?: string) => Dispute
  /** Stripe pays out to the bank (status paid), or the bank returns it (failed). */
  payout: (amount: number, status?: 'paid' | 'failed', payoutId?: string) => Stripe.Payout
  /** The dispute is decided. */
  closeDispute: (disputeId: string, outcome: 'won' | 'lost') => Dispute
  /** Stripe fails a refund after accepting it (the card account was closed). */
  failRefund: (refundId: string) => Refund
  /** What each Terminal reader was last told to do. */
  readers: Map<string, { action: string | null; paymentIntent: string | null }>
  /** Every request Curbline made, in order. */
  calls: { method: string; path: string; idempotencyKey: string | null }[]
  /** The customer's card pays the intent (as the Payment Element would). */
  pay: (intentId: string, amountReceived?: number) => Intent
  /** The PaymentIntent is canceled (abandoned, or canceled by the merchant). */
  cancel: (intentId: string) => Intent
  /** The customer's card is declined. */
  decline: (intentId: string) => Intent
  /** An event Stripe made but could not deliver: the replay job finds it by listing events. */
  undelivered: (type: string, object: object) => string
  /** A signed webhook delivery of an event about the intent as it is now. */
  webhook: (type: string, object: object, options?: { secret?: string; timestamp?: number }) => {
    body: string
    signature: string
    eventId: string
  }
  close: () => void
}

export function startStripeSimulator(): StripeSimulator {
  const intents = new Map<string, Intent>()
  const refunds = new Map<string, Refund>()
  const disputes = new Map<string, Dispute>()
  const readers: StripeSimulator['readers'] = new Map()
  const payouts = new Map<string, Stripe.Payout>()
  const readerObject = (readerId: string) => {
    const r = readers.get(readerId) ?? { action: null, paymentIntent: null }
    return {
      id: readerId,
      object: 'terminal.reader',
      device_type: 'bbpos_wisepos_e',
      status: 'online',
      action: r.action
        ? { type: r.action, status: 'in_progress', process_payment_intent: { payment_intent: r.paymentIntent } }
        : null,
    }
  }
  const replies = new Map<string, { body: string; status: number; json: unknown }>()
  const calls: StripeSimulator['calls'] = []
  // events newest first, as Stripe lists them, with whether their delivery succeeded
  const events: { event: Record<string, unknown>; delivered: boolean }[] = []
  const makeEvent = (type: string, object: object) => ({
    id: id('evt'),
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: now(),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  })
  const signer = new Stripe(TEST_SECRET_KEY)

  /** Same key and body: the first reply again; same key, other body: Stripe's idempotency error. */
  async function idempotent(request: Request, make: (body: string) => { status: number; json: unknown }) {
    const key = request.headers.get('idempotency-key')
    const body = await request.text()
    calls.push({ method: request.method, path: new URL(request.url).pathname, idempotencyKey: key })
    if (key) {
      const prior = replies.get(key)
      if (prior) {
        if (prior.body !== body) {
          return stripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with.`)
        }
        return HttpResponse.json(prior.json as object, { status: prior.status, headers: { 'Idempotent-Replayed': 'true' } })
      }
    }
    const reply = make(body)
    if (key) {
      replies.set(key, { body, ...reply })
    }
    return HttpResponse.json(reply.json as object, { status: reply.status })
  }

  const server = setupServer(
    http.post(`${API}/payment_intents`, ({ request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const amount = Number(form.amount)
        if (!Number.isInteger(amount) || amount < 50) {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' } } }
        }
        const intentId = id('pi')
        const intent = {
          id: intentId,
          object: 'payment_intent',
          amount,
          amount_received: 0,
          currency: String(form.currency ?? 'usd'),
          status: 'requires_payment_method',
          client_secret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
          created: now(),
          description: (form.description as string | undefined) ?? null,
          metadata: (form.metadata as Record<string, string> | undefined) ?? {},
          payment_method_types: form.payment_method_types
            ? Object.values(form.payment_method_types as Record<string, string>)
            : ['card'],
          automatic_payment_methods: form.automatic_payment_methods ? { enabled: true } : null,
          capture_method: (form.capture_method as string | undefined) ?? 'automatic',
          last_payment_error: null,
          cancellation_reason: null,
          latest_charge: null,
          livemode: false,
        } as unknown as Intent
        intents.set(intentId, intent)
        return { status: 200, json: intent }
      }),
    ),
    http.post(`${API}/terminal/readers/:id/process_payment_intent`, ({ params, request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const intent = intents.get(String(form.payment_intent))
        if (!intent) {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' } } }
        }
        readers.set(String(params.id), { action: 'process_payment_intent', paymentIntent: intent.id })
        return { status: 200, json: readerObject(String(params.id)) }
      }),
    ),
    http.post(`${API}/terminal/readers/:id/cancel_action`, ({ params, request }) =>
      idempotent(request, () => {
        readers.set(String(params.id), { action: null, paymentIntent: null })
        return { status: 200, json: readerObject(String(params.id)) }
      }),
    ),
    http.post(`${API}/payment_intents/:id/cancel`, ({ params, request }) =>
      idempotent(request, () => {
        const intent = intents.get(String(params.id))
        if (!intent) {
          return { status: 404, json: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' } } }
        }
        if (intent.status === 'succeeded') {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: 'This PaymentIntent could not be canceled because it has a status of succeeded.' } } }
        }
        const canceled = { ...intent, status: 'canceled', cancellation_reason: 'requested_by_customer' } as Intent
        intents.set(intent.id, canceled)
        return { status: 200, json: canceled }
      }),
    ),
    http.post(`${API}/refunds`, ({ request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const intent = intents.get(String(form.payment_intent))
        if (!intent || intent.status !== 'succeeded') {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'charge_not_refundable', message: 'This PaymentIntent has no successful charge to refund.' } } }
        }
        const already = [...refunds.values()]
          .filter((r) => r.payment_intent === intent.id && r.status !== 'failed' && r.status !== 'canceled')
          .reduce((sum, r) => sum + r.amount, 0)
        const amount = form.amount === undefined ? intent.amount_received - already : Number(form.amount)
        if (amount > intent.amount_received - already) {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount', message: `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge` } } }
        }
        const refund = {
          id: id('re'),
          object: 'refund',
          amount,
          currency: intent.currency,
          payment_intent: intent.id,
          charge: intent.latest_charge,
          status: 'succeeded',
          reason: null,
          failure_reason: null,
          metadata: (form.metadata as Record<string, string> | undefined) ?? {},
          created: now(),
        } as unknown as Refund
        refunds.set(refund.id, refund)
        return { status: 200, json: refund }
      }),
    ),
    http.get(`${API}/payouts/:id`, ({ params, request }) => {
      calls.push({ method: 'GET', path: new URL(request.url).pathname, idempotencyKey: null })
      const payout = payouts.get(String(params.id))
      return payout
        ? HttpResponse.json(payout)
        : stripeError(404, 'invalid_request_error', `No such payout: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/disputes/:id`, ({ params, request }) => {
      calls.push({ method: 'GET', path: new URL(request.url).pathname, idempotencyKey: null })
      const dispute = disputes.get(String(params.id))
      return dispute
        ? HttpResponse.json(dispute)
        : stripeError(404, 'invalid_request_error', `No such dispute: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/refunds/:id`, ({ params, request }) => {
      calls.push({ method: 'GET', path: new URL(request.url).pathname, idempotencyKey: null })
      const refund = refunds.get(String(params.id))
      return refund
        ? HttpResponse.json(refund)
        : stripeError(404, 'invalid_request_error', `No such refund: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/refunds`, ({ request }) => {
      const url = new URL(request.url)
      calls.push({ method: 'GET', path: url.pathname, idempotencyKey: null })
      const pi = url.searchParams.get('payment_intent')
      const data = [...refunds.values()].filter((r) => !pi || r.payment_intent === pi).reverse()
      return HttpResponse.json({ object: 'list', url: '/v1/refunds', has_more: false, data })
    }),
    http.get(`${API}/events`, ({ request }) => {
      const url = new URL(request.url)
      calls.push({ method: 'GET', path: url.pathname, idempotencyKey: null })
      const q = url.searchParams
      const since = Number(q.get('created[gte]') ?? 0)
      const limit = Math.min(100, Number(q.get('limit') ?? 10))
      let list = events
        .filter((e) => (q.get('delivery_success') === 'false' ? !e.delivered : true))
        .filter((e) => Number(e.event.created) >= since)
        .map((e) => e.event)
      const after = q.get('starting_after')
      if (after) {
        list = list.slice(list.findIndex((e) => e.id === after) + 1)
      }
      return HttpResponse.json({
        object: 'list',
        url: '/v1/events',
        has_more: list.length > limit,
        data: list.slice(0, limit),
      })
    }),
    http.get(`${API}/payment_intents/:id`, ({ params, request }) => {
      calls.push({ method: 'GET', path: new URL(request.url).pathname, idempotencyKey: null })
      const intent = intents.get(String(params.id))
      // the SDK sends expand[0]=…, expand[1]=…
      const expand = [...new URL(request.url).searchParams].filter(([k]) => k.startsWith('expand')).map(([, v]) => v)
      if (intent && expand.includes('latest_charge.balance_transaction') && typeof intent.latest_charge === 'string') {
        // Stripe's fee on a US card: 2.9% and 30 cents
        const fee = Math.round(intent.amount_received * 0.029) + 30
        return HttpResponse.json({
          ...intent,
          latest_charge: {
            id: intent.latest_charge,
            object: 'charge',
            amount: intent.amount_received,
            payment_intent: intent.id,
            balance_transaction: {
              id: `txn_${intent.latest_charge.slice(3)}`,
              object: 'balance_transaction',
              amount: intent.amount_received,
              fee,
              net: intent.amount_received - fee,
              type: 'charge',
            },
          },
        })
      }
      return intent
        ? HttpResponse.json(intent)
        : stripeError(404, 'invalid_request_error', `No such payment_intent: '${String(params.id)}'`, { code: 'resource_missing', param: 'intent' })
    }),
  )
  server.listen({ onUnhandledRequest: 'bypass' })

  const update = (intentId: string, patch: Partial<Intent>): Intent => {
    const intent = intents.get(intentId)
    if (!intent) {
      throw new Error(`the simulator has no PaymentIntent ${intentId}`)
    }
    const next = { ...intent, ...patch } as Intent
    intents.set(intentId, next)
    return next
  }

  return {
    intents,
    refunds,
    readers,
    payout: (amount, status = 'paid', payoutId) => {
      const payout = {
        id: payoutId ?? id('po'),
        object: 'payout',
        amount,
        currency: 'usd',
        status,
        arrival_date: now(),
        created: now(),
        livemode: false,
      } as unknown as Stripe.Payout
      payouts.set(payout.id, payout)
      return payout
    },
    dispute: (intentId, reason = 'fraudulent') => {
      const intent = intents.get(intentId)
      if (!intent) {
        throw new Error(`the simulator has no PaymentIntent ${intentId}`)
      }
      const dispute = {
        id: id('dp'),
        object: 'dispute',
        amount: intent.amount_received,
        currency: intent.currency,
        charge: intent.latest_charge,
        payment_intent: intent.id,
        reason,
        status: 'needs_response',
        created: now(),
        livemode: false,
      } as unknown as Dispute
      disputes.set(dispute.id, dispute)
      return dispute
    },
    closeDispute: (disputeId, outcome) => {
      const dispute = disputes.get(disputeId)
      if (!dispute) {
        throw new Error(`the simulator has no dispute ${disputeId}`)
      }
      const closed = { ...dispute, status: outcome } as Dispute
      disputes.set(disputeId, closed)
      return closed
    },
    failRefund: (refundId) => {
      const refund = refunds.get(refundId)
      if (!refund) {
        throw new Error(`the simulator has no refund ${refundId}`)
      }
      const failed = { ...refund, status: 'failed', failure_reason: 'expired_or_canceled_card' } as Refund
      refunds.set(refundId, failed)
      return failed
    },
    calls,
    pay: (intentId, amountReceived) =>
      update(intentId, {
        status: 'succeeded',
        amount_received: amountReceived ?? intents.get(intentId)?.amount ?? 0,
        latest_charge: id('ch'),
        last_payment_error: null,
      }),
    cancel: (intentId) =>
      update(intentId, { status: 'canceled', cancellation_reason: 'abandoned' }),
    decline: (intentId) =>
      update(intentId, {
        status: 'requires_payment_method',
        last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } as Intent['last_payment_error'],
      }),
    undelivered: (type, object) => {
      const event = makeEvent(type, object)
      events.unshift({ event, delivered: false })
      return event.id
    },
    webhook: (type, object, options = {}) => {
      const event = makeEvent(type, object)
      events.unshift({ event, delivered: true })
      const eventId = event.id
      const body = JSON.stringify(event)
      const signature = signer.webhooks.generateTestHeaderString({
        payload: body,
        secret: options.secret ?? TEST_WEBHOOK_SECRET,
        timestamp: options.timestamp,
      })
      return { body, signature, eventId }
    },
    close: () => server.close(),
  }
}
