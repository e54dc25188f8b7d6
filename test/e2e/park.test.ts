import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { create as createQr } from 'qrcode'
import type { Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { DEMO_SIGN_INS, seedDemoCity } from '../../db/seed/demo.ts'
import { CITY } from '../../db/seed/city.ts'
import { tariffSchema } from '../../api/facilities/tariff.ts'
import { openAccount, parkingAccount } from '../../api/ledger/accounts.ts'
import type { Db } from '../../db/connect.ts'
import type { SessionView } from '../../api/sessions/schemas.ts'

checkBrowserAvailable()

const DRIVER = DEMO_SIGN_INS[0]
// A zone that charges every minute of every day (the demo's street zones are free evenings,
// Sundays and holidays): the first hour at one rate, later time at a higher one.
const ZONE = '199'

const db = await testDatabase()
await seedDemoCity(db.sql)
await makeAlwaysPaidZone(db.sql)

const usd = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100)

describe.runIf(hasBrowser)('paying for parking in the browser', () => {
  let session: BrowserSession
  let base: string

  beforeAll(async () => {
    session = await openBrowserSession(db)
    base = session.base
  })
  afterAll(() => session?.close())

  /** What the API says a stay or an extension costs now, to compare with what the page shows. */
  async function apiQuote(path: string, body: object): Promise<{ totalCents: number }> {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(res.status).toBe(200)
    return (await res.json()) as { totalCents: number }
  }

  async function quoteTotal(page: Page, region: string): Promise<string> {
    const quote = page.getByRole('region', { name: region })
    const total = quote.getByRole('row', { name: /^Total/ }).getByRole('cell')
    await total.waitFor()
    return (await total.textContent()) ?? ''
  }

  it('parks in a zone, signs in to pay on the utility bill, and adds time from the receipt', async () => {
    const page = await session.newPage()
    await page.goto(`${base}/parking`)
    await page.getByRole('main').getByRole('link', { name: 'Pay for parking' }).click()
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/park')

    // Where: the zone number from the signs; the map shows the zones paid here.
    await page.getByRole('region', { name: /Map of the zones and lots/ }).waitFor()
    await page.getByLabel('Zone or lot number').fill('G-CIVIC')
    await page.getByRole('button', { name: 'Continue' }).click()
    expect(await page.getByRole('alert').textContent()).toMatch(/has gates/)
    await page.getByLabel('Zone or lot number').fill(ZONE)
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: `Zone ${ZONE}` })
        .textContent(),
    ).toContain('Always Paid St')
    await page.screenshot({ path: '/tmp/curbline-park-zone.png', fullPage: true })
    await page.getByRole('button', { name: 'Continue' }).click()

    // Vehicle: signed out, the plate is typed; focus moved to the step's heading.
    const vehicleHeading = page.getByRole('heading', { level: 2, name: 'Which vehicle?' })
    await vehicleHeading.waitFor()
    await expect.poll(() => vehicleHeading.evaluate((h) => h === document.activeElement)).toBe(true)
    await page.getByRole('button', { name: 'Continue' }).click()
    expect(await page.getByRole('alert').textContent()).toContain(
      'Enter the plate as it is printed',
    )
    await page.getByLabel('Plate number').fill('hbt-4821')
    await page.getByLabel('State or province').selectOption('NC')
    await page.getByRole('button', { name: 'Continue' }).click()

    // How long: presets and a stepper within the zone's limit, priced live.
    await page.getByRole('heading', { level: 2, name: 'How long will you park?' }).waitFor()
    expect(await page.getByRole('group', { name: /Time to pay for/ }).textContent()).toContain(
      'time limit of 3 hours',
    )
    await page.getByRole('button', { name: '2 hours', exact: true }).click()
    const twoHours = await apiQuote('/quotes', { facility: ZONE, minutes: 120 })
    await expect.poll(() => quoteTotal(page, 'Price')).toBe(usd(twoHours.totalCents))
    for (let i = 0; i < 4; i++) {
      await page.getByRole('button', { name: '15 minutes less' }).click()
    }
    expect(await page.getByRole('status', { name: 'Time chosen' }).textContent()).toBe('1 hour')
    const oneHour = await apiQuote('/quotes', { facility: ZONE, minutes: 60 })
    await expect.poll(() => quoteTotal(page, 'Price')).toBe(usd(oneHour.totalCents))
    expect(oneHour.totalCents).toBeGreaterThan(0)
    // An end on another day (parking across the city's midnight) carries its date.
    expect(await page.getByRole('region', { name: 'Price' }).textContent()).toMatch(
      /Parking until ([A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, )?\d{1,2}:\d{2} [AP]M E[SD]T/,
    )
    await page.getByRole('button', { name: '3 hours', exact: true }).waitFor()
    expect(await page.getByRole('button', { name: '4 hours', exact: true }).count()).toBe(0)
    await page.getByRole('button', { name: '1 hour', exact: true }).click()
    await page.screenshot({ path: '/tmp/curbline-park-time.png', fullPage: true })
    await page.getByRole('button', { name: 'Continue to payment' }).click()

    // Pay, signed out, where cards are switched off: the utility bill needs a sign-in, and there
    // is no card option at all
    await page.getByRole('heading', { level: 2, name: 'Check and pay' }).waitFor()
    await page.getByRole('link', { name: 'Sign in to pay on your utility bill' }).waitFor()
    expect(await page.getByRole('radio', { name: /Credit or debit card/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Pay / }).count()).toBe(0)
    await page.screenshot({ path: '/tmp/curbline-park-signed-out.png', fullPage: true })
    await page.getByRole('link', { name: 'Sign in to pay on your utility bill' }).click()

    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await page.getByLabel('Email address').fill(DRIVER.email)
    await page.getByLabel('Password').fill(DRIVER.password)
    await page.getByRole('button', { name: 'Sign in' }).click()

    // Back at the payment step with every choice kept: the plate is one of the driver's cars.
    await page.getByRole('heading', { level: 2, name: 'Check and pay' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/park')
    const steps = page.getByRole('navigation', { name: 'Steps' })
    expect(await steps.textContent()).toContain(`Zone ${ZONE}`)
    expect(await steps.textContent()).toContain('HBT-4821 (NC)')
    expect(await steps.textContent()).toContain('1 hour')
    await expect.poll(() => quoteTotal(page, 'Price')).toBe(usd(oneHour.totalCents))
    const bill = page.getByRole('radio', { name: /On my utility bill/ }).first()
    await bill.check()
    await page.screenshot({ path: '/tmp/curbline-park.png', fullPage: true })
    await page
      .getByRole('button', { name: `Pay ${usd(oneHour.totalCents)} on my utility bill` })
      .click()

    // The receipt: paid, time left, the purchase, and a QR code of its own address.
    await page.getByRole('heading', { level: 1, name: 'Parking receipt' }).waitFor()
    const receiptPath = new URL(page.url()).pathname
    expect(receiptPath).toMatch(/^\/receipt\/[0-9a-f-]{36}$/)
    const id = receiptPath.split('/').pop() ?? ''
    await page.getByRole('status').filter({ hasText: 'Paid. You are parked until' }).waitFor()
    expect(await page.getByRole('timer').getAttribute('aria-label')).toMatch(
      /^(59 minutes|1 hour) left$/,
    )
    const qr = page.getByRole('img', { name: /QR code that opens this receipt/ })
    const receiptUrl = `${base}${receiptPath}`
    // the symbol for this address, with its 4-module quiet zone on each side
    const side = createQr(receiptUrl, { errorCorrectionLevel: 'M' }).modules.size + 8
    expect(await qr.getAttribute('viewBox')).toBe(`0 0 ${side} ${side}`)
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M4 4h7v1h-7z/)
    expect(await page.getByRole('complementary').textContent()).toContain(receiptUrl)
    const purchases = page.getByRole('table', { name: 'Purchases on this receipt' })
    expect(
      await purchases.getByRole('row').filter({ hasText: 'Utility bill, account ******' }).count(),
    ).toBe(1)
    await page.getByRole('button', { name: 'Stop now' }).waitFor()

    // Add time: a live extension price, within the zone's 3-hour limit, on the utility bill.
    const addTime = page.getByRole('region', { name: 'Add time', exact: true })
    expect(await addTime.textContent()).toMatch(/can be extended to .* at the latest/)
    await addTime.getByRole('button', { name: '30 minutes', exact: true }).click()
    const extension = await apiQuote(`/sessions/${id}/extensions/quote`, { minutes: 30 })
    await expect.poll(() => quoteTotal(page, 'Price to add time')).toBe(usd(extension.totalCents))
    await addTime
      .getByRole('radio', { name: /On my utility bill/ })
      .first()
      .check()
    await addTime
      .getByRole('button', { name: `Add 30 minutes for ${usd(extension.totalCents)}` })
      .click()
    await page.getByRole('status').filter({ hasText: 'Added 30 minutes' }).waitFor()
    await expect
      .poll(() => purchases.getByRole('row').filter({ hasText: 'Added time' }).count())
      .toBe(1)
    await page.screenshot({ path: '/tmp/curbline-receipt.png', fullPage: true })
    await page.emulateMedia({ media: 'print' })
    await page.screenshot({ path: '/tmp/curbline-receipt-print.png', fullPage: true })
    await page.emulateMedia({ media: 'screen' })

    // One session, two purchases, both on the utility bill, as the API tells it.
    const mine = await page.request.get(`${base}/api/v1/sessions?current=true`)
    const { sessions } = (await mine.json()) as { sessions: SessionView[] }
    const here = sessions.filter((s) => s.facility.code === ZONE)
    expect(here).toHaveLength(1)
    const [parked] = here
    expect(parked?.id).toBe(id)
    expect(parked?.plate).toBe('HBT4821')
    expect(parked?.purchases.map((p) => [p.kind, p.method, p.amountCents])).toEqual([
      ['start', 'utility_account', oneHour.totalCents],
      ['extend', 'utility_account', extension.totalCents],
    ])
    expect(parked?.totalCents).toBe(oneHour.totalCents + extension.totalCents)
    const minutes = (Date.parse(parked?.endsAt ?? '') - Date.parse(parked?.startsAt ?? '')) / 60_000
    expect(minutes).toBe(90)

    // My parking on the driver's home lists it with its time left and a link to the receipt.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click()
    const running = page.getByRole('list', { name: 'Parking running now' })
    await running.waitFor()
    const item = running.getByRole('listitem').filter({ hasText: `Zone ${ZONE}` })
    expect(await item.textContent()).toMatch(/1 hour \d+ minutes? left/)
    await page.screenshot({ path: '/tmp/curbline-home.png', fullPage: true })
    await item.getByRole('link', { name: /Receipt/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Parking receipt' }).waitFor()

    // Stopping early: it is the driver's own session.
    await page.getByRole('button', { name: 'Stop now' }).click()
    await page.getByRole('button', { name: 'Yes, stop now' }).click()
    await page.getByRole('status').filter({ hasText: 'Parking stopped at' }).waitFor()
    const stopped = (await (
      await page.request.get(`${base}/api/v1/sessions/${id}`)
    ).json()) as SessionView
    expect(stopped.phase).toBe('stopped')
  })

  it('shows a receipt to anyone holding its link, without stopping or paying signed out', async () => {
    const [row]: [{ public_id: string }?] = await db.sql`
      select s.public_id from parking.session s join parking.facility f on f.id = s.facility_id
       where f.code = ${ZONE} order by s.id limit 1`
    const page = await session.newPage({ width: 390, height: 844 })
    await page.goto(`${base}/receipt/${row?.public_id ?? ''}`)
    await page.getByText('Stopped early').waitFor()
    expect(await page.getByRole('button', { name: 'Stop now' }).count()).toBe(0)
    expect(await page.getByRole('region', { name: 'Add time', exact: true }).count()).toBe(0)
    await page.getByRole('link', { name: 'Park here again' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-receipt-phone.png', fullPage: true })

    await page.goto(`${base}/receipt/not-a-receipt`)
    await page.getByRole('heading', { level: 1, name: 'Receipt not found' }).waitFor()

    // On a phone, from the receipt: the zone and plate come along, the time is chosen again.
    await page.goto(`${base}/receipt/${row?.public_id ?? ''}`)
    await page.getByRole('link', { name: 'Park here again' }).click()
    await page.getByRole('heading', { level: 2, name: 'How long will you park?' }).waitFor()
    const steps = await page.getByRole('navigation', { name: 'Steps' }).textContent()
    expect(steps).toContain(`Zone ${ZONE}`)
    expect(steps).toContain('HBT-4821 (NC)')
    await page.getByRole('button', { name: '30 minutes', exact: true }).click()
    const half = await apiQuote('/quotes', { facility: ZONE, minutes: 30 })
    await expect.poll(() => quoteTotal(page, 'Price')).toBe(usd(half.totalCents))
    await page.screenshot({ path: '/tmp/curbline-park-phone.png', fullPage: true })
  })
})

/** Zone 199 charges all day, every day, so the test's prices never depend on the clock. */
async function makeAlwaysPaidZone(sql: Db): Promise<void> {
  const tariff = tariffSchema.parse({
    timeZone: CITY.timeZone,
    incrementMinutes: 15,
    bands: [
      {
        days: [0, 1, 2, 3, 4, 5, 6],
        from: '00:00',
        to: '24:00',
        rates: [{ minutes: 60, cents: 50 }, { cents: 75 }],
      },
    ],
    maximumStayMinutes: 180,
  })
  const { lat, lon } = CITY.downtown
  const geometry = {
    type: 'MultiLineString',
    coordinates: [
      [
        [lon + 0.004, lat - 0.006],
        [lon + 0.004, lat - 0.005],
      ],
      [
        [lon + 0.00416, lat - 0.006],
        [lon + 0.00416, lat - 0.005],
      ],
    ],
  }
  await sql`
    insert into parking.facility (code, name, kind, address, lat, lon, geometry, capacity, gated, tariff)
    values (${ZONE}, 'Always Paid St, Test Ave to Trial Ave', 'on_street_zone', '100 block of Always Paid St',
            ${lat - 0.0055}, ${lon + 0.004}, ${sql.json(geometry as never)}, 12, false,
            ${sql.json(tariff as never)})`
  await openAccount(sql, {
    code: parkingAccount.revenue(ZONE),
    name: 'Parking revenue - Always Paid St',
    type: 'revenue',
    fund: 'parking',
  })
}
