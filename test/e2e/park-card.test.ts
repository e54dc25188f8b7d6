import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { allDayTariff, makeFacility } from '../integration/sessions/fixtures.ts'
import { startStripeSimulator, TEST_PUBLISHABLE_KEY } from '../stripe/simulator.ts'
import { STRIPE_TEST_CONFIG } from '../stripe/harness.ts'
import { registerDriver } from '../../api/auth/users.ts'
import { makeUtilityAccount } from '../integration/customers/cis-fixtures.ts'
import { postEntry, receivable } from '../../api/ledger/post.ts'
import { parkingAccount } from '../../api/ledger/accounts.ts'
import { accountBalance } from '../../api/ledger/balances.ts'

checkBrowserAvailable()

const db = await testDatabase()
await makeFacility(db.sql, { code: 'T-WEB', tariff: allDayTariff({ maximumStayMinutes: 240 }) })
// a driver whose utility account owes $3.00 of parking billed to it
const DRIVER = { email: 'owes@curbline.test', password: 'correct horse battery' }
const driver = await registerDriver(db.sql, { email: DRIVER.email, name: 'Owen Owes', password: DRIVER.password })
const owing = await makeUtilityAccount(db.sql, { holder: { customerId: driver.customer_id!, relationship: 'linked' } })
await postEntry(db.sql, {
  key: 'e2e:owed-parking',
  source: 'parking',
  description: 'Parking, Test facility T-WEB',
  occurredAt: new Date(),
  lines: [
    { account: receivable.ofUtilityAccount('parking', owing.id), amount: 300 },
    { account: parkingAccount.revenue('T-WEB'), amount: -300 },
  ],
})
const stripe = startStripeSimulator()

/*
  Stripe.js as the page meets it, answered here because test machines are offline: the Payment
  Element mounts a card field, and confirming resolves as Stripe's does while the bank decides.
  What the card actually does is the simulator's, told by the test; the page learns it only from
  Curbline, which learns it from Stripe.
*/
const FAKE_STRIPE_JS = `
window.Stripe = function (key) {
  window.__stripeKey = key
  return {
    elements: function (options) {
      window.__clientSecret = options.clientSecret
      return {
        create: function () {
          return {
            mount: function (el) {
              el.innerHTML = '<label>Card number <input name="cardnumber" value="4242 4242 4242 4242"></label>'
            },
            destroy: function () {},
          }
        },
      }
    },
    confirmPayment: function () {
      window.__confirmed = true
      return Promise.resolve({ paymentIntent: { status: 'processing' } })
    },
  }
}
`

describe.runIf(hasBrowser)('paying for parking by card in the browser', () => {
  let session: BrowserSession

  beforeAll(async () => {
    session = await openBrowserSession(db, STRIPE_TEST_CONFIG)
  })
  afterAll(async () => {
    await session?.close()
    stripe.close()
  })

  it('mounts the Payment Element, and shows the receipt once Stripe says the card paid', async () => {
    const page = await session.newPage()
    await page.route('https://js.stripe.com/**', (route) =>
      route.fulfill({ contentType: 'application/javascript', body: FAKE_STRIPE_JS }),
    )
    await page.goto(`${session.base}/park`)
    await page.getByLabel('Zone or lot number').fill('T-WEB')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { level: 2, name: 'Which vehicle?' }).waitFor()
    await page.getByLabel('Plate number').fill('CARD-42')
    await page.getByLabel('State or province').selectOption('NC')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { level: 2, name: 'How long will you park?' }).waitFor()
    await page.getByRole('button', { name: '1 hour', exact: true }).click()
    await page.getByRole('button', { name: 'Continue to payment' }).click()

    // signed out, cards are taken: choose card, then Stripe's Payment Element takes the card
    await page.getByRole('heading', { level: 2, name: 'Check and pay' }).waitFor()
    await page.getByRole('radio', { name: /Credit or debit card/ }).check()
    await page.getByRole('button', { name: 'Continue to pay $1.50 by card' }).click()
    const card = page.getByRole('region', { name: 'Card payment' })
    await card.getByLabel('Card number').waitFor()
    expect(await page.evaluate(() => (window as unknown as { __stripeKey: string }).__stripeKey)).toBe(
      TEST_PUBLISHABLE_KEY,
    )
    await page.screenshot({ path: '/tmp/curbline-park-card.png', fullPage: true })
    await card.getByRole('button', { name: 'Pay $1.50 by card' }).click()
    await card.getByRole('status').filter({ hasText: 'Waiting for your card issuer' }).waitFor()

    // the bank says yes: Stripe's PaymentIntent succeeds, and Stripe sends the signed event
    const clientSecret = await page.evaluate(() => (window as unknown as { __clientSecret: string }).__clientSecret)
    const intentId = clientSecret.split('_secret_')[0] ?? ''
    const hook = stripe.webhook('payment_intent.succeeded', stripe.pay(intentId))
    const delivered = await fetch(`${session.base}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': hook.signature },
      body: hook.body,
    })
    expect(delivered.status).toBe(200)

    await page.waitForURL(/\/receipt\/[0-9a-f-]{36}/, { timeout: 15_000 })
    await page.getByRole('heading', { level: 1, name: 'Parking receipt' }).waitFor()
    await page.getByText('CARD-42').first().waitFor()
    const receiptId = new URL(page.url()).pathname.split('/').pop() ?? ''
    const receipt = (await (await fetch(`${session.base}/api/v1/sessions/${receiptId}`)).json()) as {
      status: string
      totalCents: number
      purchases: { method: string; status: string }[]
    }
    expect(receipt).toMatchObject({ status: 'active', totalCents: 150, purchases: [{ method: 'card', status: 'settled' }] })
    await page.screenshot({ path: '/tmp/curbline-park-card-receipt.png', fullPage: true })

    // add an hour by card from the receipt, granted when Stripe says the card paid
    const addTime = page.getByRole('region', { name: 'Add time' })
    await addTime.getByRole('button', { name: '1 hour', exact: true }).click()
    await addTime.getByRole('radio', { name: /Credit or debit card/ }).check()
    await addTime.getByRole('button', { name: /^Continue to add 1 hour by card/ }).click()
    const extendCard = addTime.getByRole('region', { name: 'Card payment' })
    await extendCard.getByRole('button', { name: /^Pay \$\d+\.\d\d by card$/ }).click()
    await extendCard.getByRole('status').filter({ hasText: 'Waiting for your card issuer' }).waitFor()
    const secondSecret = await page.evaluate(() => (window as unknown as { __clientSecret: string }).__clientSecret)
    const second = stripe.webhook('payment_intent.succeeded', stripe.pay(secondSecret.split('_secret_')[0] ?? ''))
    await fetch(`${session.base}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': second.signature },
      body: second.body,
    })
    await page.getByText(/^Added 1 hour\. You are parked until/).waitFor({ timeout: 15_000 })
    const extended = (await (await fetch(`${session.base}/api/v1/sessions/${receiptId}`)).json()) as {
      startsAt: string
      endsAt: string
      purchases: { method: string; status: string }[]
    }
    expect(Date.parse(extended.endsAt) - Date.parse(extended.startsAt)).toBe(120 * 60_000)
    expect(extended.purchases.map((p) => [p.method, p.status])).toEqual([
      ['card', 'settled'],
      ['card', 'settled'],
    ])
  }, 60_000)

  it('pays the parking billed to a utility account by card from My account', async () => {
    const page = await session.newPage()
    await page.route('https://js.stripe.com/**', (route) =>
      route.fulfill({ contentType: 'application/javascript', body: FAKE_STRIPE_JS }),
    )
    await session.signIn(page, DRIVER)
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    await page.goto(`${session.base}/account`)
    const panel = page.getByRole('region', { name: 'Pay parking by card' })
    await panel.getByText('$3.00 owed for parking').waitFor()
    await panel.getByRole('button', { name: 'Pay $3.00 by card' }).click()
    const card = panel.getByRole('region', { name: 'Card payment' })
    await card.getByRole('button', { name: 'Pay $3.00 by card' }).click()
    await card.getByRole('status').filter({ hasText: 'Waiting for your card issuer' }).waitFor()
    const secret = await page.evaluate(() => (window as unknown as { __clientSecret: string }).__clientSecret)
    const hook = stripe.webhook('payment_intent.succeeded', stripe.pay(secret.split('_secret_')[0] ?? ''))
    await fetch(`${session.base}/api/v1/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': hook.signature },
      body: hook.body,
    })
    await panel.waitFor({ state: 'detached', timeout: 15_000 })
    expect(await accountBalance(db.sql, receivable.ofUtilityAccount('parking', owing.id))).toBe(0)
    await page.screenshot({ path: '/tmp/curbline-account-paid-by-card.png', fullPage: true })
  }, 60_000)
})
