import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import type { Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { expectAccessible } from '../support/axe.ts'
import { seedFacilities } from '../../db/seed/facilities.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { tariffSchema } from '../../api/facilities/tariff.ts'

checkBrowserAvailable()

const db = await testDatabase()
await seedFacilities(db.sql)
// Lots and on-street zones are free evenings, Sundays and holidays, and today may be any of them:
// here the riverfront lot charges 40 cents a quarter hour around the clock, so a sale costs
// something whatever the wall clock says.
await db.sql`
  update parking.facility
     set tariff = ${db.sql.json(
       tariffSchema.parse({
         timeZone: 'America/New_York',
         incrementMinutes: 15,
         bands: [
           { days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 40 }] },
         ],
         dailyMaxCents: 900,
         minimumCents: 40,
       }) as never,
     )}
   where code = 'L-RIVER'`
const kiosk = await registerDevice(db.sql, {
  kind: 'kiosk',
  name: 'Kiosk 7 - Riverfront Lot',
  facility: 'L-RIVER',
  createdBy: null,
})

const SALES_KEY = 'curbline.kiosk.sales'

interface StoredSale {
  saleId: string
  facility: string
  plate: string
  state: string
  minutes: number
  amountCents: number
  soldAt: string
  status: string
}

async function typePlate(page: Page, plate: string): Promise<void> {
  const keyboard = page.getByRole('group', { name: 'Plate keyboard' })
  for (const ch of plate) {
    await keyboard.getByRole('button', { name: ch, exact: true }).click()
  }
}

function centsOf(text: string | null): number {
  const match = /\$(\d+)\.(\d\d)/.exec(text ?? '')
  if (!match) {
    throw new Error(`no dollar amount in ${JSON.stringify(text)}`)
  }
  return Number(match[1]) * 100 + Number(match[2])
}

async function storedSales(page: Page): Promise<StoredSale[]> {
  return page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as StoredSale[],
    SALES_KEY,
  )
}

async function purchasesOfSale(
  saleId: string,
): Promise<{ amount_cents: string; sold_offline_at: Date | null }[]> {
  return db.sql`
    select amount_cents, sold_offline_at from parking.purchase
     where idempotency_key = ${`kiosk:${kiosk.device.id}:sale:${saleId}`}`
}

describe.skipIf(!hasBrowser)('paying for parking at a kiosk', () => {
  let session: BrowserSession

  beforeAll(async () => {
    session = await openBrowserSession(db)
  })
  afterAll(async () => {
    await session?.close()
  })

  it('sells a cash session in its own zone, in English and Spanish, and sells offline then sends the sale once', async () => {
    const page = await session.newPage()
    await page.goto(`${session.base}/kiosk/?token=${kiosk.token}`)

    // Start: the kiosk's own zone, preselected
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    await page.getByText('Riverfront Lot', { exact: true }).waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /^Connection: Online$/ })
      .waitFor()
    await expectAccessible(page, 'start screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-start.png' })
    await page.getByRole('button', { name: 'Start', exact: true }).click()

    // Plate: an empty plate is refused, then typed on the on-screen keyboard; the state is NC
    await page.getByRole('heading', { level: 1, name: 'Enter your license plate' }).waitFor()
    await page.getByRole('button', { name: /^Next/ }).click()
    await page.getByRole('alert').filter({ hasText: 'Enter your plate number.' }).waitFor()
    await typePlate(page, 'CURB42')
    expect(await page.getByLabel('Plate number').inputValue()).toBe('CURB42')
    expect(await page.locator('#state-value').textContent()).toBe('NC')
    await expectAccessible(page, 'plate screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-plate.png' })
    await page.getByRole('button', { name: /^Next/ }).click()

    // Time: priced from the cached tariff, announced in a live region
    await page.getByRole('heading', { level: 1, name: 'How long will you park?' }).waitFor()
    await page.getByRole('button', { name: /^1 hour/ }).click()
    const quote = page.getByTestId('live-quote')
    await expect.poll(() => quote.textContent()).toMatch(/^1 hour: \$\d+\.\d\d\.$/)
    expect(await quote.getAttribute('aria-live')).toBe('polite')
    const price = centsOf(await quote.textContent())
    expect(price).toBeGreaterThan(0)
    await expectAccessible(page, 'time screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-time.png' })
    await page.getByRole('button', { name: /^Continue to payment/ }).click()

    // Pay: cash only (this pay station has no card reader); the acceptor's input takes a $5 note
    await page.getByRole('heading', { level: 1, name: 'Pay', exact: true }).waitFor()
    expect(centsOf(await page.getByTestId('amount-due').textContent())).toBe(price)
    expect(await page.getByRole('button', { name: /^Card/ }).count()).toBe(0)
    await page.getByRole('region', { name: 'Cash acceptor' }).waitFor()
    await expectAccessible(page, 'pay screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-pay.png' })
    await page.getByRole('button', { name: '$5 note' }).click()

    // Receipt: paid until, the amount, and a QR code to the web receipt
    await page.getByRole('heading', { level: 1, name: 'Paid. Thank you!' }).waitFor()
    expect(centsOf(await page.getByTestId('receipt-paid').textContent())).toBe(price)
    const qr = page.getByRole('img', { name: 'QR code: the web address of your receipt' })
    await qr.waitFor()
    const url = (await qr.getAttribute('data-url')) ?? ''
    expect(url).toMatch(new RegExp(`^${session.base}/receipt/[0-9a-f-]{36}$`))
    const receiptId = url.split('/').pop() ?? ''
    const receipt = (await (
      await fetch(`${session.base}/api/v1/sessions/${receiptId}`)
    ).json()) as {
      plate: string
      state: string
      channel: string
      totalCents: number
      facility: { code: string }
      purchases: { method: string; soldOffline: boolean }[]
    }
    expect(receipt).toMatchObject({
      plate: 'CURB42',
      state: 'NC',
      channel: 'kiosk',
      totalCents: price,
    })
    expect(receipt.facility.code).toBe('L-RIVER')
    expect(receipt.purchases).toMatchObject([{ method: 'cash', soldOffline: false }])
    await expectAccessible(page, 'receipt screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk.png' })

    // Spanish: every text from the Spanish table, numbers and times through Intl
    await page.getByRole('button', { name: 'Español' }).click()
    await page.getByRole('heading', { level: 1, name: '¡Pagado! Gracias.' }).waitFor()
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es-US')
    await page.getByText('Pagado (efectivo)').waitFor()
    await page.getByRole('button', { name: 'English' }).waitFor()
    await expectAccessible(page, 'Spanish receipt screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-es.png' })
    await page.getByRole('button', { name: 'Listo' }).click()
    await page.getByRole('heading', { level: 1, name: 'Pagar el estacionamiento' }).waitFor()
    await page.getByRole('button', { name: 'Comenzar' }).click()
    await page.getByRole('heading', { level: 1, name: 'Ingrese su placa' }).waitFor()
    await expectAccessible(page, 'Spanish plate screen')
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Enter your license plate' }).waitFor()

    // Offline: the API cannot be reached; the kiosk sells from its cached tariff and queues it
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'))
    await typePlate(page, 'CURB43')
    await page.getByRole('button', { name: /^Next/ }).click()
    await page.getByRole('button', { name: /^2 hours/ }).click()
    await expect.poll(() => quote.textContent()).toMatch(/^2 hours: \$\d+\.\d\d\.$/)
    const offlinePrice = centsOf(await quote.textContent())
    expect(offlinePrice).toBeGreaterThan(0)
    await page.getByRole('button', { name: /^Continue to payment/ }).click()
    for (let paid = 0; paid < offlinePrice; paid += 500) {
      await page.getByRole('button', { name: '$5 note' }).click()
    }
    await page.getByRole('heading', { level: 1, name: 'Payment saved. Thank you!' }).waitFor()
    // its QR code names the kiosk and the sale: the web receipt finds it once it is sent
    const offlineQr = page.getByRole('img', { name: 'QR code: the web address of your receipt' })
    await offlineQr.waitFor()
    const saleUrl = (await offlineQr.getAttribute('data-url')) ?? ''
    expect(saleUrl).toMatch(new RegExp(`^${session.base}/receipt/sale/${kiosk.device.id}/[0-9a-f-]{36}$`))
    const [, saleId] = /\/([0-9a-f-]{36})$/.exec(saleUrl) ?? []
    const bySale = () => fetch(`${session.base}/api/v1/sessions/by-sale/${kiosk.device.id}/${saleId}`)
    expect((await bySale()).status).toBe(404)
    expect(centsOf(await page.getByTestId('receipt-paid').textContent())).toBe(offlinePrice)
    await page.getByTestId('sale-queue').filter({ hasText: '1 payment waiting to send' }).waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /^Connection: Offline$/ })
      .waitFor({ timeout: 15_000 })
    await expectAccessible(page, 'offline receipt screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-offline.png' })
    const [queued] = await storedSales(page)
    expect(queued).toMatchObject({
      plate: 'CURB43',
      facility: 'L-RIVER',
      minutes: 120,
      amountCents: offlinePrice,
      status: 'queued',
    })
    if (!queued) {
      throw new Error('the offline sale was not stored')
    }
    expect(await purchasesOfSale(queued.saleId)).toHaveLength(0)

    // Back online: the queue is replayed, and the sale is written once, started when it was sold
    await page.unroute('**/api/**')
    await expect
      .poll(() => page.getByTestId('sale-queue').textContent(), { timeout: 30_000 })
      .toBe('')
    await expect.poll(() => storedSales(page), { timeout: 10_000 }).toEqual([])
    const written = await purchasesOfSale(queued.saleId)
    expect(written).toHaveLength(1)
    expect(saleId).toBe(queued.saleId)
    expect(await (await bySale()).json()).toMatchObject({ plate: 'CURB43', channel: 'kiosk' })
    // and the web page the QR code opens shows the receipt
    const phone = await session.newPage({ width: 390, height: 844 })
    await phone.goto(saleUrl)
    await phone.waitForURL(/\/receipt\/[0-9a-f-]{36}$/)
    await phone.getByText('CURB43').first().waitFor()
    await phone.close()
    expect(Number(written[0]?.amount_cents)).toBe(offlinePrice)
    expect(written[0]?.sold_offline_at?.toISOString()).toBe(queued.soldAt)

    // The same stored sale replayed again, by the kiosk after a restart, writes nothing new
    await page.evaluate(([key, sale]) => localStorage.setItem(key, JSON.stringify([sale])), [
      SALES_KEY,
      queued,
    ] as const)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    await expect.poll(() => storedSales(page), { timeout: 30_000 }).toEqual([])
    expect(await purchasesOfSale(queued.saleId)).toHaveLength(1)
    const [{ count }] = await db.sql<[{ count: number }]>`
      select count(*)::int as count from parking.purchase where device_id = ${kiosk.device.id}`
    expect(count).toBe(2)
  }, 180_000)

  it('moves a sale the server refuses out of the queue into the technician menu', async () => {
    const page = await session.newPage()
    await page.goto(`${session.base}/kiosk/?token=${kiosk.token}`)
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    // sold offline eight days ago: past the week within which the server takes a replay
    const soldAt = new Date(Date.now() - 8 * 24 * 3_600_000)
    const stale = {
      saleId: '6f1c2a9e-4b7d-4c1e-9a55-0d3e8b2f7a10',
      deviceId: kiosk.device.id,
      facility: 'L-RIVER',
      facilityName: 'Riverfront Lot',
      timeZone: 'America/New_York',
      plate: 'OLD1',
      state: 'NC',
      minutes: 60,
      amountCents: 160,
      soldAt: soldAt.toISOString(),
      endsAt: new Date(soldAt.getTime() + 3_600_000).toISOString(),
      status: 'queued',
      failure: null,
    }
    await page.evaluate(([key, sale]) => localStorage.setItem(key, JSON.stringify([sale])), [
      SALES_KEY,
      stale,
    ] as const)
    await page.reload()
    await expect
      .poll(async () => (await storedSales(page))[0]?.status, { timeout: 30_000 })
      .toBe('failed')
    expect(await page.getByTestId('sale-queue').textContent()).toBe('')
    await page.getByRole('button', { name: 'Technician' }).click()
    const refused = page.getByRole('region', { name: 'Sales the server refused (1)' })
    await refused.getByText('OLD1 (NC)', { exact: false }).waitFor()
    await refused.getByText(/400 An offline sale must be sent within 7 days/).waitFor()
    await expectAccessible(page, 'technician menu screen')
    await page.screenshot({ path: '/tmp/curbline-kiosk-technician.png' })
    expect(await purchasesOfSale(stale.saleId)).toHaveLength(0)
  }, 60_000)

  it('starts again with the network down, from the files and the zone it kept', async () => {
    const page = await session.newPage()
    await page.goto(`${session.base}/kiosk/?token=${kiosk.token}`)
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    // the zone itself (not the kiosk's name, 'Kiosk 7 - Riverfront Lot'): loaded, and so kept
    await page.getByText('Riverfront Lot', { exact: true }).waitFor()
    // the service worker has kept the kiosk's page and files once it controls the page
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
    })
    await page.reload()
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true)

    await page.context().setOffline(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    await page.getByText('Riverfront Lot', { exact: true }).waitFor()
    await page
      .getByRole('status')
      .filter({ hasText: /^Connection: Offline$/ })
      .waitFor({ timeout: 15_000 })
    // and it still sells: the plate screen opens from the cached zone and tariff
    await page.getByRole('button', { name: /^Start/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Enter your license plate' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-kiosk-restarted-offline.png' })
    await page.context().setOffline(false)
  }, 60_000)
})
