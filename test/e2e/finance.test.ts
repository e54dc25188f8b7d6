import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import { testApp } from '../support/app.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { expectAccessible } from '../support/axe.ts'
import { allDayTariff, makeFacility } from '../integration/sessions/fixtures.ts'
import { cardTestApp, STRIPE_TEST_CONFIG } from '../stripe/harness.ts'
import { createStaffUser } from '../../api/auth/users.ts'
import { cityDay } from '../../api/finance/cycles.ts'
import { raiseException } from '../../api/finance/exceptions.ts'
import { zonedInstant } from '../../api/facilities/local-time.ts'

checkBrowserAvailable()

const FINANCE = {
  email: 'ines.finance@city.test',
  password: 'the finance password',
  name: 'Ines Okafor',
}

const db = await testDatabase()
const card = cardTestApp(db)
const TZ = db.config.CITY_TIME_ZONE
const TODAY = cityDay(new Date(), TZ)
const YESTERDAY = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
const longDay = (day: string) =>
  new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`))

describe.runIf(hasBrowser)('the finance console in the browser', () => {
  let session: BrowserSession
  let kioskId: number
  let exceptionId: number

  beforeAll(async () => {
    await createStaffUser(db.sql, {
      email: FINANCE.email,
      displayName: FINANCE.name,
      role: 'finance',
      password: FINANCE.password,
    })
    // Yesterday a kiosk at the lot sold two hours for cash: $2.90 of revenue to close.
    const t = testApp(db)
    await makeFacility(db.sql, { code: 'FIN-LOT' })
    const kiosk = await t.device('kiosk', 'FIN-LOT')
    kioskId = kiosk.deviceId
    for (const [minute, cents] of [
      [600, 150],
      [700, 140],
    ] as const) {
      const res = await t.request('/api/v1/sessions', {
        method: 'POST',
        as: kiosk,
        headers: { 'idempotency-key': randomUUID() },
        json: {
          facility: 'FIN-LOT',
          plate: `FIN${minute}`,
          state: 'GA',
          minutes: 60,
          payment: {
            method: 'cash',
            amountCents: cents,
            saleId: randomUUID(),
            soldAt: new Date(zonedInstant(YESTERDAY, minute, TZ)).toISOString(),
          },
        },
      })
      expect(res.status).toBe(201)
    }
    exceptionId = await raiseException(db.sql, {
      key: `e2e:cash:${kioskId}`,
      kind: 'cash_over_short',
      summary: 'Kiosk FIN-LOT counted $5.00 short',
      amountCents: -500,
      evidence: {
        deviceId: kioskId,
        deviceName: 'FIN-LOT kiosk',
        expectedCents: 2900,
        countedCents: 2400,
        overShortCents: -500,
      },
    })
    session = await openBrowserSession(db, STRIPE_TEST_CONFIG)
  })

  afterAll(() => session?.close())

  async function signedIn(): Promise<Page> {
    const page = await session.newPage()
    await session.signIn(page, FINANCE)
    await page.getByRole('heading', { level: 1, name: 'Finance home' }).waitFor()
    return page
  }

  it('shows the calendar, closes yesterday from its report and downloads the report as CSV', async () => {
    const page = await signedIn()
    const closes = page.getByRole('region', { name: 'Closes' })
    if (YESTERDAY.slice(0, 7) !== TODAY.slice(0, 7)) {
      await closes.getByRole('button', { name: 'Previous month' }).click()
    }
    const dayLink = closes.getByRole('link', { name: new RegExp(longDay(YESTERDAY)) })
    await dayLink.waitFor()
    expect(await dayLink.textContent()).toContain('Open')
    expect(await dayLink.textContent()).toContain('$2.90')
    await page.getByRole('img', { name: /Revenue by facility/ }).waitFor()
    await page.getByRole('heading', { level: 2, name: /^1 open exception/ }).waitFor()
    await expectAccessible(page, 'finance home')
    await page.screenshot({ path: '/tmp/curbline-finance-home.png', fullPage: true })

    await dayLink.click()
    await page
      .getByRole('heading', { level: 1, name: `Close report: ${longDay(YESTERDAY)}` })
      .waitFor()
    const lines = page.getByRole('region', { name: 'Revenue lines' })
    const row = lines.getByRole('row').filter({ hasText: 'Kiosk' })
    expect(await row.textContent()).toContain('$2.90')
    await page.getByRole('status').filter({ hasText: 'The report equals the ledger' }).waitFor()
    await expectAccessible(page, 'open close report')

    await page.getByRole('button', { name: 'Close this day' }).click()
    await page.getByRole('button', { name: /^Yes, close/ }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${longDay(YESTERDAY)} is closed: $2.90 revenue` })
      .waitFor()
    await page
      .getByRole('region', { name: 'Status' })
      .getByRole('definition')
      .getByText('Closed', { exact: true })
      .waitFor()
    expect(await page.getByRole('button', { name: 'Close this day' }).count()).toBe(0)
    const [closed] = await db.sql<{ status: string }[]>`
      select status from finance.day where day = ${YESTERDAY}`
    expect(closed?.status).toBe('closed')

    const revenue = page.getByRole('region', {
      name: 'Revenue by facility, channel, method and fund',
    })
    const [response, download] = await Promise.all([
      page.waitForResponse(
        (r) =>
          r.url().endsWith(`/api/v1/finance/days/${YESTERDAY}`) &&
          r.request().headers().accept === 'text/csv',
      ),
      page.waitForEvent('download'),
      revenue.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^text\/csv/)
    expect(download.suggestedFilename()).toBe(`close-${YESTERDAY}.csv`)
    const csv = await readFile(await download.path(), 'utf8')
    const [head, ...rows] = csv.trim().split(/\r?\n/)
    expect(head).toBe('day,facility,facility_code,account,fund,channel,method,revenue,entries')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('FIN-LOT')
    expect(rows[0]).toContain('kiosk,cash,2.90,2')
    await expectAccessible(page, 'closed close report')
    await page.screenshot({ path: '/tmp/curbline-close-report.png', fullPage: true })
  })

  it('assigns an exception and resolves it with a balanced adjusting entry', async () => {
    const page = await signedIn()
    await page.getByRole('link', { name: 'Open the exceptions queue' }).click()
    await page.getByRole('heading', { level: 1, name: 'Exceptions' }).waitFor()
    const card = page.getByRole('article', { name: `#${exceptionId} Cash over or short` })
    await card.waitFor()
    expect(await card.textContent()).toContain('Kiosk FIN-LOT counted $5.00 short')
    // the evidence reads as facts, amounts in dollars
    expect(await card.getByRole('definition').filter({ hasText: '$29.00' }).count()).toBe(1)
    await expectAccessible(page, 'exceptions queue')

    const owner = card.getByRole('form', { name: `Owner of exception ${exceptionId}` })
    await owner.getByLabel('Owner').selectOption({ label: FINANCE.name })
    await owner.getByRole('button', { name: 'Assign' }).click()
    await expect
      .poll(async () => (await card.textContent()) ?? '')
      .toMatch(new RegExp(`Owner\\s*${FINANCE.name}`))

    await card
      .getByRole('button', { name: `Resolve exception ${exceptionId}`, exact: true })
      .click()
    const form = card.getByRole('form', { name: `Resolve exception ${exceptionId}` })
    await form
      .getByLabel('Resolution note')
      .fill('Recounted: the $5 note was stuck in the bill validator.')
    await form.getByLabel('Post an adjusting entry with it').check()
    await form.getByLabel('Line 1 account').fill('expense:reconciliation')
    await form.getByLabel('Line 1 debit').fill('5.00')
    await form.getByLabel('Line 2 account').fill('expense:cash_over_short')
    await form.getByLabel('Line 2 credit').fill('4.00')
    await form.getByRole('status').filter({ hasText: 'Out of balance by $1.00' }).waitFor()
    await form.getByLabel('Line 2 credit').fill('5.00')
    await form.getByRole('status').filter({ hasText: 'Balanced: $5.00 each side.' }).waitFor()
    await expectAccessible(page, 'resolve form')
    await form.getByRole('button', { name: `Resolve exception ${exceptionId}` }).click()

    // resolved ones leave the open queue; the resolved filter shows it with its entry
    await card.waitFor({ state: 'detached' })
    await page.getByLabel('Status').selectOption('resolved')
    const resolved = page.getByRole('article', { name: `#${exceptionId} Cash over or short` })
    await resolved.waitFor()
    expect(await resolved.textContent()).toContain('Recounted: the $5 note was stuck')
    expect(await resolved.textContent()).toMatch(/Adjusting entry\s*#\d+/)
    const [row] = await db.sql<{ status: string; resolved_entry_id: number | null }[]>`
      select status::text, resolved_entry_id from finance.exception where id = ${exceptionId}`
    expect(row?.status).toBe('resolved')
    expect(row?.resolved_entry_id).not.toBeNull()
  })

  it('counts a kiosk collection against its expected cash and shows it short', async () => {
    const page = await signedIn()
    await page.goto(`${session.base}/finance/cash`)
    await page.getByRole('heading', { level: 1, name: 'Kiosk and gate cash' }).waitFor()
    const expected = page.getByRole('region', { name: 'Expected cash per machine' })
    await expected.getByRole('row').filter({ hasText: '$2.90' }).waitFor()
    await expectAccessible(page, 'cash page')

    const form = page.getByRole('form', { name: 'Record a collection' })
    await form.getByLabel('Machine').selectOption({ index: 1 })
    await form.getByLabel('Counted').fill('2.50')
    await form.getByRole('status').filter({ hasText: 'Short by $0.40.' }).waitFor()
    await form.getByRole('button', { name: 'Record the collection' }).click()
    await form.getByRole('status').filter({ hasText: 'recorded: short by $0.40' }).waitFor()
    await page
      .getByRole('region', { name: 'Collections' })
      .getByRole('row')
      .filter({ hasText: 'short $0.40' })
      .waitFor()
  })

  it('reconciles a Stripe payout from its page, each item matched to a payment', async () => {
    // two hours at a garage paid by card today, and Stripe paying them out to the bank
    await makeFacility(db.sql, {
      code: 'FIN-GAR',
      tariff: allDayTariff({
        bands: [
          { days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 1500 }] },
        ],
      }),
    })
    for (const plate of ['CARD1', 'CARD2']) {
      const res = await card.t.request('/api/v1/sessions', {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        json: { facility: 'FIN-GAR', plate, state: 'NC', minutes: 60, payment: { method: 'card' } },
      })
      expect(res.status).toBe(201)
      const started = (await res.json()) as { payment: { id: string } }
      await card.deliver(
        'payment_intent.succeeded',
        card.stripe.pay(await card.intentOf(started.payment.id)),
      )
    }
    const payout = card.stripe.payoutPending('paid')
    await card.deliver('payout.paid', payout)

    const page = await signedIn()
    await page.getByRole('link', { name: 'Reconciliation', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Stripe payouts' }).waitFor()
    const row = page
      .getByRole('region', { name: 'Payouts' })
      .getByRole('row')
      .filter({ hasText: payout.id })
    await row.waitFor()
    expect(await row.textContent()).toContain('Unreconciled')
    await expectAccessible(page, 'payouts page')

    await row.getByRole('link', { name: payout.id }).click()
    await page.getByRole('heading', { level: 1, name: `Payout ${payout.id}` }).waitFor()
    await page.getByRole('button', { name: 'Reconcile now' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /^Matched: \d+ items net to/ })
      .waitFor()
    const items = page.getByRole('region', { name: 'Payout items' })
    await expect
      .poll(() => items.getByRole('row').filter({ hasText: 'Payment for a session' }).count())
      .toBe(2)
    await page
      .getByRole('region', { name: 'Reconciliation' })
      .getByText('Matched', { exact: true })
      .waitFor()
    await expectAccessible(page, 'payout page')
    await page.screenshot({ path: '/tmp/curbline-finance-payout.png', fullPage: true })
  })

  it('shows an acknowledgement file’s errors by line and exports the GL journal with revenue per fund', async () => {
    const page = await signedIn()
    await page.getByRole('link', { name: 'Bill cycles', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Bill cycles and GL export' }).waitFor()
    await page
      .getByRole('region', { name: 'Cycle calendar' })
      .getByText('Cycle 21', { exact: true })
      .waitFor()
    await expectAccessible(page, 'bill-cycle page')

    // finance moves cycle 21's billing date (its export has not run) to the 15th
    const move = page.getByRole('form', { name: 'Move a billing date' })
    const newDate = `${TODAY.slice(0, 7)}-15`
    await move.getByLabel('Cycle').selectOption('21')
    await move.getByLabel('New billing date').fill(newDate)
    await move.getByRole('button', { name: 'Move the date' }).click()
    await move.getByRole('status').filter({ hasText: 'Cycle 21 now bills on' }).waitFor()
    const [moved] = await db.sql<{ billing_date: string }[]>`
      select to_char(billing_date, 'YYYY-MM-DD') as billing_date from finance.bill_cycle_date
       where cycle = 21 and to_char(billing_date, 'YYYY-MM') = ${TODAY.slice(0, 7)}`
    expect(moved?.billing_date).toBe(newDate)

    // last month's cycle 1 is exported on demand, and its file downloads for the CIS
    const [due] = await db.sql<{ day: string }[]>`
      select to_char(billing_date, 'YYYY-MM-DD') as day from finance.bill_cycle_date
       where cycle = 1 and billing_date < date_trunc('month', ${TODAY}::date)
       order by billing_date desc limit 1`
    const run = page.getByRole('form', { name: 'Export the cycles due on a date' })
    await run.getByLabel('Billing date').fill(due!.day)
    await run.getByRole('button', { name: 'Export the cycles due' }).click()
    await run.getByRole('status').filter({ hasText: '1 cycle exported (0 lines)' }).waitFor()
    const exported = page.getByRole('region', { name: 'Cycle exports' })
    const fileLink = exported.getByRole('link', { name: new RegExp(`cycle-01-${due!.day}\\.csv$`) })
    const [file] = await Promise.all([page.waitForEvent('download'), fileLink.click()])
    const cycleCsv = await readFile(await file.path(), 'utf8')
    expect(cycleCsv.split(/\r?\n/)[0]).toBe(
      'account_number,charge_code,service,amount,description,reference',
    )

    const ack = page.getByRole('form', { name: 'Upload an acknowledgement file' })
    await ack.getByLabel('Acknowledgement file').setInputFiles({
      name: 'ack.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('reference,status,reason,bill_id\nCL-999999-1,billed,,B-1\n'),
    })
    await ack.getByRole('button', { name: 'Upload acknowledgement' }).click()
    await page.getByRole('alert').filter({ hasText: 'ack.csv was rejected: 1 error' }).waitFor()
    const errors = page.getByRole('region', { name: 'Errors in ack.csv' })
    expect(await errors.getByRole('rowheader').first().textContent()).toBe('2')

    const gl = page.getByRole('form', { name: 'Export the GL journal' })
    await gl.getByLabel('From').fill(YESTERDAY)
    await gl.getByLabel('To').fill(YESTERDAY)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      gl.getByRole('button', { name: 'Download GL journal (CSV)' }).click(),
    ])
    expect(download.suggestedFilename()).toBe(`gl-${YESTERDAY}-to-${YESTERDAY}.csv`)
    const journal = await readFile(await download.path(), 'utf8')
    expect(journal).toContain('revenue:parking:FIN-LOT')
    const funds = page.getByRole('heading', { name: /^Revenue per fund/ })
    await funds.waitFor()
    expect(await page.getByRole('region', { name: 'GL journal export' }).textContent()).toMatch(
      /Parking\s*\$2\.90/,
    )
    await page.screenshot({ path: '/tmp/curbline-finance-cycles.png', fullPage: true })
  })
})
