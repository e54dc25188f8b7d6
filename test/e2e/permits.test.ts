import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { expectAccessible } from '../support/axe.ts'
import { DEMO_SIGN_INS, seedDemoCity } from '../../db/seed/demo.ts'
import type { RightsView } from '../../api/sessions/schemas.ts'
import { firstTerm as termOf } from '../../api/permits/terms.ts'
import { localTime } from '../../api/facilities/local-time.ts'
import { CITY } from '../../db/seed/city.ts'

checkBrowserAvailable()

const DRIVER = DEMO_SIGN_INS[0]
const cityToday = () => localTime(Date.now(), CITY.timeZone).date
const AMBASSADOR = DEMO_SIGN_INS[1]
/** A block of residential zone A, where RES-A permits and their visitor passes hold. */
const BLOCK = '121'

const db = await testDatabase()
await seedDemoCity(db.sql)

const usd = (cents: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100)

describe.runIf(hasBrowser)('the permit portal in the browser', () => {
  let session: BrowserSession
  let base: string

  beforeAll(async () => {
    session = await openBrowserSession(db)
    base = session.base
  })
  afterAll(() => session?.close())

  /** What an ambassador's check of a plate on a zone A block finds now. */
  async function rightsOf(plate: string): Promise<RightsView> {
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: AMBASSADOR.email, password: AMBASSADOR.password }),
    })
    expect(signIn.status).toBe(200)
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const res = await fetch(
      `${base}/api/v1/rights?plate=${encodeURIComponent(plate)}&facility=${BLOCK}`,
      {
        headers: { cookie },
      },
    )
    expect(res.status).toBe(200)
    return (await res.json()) as RightsView
  }

  it('applies for a zone A permit, pays on the utility bill, adds a second car and a visitor pass', async () => {
    const [home]: [{ address: string; account_number: string }?] = await db.sql`
      select p.address, a.account_number
        from app.user_account u
        join cis.account_holder h on h.customer_id = u.customer_id
        join cis.utility_account a on a.id = h.utility_account_id
        join cis.premise p on p.id = a.premise_id
       where u.email = ${DRIVER.email}`
    expect(home).toBeDefined()

    const page = await session.newPage()
    await session.signIn(page, DRIVER)
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()

    // Permits, from the header: none yet, and the kinds the city issues with their prices
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Permits' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Permits' }).waitFor()
    await page.getByText('You have no permits yet').waitFor()
    const resA = page
      .getByRole('list', { name: 'Permit types' })
      .getByRole('listitem')
      .filter({ hasText: 'Residential permit, zone A' })
    expect(await resA.textContent()).toContain('$40.00 a year')
    expect(await resA.textContent()).toContain('Each vehicle after the first $20.00 a term')
    await page.screenshot({ path: '/tmp/curbline-permits.png', fullPage: true })
    await expectAccessible(page, 'permits page')
    await page.getByRole('link', { name: 'Apply for a permit' }).click()

    // Apply: the answer comes from the utility record, the address being in zone A
    await page.getByRole('heading', { level: 1, name: 'Apply for a permit' }).waitFor()
    await page.getByRole('radio', { name: /Residential permit, zone A/ }).check()
    const answer = page.getByText('You can hold this permit')
    await answer.waitFor()
    const zone = page.getByRole('region', { name: 'Do you live in the zone?' })
    const said = (await zone.textContent()) ?? ''
    expect(said).toContain(`${home?.address} is in Residential zone A (Downtown South)`)
    expect(said).toContain(`utility account ${home?.account_number} has active service there`)
    expect(said).toContain('inside the zone')
    // the driver's first car is on the application; the price is the first term's, from the API
    expect(await page.getByRole('checkbox', { name: /HBT-4821/ }).isChecked()).toBe(true)
    expect(await page.getByRole('checkbox', { name: /RVR 2026/ }).isChecked()).toBe(false)
    const eligibility = await page.request.get(`${base}/api/v1/permit-types/RES-A/eligibility`)
    const { firstTerm } = (await eligibility.json()) as { firstTerm: { priceCents: number } }
    const price = page.getByRole('region', { name: 'Price and renewal' })
    await expect.poll(async () => await price.textContent()).toContain(usd(firstTerm.priceCents))
    expect(await price.textContent()).toContain('$40.00 a year for each renewal')
    await page.screenshot({ path: '/tmp/curbline-permit-apply.png', fullPage: true })
    await expectAccessible(page, 'apply page')
    await page.getByRole('button', { name: 'Apply for this permit' }).click()

    // The permit: waiting for payment, paid on the utility bill, active at once
    await page.waitForURL(/\/permits\/[0-9a-f-]{36}$/)
    const permitId = new URL(page.url()).pathname.split('/').pop() ?? ''
    await page.getByRole('heading', { level: 1, name: /^Permit RES-A-\d+$/ }).waitFor()
    const status = page.getByRole('region', { name: 'Status', exact: true })
    await status.getByText('Waiting for payment', { exact: true }).waitFor()
    await page.getByText(/accepted: pay for the first term/).waitFor()
    const bill = status.getByRole('radio', { name: /On my utility bill/ })
    expect(await bill.isChecked()).toBe(true)
    await status
      .getByRole('button', { name: `Pay ${usd(firstTerm.priceCents)} on my utility bill` })
      .click()
    await page
      .getByRole('status')
      .filter({ hasText: `Paid ${usd(firstTerm.priceCents)} on your utility bill` })
      .waitFor()
    await status.getByText('Active', { exact: true }).waitFor()
    expect(await status.textContent()).toMatch(/In force through \w{3} \d{1,2}, \d{4}/)
    const onNow = page.getByRole('list', { name: 'Vehicles on the permit now' })
    expect(await onNow.getByRole('listitem').count()).toBe(1)

    // A second car from the driver's registered vehicles: $20.00 a year, for the days left of it
    const slotCents = termOf({ priceCents: 2000, period: 'annual', proration: 'daily' }, cityToday()).priceCents
    const vehicles = page.getByRole('region', { name: 'Vehicles', exact: true })
    expect(await vehicles.getByLabel('Vehicle', { exact: true }).inputValue()).not.toBe('other')
    expect(
      await vehicles.getByLabel('Vehicle', { exact: true }).locator('option:checked').textContent(),
    ).toContain('RVR 2026')
    expect(await vehicles.textContent()).toContain(
      `Another vehicle costs ${usd(slotCents)} for the rest of this term`,
    )
    await vehicles.getByRole('button', { name: `Add vehicle for ${usd(slotCents)}` }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `RVR 2026 is on the permit. ${usd(slotCents)} was charged` })
      .waitFor()
    await expect.poll(() => onNow.getByRole('listitem').count()).toBe(2)
    const charges = page.getByRole('table', { name: /Charges on permit/ })
    const slot = charges.getByRole('row').filter({ hasText: 'Another vehicle' })
    expect(await slot.textContent()).toContain(usd(slotCents))
    expect(await slot.textContent()).toContain('Paid')
    expect(await slot.textContent()).toContain(`Utility bill, account ${home?.account_number}`)

    // A visitor's plate for today
    const passes = page.getByRole('region', { name: 'Visitor passes', exact: true })
    expect(await passes.textContent()).toContain('4 passes left this month of 4')
    await passes.getByLabel('Visitor’s plate').fill('vis-2026')
    await passes.getByLabel('State or province').selectOption('VA')
    await passes.getByRole('button', { name: 'Issue pass' }).click()
    await page.getByRole('status').filter({ hasText: 'Pass issued: VIS-2026 (VA)' }).waitFor()
    expect(await passes.textContent()).toContain('3 passes left this month of 4')
    const issued = page.getByRole('table', { name: /Visitor passes on permit/ })
    expect(await issued.getByRole('row').filter({ hasText: 'VIS-2026' }).textContent()).toContain(
      'Today',
    )
    await page.screenshot({ path: '/tmp/curbline-permit.png', fullPage: true })
    await expectAccessible(page, 'permit page')

    // What the API says the permit is now, and what an ambassador's plate check finds on its block
    const permit = (await (
      await page.request.get(`${base}/api/v1/permits/${permitId}`)
    ).json()) as {
      number: string
      status: string
      plates: string[]
      charges: { kind: string; amountCents: number; method: string; status: string }[]
    }
    expect(permit.status).toBe('active')
    expect([...permit.plates].sort()).toEqual(['HBT-4821', 'RVR 2026'])
    expect(permit.charges.map((c) => [c.kind, c.amountCents, c.method, c.status])).toEqual([
      ['term', firstTerm.priceCents, 'utility_bill', 'paid'],
      ['vehicle_slot', slotCents, 'utility_bill', 'paid'],
    ])
    for (const plate of ['HBT4821', 'RVR2026']) {
      const rights = await rightsOf(plate)
      expect(rights.verdict).toBe('permit')
      expect(rights.rights).toEqual([
        expect.objectContaining({ kind: 'permit', number: permit.number, facility: BLOCK, plate }),
      ])
    }
    const visitor = await rightsOf('VIS2026')
    expect(visitor.verdict).toBe('permit')
    expect(visitor.rights).toEqual([
      expect.objectContaining({
        kind: 'visitor_pass',
        number: permit.number,
        plate: 'VIS2026',
        state: 'VA',
      }),
    ])
    expect((await rightsOf('NOTON1')).verdict).toBe('none')

    // My permits lists it, active, with its plates
    await page.getByRole('link', { name: 'All my permits' }).click()
    const card = page.getByRole('list', { name: 'My permits' }).getByRole('listitem').first()
    await card.waitFor()
    expect(await card.textContent()).toContain(permit.number)
    expect(await card.textContent()).toContain('Active')
    expect(await card.textContent()).toContain('HBT-4821, RVR 2026')
    await page.screenshot({ path: '/tmp/curbline-permits-mine.png', fullPage: true })

    // On a phone the permit's sections stack
    await page.setViewportSize({ width: 390, height: 844 })
    await card.getByRole('link', { name: new RegExp(permit.number) }).click()
    await page.getByRole('region', { name: 'Charges', exact: true }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-permit-phone.png', fullPage: true })
  })
})
