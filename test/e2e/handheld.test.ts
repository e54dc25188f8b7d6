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
import { seedEnforcement } from '../../db/seed/enforcement.ts'
import { DEMO_SIGN_INS } from '../../db/seed/demo.ts'
import { createStaffUser } from '../../api/auth/users.ts'
import { localTime, zonedInstant } from '../../api/facilities/local-time.ts'

checkBrowserAvailable()

/*
  The ambassador's handheld on a phone: a plate photo (drawn here) is checked in zone 101 on a
  weekday morning with nothing paid, so the verdict is a violation; the ambassador cites it. A
  supervisor finds the citation in the enforcement list, and the public notice shows what is
  owed. Then, with the network off, a check and a citation wait on the phone and are sent when it
  is back. Last, the supervisor's appeals and scofflaw pages and the administrator's codes.
*/

function demo<R extends 'ambassador' | 'supervisor' | 'admin'>(role: R) {
  const found = DEMO_SIGN_INS.find(
    (s): s is Extract<(typeof DEMO_SIGN_INS)[number], { role: R }> => s.role === role,
  )
  if (!found) {
    throw new Error(`no demo ${role}`)
  }
  return found
}
const AMBASSADOR = demo('ambassador')
const SUPERVISOR = demo('supervisor')
const ADMIN = demo('admin')
const PHONE = { width: 390, height: 844 }
const TZ = 'America/New_York'
const PLATE = 'ABC1234'

const db = await testDatabase()
await seedFacilities(db.sql)
// the demo's history: a citation under appeal, and a plate on the scofflaw list
await seedEnforcement(db.sql)
const NAMES = { ambassador: 'Amara Ambassador', supervisor: 'Sam Supervisor', admin: 'Ada Admin' }
for (const who of [AMBASSADOR, SUPERVISOR, ADMIN]) {
  await createStaffUser(db.sql, {
    email: who.email,
    password: who.password,
    role: who.role,
    displayName: NAMES[who.role],
  })
}

/** The middle of zone 101's first block face, where the phone says it stands. */
const [zone] = await db.sql<
  {
    geometry: { coordinates: [[number, number], [number, number]][] }
    tariff: { holidays?: string[] }
  }[]
>`
  select geometry, tariff from parking.facility where code = '101'`
const [[fromLon, fromLat], [toLon, toLat]] = zone?.geometry.coordinates[0] ?? [
  [0, 0],
  [0, 0],
]
const SPOT = { latitude: (fromLat + toLat) / 2, longitude: (fromLon + toLon) / 2, accuracy: 6 }

/** 11:00 in the city on the latest weekday before today that is no holiday: zone 101 charges then. */
function weekdayMorning(): Date {
  const holidays = new Set(zone?.tariff.holidays ?? [])
  for (let back = 1; back < 15; back++) {
    const day = localTime(Date.now() - back * 86_400_000, TZ)
    if (day.weekday >= 1 && day.weekday <= 5 && !holidays.has(day.date)) {
      return new Date(zonedInstant(day.date, 11 * 60, TZ))
    }
  }
  throw new Error('no weekday in the last two weeks')
}

type Sharp = (input: Buffer) => { png: () => { toBuffer: () => Promise<Buffer> } }

/** A clean plate photo: white plate, dark letters, on a grey car, as a PNG. */
async function platePhoto(page: Page, text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="640">
    <rect width="1000" height="640" fill="#6f7c88"/>
    <rect x="230" y="200" width="540" height="270" rx="22" fill="#fff" stroke="#1b1b1b" stroke-width="8"/>
    <text x="500" y="262" font-family="DejaVu Sans, Arial, sans-serif" font-size="38" font-weight="700" text-anchor="middle" fill="#1a4480">NORTH CAROLINA</text>
    <text x="500" y="410" font-family="DejaVu Sans Mono, Courier New, monospace" font-size="128" font-weight="700" text-anchor="middle" fill="#111">${text.slice(0, 3)}-${text.slice(3)}</text>
  </svg>`
  try {
    // by name, so this file type-checks where sharp is not installed
    const name = 'sharp'
    const { default: sharp } = (await import(name)) as { default: Sharp }
    return await sharp(Buffer.from(svg)).png().toBuffer()
  } catch {
    // no sharp here: the page draws the SVG on a canvas
    const dataUrl = await page.evaluate(async (source) => {
      const img = new Image()
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = 1000
      canvas.height = 640
      canvas.getContext('2d')?.drawImage(img, 0, 0)
      return canvas.toDataURL('image/png')
    }, svg)
    return Buffer.from(dataUrl.split(',')[1] ?? '', 'base64')
  }
}

describe.runIf(hasBrowser)('the ambassador’s handheld', () => {
  let session: BrowserSession
  let base: string
  let number = ''

  beforeAll(async () => {
    session = await openBrowserSession(db)
    base = session.base
  })
  afterAll(() => session?.close())

  async function phone(): Promise<Page> {
    const page = await session.newPage(PHONE)
    await page.context().grantPermissions(['geolocation'], { origin: base })
    await page.context().setGeolocation(SPOT)
    await page.clock.setFixedTime(weekdayMorning())
    return page
  }

  it('reads a plate photo in zone 101, finds no payment, and cites it with the photo', async () => {
    const page = await phone()
    await session.signIn(page, AMBASSADOR)
    // an ambassador starts on the handheld
    await page.getByRole('heading', { level: 1, name: 'Check a plate' }).waitFor()
    await page.getByText(/GPS on, within/).waitFor()
    const home = page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Handheld' })
    expect(await home.getAttribute('aria-current')).toBe('page')

    await page.getByLabel('Photo of the plate').setInputFiles({
      name: 'plate.png',
      mimeType: 'image/png',
      buffer: await platePhoto(page, PLATE),
    })
    const verdict = page.getByRole('heading', {
      level: 2,
      name: /^(Violation|No verdict|Paid|Permit|Chalked.*|In the grace period|Over the time limit|Not enforced now)$/,
    })
    const unreadable = page.getByRole('alert').filter({ hasText: 'The photo could not be read' })
    await verdict.or(unreadable).first().waitFor({ timeout: 90_000 })

    // the photo first; when the reader missed it, the plate is typed (the photo goes with it)
    const read = (await verdict.isVisible())
      ? (/Plate ([A-Z0-9]+), /.exec((await page.locator('main').textContent()) ?? '')?.[1] ?? '')
      : ''
    if (read !== PLATE) {
      // one of the reader's other candidates, with one tap; else typed
      const chip = page.getByRole('button', { name: new RegExp(`^${PLATE} It is this one`) })
      if (await unreadable.isVisible()) {
        await page.getByRole('form', { name: 'Type the plate' }).getByLabel('Plate').fill(PLATE)
        await page.getByRole('button', { name: 'Check typed plate' }).click()
      } else if (await chip.isVisible()) {
        await chip.click()
      } else {
        await page.getByRole('button', { name: 'None of these: type the plate' }).click()
        await page.getByRole('form', { name: 'Type the plate' }).getByLabel('Plate').fill(PLATE)
        await page.getByRole('button', { name: 'Check this plate' }).click()
      }
    }
    console.info(`handheld: the server's reader saw ${read ? `"${read}"` : 'nothing'} in the photo`)
    const card = page.getByRole('region', { name: 'Violation' })
    await card.filter({ hasText: PLATE }).waitFor({ timeout: 30_000 })
    await card.getByText(/Zone 101/).waitFor()
    await page.getByText('NO-PAY', { exact: true }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-handheld-verdict.png', fullPage: true })
    await expectAccessible(page, 'handheld with a verdict')

    await page.getByRole('button', { name: 'Cite NO-PAY' }).click()
    const form = page.getByRole('form', { name: 'Issue a citation' })
    await expect(form.getByLabel('Violation').inputValue()).resolves.toBe('NO-PAY')
    await expect(
      form.getByRole('checkbox', { name: 'Attach the plate photo' }).isChecked(),
    ).resolves.toBe(true)
    await form.getByLabel('Make').fill('Honda')
    await form.getByLabel('Colour').fill('Blue')
    await page.screenshot({ path: '/tmp/curbline-handheld-cite.png', fullPage: true })
    await form.getByRole('button', { name: /^Cite NO-PAY/ }).click()

    const issued = page.getByRole('status').filter({ hasText: /Citation C\d+ issued/ })
    await issued.waitFor({ timeout: 20_000 })
    number = /Citation (C\d+) issued/.exec((await issued.textContent()) ?? '')?.[1] ?? ''
    expect(number).toMatch(/^C\d{8}$/)
    await expect(page.getByRole('status', { name: 'Sync state' }).textContent()).resolves.toMatch(
      /0 queued.*0 sending.*2 synced today/,
    )
    await page.screenshot({ path: '/tmp/curbline-handheld-cited.png', fullPage: true })

    const [row] = await db.sql<
      { plate: string; photos: number; vehicle: Record<string, string>; facility: string }[]
    >`
      select c.plate, c.vehicle, f.code as facility,
             (select count(*)::int from enforcement.citation_photo p where p.citation_id = c.id) as photos
        from enforcement.citation c join parking.facility f on f.id = c.facility_id where c.number = ${number}`
    await page.close()
    expect(row).toMatchObject({
      plate: PLATE,
      photos: 1,
      facility: '101',
      vehicle: { make: 'Honda', colour: 'Blue' },
    })
  }, 180_000)

  it('shows the citation to a supervisor, and its notice with the balance to anyone', async () => {
    const page = await session.newPage()
    await session.signIn(page, SUPERVISOR)
    await page.getByRole('heading', { level: 1, name: 'Supervisor home' }).waitFor()
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Enforcement' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Citations' }).waitFor()
    const found = page.getByRole('region', { name: 'Citations found' })
    const row = found.getByRole('row').filter({ has: page.getByRole('link', { name: number }) })
    await row.waitFor()
    await expect(row.textContent()).resolves.toMatch(/ABC1234.*NO-PAY.*Open.*\$40\.00.*101/)
    await page.screenshot({ path: '/tmp/curbline-supervisor-citations.png', fullPage: true })
    await expectAccessible(page, 'supervisor citations list')

    const notice = await session.newPage(PHONE)
    await notice.goto(`${base}/citations/${number}?plate=${PLATE}`)
    await notice.getByRole('heading', { level: 1, name: `Parking citation ${number}` }).waitFor()
    const due = notice.getByRole('article', { name: 'Amount due' })
    await expect(due.textContent()).resolves.toContain('$40.00')
    await expect(due.textContent()).resolves.toContain('No payment for parking')
    await notice.getByRole('img', { name: /QR code that opens this citation/ }).waitFor()
    await notice.getByRole('img', { name: /Photo 1 of 1/ }).waitFor()
    await notice.getByRole('form', { name: 'Appeal this citation' }).waitFor()
    await notice.screenshot({ path: '/tmp/curbline-citation-notice.png', fullPage: true })
    await expectAccessible(notice, 'citation notice')
    await Promise.all([page.close(), notice.close()])
  }, 60_000)

  it('keeps a check and a citation made offline on the phone, and sends them when back online', async () => {
    const page = await phone()
    // a reload served by the service worker on a loaded two-core machine takes its time
    page.setDefaultTimeout(30_000)
    await session.signIn(page, AMBASSADOR)
    await page.getByRole('heading', { level: 1, name: 'Check a plate' }).waitFor()
    // the service worker keeps the app and who is signed in, so the handheld opens offline too
    await page.waitForFunction(
      async () => {
        const cache = await caches.open('curbline-handheld-v1')
        const kept = (await cache.keys()).map((r) => new URL(r.url).pathname)
        // every script and stylesheet the page loaded, not only its own chunk: offline, a shared
        // chunk still being cached leaves the page blank
        const loaded = performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name))
          .filter((u) => u.origin === location.origin && /^\/assets\/.*\.(js|css)$/.test(u.pathname))
          .map((u) => u.pathname)
        return (
          kept.includes('/handheld') &&
          kept.includes('/api/v1/auth/me') &&
          kept.some((p) => /handheld-page-.*\.js$/.test(p)) &&
          loaded.every((p) => kept.includes(p))
        )
      },
      undefined,
      { timeout: 20_000 },
    )
    // opened again, the page is the worker's (Chromium sometimes leaves the first reload after
    // the worker starts uncontrolled); then the signal drops and the phone reloads it
    const controller = () => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)
    for (let tries = 0; tries < 3 && (await controller()) === undefined; tries++) {
      await page.reload()
      await page.getByRole('heading', { level: 1, name: 'Check a plate' }).waitFor()
    }
    expect(await controller()).toBe(`${base}/handheld-sw.js`)
    await page.context().setOffline(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Check a plate' }).waitFor()

    const typed = page.getByRole('form', { name: 'Type the plate' })
    await typed.getByLabel('Plate').fill('XYZ9876')
    await page.getByRole('button', { name: 'Check typed plate' }).click()
    await page.getByRole('heading', { level: 2, name: 'Saved on this phone' }).waitFor()
    await page.getByRole('button', { name: 'Cite anyway' }).click()
    const form = page.getByRole('form', { name: 'Issue a citation' })
    await expect(form.getByLabel('Plate', { exact: true }).inputValue()).resolves.toBe('XYZ9876')
    await form.getByLabel('Violation').selectOption('NO-PAY')
    await form.getByRole('button', { name: /^Cite NO-PAY/ }).click()
    await page.getByRole('status').filter({ hasText: 'Citation saved on this phone' }).waitFor()
    const badge = page.getByRole('status', { name: 'Sync state' })
    await expect(badge.textContent()).resolves.toMatch(/Offline.*2 queued/)
    await page.screenshot({ path: '/tmp/curbline-handheld-offline.png', fullPage: true })

    await page.context().setOffline(false)
    await page.waitForFunction(
      () =>
        /0 queued.*0 sending/.test(
          document.querySelector('[aria-label="Sync state"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 30_000 },
    )
    // the check's verdict, judged as of when it was made, takes the card's place
    await page.getByRole('region', { name: 'Violation' }).filter({ hasText: 'XYZ9876' }).waitFor()
    const [sent] = await db.sql<{ number: string; read: boolean; at: Date }[]>`
      select c.number, c.read_id is not null as read, c.issued_at as at from enforcement.citation c where c.plate = 'XYZ9876'`
    expect(sent?.number).toMatch(/^C\d{8}$/)
    // numbered by the server (no handheld token on this phone), tied to its check, at its own time
    expect(sent?.read).toBe(true)
    expect(sent?.at.getTime()).toBeLessThan(Date.now() - 3_600_000)
    await page.close()
  }, 120_000)

  it('lets a supervisor decide an appeal and boot a scofflaw, and an administrator change a fine', async () => {
    const page = await session.newPage()
    await session.signIn(page, SUPERVISOR)
    await page.getByRole('heading', { level: 1, name: 'Supervisor home' }).waitFor()
    await page
      .getByRole('link', { name: /^Appeals/ })
      .first()
      .click()
    await page.getByRole('heading', { level: 1, name: 'Appeals' }).waitFor()
    const appeal = page.getByRole('article', { name: /Appeal of C\d+/ })
    await appeal.getByText('I paid at the kiosk on the corner').waitFor()
    await appeal.getByText('No parking was paid for this plate that day.').waitFor()
    await page.screenshot({ path: '/tmp/curbline-supervisor-appeals.png', fullPage: true })
    await expectAccessible(page, 'appeals queue')
    await appeal.getByLabel('Reduce', { exact: true }).check()
    await appeal.getByLabel('Reduce to').fill('20.00')
    await appeal
      .getByLabel('Letter to the driver')
      .fill('The kiosk on the corner was out of order that morning; the fine is reduced.')
    await appeal.getByRole('button', { name: 'Send the decision' }).click()
    await page
      .getByRole('status')
      .filter({ hasText: /reduced to \$20\.00/ })
      .waitFor()
    await page.getByText('No appeal is waiting for a decision.').waitFor()

    await page
      .getByRole('navigation', { name: 'Enforcement' })
      .getByRole('link', { name: 'Scofflaws' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Scofflaws' }).waitFor()
    await page.getByRole('button', { name: 'Boot or tow SCF4411…' }).click()
    const boot = page.getByRole('form', { name: 'Boot or tow SCF4411' })
    await boot.getByLabel('Where').fill('500 block of Fayetteville St, east side')
    await boot.getByRole('button', { name: 'Record the boot' }).click()
    await page.getByRole('status').filter({ hasText: 'SCF4411 is booted.' }).waitFor()
    await page.getByRole('button', { name: 'Release SCF4411' }).click()
    // still three citations past due: the API refuses, and says so
    await page.getByRole('alert').filter({ hasText: 'SCF4411 cannot be released' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-supervisor-scofflaws.png', fullPage: true })
    await expectAccessible(page, 'scofflaw list')

    await page
      .getByRole('navigation', { name: 'Enforcement' })
      .getByRole('link', { name: 'Live map' })
      .click()
    await page.getByRole('heading', { level: 1, name: 'Ambassadors on the map' }).waitFor()
    await page.getByRole('region', { name: 'Map of each ambassador’s latest check' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-supervisor-live.png', fullPage: true })
    await expectAccessible(page, 'live map')

    const admin = await session.newPage()
    await session.signIn(admin, ADMIN)
    await admin.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    await admin
      .getByRole('link', { name: /^Violation codes/ })
      .first()
      .click()
    await admin.getByRole('heading', { level: 1, name: 'Violation codes' }).waitFor()
    await admin.getByRole('button', { name: 'Edit NO-PAY' }).click()
    const edit = admin.getByRole('form', { name: 'Edit NO-PAY' })
    await edit.getByLabel('Fine').fill('45.00')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await admin.getByRole('status').filter({ hasText: 'NO-PAY saved' }).waitFor()
    const row = admin
      .getByRole('row')
      .filter({ has: admin.getByRole('rowheader', { name: 'NO-PAY' }) })
    // the list is read again after the save
    await row.filter({ hasText: '$45.00' }).waitFor()
    await expect(row.textContent()).resolves.toMatch(
      /\$45\.00.*\$25\.00 on the due date; \$50\.00 30 days after/,
    )
    await admin.screenshot({ path: '/tmp/curbline-admin-violations.png', fullPage: true })
    await expectAccessible(admin, 'violation codes')
    await Promise.all([page.close(), admin.close()])
  }, 90_000)
})
