import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { randomBytes } from 'node:crypto'
import Stripe from 'stripe'

/*
  Stripe's API as Curbline calls it, answered in this process by msw: PaymentIntents (create,
  confirm, capture, retrieve), customers and their saved cards, refunds, disputes, payouts and the
  balance transactions behind them, with Stripe's object shapes, list envelope and error format,
  Idempotency-Key replay and conflict, and the customer's side (a card that pays or is declined) as
  test helpers. Webhooks are signed with the real SDK's generateTestHeaderString, so the API's own
  signature check is what runs.
*/

const API = 'https://api.stripe.com/v1'
export const TEST_SECRET_KEY = 'sk_test_curbline_simulator'
export const TEST_WEBHOOK_SECRET = 'whsec_curbline_simulator'
export const TEST_PUBLISHABLE_KEY = 'pk_test_curbline_simulator'

type Intent = Stripe.PaymentIntent
type Refund = Stripe.Refund
type Dispute = Stripe.Dispute
type Charge = Stripe.Charge
type Txn = Stripe.BalanceTransaction
type PaymentMethod = Stripe.PaymentMethod
type Reply = { status: number; json: unknown }

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`
const now = () => Math.floor(Date.now() / 1000)
const DAY = 86_400
/** Stripe's fee on a US card: 2.9% and 30 cents. */
const cardFee = (amount: number) => Math.round(amount * 0.029) + 30
/** What Stripe takes for a dispute, with the disputed amount; not returned when it is won. */
const DISPUTE_FEE = 1500

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

/** The same error as a reply an idempotent request stores. */
function failure(status: number, type: string, message: string, extra: object = {}): Reply {
  return { status, json: { error: { type, message, ...extra } } }
}

function missing(kind: string, objectId: string, param: string, status = 404): Reply {
  return failure(status, 'invalid_request_error', `No such ${kind}: '${objectId}'`, {
    code: 'resource_missing',
    param,
  })
}

/** expand[0]=a&expand[1]=b, from a query string or a parsed form. */
function expansions(source: URLSearchParams | Record<string, unknown>): string[] {
  if (source instanceof URLSearchParams) {
    return [...source].filter(([k]) => k.startsWith('expand')).map(([, v]) => v)
  }
  const expand = source.expand
  return expand && typeof expand === 'object' ? Object.values(expand as Record<string, string>) : []
}

/**
 * One page of a list, newest first, as Stripe answers it: limit (10, at most 100), a
 * starting_after or ending_before cursor, and a filter that the cursor need not pass.
 */
function page<T extends { id: string }>(
  request: Request,
  url: string,
  kind: string,
  newestFirst: T[],
  keep: (item: T) => boolean = () => true,
  present: (item: T) => unknown = (item) => item,
): Response {
  const q = new URL(request.url).searchParams
  const limit = Number(q.get('limit') ?? 10)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return stripeError(400, 'invalid_request_error', 'Invalid limit: must be between 1 and 100', {
      code: 'parameter_invalid_integer',
      param: 'limit',
    })
  }
  const after = q.get('starting_after')
  const before = q.get('ending_before')
  const cursor = after ?? before
  const at = cursor === null ? -1 : newestFirst.findIndex((item) => item.id === cursor)
  if (cursor !== null && at < 0) {
    const r = missing(kind, cursor, after !== null ? 'starting_after' : 'ending_before', 400)
    return HttpResponse.json(r.json as object, { status: r.status })
  }
  if (before !== null && after === null) {
    const newer = newestFirst.slice(0, at).filter(keep)
    return HttpResponse.json({
      object: 'list',
      data: newer.slice(-limit).map(present),
      has_more: newer.length > limit,
      url,
    })
  }
  const rest = newestFirst.slice(at + 1).filter(keep)
  return HttpResponse.json({ object: 'list', data: rest.slice(0, limit).map(present), has_more: rest.length > limit, url })
}

export interface StripeSimulator {
  intents: Map<string, Intent>
  refunds: Map<string, Refund>
  /** Every balance transaction, oldest first: the account's history as Stripe keeps it. */
  balanceTransactions: Map<string, Txn>
  customers: Map<string, Stripe.Customer>
  /** The cardholder disputes the payment: Stripe withdraws the funds and its dispute fee. */
  dispute: (intentId: string, reason?: string) => Dispute
  /**
   * A payout of the amount made by hand (a manual payout: it settles no balance transactions) to
   * the bank (status paid), or the bank returns it (failed; pass the paid payout's id).
   */
  payout: (amount: number, status?: 'paid' | 'failed', payoutId?: string) => Stripe.Payout
  /**
   * Stripe's automatic payout of everything not yet paid out: its amount is the sum of their net,
   * and listing balance transactions by it gives them and the payout's own. A failed one returns
   * the amount to the balance (a payout_failure the next payout takes).
   */
  payoutPending: (status?: 'paid' | 'pending' | 'in_transit' | 'failed') => Stripe.Payout
  /** The dispute is decided: won, the funds come back (the dispute fee does not). */
  closeDispute: (disputeId: string, outcome: 'won' | 'lost') => Dispute
  /** Stripe fails a refund after accepting it (the card account was closed). */
  failRefund: (refundId: string) => Refund
  /** A card saved to the customer, for charges off-session: its PaymentMethod id. */
  savedCard: (customerId: string) => string
  /** From now on the bank declines the saved card (insufficient funds). */
  declineSavedCard: (paymentMethodId: string) => void
  /** What each Terminal reader was last told to do. */
  readers: Map<string, { action: string | null; paymentIntent: string | null }>
  /** Every request Curbline made, in order. */
  calls: { method: string; path: string; idempotencyKey: string | null }[]
  /**
   * The customer's card pays the intent (as the Payment Element would); one set up for future
   * usage saves the card to its customer. A manual-capture intent is authorized, to be captured.
   * Paying an intent already paid changes nothing.
   */
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
  const charges = new Map<string, Charge>()
  const balanceTransactions = new Map<string, Txn>()
  // which payout took each balance transaction: Stripe keeps it off the object, on the list filter
  const paidOutIn = new Map<string, string>()
  const customers = new Map<string, Stripe.Customer>()
  const paymentMethods = new Map<string, PaymentMethod>()
  const declining = new Set<string>()
  // cards used once without a customer: Stripe refuses them again
  const spent = new Set<string>()
  const bankAccount = id('ba')
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
  const seen = (request: Request) =>
    calls.push({ method: request.method, path: new URL(request.url).pathname, idempotencyKey: null })

  /** Same key and body: the first reply again; same key, other body: Stripe's idempotency error. */
  async function idempotent(request: Request, make: (body: string) => Reply) {
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

  /** A movement of the account's balance, as Stripe records one. */
  function recordTxn(entry: {
    amount: number
    currency?: string
    fee?: number
    feeDescription?: string
    type: Txn['type']
    category: string
    source: string
    description?: string
  }): Txn {
    const created = now()
    const fee = entry.fee ?? 0
    const currency = entry.currency ?? 'usd'
    const txn = {
      id: id('txn'),
      object: 'balance_transaction',
      amount: entry.amount,
      // funds coming in wait for the payout schedule; funds going out leave at once
      available_on: entry.amount > 0 ? created + 2 * DAY : created,
      balance_type: 'payments',
      created,
      currency,
      description: entry.description ?? null,
      exchange_rate: null,
      fee,
      fee_details: fee
        ? [{ amount: fee, application: null, currency, description: entry.feeDescription ?? 'Stripe processing fees', type: 'stripe_fee' }]
        : [],
      net: entry.amount - fee,
      reporting_category: entry.category,
      source: entry.source,
      status: entry.amount > 0 ? 'pending' : 'available',
      type: entry.type,
    } as Txn
    balanceTransactions.set(txn.id, txn)
    return txn
  }

  function cardObject(customer: string | null, last4 = '4242'): PaymentMethod {
    const pm = {
      id: id('pm'),
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: { address: null, email: null, name: null, phone: null },
      card: {
        brand: 'visa',
        country: 'US',
        exp_month: 12,
        exp_year: new Date().getFullYear() + 3,
        fingerprint: randomBytes(8).toString('hex'),
        funding: 'credit',
        last4,
      },
      created: now(),
      customer,
      livemode: false,
      metadata: {},
      type: 'card',
    } as unknown as PaymentMethod
    paymentMethods.set(pm.id, pm)
    return pm
  }

  /** A saved PaymentMethod, or one of Stripe's test cards (pm_card_visa) made into a new one. */
  function resolveCard(pmId: string): PaymentMethod | null {
    if (pmId.startsWith('pm_card_')) {
      const declines = /Declined/i.test(pmId)
      const pm = cardObject(null, declines ? '9995' : '4242')
      if (declines) {
        declining.add(pm.id)
      }
      return pm
    }
    return paymentMethods.get(pmId) ?? null
  }

  /** Why Stripe would refuse this card for this intent, if it would. */
  function refusal(intent: Pick<Intent, 'customer'>, pm: PaymentMethod): Reply | null {
    const customer = typeof intent.customer === 'string' ? intent.customer : null
    if (pm.customer && pm.customer !== customer) {
      return failure(400, 'invalid_request_error', customer
        ? `The provided PaymentMethod ${pm.id} belongs to a different Customer than ${customer}.`
        : 'The provided PaymentMethod belongs to a Customer, but you did not provide the Customer ID. Please include the Customer ID in the request.', { param: 'payment_method' })
    }
    if (!pm.customer && spent.has(pm.id)) {
      return failure(400, 'invalid_request_error', 'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.', { param: 'payment_method' })
    }
    return null
  }

  function newCharge(intent: Intent, pm: string, amount: number, outcome: 'captured' | 'authorized' | 'failed'): Charge {
    const failed = outcome === 'failed'
    const charge = {
      id: id('ch'),
      object: 'charge',
      amount,
      amount_captured: 0,
      amount_refunded: 0,
      balance_transaction: null,
      captured: false,
      created: now(),
      currency: intent.currency,
      customer: intent.customer ?? null,
      description: intent.description,
      failure_code: failed ? 'card_declined' : null,
      failure_message: failed ? 'Your card has insufficient funds.' : null,
      livemode: false,
      metadata: intent.metadata,
      outcome: failed
        ? { network_status: 'declined_by_network', reason: 'insufficient_funds', risk_level: 'normal', seller_message: 'The bank returned the decline code `insufficient_funds`.', type: 'issuer_declined' }
        : { network_status: 'approved_by_network', reason: null, risk_level: 'normal', seller_message: 'Payment complete.', type: 'authorized' },
      paid: !failed,
      payment_intent: intent.id,
      payment_method: pm,
      refunded: false,
      status: failed ? 'failed' : 'succeeded',
    } as unknown as Charge
    charges.set(charge.id, charge)
    return outcome === 'captured' ? capture(charge, amount) : charge
  }

  /** The charge's funds reach the balance: one charge transaction, less any uncaptured part. */
  function capture(charge: Charge, amount: number): Charge {
    const txn = recordTxn({
      amount: charge.amount,
      currency: charge.currency,
      fee: cardFee(amount),
      type: 'charge',
      category: 'charge',
      source: charge.id,
    })
    if (amount < charge.amount) {
      recordTxn({
        amount: amount - charge.amount,
        currency: charge.currency,
        type: 'refund',
        category: 'partial_capture_reversal',
        source: charge.id,
      })
    }
    const captured = {
      ...charge,
      captured: true,
      amount_captured: amount,
      amount_refunded: charge.amount - amount,
      balance_transaction: txn.id,
    } as Charge
    charges.set(charge.id, captured)
    return captured
  }

  /** The card pays: captured at once, or authorized for a manual-capture intent. */
  function chargeIntent(intent: Intent, pm: PaymentMethod, amount: number): Intent {
    const manual = intent.capture_method === 'manual'
    const charge = newCharge(intent, pm.id, amount, manual ? 'authorized' : 'captured')
    if (!pm.customer) {
      if (intent.setup_future_usage && typeof intent.customer === 'string') {
        paymentMethods.set(pm.id, { ...pm, customer: intent.customer } as PaymentMethod)
      } else {
        spent.add(pm.id)
      }
    }
    const next = {
      ...intent,
      status: manual ? 'requires_capture' : 'succeeded',
      amount_received: manual ? 0 : amount,
      amount_capturable: manual ? amount : 0,
      latest_charge: charge.id,
      payment_method: pm.id,
      last_payment_error: null,
    } as Intent
    intents.set(intent.id, next)
    return next
  }

  /** The bank declines the card: a failed charge, and the intent waits for another card. */
  function declineIntent(intent: Intent, pm: PaymentMethod): Reply {
    const charge = newCharge(intent, pm.id, intent.amount, 'failed')
    const error = {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      charge: charge.id,
      payment_method: pm,
    }
    const next = {
      ...intent,
      status: 'requires_payment_method',
      latest_charge: charge.id,
      payment_method: null,
      last_payment_error: error,
    } as unknown as Intent
    intents.set(intent.id, next)
    return { status: 402, json: { error: { ...error, payment_intent: next } } }
  }

  /** Confirming with the card given, or the one the intent has. */
  function confirmIntent(intent: Intent, pmParam: unknown, expand: string[]): Reply {
    const pmId = typeof pmParam === 'string' ? pmParam : intent.payment_method
    if (typeof pmId !== 'string') {
      return failure(400, 'invalid_request_error', "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.", { code: 'payment_intent_unexpected_state', payment_intent: intent })
    }
    const pm = resolveCard(pmId)
    if (!pm) {
      return missing('PaymentMethod', pmId, 'payment_method', 400)
    }
    const refused = refusal(intent, pm)
    if (refused) {
      return refused
    }
    if (declining.has(pm.id)) {
      return declineIntent(intent, pm)
    }
    return { status: 200, json: present(chargeIntent(intent, pm, intent.amount), expand) }
  }

  /** The intent with its latest charge, and that charge's balance transaction, expanded if asked. */
  function present(intent: Intent, expand: string[]): Intent {
    const charge = typeof intent.latest_charge === 'string' ? charges.get(intent.latest_charge) : undefined
    if (!charge || !expand.some((e) => e === 'latest_charge' || e.startsWith('latest_charge.'))) {
      return intent
    }
    const txn = typeof charge.balance_transaction === 'string' ? balanceTransactions.get(charge.balance_transaction) : undefined
    return {
      ...intent,
      latest_charge: expand.includes('latest_charge.balance_transaction') && txn ? { ...charge, balance_transaction: txn } : charge,
    }
  }

  const presentDispute = (dispute: Dispute): Dispute => ({
    ...dispute,
    balance_transactions: dispute.balance_transactions.map((t) => balanceTransactions.get(t.id) ?? t),
  })

  /** A balance transaction's source as Stripe expands it: the charge, refund, dispute or payout. */
  const sourceObject = (source: Txn['source']): unknown => {
    if (typeof source !== 'string') {
      return source
    }
    const dispute = disputes.get(source)
    return charges.get(source) ?? refunds.get(source) ?? (dispute && presentDispute(dispute)) ?? payouts.get(source) ?? source
  }

  const server = setupServer(
    http.post(`${API}/payment_intents`, ({ request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const amount = Number(form.amount)
        if (!Number.isInteger(amount) || amount < 50) {
          return { status: 400, json: { error: { type: 'invalid_request_error', code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' } } }
        }
        const customer = typeof form.customer === 'string' ? form.customer : null
        if (customer && !customers.has(customer)) {
          return missing('customer', customer, 'customer', 400)
        }
        const confirm = form.confirm === 'true'
        if (form.off_session !== undefined && form.off_session !== 'false' && !confirm) {
          return failure(400, 'invalid_request_error', 'off_session can only be set when confirm is true.', { param: 'off_session' })
        }
        if (confirm && typeof form.payment_method !== 'string') {
          return failure(400, 'invalid_request_error', "You cannot confirm this PaymentIntent because it's missing a payment method. Pass payment_method with confirm=true.", { code: 'parameter_missing', param: 'payment_method' })
        }
        if (confirm && typeof form.payment_method === 'string' && !form.payment_method.startsWith('pm_card_')) {
          const pm = paymentMethods.get(form.payment_method)
          const refused = pm ? refusal({ customer }, pm) : missing('PaymentMethod', form.payment_method, 'payment_method', 400)
          if (refused) {
            return refused
          }
        }
        const intentId = id('pi')
        const intent = {
          id: intentId,
          object: 'payment_intent',
          amount,
          amount_capturable: 0,
          amount_received: 0,
          currency: String(form.currency ?? 'usd'),
          customer,
          status: confirm ? 'requires_confirmation' : 'requires_payment_method',
          client_secret: `${intentId}_secret_${randomBytes(8).toString('hex')}`,
          created: now(),
          description: (form.description as string | undefined) ?? null,
          metadata: (form.metadata as Record<string, string> | undefined) ?? {},
          payment_method: null,
          payment_method_types: form.payment_method_types
            ? Object.values(form.payment_method_types as Record<string, string>)
            : ['card'],
          automatic_payment_methods: form.automatic_payment_methods ? { enabled: true } : null,
          capture_method: (form.capture_method as string | undefined) ?? 'automatic',
          setup_future_usage: (form.setup_future_usage as string | undefined) ?? null,
          last_payment_error: null,
          cancellation_reason: null,
          latest_charge: null,
          livemode: false,
        } as unknown as Intent
        intents.set(intentId, intent)
        return confirm
          ? confirmIntent(intent, form.payment_method, expansions(form))
          : { status: 200, json: present(intent, expansions(form)) }
      }),
    ),
    http.post(`${API}/payment_intents/:id/confirm`, ({ params, request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const intent = intents.get(String(params.id))
        if (!intent) {
          return missing('payment_intent', String(params.id), 'intent')
        }
        if (!['requires_payment_method', 'requires_confirmation', 'requires_action'].includes(intent.status)) {
          return failure(400, 'invalid_request_error', `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`, { code: 'payment_intent_unexpected_state', payment_intent: intent })
        }
        return confirmIntent(intent, form.payment_method, expansions(form))
      }),
    ),
    http.post(`${API}/payment_intents/:id/capture`, ({ params, request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const intent = intents.get(String(params.id))
        if (!intent) {
          return missing('payment_intent', String(params.id), 'intent')
        }
        const charge = typeof intent.latest_charge === 'string' ? charges.get(intent.latest_charge) : undefined
        if (intent.status !== 'requires_capture' || !charge) {
          return failure(400, 'invalid_request_error', `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, { code: 'payment_intent_unexpected_state', payment_intent: intent })
        }
        const amount = form.amount_to_capture === undefined ? intent.amount_capturable : Number(form.amount_to_capture)
        if (!Number.isInteger(amount) || amount < 1 || amount > intent.amount_capturable) {
          return failure(400, 'invalid_request_error', `The amount to capture (${String(form.amount_to_capture)}) must be a positive integer no greater than the amount capturable (${intent.amount_capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' })
        }
        capture(charge, amount)
        const captured = { ...intent, status: 'succeeded', amount_received: amount, amount_capturable: 0 } as Intent
        intents.set(intent.id, captured)
        return { status: 200, json: present(captured, expansions(form)) }
      }),
    ),
    http.post(`${API}/customers`, ({ request }) =>
      idempotent(request, (text) => {
        const form = parseForm(text)
        const customer = {
          id: id('cus'),
          object: 'customer',
          address: null,
          balance: 0,
          created: now(),
          currency: null,
          default_source: null,
          delinquent: false,
          description: (form.description as string | undefined) ?? null,
          discount: null,
          email: (form.email as string | undefined) ?? null,
          invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
          invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
          livemode: false,
          metadata: (form.metadata as Record<string, string> | undefined) ?? {},
          name: (form.name as string | undefined) ?? null,
          next_invoice_sequence: 1,
          phone: (form.phone as string | undefined) ?? null,
          preferred_locales: [],
          shipping: null,
          tax_exempt: 'none',
          test_clock: null,
        } as unknown as Stripe.Customer
        customers.set(customer.id, customer)
        return { status: 200, json: customer }
      }),
    ),
    http.get(`${API}/customers/:id`, ({ params, request }) => {
      seen(request)
      const customer = customers.get(String(params.id))
      return customer
        ? HttpResponse.json(customer)
        : stripeError(404, 'invalid_request_error', `No such customer: '${String(params.id)}'`, { code: 'resource_missing', param: 'id' })
    }),
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
        const refundId = id('re')
        const txn = recordTxn({ amount: -amount, currency: intent.currency, type: 'refund', category: 'refund', source: refundId })
        const refund = {
          id: refundId,
          object: 'refund',
          amount,
          balance_transaction: txn.id,
          currency: intent.currency,
          payment_intent: intent.id,
          charge: intent.latest_charge,
          status: 'succeeded',
          reason: null,
          failure_balance_transaction: null,
          failure_reason: null,
          metadata: (form.metadata as Record<string, string> | undefined) ?? {},
          created: now(),
        } as unknown as Refund
        refunds.set(refund.id, refund)
        const charge = typeof intent.latest_charge === 'string' ? charges.get(intent.latest_charge) : undefined
        if (charge) {
          const refunded = charge.amount_refunded + amount
          charges.set(charge.id, { ...charge, amount_refunded: refunded, refunded: refunded >= charge.amount })
        }
        return { status: 200, json: refund }
      }),
    ),
    http.get(`${API}/balance_transactions`, ({ request }) => {
      seen(request)
      const q = new URL(request.url).searchParams
      const payoutId = q.get('payout')
      const type = q.get('type')
      const source = q.get('source')
      if (payoutId !== null) {
        const payout = payouts.get(payoutId)
        if (!payout) {
          return stripeError(404, 'invalid_request_error', `No such payout: '${payoutId}'`, { code: 'resource_missing', param: 'payout' })
        }
        if (!payout.automatic) {
          return stripeError(400, 'invalid_request_error', 'Balance transaction history can only be filtered on automatic transfers, not manual.', { param: 'payout' })
        }
      }
      // expand[]=data.source gives each transaction's source object in place of its id
      const expandSource = expansions(q).includes('data.source')
      return page(request, '/v1/balance_transactions', 'balance_transaction', [...balanceTransactions.values()].reverse(), (t) =>
        (payoutId === null || paidOutIn.get(t.id) === payoutId) &&
        (type === null || t.type === type) &&
        (source === null || t.source === source),
        (t) => (expandSource ? { ...t, source: sourceObject(t.source) } : t),
      )
    }),
    http.get(`${API}/balance_transactions/:id`, ({ params, request }) => {
      seen(request)
      const txn = balanceTransactions.get(String(params.id))
      return txn
        ? HttpResponse.json(txn)
        : stripeError(404, 'invalid_request_error', `No such balance_transaction: '${String(params.id)}'`, { code: 'resource_missing', param: 'id' })
    }),
    http.get(`${API}/payouts`, ({ request }) => {
      seen(request)
      const status = new URL(request.url).searchParams.get('status')
      return page(request, '/v1/payouts', 'payout', [...payouts.values()].reverse(), (p) => status === null || p.status === status)
    }),
    http.get(`${API}/payouts/:id`, ({ params, request }) => {
      seen(request)
      const payout = payouts.get(String(params.id))
      return payout
        ? HttpResponse.json(payout)
        : stripeError(404, 'invalid_request_error', `No such payout: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/disputes/:id`, ({ params, request }) => {
      seen(request)
      const dispute = disputes.get(String(params.id))
      return dispute
        ? HttpResponse.json(presentDispute(dispute))
        : stripeError(404, 'invalid_request_error', `No such dispute: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/refunds/:id`, ({ params, request }) => {
      seen(request)
      const refund = refunds.get(String(params.id))
      return refund
        ? HttpResponse.json(refund)
        : stripeError(404, 'invalid_request_error', `No such refund: '${String(params.id)}'`, { code: 'resource_missing' })
    }),
    http.get(`${API}/refunds`, ({ request }) => {
      const url = new URL(request.url)
      seen(request)
      const pi = url.searchParams.get('payment_intent')
      const data = [...refunds.values()].filter((r) => !pi || r.payment_intent === pi).reverse()
      return HttpResponse.json({ object: 'list', url: '/v1/refunds', has_more: false, data })
    }),
    http.get(`${API}/events`, ({ request }) => {
      const url = new URL(request.url)
      seen(request)
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
      seen(request)
      const intent = intents.get(String(params.id))
      return intent
        ? HttpResponse.json(present(intent, expansions(new URL(request.url).searchParams)))
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

  const newPayout = (amount: number, status: Stripe.Payout['status'], automatic: boolean, payoutId = id('po')) => {
    const txn = recordTxn({ amount: -amount, type: 'payout', category: 'payout', source: payoutId, description: 'STRIPE PAYOUT' })
    paidOutIn.set(txn.id, payoutId)
    return {
      id: payoutId,
      object: 'payout',
      amount,
      application_fee: null,
      application_fee_amount: null,
      arrival_date: now(),
      automatic,
      balance_transaction: txn.id,
      created: now(),
      currency: 'usd',
      description: automatic ? 'STRIPE PAYOUT' : null,
      destination: bankAccount,
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: {},
      method: 'standard',
      original_payout: null,
      reconciliation_status: automatic ? 'completed' : 'not_applicable',
      reversed_by: null,
      source_type: 'card',
      statement_descriptor: null,
      status,
      type: 'bank_account',
    } as unknown as Stripe.Payout
  }

  /** The bank returns the payout: its amount comes back to the balance. */
  const returned = (payout: Stripe.Payout): Stripe.Payout => {
    const txn = recordTxn({ amount: payout.amount, type: 'payout_failure', category: 'payout_reversal', source: payout.id })
    if (!payout.automatic) {
      paidOutIn.set(txn.id, payout.id)
    }
    return {
      ...payout,
      status: 'failed',
      failure_balance_transaction: txn.id,
      failure_code: 'account_closed',
      failure_message: 'The bank account has been closed.',
    } as Stripe.Payout
  }

  return {
    intents,
    refunds,
    balanceTransactions,
    customers,
    readers,
    payout: (amount, status = 'paid', payoutId) => {
      const prior = payoutId ? payouts.get(payoutId) : undefined
      let payout = prior ? ({ ...prior, amount } as Stripe.Payout) : newPayout(amount, 'paid', false, payoutId)
      if (status === 'failed' && payout.status !== 'failed') {
        payout = returned(payout)
      }
      payouts.set(payout.id, payout)
      return payout
    },
    payoutPending: (status = 'paid') => {
      const unsettled = [...balanceTransactions.values()].filter((t) => !paidOutIn.has(t.id))
      const amount = unsettled.reduce((sum, t) => sum + t.net, 0)
      if (amount <= 0) {
        throw new Error(`the simulator has nothing to pay out: the balance not yet paid out is ${amount}`)
      }
      let payout = newPayout(amount, status === 'failed' ? 'paid' : status, true)
      for (const t of unsettled) {
        paidOutIn.set(t.id, payout.id)
        balanceTransactions.set(t.id, { ...t, status: 'available' })
      }
      if (status === 'failed') {
        payout = returned(payout)
      }
      payouts.set(payout.id, payout)
      return payout
    },
    dispute: (intentId, reason = 'fraudulent') => {
      const intent = intents.get(intentId)
      if (!intent) {
        throw new Error(`the simulator has no PaymentIntent ${intentId}`)
      }
      const disputeId = id('dp')
      const withdrawn = recordTxn({
        amount: -intent.amount_received,
        currency: intent.currency,
        fee: DISPUTE_FEE,
        feeDescription: 'Dispute fee',
        type: 'adjustment',
        category: 'dispute',
        source: disputeId,
        description: `Chargeback withdrawal for ${String(intent.latest_charge)}`,
      })
      const dispute = {
        id: disputeId,
        object: 'dispute',
        amount: intent.amount_received,
        balance_transactions: [withdrawn],
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
      const reinstated =
        outcome === 'won' && dispute.status !== 'won'
          ? [recordTxn({
              amount: dispute.amount,
              currency: dispute.currency,
              type: 'adjustment',
              category: 'dispute_reversal',
              source: dispute.id,
              description: `Chargeback reversal for ${String(dispute.charge)}`,
            })]
          : []
      const closed = presentDispute({
        ...dispute,
        status: outcome,
        balance_transactions: [...dispute.balance_transactions, ...reinstated],
      } as Dispute)
      disputes.set(disputeId, closed)
      return closed
    },
    failRefund: (refundId) => {
      const refund = refunds.get(refundId)
      if (!refund) {
        throw new Error(`the simulator has no refund ${refundId}`)
      }
      if (refund.status === 'failed') {
        return refund
      }
      const txn = recordTxn({
        amount: refund.amount,
        currency: refund.currency,
        type: 'adjustment',
        category: 'refund_failure',
        source: refund.id,
        description: `Refund failure for ${refund.id}`,
      })
      const failed = {
        ...refund,
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
        failure_balance_transaction: txn.id,
      } as Refund
      refunds.set(refundId, failed)
      return failed
    },
    savedCard: (customerId) => {
      if (!customers.has(customerId)) {
        throw new Error(`the simulator has no customer ${customerId}`)
      }
      return cardObject(customerId).id
    },
    declineSavedCard: (paymentMethodId) => {
      if (!paymentMethods.has(paymentMethodId)) {
        throw new Error(`the simulator has no PaymentMethod ${paymentMethodId}`)
      }
      declining.add(paymentMethodId)
    },
    calls,
    pay: (intentId, amountReceived) => {
      const intent = intents.get(intentId)
      if (!intent) {
        throw new Error(`the simulator has no PaymentIntent ${intentId}`)
      }
      if (intent.status === 'succeeded' || intent.status === 'requires_capture') {
        return intent
      }
      const customer = typeof intent.customer === 'string' ? intent.customer : null
      return chargeIntent(intent, cardObject(intent.setup_future_usage ? customer : null), amountReceived ?? intent.amount)
    },
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
