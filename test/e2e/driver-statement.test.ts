import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFile } from 'node:fs/promises'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { registerDriver, createStaffUser } from '../../api/auth/users.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { postEntry, receivable } from '../../api/ledger/post.ts'
import type { Sql } from '../../db/connect.ts'

checkBrowserAvailable()

const DRIVER = {
  email: 'rosa.alvarez@example.com',
  password: 'a quiet street at dusk',
  name: 'Rosa Alvarez',
}
const ADMIN = { email: 'ines.admin@city.test', password: 'the admin password', name: 'Ines Okafor' }
const KIOSK_TOKEN = 'kio_e2e-kiosk-token-for-the-browser-test'
const ACCOUNT_NUMBER = '4100200300'

const db = await testDatabase()

describe.runIf(hasBrowser)('a driver in the browser', () => {
  let session: BrowserSession
  let base: string

  beforeAll(async () => {
    await seedDriverWithBills(db.sql)
    await createStaffUser(db.sql, {
      email: ADMIN.email,
      displayName: ADMIN.name,
      role: 'admin',
      password: ADMIN.password,
    })
    await registerDevice(
      db.sql,
      { kind: 'kiosk', name: 'Kiosk 3 - Riverside Lot', createdBy: null },
      KIOSK_TOKEN,
    )
    session = await openBrowserSession(db)
    base = session.base
  })

  afterAll(() => session?.close())

  const newPage = (viewport?: { width: number; height: number }) => session.newPage(viewport)

  it('signs in and sees utility and parking lines side by side on one statement', async () => {
    const page = await newPage()
    await page.goto(`${base}/`)
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-sign-in.png', fullPage: true })

    await page.getByLabel('Email address').fill(DRIVER.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/do not match/i)

    await page.getByLabel('Password').fill(DRIVER.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // a driver's home: pay for parking and what is running, then the account a click away
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.getByRole('banner').textContent()).toContain(DRIVER.name)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My account' }).click()
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor()

    const accounts = page.getByRole('region', { name: 'Utility accounts' })
    expect(await accounts.textContent()).toContain(ACCOUNT_NUMBER)
    expect(await accounts.textContent()).toContain('14 Elm Street')

    const balances = page.getByRole('list', { name: 'Balance by fund' })
    const card = (name: string) => balances.getByRole('listitem').filter({ hasText: name })
    expect(await card('Water').textContent()).toContain('$25.12')
    expect(await card('Sewer').textContent()).toContain('$22.10')
    expect(await card('Parking').textContent()).toContain('$6.00')
    expect(await card('Total balance').textContent()).toContain('$53.22')

    const table = page.getByRole('table', { name: /Statement from/ })
    await table.waitFor()
    const row = (text: string) => table.getByRole('row').filter({ hasText: text })
    const water = await row('Water charge').textContent()
    expect(water).toContain(ACCOUNT_NUMBER)
    expect(water).toContain('$45.12')
    expect(await row('Payment received, thank you').textContent()).toContain('\u2212$20.00')
    const parking = await row('Parking session').textContent()
    expect(parking).toContain('Parking')
    expect(parking).toContain('$6.00')
    expect(await row('Closing balance').textContent()).toContain('$53.22')

    await page.screenshot({ path: '/tmp/curbline-statement.png', fullPage: true })

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^curbline-statement-.*\.csv$/)
    const csv = await readFile(await download.path(), 'utf8')
    expect(csv).toContain('Water charge, bill B-07-88120')
    expect(csv).toContain('45.12')
  })

  it('adds a vehicle from My account', async () => {
    const page = await newPage({ width: 390, height: 844 })
    await session.signIn(page, DRIVER)
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor()
    await page.goto(`${base}/account`)
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor()
    const form = page.getByRole('form', { name: 'Add a vehicle' })
    await form.getByLabel('Plate number').fill('kdr 4471')
    await form.getByLabel('State or province').selectOption('NY')
    await form.getByLabel('Make').fill('Subaru')
    await form.getByLabel('Colour').fill('Blue')
    await form.getByRole('button', { name: 'Add vehicle' }).click()
    const vehicles = page.getByRole('list', { name: 'Your vehicles' })
    await vehicles.getByRole('button', { name: /Remove KDR/ }).waitFor()
    await page.getByRole('table', { name: /Statement from/ }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-account-phone.png', fullPage: true })
  })

  it('lands an administrator on their home, with users and devices', async () => {
    const page = await newPage()
    await session.signIn(page, ADMIN)
    await page.getByRole('heading', { level: 1, name: 'Administrator home' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin')
    await page.screenshot({ path: '/tmp/curbline-admin.png', fullPage: true })

    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Devices' }).click()
    await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor()
    await page.getByRole('row').filter({ hasText: 'Kiosk 3 - Riverside Lot' }).waitFor()
    const form = page.getByRole('form', { name: 'Register a device' })
    await form.getByLabel('Name').fill('Kiosk 9 - Airport Short Stay')
    await form.getByRole('button', { name: 'Register device' }).click()
    const token = page.getByLabel('Device token')
    await token.waitFor()
    expect(await token.inputValue()).toMatch(/^kio_/)
    await page.screenshot({ path: '/tmp/curbline-admin-devices.png', fullPage: true })
  })

  it('sets the kiosk up from ?token= and shows its start screen', async () => {
    const page = await newPage({ width: 1280, height: 800 })
    await page.goto(`${base}/kiosk/?token=${encodeURIComponent(KIOSK_TOKEN)}`)
    await page.getByRole('heading', { level: 1, name: 'Pay for parking' }).waitFor()
    expect(page.url()).not.toContain('token=')
    expect(await page.getByRole('banner').textContent()).toContain('Kiosk 3 - Riverside Lot')
    // a kiosk registered without a facility has no zone of its own to sell until one is typed
    expect(await page.getByRole('button', { name: /Start/ }).isDisabled()).toBe(true)
    await page.getByRole('status').filter({ hasText: 'Online' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-kiosk-no-zone.png' })

    await page.getByRole('button', { name: 'Technician' }).click()
    await page.getByRole('button', { name: 'Sign out device' }).click()
    await page.getByRole('button', { name: 'Yes, sign out this device' }).click()
    await page.getByRole('heading', { level: 1, name: 'Set up this pay station' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-kiosk-setup.png' })
  })
})

/**
 * A driver who holds a utility account with a water and sewer bill, has paid part of it, and
 * owes for one parking session. Balances: water 25.12, sewer 22.10, parking 6.00; total 53.22.
 */
async function seedDriverWithBills(sql: Sql): Promise<void> {
  const driver = await registerDriver(sql, {
    email: DRIVER.email,
    name: DRIVER.name,
    password: DRIVER.password,
  })
  const customerId = driver.customer_id
  if (customerId === null) {
    throw new Error('a driver always has a customer record')
  }
  const [premise]: [{ id: number }?] = await sql`
    insert into cis.premise (cis_premise_id, address, city, state, zip)
    values ('PR-88120', '14 Elm Street', 'Riverton', 'NY', '12204')
    returning id`
  if (!premise) {
    throw new Error('premise insert returned nothing')
  }
  const [account]: [{ id: number }?] = await sql`
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    values (${ACCOUNT_NUMBER}, ${premise.id}, 7, 'active', '2019-04-01')
    returning id`
  if (!account) {
    throw new Error('utility account insert returned nothing')
  }
  await sql`
    insert into cis.account_holder (customer_id, utility_account_id, relationship)
    values (${customerId}, ${account.id}, 'primary')`
  await sql`
    insert into cis.service_agreement
      (cis_agreement_id, utility_account_id, service, status, start_on)
    values ('SA-1', ${account.id}, 'water', 'active', '2019-04-01'),
           ('SA-2', ${account.id}, 'sewer', 'active', '2019-04-01')`

  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000)
  const billDate = day(20).toISOString().slice(0, 10)
  const [imported]: [{ id: number }?] = await sql`
    insert into cis.import (kind, file_name, sha256, status, rows_total, rows_applied)
    values ('bills', 'bills-cycle-07.csv', 'e2e', 'applied', 2, 2)
    returning id`
  if (!imported) {
    throw new Error('import insert returned nothing')
  }
  await sql`
    insert into cis.bill
      (bill_id, utility_account_id, bill_date, bill_cycle, services, amounts, total_cents,
       import_id)
    values ('B-07-88120', ${account.id}, ${billDate}, 7, '{sewer,water}', '{2210,4512}', 6722,
            ${imported.id})`

  await postEntry(sql, {
    key: 'e2e:bill:water',
    source: 'cis_bill',
    sourceRef: 'B-07-88120',
    description: 'Water charge, bill B-07-88120',
    occurredAt: day(20),
    lines: [
      { account: receivable.ofUtilityAccount('water', account.id), amount: 4512 },
      { account: 'revenue:water', amount: -4512 },
    ],
  })
  await postEntry(sql, {
    key: 'e2e:bill:sewer',
    source: 'cis_bill',
    sourceRef: 'B-07-88120',
    description: 'Sewer charge, bill B-07-88120',
    occurredAt: day(20),
    lines: [
      { account: receivable.ofUtilityAccount('sewer', account.id), amount: 2210 },
      { account: 'revenue:sewer', amount: -2210 },
    ],
  })
  await postEntry(sql, {
    key: 'e2e:payment:water',
    source: 'cis_payment',
    sourceRef: 'PAY-551',
    description: 'Payment received, thank you',
    occurredAt: day(10),
    lines: [
      { account: 'cash:utility_payments', amount: 2000 },
      { account: receivable.ofUtilityAccount('water', account.id), amount: -2000 },
    ],
  })
  await postEntry(sql, {
    key: 'e2e:parking:session',
    source: 'parking_session',
    sourceRef: 'S-1',
    description: 'Parking session, Zone 12 Main Street, 2 hours',
    occurredAt: day(3),
    lines: [
      { account: receivable.ofCustomer('parking', customerId), amount: 600 },
      { account: 'revenue:parking', amount: -600 },
    ],
  })
}
