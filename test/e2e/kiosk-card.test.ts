import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import type { Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { allDayTariff, makeFacility } from '../integration/sessions/fixtures.ts'
import { startStripeSimulator } from '../stripe/simulator.ts'
import { STRIPE_TEST_CONFIG } from '../stripe/harness.ts'

checkBrowserAvailable()

const db = await testDatabase()
// charges every minute of every day, so a sale costs something whatever the wall clock says
await makeFacility(db.sql, { code: 'T-KCARD', tariff: allDayTariff({ maximumStayMinutes: 240 }) })
const READER = 'tmr_curblinee2ereader'
const kiosk = await registerDevice(db.sql, {
  kind: 'kiosk',
  name: 'Kiosk 9 - Card reader',
  facility: 'T-KCARD',
  stripeReader: READER,
  createdBy: null,
})
const stripe = startStripeSimulator()

async function toPayScreen(page: Page, plate: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
  await page.getByRole('button', { name: 'Start', exact: true }).click()
  await page.getByRole('heading', { level: 1, name: 'Enter your license plate' }).waitFor()
  const keyboard = page.getByRole('group', { name: 'Plate keyboard' })
  for (const ch of plate) {
    await keyboard.getByRole('button', { name: ch, exact: true }).click()
  }
  await page.getByRole('button', { name: /^Next/ }).click()
  await page.getByRole('button', { name: /^1 hour/ }).click()
  await page.getByRole('button', { name: /^Continue to payment/ }).click()
  await page.getByRole('heading', { level: 1, name: 'Pay', exact: true }).waitFor()
}

/** The PaymentIntent the reader was last told to process. */
async function readerIntent(): Promise<string> {
  await expect.poll(() => stripe.readers.get(READER)?.paymentIntent ?? null).not.toBeNull()
  return stripe.readers.get(READER)?.paymentIntent ?? ''
}

describe.runIf(hasBrowser)('cards at a kiosk reader', () => {
  let session: BrowserSession

  beforeAll(async () => {
    session = await openBrowserSession(db, STRIPE_TEST_CONFIG)
  })
  afterAll(async () => {
    await session?.close()
    stripe.close()
  })

  it('sends the amount to the reader and shows the receipt once the card is accepted', async () => {
    const page = await session.newPage({ width: 1280, height: 900 })
    await page.goto(`${session.base}/kiosk/?token=${kiosk.token}`)
    await toPayScreen(page, 'CARD7')
    await page.getByRole('button', { name: /^Card/ }).click()
    await page.getByRole('status').filter({ hasText: 'Present your card on the reader' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-kiosk-card.png' })

    // the driver taps their card on the reader: Stripe's PaymentIntent succeeds
    stripe.pay(await readerIntent())
    await page.getByRole('heading', { level: 1, name: 'Paid. Thank you!' }).waitFor({ timeout: 15_000 })
    const [sold] = await db.sql<{ status: string; method: string; purchase: string }[]>`
      select s.status, p.method, p.status as purchase
        from parking.session s join parking.purchase p on p.session_id = s.id
       where s.plate = 'CARD7'`
    expect(sold).toEqual({ status: 'active', method: 'card', purchase: 'settled' })
  }, 60_000)

  it('cancels at the kiosk: the reader stops and nothing is bought', async () => {
    const page = await session.newPage({ width: 1280, height: 900 })
    await page.goto(`${session.base}/kiosk/?token=${kiosk.token}`)
    await toPayScreen(page, 'CARD8')
    await page.getByRole('button', { name: /^Card/ }).click()
    await page.getByRole('button', { name: 'Cancel card payment' }).click()
    await page.getByText('Card payment cancelled: nothing was charged.').waitFor()
    expect(stripe.readers.get(READER)).toEqual({ action: null, paymentIntent: null })
    const [row] = await db.sql<{ status: string }[]>`select status from parking.session where plate = 'CARD8'`
    expect(row?.status).toBe('cancelled')
    // cash still sells here
    expect(await page.getByRole('region', { name: 'Cash acceptor' }).count()).toBe(1)
  }, 60_000)
})
