import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import type { Locator } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import { testApp } from '../support/app.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { seedFacilities } from '../../db/seed/facilities.ts'
import { DEMO_SIGN_INS } from '../../db/seed/demo.ts'
import { createStaffUser, registerDriver } from '../../api/auth/users.ts'

checkBrowserAvailable()

function demo(role: 'admin' | 'driver') {
  const found = DEMO_SIGN_INS.find((s) => s.role === role)
  if (!found) {
    throw new Error(`no demo ${role}`)
  }
  return found
}
const ADMIN = demo('admin')
const DRIVER = demo('driver')

// A Tuesday that is no holiday: on-street meters run 8 am to 6 pm.
const TUESDAY_10AM = '2027-03-02T10:00:00-05:00'

const db = await testDatabase()
await seedFacilities(db.sql)
const api = testApp(db)

interface FacilityJson {
  code: string
  name: string
  geometry: { type: string; coordinates: number[][][] | number[][] } | null
  capacity: number | null
}

async function facility(code: string): Promise<FacilityJson> {
  const res = await api.request('/api/v1/facilities')
  const body = (await res.json()) as { facilities: FacilityJson[] }
  const found = body.facilities.find((f) => f.code === code)
  if (!found) {
    throw new Error(`no facility ${code}`)
  }
  return found
}

async function hourAt(code: string, start: string): Promise<number> {
  const res = await api.request('/api/v1/quotes', {
    method: 'POST',
    json: { facility: code, start, minutes: 60 },
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { totalCents: number }).totalCents
}

/** A point on the map as fractions of its width and height. */
async function at(map: Locator, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = await map.boundingBox()
  if (!box) {
    throw new Error('the map is not on screen')
  }
  return { x: box.x + box.width * fx, y: box.y + box.height * fy }
}

describe.runIf(hasBrowser)("the administrator's facility pages", () => {
  let session: BrowserSession
  let base: string

  beforeAll(async () => {
    await createStaffUser(db.sql, {
      email: ADMIN.email,
      displayName: 'Demo admin',
      role: 'admin',
      password: ADMIN.password,
    })
    await registerDriver(db.sql, {
      email: DRIVER.email,
      name: 'Demo driver',
      password: DRIVER.password,
    })
    session = await openBrowserSession(db)
    base = session.base
  })

  afterAll(() => session?.close())


  it('lists every facility, filters by kind and opens one to edit', async () => {
    const page = await session.newPage()
    await session.signIn(page, ADMIN)
    await page.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Facilities' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Facilities and zones' }).waitFor()

    const table = page.getByRole('table')
    const rows = table.locator('tbody tr')
    await expect.poll(() => rows.count()).toBe(50)
    await page.getByLabel('Kind').selectOption({ label: 'Garage' })
    await expect.poll(() => rows.count()).toBe(3)
    expect(new URL(page.url()).searchParams.get('kind')).toBe('garage')
    const civic = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'G-CIVIC' }) })
    expect(await civic.getByRole('cell').allTextContents()).toEqual([
      'City Hall Garage',
      'Garage',
      'Open',
      '620',
      expect.stringMatching(/^\$\d+\.\d\d$/),
      'Edit',
    ])

    await page.getByLabel('Kind').selectOption({ label: 'On-street zone' })
    await expect.poll(() => rows.count()).toBe(40)
    await page.screenshot({ path: '/tmp/curbline-admin-facilities.png', fullPage: true })
    await page.getByRole('link', { name: 'Edit Zone 104' }).click()
    await page.getByRole('heading', { level: 1, name: 'Zone 104' }).waitFor()

    const phone = await session.newPage({ width: 390, height: 844 })
    await session.signIn(phone, ADMIN)
    await phone.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await phone.goto(`${base}/admin/facilities/G-CIVIC`)
    await phone.getByRole('region', { name: 'Map: shape of City Hall Garage' }).waitFor()
    await phone.getByRole('table', { name: 'Quote preview' }).getByText('$2.00').first().waitFor()
    await phone.screenshot({ path: '/tmp/curbline-admin-facility-phone.png', fullPage: true })
  })

  it('draws and edits a block face on the map, changes a rate, and saves both', async () => {
    const page = await session.newPage({ width: 1280, height: 1000 })
    await session.signIn(page, ADMIN)
    await page.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await page.goto(`${base}/admin/facilities/104`)
    await page.getByRole('heading', { level: 1, name: 'Zone 104' }).waitFor()

    const map = page.getByRole('region', { name: 'Map: shape of Zone 104' })
    await map.waitFor()
    await map.scrollIntoViewIfNeeded()
    const summary = page.getByRole('status').filter({ hasText: /block face|Nothing drawn/ })
    await expect.poll(() => summary.textContent()).toMatch(/^2 block faces, \d+ m of curb$/)
    const geojson = page.getByLabel('GeoJSON to be saved')
    const drawn = async () =>
      JSON.parse(await geojson.inputValue()) as { type: string; coordinates: number[][][] }
    expect((await drawn()).type).toBe('MultiLineString')

    // draw a third block face with three clicks, and finish it
    await map.getByRole('button', { name: 'Draw a block face' }).click()
    const points = [await at(map, 0.25, 0.3), await at(map, 0.25, 0.5), await at(map, 0.32, 0.7)]
    for (const p of points) {
      await page.mouse.click(p.x, p.y)
    }
    await map.getByRole('button', { name: 'Finish' }).click()
    await expect.poll(() => summary.textContent()).toMatch(/^3 block faces, .* · Not saved yet$/)
    const afterDraw = await drawn()
    expect(afterDraw.coordinates).toHaveLength(3)
    expect(afterDraw.coordinates[2]).toHaveLength(3)

    // drag the new face's last vertex 60 px east
    await map.getByRole('button', { name: 'Edit vertices' }).click()
    const last = points[2] ?? { x: 0, y: 0 }
    await page.mouse.move(last.x, last.y)
    await page.mouse.down()
    await page.mouse.move(last.x + 30, last.y, { steps: 5 })
    await page.mouse.move(last.x + 60, last.y, { steps: 5 })
    await page.mouse.up()
    await map.getByRole('button', { name: 'Edit vertices' }).click()
    await expect
      .poll(async () => (await drawn()).coordinates[2]?.[2]?.[0])
      .toBeGreaterThan(afterDraw.coordinates[2]?.[2]?.[0] ?? Infinity)
    const edited = await drawn()
    expect(edited.coordinates[2]?.[0]).toEqual(afterDraw.coordinates[2]?.[0])

    await page.getByRole('button', { name: 'Save shape' }).click()
    await page.getByRole('status').filter({ hasText: 'Shape saved' }).waitFor()
    expect((await facility('104')).geometry).toEqual(edited)

    // the rates: a mistake shows beside its field, and the preview prices the change before saving
    expect(await hourAt('104', TUESDAY_10AM)).toBe(200)
    const rates = page.getByRole('form', { name: 'Rates' })
    const hours = rates.getByRole('group', { name: 'Charging hours 1' })
    await hours.getByLabel('To', { exact: true }).fill('25:00')
    await hours.getByText('a time of day as HH:MM, 00:00 to 24:00').waitFor()
    await hours.getByLabel('To', { exact: true }).fill('18:00')
    await hours.getByLabel('Price per 15 minutes').fill('0.75')

    // the city's holidays fall on Mondays but never on a Tuesday, when meters always run
    await page.getByLabel('Stays starting on').selectOption({ label: 'Tuesday' })
    const preview = page.getByRole('table', { name: 'Quote preview' })
    const oneHour = preview
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: '1 hour' }) })
    await expect
      .poll(() => oneHour.getByRole('cell').allTextContents())
      .toEqual(['$2.00', '$3.00 (changed)'])
    await page.screenshot({ path: '/tmp/curbline-admin-facility.png', fullPage: true })

    await rates.getByRole('button', { name: 'Save rates' }).click()
    await page.getByRole('status').filter({ hasText: 'Rates saved' }).waitFor()
    await expect.poll(() => oneHour.getByRole('cell').allTextContents()).toEqual(['$3.00', '$3.00'])
    expect(await hourAt('104', TUESDAY_10AM)).toBe(300)

    // the API refuses what it cannot store, and says so beside the field
    const details = page.getByRole('form', { name: 'Details' })
    await details.getByLabel('Spaces').fill('100001')
    await details.getByRole('button', { name: 'Save details' }).click()
    await details.getByRole('alert').waitFor()
    const spacesError = details.locator('[id$="-error"]')
    expect(await spacesError.textContent()).toMatch(/100000/)
    await details.getByLabel('Spaces').fill('22')
    await details.getByLabel('Status').selectOption({ label: 'Event' })
    await details.getByRole('button', { name: 'Save details' }).click()
    await details.getByRole('status').filter({ hasText: 'Details saved.' }).waitFor()
    expect((await facility('104')).capacity).toBe(22)
  })

  it("replaces a garage's outline: removes the old one, draws a rectangle, or takes pasted GeoJSON", async () => {
    const page = await session.newPage()
    await session.signIn(page, ADMIN)
    await page.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await page.goto(`${base}/admin/facilities/G-CIVIC`)
    const map = page.getByRole('region', { name: 'Map: shape of City Hall Garage' })
    await map.waitFor()
    await map.scrollIntoViewIfNeeded()
    const summary = page.getByRole('status').filter({ hasText: /outline|Nothing drawn/ })
    await expect.poll(() => summary.textContent()).toMatch(/^1 outline, about/)

    await map.getByRole('button', { name: 'Remove shapes' }).click()
    const centre = await at(map, 0.5, 0.5)
    await page.mouse.click(centre.x, centre.y)
    await expect.poll(() => summary.textContent()).toMatch(/^Nothing drawn/)
    await map.getByRole('button', { name: 'Remove shapes' }).click()

    await map.getByRole('button', { name: 'Draw a rectangle' }).click()
    const a = await at(map, 0.35, 0.3)
    const b = await at(map, 0.6, 0.7)
    await page.mouse.click(a.x, a.y)
    await page.mouse.move(b.x, b.y, { steps: 5 })
    await page.mouse.click(b.x, b.y)
    await expect.poll(() => summary.textContent()).toMatch(/^1 outline, about .* · Not saved yet$/)

    await page.getByRole('button', { name: 'Save shape' }).click()
    await page.getByRole('status').filter({ hasText: 'Shape saved' }).waitFor()
    const saved = (await facility('G-CIVIC')).geometry
    expect(saved?.type).toBe('Polygon')
    const ring = (saved?.coordinates as number[][][])[0] ?? []
    expect(ring).toHaveLength(5)
    expect(ring[0]).toEqual(ring[4])

    // or pasted from GIS data: two buildings make a MultiPolygon
    const square = (lon: number, lat: number) => [
      [
        [lon, lat],
        [lon + 0.0004, lat],
        [lon + 0.0004, lat + 0.0003],
        [lon, lat + 0.0003],
        [lon, lat],
      ],
    ]
    const pasted = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'MultiPolygon',
        coordinates: [square(-78.6415, 35.7812), square(-78.6405, 35.7812)],
      },
    }
    await page.getByText('GeoJSON', { exact: true }).click()
    await page.getByLabel('GeoJSON to be saved').fill(JSON.stringify(pasted))
    await page.getByRole('button', { name: 'Draw this GeoJSON on the map' }).click()
    await expect.poll(() => summary.textContent()).toMatch(/^2 outlines, about .* · Not saved yet$/)
    await page.screenshot({ path: '/tmp/curbline-admin-garage.png', fullPage: true })
    await page.getByRole('button', { name: 'Save shape' }).click()
    await page.getByRole('status').filter({ hasText: 'Shape saved' }).waitFor()
    expect((await facility('G-CIVIC')).geometry).toEqual(pasted.geometry)
  })

  it("sets a lot's opening hours, refusing hours that end before they start", async () => {
    const page = await session.newPage()
    await session.signIn(page, ADMIN)
    await page.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await page.goto(`${base}/admin/facilities/L-RIVER`)
    const form = page.getByRole('form', { name: 'Opening hours' })
    await form.getByLabel('Open around the clock').uncheck()
    await form.getByLabel('Opens').fill('22:00')
    await form.getByLabel('Closes').fill('06:00')
    await form.getByRole('button', { name: 'Save opening hours' }).click()
    await form.getByText(/Opening 1: opening hours end after they start/).waitFor()
    await form.getByLabel('Opens').fill('06:30')
    await form.getByLabel('Closes').fill('23:00')
    await form.getByLabel('Saturday').check()
    await form.getByRole('button', { name: 'Save opening hours' }).click()
    await form.getByText('Opening hours saved.').waitFor()
    const saved = (await (await fetch(`${base}/api/v1/facilities/L-RIVER`)).json()) as { hours: unknown }
    expect(saved.hours).toEqual([{ days: [1, 2, 3, 4, 5, 6], from: '06:30', to: '23:00' }])
    await page.screenshot({ path: '/tmp/curbline-admin-hours.png', fullPage: true })
  })

  it('refuses a driver, in the browser and at the API', async () => {
    const page = await session.newPage()
    await session.signIn(page, DRIVER)
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    expect(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Facilities' })
        .count(),
    ).toBe(0)
    await page.goto(`${base}/admin/facilities/104`)
    await page.getByRole('heading', { level: 1, name: 'Not available to your account' }).waitFor()

    const driver = await api.signIn(DRIVER.email, DRIVER.password)
    const res = await api.request('/api/v1/facilities/104', {
      method: 'PATCH',
      json: { name: 'Mine now' },
      as: driver,
    })
    expect(res.status).toBe(403)
    expect((await facility('104')).name).not.toBe('Mine now')
  })
})
