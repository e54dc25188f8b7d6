import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { randomUUID } from 'node:crypto'
import type { Locator, Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import { testApp, type Caller } from '../support/app.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { makeResident } from '../integration/permits/fixtures.ts'
import { seedFacilities } from '../../db/seed/facilities.ts'
import { seedPermits } from '../../db/seed/permits.ts'
import { CITY } from '../../db/seed/city.ts'
import { createStaffUser, registerDriver } from '../../api/auth/users.ts'
import { localTime } from '../../api/facilities/local-time.ts'
import { refundOf } from '../../api/permits/terms.ts'

checkBrowserAvailable()

/*
  The staff and administrator permit pages, at the URLs they are meant for:
  /staff/permits, /staff/permits/:id, /staff/permits/waitlists (supervisor, finance, admin; the
  waitlists supervisor and admin), /admin/permit-types and /admin/permit-types/:code (admin).
*/

const SUPERVISOR = { email: 'rosa.supervisor@city.test', password: 'the supervisor password' }
const FINANCE = { email: 'omar.finance@city.test', password: 'the finance password' }
const ADMIN = { email: 'ines.admin@city.test', password: 'the admin password' }

const db = await testDatabase()
await seedFacilities(db.sql)
await seedPermits(db.sql)
const api = testApp(db)

interface PermitJson {
  id: string
  number: string
  status: string
  reviewNote: string | null
  revokedReason: string | null
  charges: {
    kind: string
    termStartsOn: string
    termEndsOn: string
    amountCents: number
    status: string
  }[]
  documents: { id: number; fileName: string }[]
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}

async function apply(driver: Caller, body: object): Promise<PermitJson> {
  return json(await api.request('/api/v1/permits', { method: 'POST', json: body, as: driver }), 201)
}

async function permit(id: string, as: Caller): Promise<PermitJson> {
  return json(await api.request(`/api/v1/permits/${id}`, { as }))
}

const PROOF = Buffer.from('%PDF-1.4\n% a letter from the Parks department\n%%EOF\n')

interface World {
  supervisor: Caller
  ada: PermitJson
  ben: PermitJson
  cara: PermitJson
  market: PermitJson[]
}

/** Applications the pages show: two for review (one with a proof), an active residential permit, a garage's line. */
async function buildWorld(): Promise<World> {
  for (const [who, role] of [
    [SUPERVISOR, 'supervisor'],
    [FINANCE, 'finance'],
    [ADMIN, 'admin'],
  ] as const) {
    await createStaffUser(db.sql, {
      email: who.email,
      displayName: `Demo ${role}`,
      role,
      password: who.password,
    })
  }
  const supervisor = await api.signIn(SUPERVISOR.email, SUPERVISOR.password)

  const adaDriver = await api.userWithRole('driver', 'Ada Lovelace')
  const ada = await apply(adaDriver, {
    type: 'EMP-CITY',
    vehicles: [{ plate: 'ADA 100', state: 'NC' }],
  })
  await json(
    await api.request(`/api/v1/permits/${ada.id}/documents?name=employment-letter.pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: PROOF,
      as: adaDriver,
    }),
    201,
  )
  const benDriver = await api.userWithRole('driver', 'Ben Okafor')
  const ben = await apply(benDriver, {
    type: 'DISABLED',
    vehicles: [{ plate: 'BEN 200', state: 'NC' }],
  })

  const caraDriver = await api.userWithRole('driver', 'Cara Nguyen')
  const home = await makeResident(db.sql, {
    customerId: caraDriver.customerId ?? 0,
    lat: CITY.downtown.lat + 0.002,
    lon: CITY.downtown.lon,
    address: '12 Fayette Street',
  })
  const applied = await apply(caraDriver, {
    type: 'RES-A',
    utilityAccountId: home.accountId,
    vehicles: [{ plate: 'CAR 300', state: 'NC' }],
  })
  expect(applied.status).toBe('awaiting_payment')
  const paid = await json<{ permit: PermitJson }>(
    await api.request(`/api/v1/permits/${applied.id}/payment`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { payment: { method: 'utility_account' } },
      as: caraDriver,
    }),
  )
  expect(paid.permit.status).toBe('active')

  // the Market Street Garage sells 3 monthly permits: the fourth and fifth applicants wait
  const market: PermitJson[] = []
  for (const name of ['Dee Marsh', 'Eli Stone', 'Fay Quinn', 'Gus Ortiz', 'Hana Ito']) {
    const driver = await api.userWithRole('driver', name)
    const plate = `${name.slice(0, 3).toUpperCase()} ${400 + market.length}`
    market.push(await apply(driver, { type: 'GAR-MARKET', vehicles: [{ plate, state: 'NC' }] }))
  }
  expect(market.map((p) => p.status)).toEqual([
    'awaiting_payment',
    'awaiting_payment',
    'awaiting_payment',
    'waitlisted',
    'waitlisted',
  ])
  return { supervisor, ada, ben, cara: paid.permit, market }
}

describe.runIf(hasBrowser)('the staff and administrator permit pages', () => {
  let session: BrowserSession
  let base: string
  let world: World

  beforeAll(async () => {
    world = await buildWorld()
    await registerDriver(db.sql, {
      email: 'ivy.park@example.net',
      name: 'Ivy Park',
      password: 'correct horse battery',
    })
    session = await openBrowserSession(db)
    base = session.base
  })

  afterAll(() => session?.close())

  async function signedIn(
    who: { email: string; password: string },
    viewport?: { width: number; height: number },
  ): Promise<Page> {
    const page = await session.newPage(viewport)
    await session.signIn(page, who)
    await page.getByRole('heading', { level: 1, name: /home$/i }).waitFor()
    return page
  }

  const item = (page: Page, number: string): Locator =>
    page.getByRole('article').filter({ has: page.getByRole('heading', { name: number }) })

  it('queues applications oldest first with why and their proofs; a supervisor approves one and rejects one with a note', async () => {
    const { ada, ben } = world
    const page = await signedIn(SUPERVISOR)
    await page.goto(`${base}/staff/permits`)
    await page.getByRole('heading', { level: 1, name: 'Permits' }).waitFor()
    const queueTab = page.getByRole('tab', { name: /Review queue/ })
    expect(await queueTab.getAttribute('aria-selected')).toBe('true')
    await expect.poll(() => queueTab.textContent()).toContain('2')

    const list = page.getByRole('list', { name: 'Applications waiting for review, oldest first' })
    const headings = list.getByRole('heading', { level: 3 })
    await expect
      .poll(() => headings.allTextContents())
      .toEqual([`${ada.number} · City staff permit`, `${ben.number} · Disability parking permit`])
    const first = item(page, ada.number)
    await first.getByText('Staff approve every permit of this type').waitFor()
    await first
      .getByText('City staff permit permits are approved by city staff', { exact: false })
      .waitFor()
    expect(await first.getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toMatch(
      /^\/customers\/\d+$/,
    )
    expect(await first.getByText('ADA 100 (NC)').count()).toBeGreaterThan(0)
    const proof = first.getByRole('link', { name: 'employment-letter.pdf' })
    const href = (await proof.getAttribute('href')) ?? ''
    expect(href).toMatch(new RegExp(`^/api/v1/permits/${ada.id}/documents/\\d+$`))
    const download = await page.request.get(`${base}${href}`)
    expect(download.status()).toBe(200)
    expect(Buffer.from(await download.body()).equals(PROOF)).toBe(true)
    await item(page, ben.number).getByText('No documents uploaded.').waitFor()
    await page.screenshot({ path: '/tmp/curbline-staff-permits-queue.png', fullPage: true })

    // approve the oldest: the garage has spaces, so it waits for payment
    await first.getByRole('link', { name: `Review ${ada.number}` }).click()
    await page.getByRole('heading', { level: 1, name: `Permit ${ada.number}` }).waitFor()
    await page
      .getByRole('region', { name: 'Documents' })
      .getByRole('link', { name: 'employment-letter.pdf' })
      .waitFor()
    const review = page.getByRole('form', { name: 'Review the application' })
    await review.getByRole('button', { name: 'Approve' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${ada.number} approved` })
      .waitFor()
    expect(await page.getByRole('status').filter({ hasText: 'approved' }).textContent()).toContain(
      'waiting for payment',
    )
    expect(await review.count()).toBe(0)
    await page.getByRole('region', { name: 'Summary' }).getByText('Waiting for payment').waitFor()
    expect((await permit(ada.id, world.supervisor)).status).toBe('awaiting_payment')

    // reject the other: a note is required, and the applicant reads it
    await page.goto(`${base}/staff/permits`)
    await item(page, ben.number)
      .getByRole('link', { name: `Review ${ben.number}` })
      .click()
    await page.getByRole('heading', { level: 1, name: `Permit ${ben.number}` }).waitFor()
    const reject = page.getByRole('form', { name: 'Review the application' })
    await reject.getByRole('button', { name: 'Reject' }).click()
    await reject.getByRole('alert').waitFor()
    await reject.getByText('Required to reject: the applicant reads it').first().waitFor()
    expect(await reject.getByLabel('Note to the applicant').getAttribute('aria-invalid')).toBe(
      'true',
    )
    await reject.getByLabel('Note to the applicant').fill('No disability placard number was given.')
    await reject.getByRole('button', { name: 'Reject' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: `${ben.number} rejected` })
      .waitFor()
    await page.getByText('No disability placard number was given.').waitFor()
    const rejected = await permit(ben.id, world.supervisor)
    expect(rejected.status).toBe('rejected')
    expect(rejected.reviewNote).toBe('No disability placard number was given.')
    await page.screenshot({ path: '/tmp/curbline-staff-permit-rejected.png', fullPage: true })

    await page.goto(`${base}/staff/permits`)
    await page.getByText('No applications are waiting for review.').waitFor()
  })

  it('searches by plate, customer, status and type, and revokes an active permit with a refund', async () => {
    const { cara } = world
    const page = await signedIn(SUPERVISOR)
    await page.goto(`${base}/staff/permits`)
    // the tabs follow the arrow keys, as ARIA's tabs pattern has it
    await page.getByRole('tab', { name: /Review queue/ }).focus()
    await page.keyboard.press('ArrowRight')
    const searchTab = page.getByRole('tab', { name: 'Search' })
    await expect.poll(() => searchTab.getAttribute('aria-selected')).toBe('true')
    expect(await searchTab.evaluate((el) => el === document.activeElement)).toBe(true)
    const search = page.getByRole('search', { name: 'Permits' })
    await search.waitFor()
    expect(new URL(page.url()).searchParams.get('tab')).toBe('search')

    const results = page.getByRole('table', { name: /permit/ })
    const rowOf = (number: string) =>
      results.getByRole('row').filter({ has: page.getByRole('rowheader', { name: number }) })

    await search.getByLabel('Plate').fill('car-300')
    await search.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => results.locator('tbody tr').count()).toBe(1)
    expect(new URL(page.url()).searchParams.get('plate')).toBe('car-300')
    expect(await rowOf(cara.number).getByRole('cell').allTextContents()).toEqual([
      'Residential permit, zone A',
      'Cara Nguyen',
      'Active',
      expect.stringMatching(/ – /),
      'CAR 300',
      '12 Fayette Street',
    ])

    await search.getByRole('button', { name: 'Clear filters' }).click()
    await search.getByLabel('Status').selectOption({ label: 'On the waitlist' })
    await search
      .getByLabel('Permit type')
      .selectOption({ label: 'Monthly permit, Market Street Garage' })
    await search.getByRole('button', { name: 'Search' }).click()
    await expect.poll(() => results.locator('tbody tr').count()).toBe(2)

    await search.getByRole('button', { name: 'Clear filters' }).click()
    await search.getByLabel('Customer number').fill('Cara')
    await search.getByLabel('Address').fill('F')
    await search.getByRole('button', { name: 'Search' }).click()
    await search.getByText('Enter the customer’s number, digits only').first().waitFor()
    await search.getByText('Enter at least 2 characters of the address').first().waitFor()
    await search.getByLabel('Customer number').fill('')
    await search.getByLabel('Address').fill('fayette')
    await search.getByRole('button', { name: 'Search' }).click()
    await rowOf(cara.number).waitFor()
    await page.screenshot({ path: '/tmp/curbline-staff-permits-search.png', fullPage: true })

    await rowOf(cara.number).getByRole('link', { name: cara.number }).click()
    await page.getByRole('heading', { level: 1, name: `Permit ${cara.number}` }).waitFor()
    const vehicles = page.getByRole('table', { name: 'Vehicles on the permit' })
    expect(
      await vehicles
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: 'CAR 300 (NC)' }) })
        .getByRole('cell')
        .last()
        .textContent(),
    ).toBe('On the permit')
    const charges = page.getByRole('table', { name: 'Charges' })
    expect(await charges.getByRole('row').nth(1).getByRole('cell').allTextContents()).toEqual([
      expect.stringMatching(/ – /),
      expect.stringMatching(/^\$\d+\.\d\d$/),
      'Utility bill',
      'Paid',
    ])
    await page
      .getByRole('region', { name: 'Eligibility' })
      .getByText('Eligible: Lives in the zone')
      .waitFor()

    const revoke = page.getByRole('form', { name: 'Revoke the permit' })
    await revoke.getByRole('button', { name: 'Revoke permit' }).click()
    await revoke.getByText('Required, at least 3 characters: the holder is told').first().waitFor()
    await revoke.getByLabel('Reason for revoking').fill('The household moved out of zone A.')
    await revoke.getByLabel('Refund the unused part').check()
    await revoke.getByRole('button', { name: 'Revoke permit' }).click()
    const announced = page.getByRole('status').filter({ hasText: `${cara.number} revoked` })
    await announced.waitFor()
    await page.getByText('Revoked because:').waitFor()
    expect(await revoke.count()).toBe(0)

    const ended = await permit(cara.id, world.supervisor)
    expect(ended.status).toBe('revoked')
    expect(ended.revokedReason).toBe('The household moved out of zone A.')
    // RES-A refunds the unused whole months: none are left in a term's last month
    const term = cara.charges.find((c) => c.kind === 'term')
    const today = localTime(Date.now(), 'America/New_York').date
    const owed = term
      ? refundOf(
          'monthly',
          { startsOn: term.termStartsOn, endsOn: term.termEndsOn, amountCents: term.amountCents },
          today,
        )
      : 0
    const refunds = ended.charges.filter((c) => c.kind === 'refund')
    expect(refunds.map((r) => r.amountCents)).toEqual(owed > 0 ? [owed] : [])
    expect((await announced.textContent()) ?? '').toContain(owed > 0 ? 'refunded' : 'revoked')
    await page.screenshot({ path: '/tmp/curbline-staff-permit-revoked.png', fullPage: true })

    const phone = await signedIn(SUPERVISOR, { width: 390, height: 844 })
    await phone.goto(`${base}/staff/permits?tab=search&plate=CAR300`)
    await phone.getByRole('link', { name: cara.number }).waitFor()
    await phone.screenshot({ path: '/tmp/curbline-staff-permits-phone.png', fullPage: true })
  })

  it('shows the garage’s line: spaces left, then an offer with its deadline once a space frees', async () => {
    const [held, , , fourth, fifth] = world.market
    const page = await signedIn(SUPERVISOR)
    await page.goto(`${base}/staff/permits`)
    await page.getByRole('link', { name: 'Waitlists for permit spaces' }).click()
    await page.getByRole('heading', { level: 1, name: 'Permit waitlists' }).waitFor()
    const line = page.getByRole('region', {
      name: 'Monthly permit, Market Street Garage at Market Street Garage',
    })
    await line.getByText('0 of 3 spaces left · 0 offers open · 2 waiting').waitFor()
    const rows = line.getByRole('table').locator('tbody tr')
    await expect.poll(() => rows.count()).toBe(2)
    expect(await rows.nth(0).getByRole('rowheader').textContent()).toBe('1')
    expect(await rows.nth(0).getByRole('link').textContent()).toBe(fourth?.number)
    expect(await rows.nth(1).getByRole('rowheader').textContent()).toBe('2')
    expect(await rows.nth(1).getByRole('link').textContent()).toBe(fifth?.number)
    await page
      .getByRole('region', { name: 'City staff permit at City Hall Garage' })
      .getByText(/^149 of 150 spaces left/)
      .waitFor()

    // a held space ends: the first in line is offered it, with a deadline
    await json(
      await api.request(`/api/v1/permits/${held?.id}/revoke`, {
        method: 'POST',
        headers: { 'idempotency-key': randomUUID() },
        json: { reason: 'Applied twice' },
        as: world.supervisor,
      }),
    )
    await page.reload()
    await line.getByText('0 of 3 spaces left · 1 offer open · 1 waiting').waitFor()
    expect(await rows.nth(0).getByRole('rowheader').textContent()).toBe('Offered a space')
    expect(await rows.nth(0).getByRole('cell').last().textContent()).toMatch(/^Accept by /)
    expect(await rows.nth(1).getByRole('rowheader').textContent()).toBe('1')
    await page.screenshot({ path: '/tmp/curbline-staff-waitlists.png', fullPage: true })
  })

  it('lets finance read permits but not decide or revoke them', async () => {
    const contractor = await api.userWithRole('driver', 'Jo Builder')
    const pending = await apply(contractor, {
      type: 'CONTRACT',
      vehicles: [{ plate: 'JOB 1', state: 'NC' }],
    })
    const page = await signedIn(FINANCE)
    await page.goto(`${base}/staff/permits`)
    await page.getByText('A supervisor or administrator decides them.').waitFor()
    expect(await page.getByRole('link', { name: 'Waitlists for permit spaces' }).count()).toBe(0)
    await page.getByRole('link', { name: `Review ${pending.number}` }).click()
    await page.getByRole('heading', { level: 1, name: `Permit ${pending.number}` }).waitFor()
    await page.getByText('A supervisor or administrator decides applications.').waitFor()
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0)
    const payable = world.market[1]
    await page.goto(`${base}/staff/permits/${payable?.id}`)
    await page.getByRole('heading', { level: 1, name: `Permit ${payable?.number}` }).waitFor()
    await page.getByRole('region', { name: 'Summary' }).getByText('Waiting for payment').waitFor()
    expect(await page.getByRole('button', { name: 'Revoke permit' }).count()).toBe(0)
  })

  it('creates a permit type, shows the API’s refusals beside their fields, then changes it', async () => {
    const page = await signedIn(ADMIN, { width: 1280, height: 1000 })
    await page.goto(`${base}/admin/permit-types`)
    await page.getByRole('heading', { level: 1, name: 'Permit types and zones' }).waitFor()
    const types = page.getByRole('table', { name: /permit types/ })
    const resA = types
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'RES-A' }) })
    await expect
      .poll(() => resA.getByRole('cell').allTextContents())
      .toEqual([
        'Residential permit, zone A',
        'Residential',
        '$40.00 a year',
        'Zone A residents · 20 places',
        'Active',
        'Edit',
      ])
    await page.getByRole('link', { name: 'New permit type' }).click()
    await page.getByRole('heading', { level: 1, name: 'New permit type' }).waitFor()
    const form = page.getByRole('form', { name: 'Permit type' })

    // residential types name their zone; other kinds have none
    await form.getByLabel('Residential zone').waitFor()
    await form.getByLabel('Kind').selectOption({ label: 'Employee' })
    expect(await form.getByLabel('Residential zone').count()).toBe(0)

    await form.getByLabel('Code').fill('emp-parks')
    await form.getByLabel('Name', { exact: true }).fill('P'.repeat(201))
    await form.getByLabel('Price of a whole period').fill('25')
    await form.getByLabel('Period', { exact: true }).selectOption('monthly')
    await form.getByLabel('On the calendar, the first term charged by the day').check()
    await form.getByLabel('The unused days').check()
    await form.getByLabel('Vehicles on one permit').fill('2')
    await form.getByLabel('Staff approve each application').check()
    await form.getByLabel('City Hall Garage G-CIVIC', { exact: true }).check()
    await form.getByLabel('Spaces for permits at City Hall Garage').fill('many')
    await form.getByLabel('Zone 101', { exact: true }).check()

    // checked here first: the spaces must be a number
    await form.getByRole('button', { name: 'Create permit type' }).click()
    await form.getByText('A whole number from 0 to 100000').first().waitFor()
    await form.getByLabel('Spaces for permits at City Hall Garage').fill('40')

    // the API refuses a name over 200 characters, and says so beside the field
    await form.getByRole('button', { name: 'Create permit type' }).click()
    await form.getByRole('alert').waitFor()
    const nameField = form.getByLabel('Name', { exact: true })
    expect(await nameField.getAttribute('aria-invalid')).toBe('true')
    const nameError = (await nameField.getAttribute('aria-describedby'))
      ?.split(' ')
      .find((id) => id.endsWith('-error'))
    expect(await page.locator(`[id="${nameError}"]`).textContent()).toMatch(/200/)

    await nameField.fill('Parks staff permit')
    await form.getByRole('button', { name: 'Create permit type' }).click()
    await page.getByRole('status').filter({ hasText: 'Permit type EMP-PARKS created.' }).waitFor()
    await page.getByRole('heading', { level: 1, name: 'Parks staff permit' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin/permit-types/EMP-PARKS')
    const saved = await typeJson('EMP-PARKS')
    expect(saved).toMatchObject({
      name: 'Parks staff permit',
      kind: 'employee',
      zone: null,
      priceCents: 2500,
      period: 'monthly',
      proration: 'daily',
      refundPolicy: 'daily',
      maxVehicles: 2,
      needsApproval: true,
      active: true,
    })
    expect(saved.facilities.map((f) => [f.code, f.capacity])).toEqual([
      ['101', null],
      ['G-CIVIC', 40],
    ])

    // change it: a new price, and retired
    await form.getByLabel('Price of a whole period').fill('27.50')
    await form.getByLabel('Issued now').uncheck()
    await form.getByRole('button', { name: 'Save permit type' }).click()
    await page.getByRole('status').filter({ hasText: 'Parks staff permit saved.' }).waitFor()
    expect(await typeJson('EMP-PARKS')).toMatchObject({ priceCents: 2750, active: false })
    await page.screenshot({ path: '/tmp/curbline-admin-permit-type.png', fullPage: true })

    await page.goto(`${base}/admin/permit-types`)
    const parks = types
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'EMP-PARKS' }) })
    await parks.getByText('Retired').waitFor()
    await page.goto(`${base}/admin/permit-types/NOPE`)
    await page.getByRole('heading', { level: 1, name: 'No such permit type' }).waitFor()
  })

  it('draws a new residential zone on the map, and redraws one from pasted GeoJSON', async () => {
    const page = await signedIn(ADMIN, { width: 1280, height: 1000 })
    await page.goto(`${base}/admin/permit-types`)
    await page.getByRole('region', { name: 'Map of the residential permit zones' }).waitFor()
    const zones = page.getByRole('table', { name: 'Residential permit zones' })
    await expect.poll(() => zones.getByRole('rowheader').allTextContents()).toEqual(['A', 'B'])

    await page.getByRole('button', { name: 'New zone' }).click()
    const editor = page.getByRole('form', { name: 'Edit the new zone' })
    await editor.getByLabel('Zone code').fill('c')
    await editor.getByLabel('Name').fill('Residential zone C (Five Points)')
    await editor.getByRole('button', { name: 'Save zone' }).click()
    await editor.getByText('Draw the zone’s boundary on the map').first().waitFor()

    const map = page.getByRole('region', { name: 'Map: boundary of the new zone' })
    await map.scrollIntoViewIfNeeded()
    await map.getByRole('button', { name: 'Draw a rectangle' }).click()
    const box = await map.boundingBox()
    if (!box) {
      throw new Error('the map is not on screen')
    }
    await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.3)
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 })
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.7)
    await editor.getByText(/^1 outline, about .* · Not saved yet$/).waitFor()
    await editor.getByRole('button', { name: 'Save zone' }).click()
    await page.getByRole('status').filter({ hasText: 'Zone C saved.' }).waitFor()
    const c = await zoneJson('C')
    expect(c.name).toBe('Residential zone C (Five Points)')
    expect(c.boundary.type).toBe('Polygon')
    expect((c.boundary.coordinates as number[][][])[0]).toHaveLength(5)
    await expect.poll(() => zones.getByRole('rowheader').allTextContents()).toEqual(['A', 'B', 'C'])
    await page.screenshot({ path: '/tmp/curbline-admin-zone-new.png', fullPage: true })

    // zone B from GIS data: two blocks make a MultiPolygon
    await page.getByRole('button', { name: 'Edit zone B' }).click()
    const editB = page.getByRole('form', { name: 'Edit Zone B' })
    await editB.getByText(/^1 outline, about/).waitFor()
    const square = (lon: number, lat: number) => [
      [
        [lon, lat],
        [lon + 0.002, lat],
        [lon + 0.002, lat + 0.002],
        [lon, lat + 0.002],
        [lon, lat],
      ],
    ]
    const boundary = {
      type: 'MultiPolygon',
      coordinates: [square(-78.634, 35.786), square(-78.631, 35.786)],
    }
    await editB.getByText('GeoJSON', { exact: true }).click()
    await editB
      .getByLabel('Boundary GeoJSON')
      .fill(JSON.stringify({ type: 'Feature', properties: {}, geometry: boundary }))
    await editB.getByRole('button', { name: 'Draw this GeoJSON on the map' }).click()
    await editB.getByText(/^2 outlines, about .* · Not saved yet$/).waitFor()
    await editB.getByRole('button', { name: 'Save zone' }).click()
    await page.getByRole('status').filter({ hasText: 'Zone B saved.' }).waitFor()
    expect((await zoneJson('B')).boundary).toEqual(boundary)
  })

  it('refuses drivers the staff pages, in the browser and at the API', async () => {
    const page = await signedIn({
      email: 'ivy.park@example.net',
      password: 'correct horse battery',
    })
    for (const path of [
      '/staff/permits',
      `/staff/permits/${world.ada.id}`,
      '/admin/permit-types',
    ]) {
      await page.goto(`${base}${path}`)
      await page.getByRole('heading', { level: 1, name: 'Not available to your account' }).waitFor()
    }
    const driver = await api.signIn('ivy.park@example.net', 'correct horse battery')
    const res = await api.request(`/api/v1/permits/${world.ada.id}`, { as: driver })
    expect(res.status).toBe(404)
    const decide = await api.request(`/api/v1/permits/${world.ada.id}/revoke`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { reason: 'Not mine to revoke' },
      as: driver,
    })
    expect(decide.status).toBe(403)
  })

  async function typeJson(code: string) {
    const body = await json<{
      types: { code: string; facilities: { code: string; capacity: number | null }[] }[]
    }>(
      await api.request('/api/v1/permit-types', {
        as: await api.signIn(ADMIN.email, ADMIN.password),
      }),
    )
    const found = body.types.find((t) => t.code === code)
    if (!found) {
      throw new Error(`no permit type ${code}`)
    }
    return found
  }

  async function zoneJson(code: string) {
    const body = await json<{
      zones: { code: string; name: string; boundary: { type: string; coordinates: unknown } }[]
    }>(await api.request('/api/v1/permit-zones'))
    const found = body.zones.find((z) => z.code === code)
    if (!found) {
      throw new Error(`no zone ${code}`)
    }
    return found
  }
})
