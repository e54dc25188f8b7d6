import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import Stripe from 'stripe'
import { requireStripe } from '../../../api/payments/stripe.ts'
import { feeOf, retrieveIntent } from '../../../api/payments/payments.ts'
import { startStripeSimulator, TEST_SECRET_KEY } from '../../stripe/simulator.ts'

// the simulator answers the real SDK, built as Curbline builds it: what any payments code will see
const stripe = startStripeSimulator()
afterAll(() => stripe.close())
const client = requireStripe({ STRIPE_SECRET_KEY: TEST_SECRET_KEY })

/** A card payment of the amount, paid as the Payment Element would pay it. */
async function paid(amount: number, params: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  const intent = await client.paymentIntents.create({ amount, currency: 'usd', ...params })
  return stripe.pay(intent.id)
}

/** What Stripe answered to a request it refused. */
async function refused(request: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await request
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) {
      return err
    }
    throw err
  }
  throw new Error('Stripe took a request it should have refused')
}

function chargeIdOf(intent: Stripe.PaymentIntent): string {
  const charge = intent.latest_charge
  if (!charge) {
    throw new Error(`${intent.id} has no charge`)
  }
  return typeof charge === 'string' ? charge : charge.id
}

function paymentMethodOf(intent: Stripe.PaymentIntent): string {
  if (typeof intent.payment_method !== 'string') {
    throw new Error(`${intent.id} has no payment method`)
  }
  return intent.payment_method
}

function expandedTxn(intent: Stripe.PaymentIntent): Stripe.BalanceTransaction {
  const charge = intent.latest_charge
  if (!charge || typeof charge === 'string' || !charge.balance_transaction || typeof charge.balance_transaction === 'string') {
    throw new Error(`${intent.id} has no expanded balance transaction`)
  }
  return charge.balance_transaction
}

async function txn(txnId: unknown): Promise<Stripe.BalanceTransaction> {
  if (typeof txnId !== 'string') {
    throw new Error(`not a balance transaction id: ${String(txnId)}`)
  }
  return client.balanceTransactions.retrieve(txnId)
}

const bySource = (source: string) =>
  client.balanceTransactions.list({ source, limit: 100 }).autoPagingToArray({ limit: 1000 })

/** Stripe pays out all there is, so that what a test pays out next is its own. */
async function clearBalance() {
  await paid(100_000)
  stripe.payoutPending()
}

describe('balance transactions', () => {
  it('gives a paid charge one balance transaction, the very one its expanded charge carries', async () => {
    const intent = await paid(1000)
    const seen = await retrieveIntent(client, intent.id)
    expect(feeOf(seen)).toBe(59)
    const own = expandedTxn(seen)
    expect(own).toMatchObject({
      object: 'balance_transaction',
      type: 'charge',
      reporting_category: 'charge',
      amount: 1000,
      fee: 59,
      net: 941,
      currency: 'usd',
      source: chargeIdOf(intent),
      status: 'pending',
      fee_details: [{ amount: 59, currency: 'usd', type: 'stripe_fee', application: null }],
    })
    expect(own.available_on).toBe(own.created + 2 * 86_400)
    const charges = await client.balanceTransactions.list({ type: 'charge', limit: 100 })
    expect(charges.data.find((t) => t.source === chargeIdOf(intent))).toEqual(own)
    expect(await client.balanceTransactions.retrieve(own.id)).toEqual(own)
  })

  it('pages newest first: ten at a time unless told, at most a hundred, on from starting_after', async () => {
    for (let i = 0; i < 12; i++) {
      await paid(500 + i)
    }
    const newestFirst = [...stripe.balanceTransactions.values()].reverse().map((t) => t.id)
    const first = await client.balanceTransactions.list()
    expect(first).toMatchObject({ object: 'list', url: '/v1/balance_transactions', has_more: true })
    expect(first.data.map((t) => t.id)).toEqual(newestFirst.slice(0, 10))
    const next = await client.balanceTransactions.list({ limit: 3, starting_after: first.data.at(-1)?.id })
    expect(next.data.map((t) => t.id)).toEqual(newestFirst.slice(10, 13))
    const every = await client.balanceTransactions.list({ limit: 5 }).autoPagingToArray({ limit: 10_000 })
    expect(every.map((t) => t.id)).toEqual(newestFirst)
    const last = await client.balanceTransactions.list({ limit: 100, starting_after: newestFirst.at(-2) })
    expect(last).toMatchObject({ has_more: false, data: [{ id: newestFirst.at(-1) }] })

    const tooMany = await refused(client.balanceTransactions.list({ limit: 101 }))
    expect(tooMany).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'limit' })
    const nowhere = await refused(client.balanceTransactions.list({ starting_after: 'txn_nowhere' }))
    expect(nowhere).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'starting_after' })
  })

  it('filters by type', async () => {
    const intent = await paid(800)
    const refund = await client.refunds.create({ payment_intent: intent.id, amount: 300 })
    const refunds = await client.balanceTransactions.list({ type: 'refund', limit: 100 }).autoPagingToArray({ limit: 1000 })
    expect(refunds.length).toBeGreaterThan(0)
    expect(refunds.every((t) => t.type === 'refund')).toBe(true)
    expect(refunds.find((t) => t.source === refund.id)).toMatchObject({ id: refund.balance_transaction, amount: -300 })
    const charges = await client.balanceTransactions.list({ type: 'charge', limit: 100 }).autoPagingToArray({ limit: 1000 })
    expect(charges.some((t) => t.source === refund.id)).toBe(false)
    expect(charges.some((t) => t.source === chargeIdOf(intent))).toBe(true)
  })

  it('records a refund, its failure, and disputes lost and won, as Stripe does', async () => {
    const intent = await paid(2000)
    const refund = await client.refunds.create({ payment_intent: intent.id, amount: 500 })
    expect(await txn(refund.balance_transaction)).toMatchObject({
      type: 'refund',
      reporting_category: 'refund',
      amount: -500,
      fee: 0,
      net: -500,
      source: refund.id,
    })
    stripe.failRefund(refund.id)
    const failed = await client.refunds.retrieve(refund.id)
    expect(failed).toMatchObject({ status: 'failed', balance_transaction: refund.balance_transaction })
    expect(await txn(failed.failure_balance_transaction)).toMatchObject({
      type: 'adjustment',
      reporting_category: 'refund_failure',
      amount: 500,
      net: 500,
      source: refund.id,
    })

    const won = stripe.dispute((await paid(3000)).id)
    const withdrawn = {
      type: 'adjustment',
      reporting_category: 'dispute',
      amount: -3000,
      fee: 1500,
      net: -4500,
      source: won.id,
      fee_details: [{ amount: 1500, type: 'stripe_fee', description: 'Dispute fee' }],
    }
    expect((await client.disputes.retrieve(won.id)).balance_transactions).toMatchObject([withdrawn])
    stripe.closeDispute(won.id, 'won')
    stripe.closeDispute(won.id, 'won')
    const reinstated = { type: 'adjustment', reporting_category: 'dispute_reversal', amount: 3000, fee: 0, net: 3000, source: won.id }
    expect((await client.disputes.retrieve(won.id)).balance_transactions).toMatchObject([withdrawn, reinstated])

    const lost = stripe.dispute((await paid(1200)).id)
    stripe.closeDispute(lost.id, 'lost')
    const kept = await client.disputes.retrieve(lost.id)
    expect(kept.balance_transactions).toMatchObject([{ reporting_category: 'dispute', amount: -1200, net: -2700 }])

    const adjustments = await client.balanceTransactions.list({ type: 'adjustment', limit: 100 }).autoPagingToArray({ limit: 1000 })
    const mine = adjustments.filter((t) => [refund.id, won.id, lost.id].includes(String(t.source)))
    expect(mine.map((t) => [t.reporting_category, t.amount])).toEqual([
      ['dispute', -1200],
      ['dispute_reversal', 3000],
      ['dispute', -3000],
      ['refund_failure', 500],
    ])
  })
})

describe('payouts', () => {
  it('pays out every balance transaction not yet paid out, and lists exactly those by the payout', async () => {
    await clearBalance()
    const a = await paid(1000)
    const b = await paid(2500)
    const refund = await client.refunds.create({ payment_intent: b.id, amount: 300 })
    const payout = stripe.payoutPending()
    // 1000 less 59, 2500 less 103, and the 300 refunded
    expect(payout).toMatchObject({ object: 'payout', amount: 3038, status: 'paid', automatic: true })
    expect(await client.payouts.retrieve(payout.id)).toEqual(payout)
    expect(await txn(payout.balance_transaction)).toMatchObject({
      type: 'payout',
      reporting_category: 'payout',
      amount: -3038,
      net: -3038,
      source: payout.id,
    })
    const settled = await client.balanceTransactions.list({ payout: payout.id, limit: 2 }).autoPagingToArray({ limit: 100 })
    expect(settled.map((t) => [t.type, t.source, t.net])).toEqual([
      ['payout', payout.id, -3038],
      ['refund', refund.id, -300],
      ['charge', chargeIdOf(b), 2397],
      ['charge', chargeIdOf(a), 941],
    ])
    expect(settled.every((t) => t.status === 'available')).toBe(true)
    // the charge's own transaction, as its expanded charge shows it, is the one paid out
    expect(expandedTxn(await retrieveIntent(client, a.id))).toEqual(settled[3])

    const c = await paid(700)
    const next = stripe.payoutPending('in_transit')
    expect(next).toMatchObject({ amount: 650, status: 'in_transit' })
    const nextSettled = await client.balanceTransactions.list({ payout: next.id })
    expect(nextSettled.data.map((t) => [t.type, t.source])).toEqual([
      ['payout', next.id],
      ['charge', chargeIdOf(c)],
    ])
    expect(() => stripe.payoutPending()).toThrow(/nothing to pay out/)
  })

  it('returns the amount of a payout the bank sent back, for the next payout to take', async () => {
    await clearBalance()
    const intent = await paid(2000)
    const failed = stripe.payoutPending('failed')
    expect(failed).toMatchObject({ amount: 1912, status: 'failed', failure_code: 'account_closed' })
    expect(await txn(failed.failure_balance_transaction)).toMatchObject({
      type: 'payout_failure',
      reporting_category: 'payout_reversal',
      amount: 1912,
      source: failed.id,
    })
    const inFailed = await client.balanceTransactions.list({ payout: failed.id })
    expect(inFailed.data.map((t) => t.source)).toEqual([failed.id, chargeIdOf(intent)])
    const again = stripe.payoutPending()
    expect(again.amount).toBe(1912)
    const inAgain = await client.balanceTransactions.list({ payout: again.id })
    expect(inAgain.data.map((t) => t.type)).toEqual(['payout', 'payout_failure'])
  })

  it('lists payouts newest first, in pages and by status', async () => {
    await paid(5000)
    const older = stripe.payoutPending()
    const manual = stripe.payout(12_345)
    const returned = stripe.payout(12_345, 'failed', manual.id)
    expect(returned).toMatchObject({ id: manual.id, status: 'failed', automatic: false })
    expect(await client.payouts.retrieve(manual.id)).toEqual(returned)
    await paid(900)
    const newest = stripe.payoutPending()

    const first = await client.payouts.list({ limit: 2 })
    expect(first).toMatchObject({ object: 'list', url: '/v1/payouts', has_more: true })
    expect(first.data.map((p) => p.id)).toEqual([newest.id, manual.id])
    const second = await client.payouts.list({ limit: 1, starting_after: manual.id })
    expect(second.data.map((p) => p.id)).toEqual([older.id])
    const failedOnes = await client.payouts.list({ status: 'failed', limit: 100 }).autoPagingToArray({ limit: 1000 })
    expect(failedOnes.every((p) => p.status === 'failed')).toBe(true)
    expect(failedOnes.map((p) => p.id)).toContain(manual.id)
    expect(failedOnes.map((p) => p.id)).not.toContain(newest.id)
  })

  it('lists transactions only by an automatic payout that exists', async () => {
    const manual = stripe.payout(500)
    const byManual = await refused(client.balanceTransactions.list({ payout: manual.id }))
    expect(byManual).toMatchObject({ statusCode: 400, param: 'payout' })
    expect(byManual.message).toMatch(/automatic/)
    const unknown = await refused(client.balanceTransactions.list({ payout: 'po_nowhere' }))
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing' })
    expect(await refused(client.payouts.retrieve('po_nowhere'))).toMatchObject({ statusCode: 404 })
  })
})

describe('confirming and capturing PaymentIntents', () => {
  it('confirms an intent with a card, once, and not without one', async () => {
    const intent = await client.paymentIntents.create({ amount: 1500, currency: 'usd' })
    const noCard = await refused(client.paymentIntents.confirm(intent.id))
    expect(noCard).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' })
    const confirmed = await client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' })
    expect(confirmed).toMatchObject({ id: intent.id, status: 'succeeded', amount_received: 1500 })
    expect(paymentMethodOf(confirmed)).toMatch(/^pm_(?!card_)/)
    expect(await bySource(chargeIdOf(confirmed))).toMatchObject([{ type: 'charge', amount: 1500, fee: 74, net: 1426 }])
    const twice = await refused(client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }))
    expect(twice).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' })
    expect(twice.message).toMatch(/status of succeeded/)
    const unknown = await refused(client.paymentIntents.confirm('pi_nowhere', { payment_method: 'pm_card_visa' }))
    expect(unknown).toMatchObject({ statusCode: 404, code: 'resource_missing' })
  })

  it('authorizes a manual-capture intent, captures part of it, and only once', async () => {
    const intent = await client.paymentIntents.create({ amount: 5000, currency: 'usd', capture_method: 'manual' })
    const authorized = await client.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' })
    expect(authorized).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 })
    const uncaptured = await retrieveIntent(client, intent.id)
    expect(uncaptured.latest_charge).toMatchObject({ captured: false, balance_transaction: null })
    expect(feeOf(uncaptured)).toBeNull()
    expect(await bySource(chargeIdOf(authorized))).toEqual([])

    const tooMuch = await refused(client.paymentIntents.capture(intent.id, { amount_to_capture: 5001 }))
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' })
    const captured = await client.paymentIntents.capture(intent.id, { amount_to_capture: 3000 })
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 })
    const seen = await retrieveIntent(client, intent.id)
    expect(feeOf(seen)).toBe(117)
    expect(seen.latest_charge).toMatchObject({ captured: true, amount: 5000, amount_captured: 3000, amount_refunded: 2000 })
    // Stripe's two transactions: the whole authorization, and the uncaptured part given back
    expect(await bySource(chargeIdOf(captured))).toMatchObject([
      { type: 'refund', reporting_category: 'partial_capture_reversal', amount: -2000, net: -2000 },
      { type: 'charge', reporting_category: 'charge', amount: 5000, fee: 117, net: 4883 },
    ])
    const again = await refused(client.paymentIntents.capture(intent.id))
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' })
  })

  it('captures the whole authorization when no amount is given', async () => {
    const intent = await paid(2400, { capture_method: 'manual' })
    expect(intent).toMatchObject({ status: 'requires_capture', amount_capturable: 2400 })
    const captured = await client.paymentIntents.capture(intent.id)
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 2400 })
    expect(await bySource(chargeIdOf(captured))).toMatchObject([{ type: 'charge', amount: 2400, fee: 100, net: 2300 }])
  })
})

describe('customers', () => {
  it('creates a customer and retrieves it', async () => {
    const made = await client.customers.create({
      email: 'ada@example.test',
      name: 'Ada Driver',
      metadata: { curblineCustomerId: '42' },
    })
    expect(made.id).toMatch(/^cus_/)
    expect(made).toMatchObject({
      object: 'customer',
      email: 'ada@example.test',
      name: 'Ada Driver',
      metadata: { curblineCustomerId: '42' },
      balance: 0,
      livemode: false,
    })
    expect(await client.customers.retrieve(made.id)).toEqual(made)
    const nobody = await refused(client.customers.retrieve('cus_nobody'))
    expect(nobody).toMatchObject({ statusCode: 404, code: 'resource_missing', type: 'StripeInvalidRequestError' })
  })

  it('replays a create with the same Idempotency-Key, and refuses the key with other parameters', async () => {
    const key = randomUUID()
    const made = await client.customers.create({ email: 'bo@example.test' }, { idempotencyKey: key })
    const count = stripe.customers.size
    const again = await client.customers.create({ email: 'bo@example.test' }, { idempotencyKey: key })
    expect(again).toEqual(made)
    expect(stripe.customers.size).toBe(count)
    const changed = await refused(client.customers.create({ email: 'cy@example.test' }, { idempotencyKey: key }))
    expect(changed).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' })
  })
})

describe('saved cards charged off-session', () => {
  it('charges a saved card at once, with its charge and balance transaction', async () => {
    const customer = await client.customers.create({ email: 'dee@example.test' })
    const card = stripe.savedCard(customer.id)
    expect(card).toMatch(/^pm_/)
    const intent = await client.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method: card,
      off_session: true,
      confirm: true,
      expand: ['latest_charge.balance_transaction'],
    })
    expect(intent).toMatchObject({
      status: 'succeeded',
      amount_received: 1500,
      customer: customer.id,
      payment_method: card,
      latest_charge: { object: 'charge', payment_method: card, customer: customer.id, status: 'succeeded' },
    })
    expect(feeOf(intent)).toBe(74)
    expect(await bySource(chargeIdOf(intent))).toEqual([expandedTxn(intent)])
  })

  it("answers a declined saved card with Stripe's 402 card error, and keeps the intent", async () => {
    const customer = await client.customers.create({ email: 'eve@example.test' })
    const card = stripe.savedCard(customer.id)
    stripe.declineSavedCard(card)
    const txns = stripe.balanceTransactions.size
    const params = { amount: 1500, currency: 'usd', customer: customer.id, payment_method: card, off_session: true, confirm: true }
    const key = randomUUID()
    const declined = await refused(client.paymentIntents.create(params, { idempotencyKey: key }))
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError)
    expect(declined).toMatchObject({
      statusCode: 402,
      rawType: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    })
    const intent = declined.payment_intent
    if (!intent) {
      throw new Error('the card error carries no PaymentIntent')
    }
    expect(intent).toMatchObject({
      object: 'payment_intent',
      status: 'requires_payment_method',
      amount_received: 0,
      customer: customer.id,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
    })
    expect(await client.paymentIntents.retrieve(intent.id)).toMatchObject({ status: 'requires_payment_method' })
    expect(stripe.balanceTransactions.size).toBe(txns)
    // the same request again is the same decline of the same intent
    const replayed = await refused(client.paymentIntents.create(params, { idempotencyKey: key }))
    expect(replayed).toMatchObject({ statusCode: 402, payment_intent: { id: intent.id } })
  })

  it('refuses a card saved to another customer, or to a customer not named', async () => {
    const owner = await client.customers.create({ email: 'fay@example.test' })
    const other = await client.customers.create({ email: 'gus@example.test' })
    const card = stripe.savedCard(owner.id)
    const charge = { amount: 900, currency: 'usd', payment_method: card, off_session: true, confirm: true }
    const before = stripe.intents.size
    expect(await refused(client.paymentIntents.create({ ...charge, customer: other.id }))).toMatchObject({ statusCode: 400, param: 'payment_method' })
    expect(await refused(client.paymentIntents.create(charge))).toMatchObject({ statusCode: 400, param: 'payment_method' })
    expect(await refused(client.paymentIntents.create({ ...charge, customer: 'cus_nobody' }))).toMatchObject({ statusCode: 400, code: 'resource_missing' })
    expect(await refused(client.paymentIntents.create({ amount: 900, currency: 'usd', customer: owner.id, payment_method: card, off_session: true }))).toMatchObject({ statusCode: 400, param: 'off_session' })
    expect(stripe.intents.size).toBe(before)
  })

  it('saves the card of an intent set up for future use, for a later charge off-session', async () => {
    const customer = await client.customers.create({ email: 'hal@example.test' })
    const first = await paid(2000, { customer: customer.id, setup_future_usage: 'off_session' })
    const card = paymentMethodOf(first)
    expect(card).toMatch(/^pm_/)
    expect((await client.paymentIntents.retrieve(first.id)).payment_method).toBe(card)
    const later = await client.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      customer: customer.id,
      payment_method: card,
      off_session: true,
      confirm: true,
    })
    expect(later).toMatchObject({ status: 'succeeded', amount_received: 900, payment_method: card })

    // a card paid with once, not saved, is not Stripe's to charge again
    const once = await paid(2000, { customer: customer.id })
    const again = await refused(
      client.paymentIntents.create({ amount: 900, currency: 'usd', customer: customer.id, payment_method: paymentMethodOf(once), off_session: true, confirm: true }),
    )
    expect(again).toMatchObject({ statusCode: 400, param: 'payment_method' })
  })
})
