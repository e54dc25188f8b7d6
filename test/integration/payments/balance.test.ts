import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { stripeClient } from '../../../api/payments/stripe.ts'
import { replayUndelivered } from '../../../api/payments/webhook.ts'
import { cardTestApp } from '../../stripe/harness.ts'
import { TEST_PUBLISHABLE_KEY, TEST_SECRET_KEY } from '../../stripe/simulator.ts'

const db = await testDatabase()
const { t, stripe, intentOf } = cardTestApp(db)
const noCards = testApp(db)

await makeFacility(db.sql, { code: 'T-LOT' })

/** A driver whose utility account owes parking: an hour and a half billed to it ($1.75). */
async function driverOwing(): Promise<{ driver: Caller; code: string; accountId: number }> {
  const driver = await t.userWithRole('driver')
  const account = await makeUtilityAccount(db.sql, { holder: { customerId: driver.customerId!, relationship: 'linked' } })
  const res = await t.request('/api/v1/sessions', {
    method: 'POST',
    as: driver,
    headers: { 'idempotency-key': randomUUID() },
    json: {
      facility: 'T-LOT',
      plate: `BAL${String(account.id).padStart(4, '0')}`,
      state: 'NC',
      minutes: 90,
      payment: { method: 'utility_account', utilityAccountId: account.id },
    },
  })
  expect(res.status).toBe(201)
  return { driver, code: receivable.ofUtilityAccount('parking', account.id), accountId: account.id }
}

async function startPayment(driver: Caller, body: object = {}, key: string = randomUUID()) {
  return t.request('/api/v1/payments/parking-balance', {
    method: 'POST',
    as: driver,
    headers: { 'idempotency-key': key },
    json: body,
  })
}

function deliver(hook: { body: string; signature: string }) {
  return t.request('/api/v1/payments/stripe/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': hook.signature },
    body: hook.body,
  })
}


async function entriesFor(pi: string): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from ledger.journal_entry where source_ref = ${pi}`
  return row!.n
}

describe('paying a parking balance by card', () => {
  it('credits the balance once Stripe says the payment succeeded, not before', async () => {
    const { driver, code, accountId } = await driverOwing()
    expect(await accountBalance(db.sql, code)).toBe(175)
    const res = await startPayment(driver, { utilityAccountId: accountId })
    expect(res.status).toBe(201)
    const started = await res.json()
    expect(started).toMatchObject({
      payment: { purpose: 'account_balance', amountCents: 175, method: 'card', status: 'requires_payment' },
      publishableKey: TEST_PUBLISHABLE_KEY,
    })
    expect(started.clientSecret).toMatch(/^pi_\w+_secret_\w+$/)
    const pi = await intentOf(started.payment.id)
    // the browser's word is not enough: nothing moves until Stripe says so
    expect(await accountBalance(db.sql, code)).toBe(175)

    const paid = stripe.pay(pi)
    const hook = await deliver(stripe.webhook('payment_intent.succeeded', paid))
    expect(hook.status).toBe(200)
    expect(await hook.json()).toEqual({ received: true, outcome: 'processed' })
    expect(await accountBalance(db.sql, code)).toBe(0)
    // the sale and Stripe's fee for it (2.9% and 30 cents), each keyed to the PaymentIntent
    const entries = await db.sql<{ description: string; lines: { account: string; amount: number }[] }[]>`
      select e.description,
             json_agg(json_build_object('account', a.code, 'amount', p.amount) order by p.amount desc) as lines
        from ledger.journal_entry e
        join ledger.posting p on p.entry_id = e.id
        join ledger.account a on a.id = p.account_id
       where e.source_ref = ${pi}
       group by e.id order by e.id`
    expect(entries).toEqual([
      {
        description: 'Card payment of parking balance, thank you',
        lines: [
          { account: 'clearing:stripe', amount: 175 },
          { account: code, amount: -175 },
        ],
      },
      {
        description: 'Card processing fee',
        lines: [
          { account: 'expense:stripe_fees', amount: 35 },
          { account: 'clearing:stripe', amount: -35 },
        ],
      },
    ])
    const view = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: driver })).json()
    expect(view).toMatchObject({ status: 'succeeded', flagged: false })
  })

  it('makes one payment and one PaymentIntent of a retried request, keyed for Stripe too', async () => {
    const { driver, accountId } = await driverOwing()
    const key = randomUUID()
    const a = await (await startPayment(driver, { utilityAccountId: accountId }, key)).json()
    const before = stripe.calls.length
    const b = await (await startPayment(driver, { utilityAccountId: accountId }, key)).json()
    expect(b.payment.id).toBe(a.payment.id)
    expect(b.clientSecret).toBe(a.clientSecret)
    const creates = stripe.calls.slice(before).filter((call) => call.path === '/v1/payment_intents')
    expect(creates).toEqual([{ method: 'POST', path: '/v1/payment_intents', idempotencyKey: `curbline-payment-${a.payment.id}` }])
    const other = await startPayment(driver, { utilityAccountId: accountId, amountCents: 100 }, key)
    expect(other.status).toBe(422)
  })

  it('posts once however often, and however concurrently, Stripe delivers the event', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const pi = await intentOf(started.payment.id)
    const hook = stripe.webhook('payment_intent.succeeded', stripe.pay(pi))
    const replies = await Promise.all(Array.from({ length: 50 }, () => deliver(hook)))
    expect(replies.every((r) => r.status === 200)).toBe(true)
    const outcomes = await Promise.all(replies.map(async (r) => (await r.json()).outcome))
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1)
    expect(await entriesFor(pi)).toBe(2)
    expect(await accountBalance(db.sql, code)).toBe(0)
  })

  it('takes one of two payments of the same balance made at once, and refunds the other itself', async () => {
    const { driver, code, accountId } = await driverOwing()
    const a = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const b = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    expect(a.payment.id).not.toBe(b.payment.id)
    const hooks = [
      stripe.webhook('payment_intent.succeeded', stripe.pay(await intentOf(a.payment.id))),
      stripe.webhook('payment_intent.succeeded', stripe.pay(await intentOf(b.payment.id))),
    ]
    await Promise.all(hooks.map(deliver))
    expect(await accountBalance(db.sql, code)).toBe(0)
    const refunds = await db.sql<{ payment: string; amount: number; status: string; reason: string }[]>`
      select p.public_id::text as payment, r.amount_cents::int as amount, r.status, r.reason
        from payments.refund r join payments.payment p on p.id = r.payment_id
       where p.public_id in (${a.payment.id}, ${b.payment.id})`
    expect(refunds).toHaveLength(1)
    expect(refunds[0]).toMatchObject({ amount: 175, status: 'succeeded', reason: 'Paid twice: the balance had already been paid' })
    // delivering again refunds nothing more
    await Promise.all(hooks.map(deliver))
    const [again] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from payments.refund r join payments.payment p on p.id = r.payment_id
       where p.public_id in (${a.payment.id}, ${b.payment.id})`
    expect(again!.n).toBe(1)
    expect([...stripe.refunds.values()].filter((r) => r.metadata?.reason?.startsWith('Paid twice'))).toHaveLength(1)
  })

  it('ends in the same state whatever order the events arrive in', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const pi = await intentOf(started.payment.id)
    const declined = stripe.decline(pi)
    const failedHook = stripe.webhook('payment_intent.payment_failed', declined)
    const succeededHook = stripe.webhook('payment_intent.succeeded', stripe.pay(pi))
    // the success arrives first, the earlier failure after it
    expect((await deliver(succeededHook)).status).toBe(200)
    expect((await deliver(failedHook)).status).toBe(200)
    const view = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: driver })).json()
    expect(view.status).toBe('succeeded')
    expect(await entriesFor(pi)).toBe(2)
    expect(await accountBalance(db.sql, code)).toBe(0)
  })

  it('records a declined card as failed and moves no money', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const pi = await intentOf(started.payment.id)
    await deliver(stripe.webhook('payment_intent.payment_failed', stripe.decline(pi)))
    const view = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: driver })).json()
    expect(view).toMatchObject({ status: 'failed', failure: 'Your card was declined.' })
    expect(await accountBalance(db.sql, code)).toBe(175)
  })

  it('refuses a forged or stale signature with 400 and writes nothing', async () => {
    const { driver, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const paid = stripe.pay(await intentOf(started.payment.id))
    const forged = stripe.webhook('payment_intent.succeeded', paid, { secret: 'whsec_someone_else' })
    const stale = stripe.webhook('payment_intent.succeeded', paid, { timestamp: Math.floor(Date.now() / 1000) - 3600 })
    for (const hook of [forged, stale, { ...forged, body: forged.body.replace('"livemode":false', '"livemode":true') }]) {
      const res = await deliver(hook)
      expect(res.status).toBe(400)
      expect((await res.json()).error.code).toBe('invalid')
    }
    const noSignature = await t.request('/api/v1/payments/stripe/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: forged.body,
    })
    expect(noSignature.status).toBe(400)
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from payments.stripe_event where id in (${forged.eventId}, ${stale.eventId})`
    expect(row!.n).toBe(0)
  })

  it('flags an amount that is not the purchase and does not fulfil it', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const pi = await intentOf(started.payment.id)
    await deliver(stripe.webhook('payment_intent.succeeded', stripe.pay(pi, 100)))
    const view = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: driver })).json()
    expect(view).toMatchObject({ flagged: true })
    expect(view.status).not.toBe('succeeded')
    expect(await entriesFor(pi)).toBe(0)
    expect(await accountBalance(db.sql, code)).toBe(175)
  })

  it('learns the outcome by asking Stripe when the page asks, before any webhook', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    stripe.pay(await intentOf(started.payment.id))
    const view = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: driver })).json()
    expect(view.status).toBe('succeeded')
    expect(await accountBalance(db.sql, code)).toBe(0)
    expect((await t.request(`/api/v1/payments/${randomUUID()}`)).status).toBe(404)
    const options = await (await t.request('/api/v1/payments/options')).json()
    expect(options).toEqual({ card: true, publishableKey: TEST_PUBLISHABLE_KEY })
    expect(await (await noCards.request('/api/v1/payments/options')).json()).toEqual({ card: false, publishableKey: null })
  })

  it('takes an event Stripe could not deliver from Stripe itself, once', async () => {
    const { driver, code, accountId } = await driverOwing()
    const started = await (await startPayment(driver, { utilityAccountId: accountId })).json()
    const pi = await intentOf(started.payment.id)
    const eventId = stripe.undelivered('payment_intent.succeeded', stripe.pay(pi))
    const client = stripeClient({ STRIPE_SECRET_KEY: TEST_SECRET_KEY })!
    expect(await replayUndelivered(db.sql, client)).toBe(1)
    expect(await accountBalance(db.sql, code)).toBe(0)
    expect(await replayUndelivered(db.sql, client)).toBe(0)
    expect(await entriesFor(pi)).toBe(2)
    const [row] = await db.sql<{ processed: boolean }[]>`
      select processed_at is not null as processed from payments.stripe_event where id = ${eventId}`
    expect(row).toEqual({ processed: true })
  })

  it('refuses what is not owed, and says when card payment is switched off', async () => {
    const { driver, accountId } = await driverOwing()
    expect((await startPayment(driver, { utilityAccountId: accountId, amountCents: 500 })).status).toBe(400)
    const clear = await t.userWithRole('driver')
    expect((await startPayment(clear)).status).toBe(400)
    const off = await noCards.request('/api/v1/payments/parking-balance', {
      method: 'POST',
      as: driver,
      headers: { 'idempotency-key': randomUUID() },
      json: { utilityAccountId: accountId },
    })
    expect(off.status).toBe(503)
    expect((await off.json()).error.code).toBe('card_payments_disabled')
  })
})
