import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { seedFacilities } from '../../db/seed/facilities.ts'

checkBrowserAvailable()

const db = await testDatabase()
await seedFacilities(db.sql)
// one car paid for in zone 104 right now
const [zone104] = await db.sql<{ id: number; capacity: number }[]>`
  select id, capacity from parking.facility where code = '104'`
await db.sql`
  insert into parking.session (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
  values (${zone104!.id}, 'MAP104', 'NC', 'MAP 104', 'web', 'active', now(), now() + interval '1 hour')`

describe.skipIf(!hasBrowser)('the public parking map', () => {
  let session: BrowserSession

  beforeAll(async () => {
    session = await openBrowserSession(db)
  })
  afterAll(async () => {
    await session?.close()
  })

  it('draws every facility on the map and lists it, and a row opens its place on the map', async () => {
    const page = await session.newPage()
    await page.goto(`${session.base}/sign-in`)
    await page.getByRole('link', { name: 'See the parking map' }).click()
    await page.getByRole('heading', { level: 1, name: 'Parking map' }).waitFor()
    const map = page.getByRole('region', { name: 'Map of parking facilities and zones' })
    await map.waitFor()
    // every facility has geometry: 50 shapes, drawn without tiles
    await expect.poll(() => page.locator('path.leaflet-interactive').count()).toBe(50)
    const table = page.getByRole('table', { name: 'Facilities and zones' })
    const zone = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /Zone 104/ }) })
    await expect.poll(() => zone.count()).toBe(1)
    expect(await zone.getByRole('cell').nth(2).textContent()).toBe('2 hours')
    expect(await zone.getByRole('cell').nth(3).textContent()).toBe(`${zone104!.capacity - 1} of ${zone104!.capacity} free`)
    await zone.getByRole('button', { name: 'Zone 104' }).click()
    const popup = page.locator('.leaflet-popup-content')
    await popup.waitFor()
    expect(await popup.textContent()).toMatch(/^Zone 104McDowell St, Hargett St to Martin St.*limit 2 hours\d+ of \d+ free$/)
    await page.screenshot({ path: '/tmp/curbline-parking-map.png', fullPage: true })
  })
})
