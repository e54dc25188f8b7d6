import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { testDatabase } from '../support/db.ts'
import {
  checkBrowserAvailable,
  hasBrowser,
  openBrowserSession,
  type BrowserSession,
} from '../support/browser.ts'
import { createStaffUser } from '../../api/auth/users.ts'

checkBrowserAvailable()

const FINANCE = {
  email: 'marta.finance@city.test',
  password: 'the finance password',
  name: 'Marta Quist',
}
const SUPERVISOR = {
  email: 'dev.supervisor@city.test',
  password: 'the supervisor password',
  name: 'Devon Reyes',
}

const CUSTOMER_HEADER =
  'cis_customer_id,customer_name,email,phone,mailing_address,premise_id,service_address,city,' +
  'state,zip,lat,lon,account_number,bill_cycle,account_status,opened_on,closed_on,relationship,' +
  'agreement_id,service,agreement_status,start_on,end_on'
const ACCOUNT_NUMBER = '2000000417'

function customerRow(accountNumber: string, agreement: string, service: string): string {
  return [
    'C417',
    'Grace Hopper',
    'grace.hopper@example.net',
    '919-555-0417',
    '',
    'P417',
    '417 Cobol Lane',
    'Riverton',
    'NC',
    '27601',
    '',
    '',
    accountNumber,
    '5',
    'active',
    '2021-03-01',
    '',
    'primary',
    agreement,
    service,
    'active',
    '2021-03-01',
    '',
  ].join(',')
}

const GOOD_CUSTOMERS = [
  CUSTOMER_HEADER,
  customerRow(ACCOUNT_NUMBER, 'SA417W', 'water'),
  customerRow(ACCOUNT_NUMBER, 'SA417E', 'electric'),
].join('\n')

// The third line's account number has 7 digits, so the whole file is refused.
const BAD_CUSTOMERS = [
  CUSTOMER_HEADER,
  customerRow(ACCOUNT_NUMBER, 'SA417W', 'water'),
  customerRow('2000417', 'SA417E', 'electric'),
].join('\n')

const billDate = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10)
const BILLS = [
  'bill_id,account_number,bill_date,bill_cycle,service,amount',
  `B-417-1,${ACCOUNT_NUMBER},${billDate},5,water,38.20`,
  `B-417-1,${ACCOUNT_NUMBER},${billDate},5,electric,101.75`,
].join('\n')

const db = await testDatabase()

describe.runIf(hasBrowser)('city staff in the browser', () => {
  let session: BrowserSession
  let base: string

  beforeAll(async () => {
    for (const [who, role] of [
      [FINANCE, 'finance'],
      [SUPERVISOR, 'supervisor'],
    ] as const) {
      await createStaffUser(db.sql, {
        email: who.email,
        displayName: who.name,
        role,
        password: who.password,
      })
    }
    session = await openBrowserSession(db)
    base = session.base
  })

  afterAll(() => session?.close())

  const newPage = (viewport?: { width: number; height: number }) => session.newPage(viewport)

  async function upload(page: Page, name: string, csv: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Import a CIS file' })
    await form
      .getByLabel('CSV file')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await form.getByRole('button', { name: 'Import file' }).click()
  }

  it('rejects a customers file with a bad row by line, then imports it corrected', async () => {
    const page = await newPage()
    await session.signIn(page, FINANCE)
    await page.getByRole('heading', { level: 1, name: 'Finance home' }).waitFor()
    await page.getByRole('link', { name: /CIS imports.*Import the utility/ }).click()
    await page.getByRole('heading', { level: 1, name: 'CIS imports' }).waitFor()

    await upload(page, 'customers-bad.csv', BAD_CUSTOMERS)
    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('customers-bad.csv was rejected: 1 error')
    expect(await alert.textContent()).toContain('Nothing from this file was applied')
    const errors = page.getByRole('region', { name: 'Errors in customers-bad.csv' })
    const errorRow = errors.getByRole('row').filter({ hasText: 'account_number' })
    expect(await errorRow.getByRole('rowheader').textContent()).toBe('3')
    const recent = page.getByRole('region', { name: 'Recent imports' })
    const importRow = (file: string) =>
      recent.getByRole('row').filter({ has: page.getByRole('rowheader', { name: file }) })
    await importRow('customers-bad.csv').filter({ hasText: 'Rejected' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-cis-rejected.png', fullPage: true })

    await upload(page, 'customers.csv', GOOD_CUSTOMERS)
    const status = page.getByRole('status').filter({ hasText: 'customers.csv was imported' })
    await status.waitFor()
    expect(await status.textContent()).toContain('2 of 2 rows applied')
    expect(await status.textContent()).toMatch(/Customers inserted\s*1/)
    await importRow('customers.csv').filter({ hasText: 'Applied' }).waitFor()

    await upload(page, 'bills.csv', BILLS)
    await page.getByRole('status').filter({ hasText: 'bills.csv was imported' }).waitFor()
    await page.screenshot({ path: '/tmp/curbline-cis-imports.png', fullPage: true })

    const phone = await newPage({ width: 390, height: 844 })
    await session.signIn(phone, FINANCE)
    await phone.getByRole('heading', { level: 1, name: 'Finance home' }).waitFor()
    await phone.goto(`${base}/cis-imports`)
    await phone.getByRole('heading', { level: 1, name: 'CIS imports' }).waitFor()
    await upload(phone, 'customers-bad.csv', BAD_CUSTOMERS)
    await phone.getByRole('region', { name: 'Errors in customers-bad.csv' }).waitFor()
    await phone.screenshot({ path: '/tmp/curbline-cis-imports-phone.png', fullPage: true })
  })

  it('lets a supervisor find that customer and read their statement', async () => {
    const page = await newPage()
    await session.signIn(page, SUPERVISOR)
    await page.getByRole('heading', { level: 1, name: 'Supervisor home' }).waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Customers' }).click()
    await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor()

    const search = page.getByRole('search', { name: 'Customers' })
    await search.getByLabel('Name, email, account number or plate').fill('2000-000-417')
    await search.getByRole('button', { name: 'Search' }).click()
    // the search is kept in the address, so a reload or a shared link shows the same results;
    // before it is, the page still lists every customer, Grace Hopper among them
    await page.waitForURL((url) => url.searchParams.get('q') === '2000-000-417')
    const results = page.getByRole('region', { name: 'Customers found' })
    const row = results.getByRole('row').filter({ hasText: 'Grace Hopper' })
    await row.waitFor()
    expect(await row.textContent()).toContain(ACCOUNT_NUMBER)
    await page.screenshot({ path: '/tmp/curbline-customers.png', fullPage: true })

    await row.getByRole('link', { name: 'Grace Hopper' }).click()
    await page.getByRole('heading', { level: 1, name: 'Grace Hopper' }).waitFor()
    const accounts = page.getByRole('list', { name: 'Utility accounts of this customer' })
    expect(await accounts.textContent()).toContain('417 Cobol Lane')
    const balances = page.getByRole('list', { name: 'Balance by fund' })
    const card = (name: string) => balances.getByRole('listitem').filter({ hasText: name })
    expect(await card('Total balance').textContent()).toContain('$139.95')

    const table = page.getByRole('table', { name: /Statement from/ })
    await table.waitFor()
    const closing = table.getByRole('row').filter({ hasText: 'Closing balance' })
    expect(await closing.textContent()).toContain('$139.95')
    expect(await page.getByRole('button', { name: 'Unlink' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Remove/ }).count()).toBe(0)
    await page.screenshot({ path: '/tmp/curbline-customer.png', fullPage: true })

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^curbline-statement-C417-.*\.csv$/)
    const csv = await readFile(await download.path(), 'utf8')
    expect(csv).toContain('101.75')

    const phone = await newPage({ width: 390, height: 844 })
    await session.signIn(phone, SUPERVISOR)
    await phone.getByRole('heading', { level: 1, name: 'Supervisor home' }).waitFor()
    await phone.goto(`${base}/customers?q=hopper`)
    await phone.getByRole('region', { name: 'Customers found' }).waitFor()
    await phone.screenshot({ path: '/tmp/curbline-customers-phone.png', fullPage: true })
    await phone.getByRole('link', { name: 'Grace Hopper' }).click()
    await phone.getByRole('table', { name: /Statement from/ }).waitFor()
    await phone.screenshot({ path: '/tmp/curbline-customer-phone.png', fullPage: true })
  })
})
