import { describe, it, expect } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { postEntry, receivable } from '../../../api/ledger/post.ts'
import { reverseEntry } from '../../../api/ledger/reverse.ts'
import { makeUtilityAccount } from './fixtures.ts'

const db = await testDatabase()
const t = testApp(db)
const { sql } = db

const driver = await t.userWithRole('driver', 'Dana Driver')
const other = await t.userWithRole('driver', 'Olly Other')
const finance = await t.userWithRole('finance')
const customerId = driver.customerId ?? 0
const ua = await makeUtilityAccount(sql, [customerId])

async function post(
  at: string,
  description: string,
  account: string,
  revenue: string,
  cents: number,
): Promise<number> {
  const { entryId } = await postEntry(sql, {
    key: randomUUID(),
    source: 'test',
    description,
    occurredAt: new Date(at),
    lines: [
      { account, amount: cents },
      { account: revenue, amount: -cents },
    ],
  })
  return entryId
}

const water = receivable.ofUtilityAccount('water', ua.id)
const electric = receivable.ofUtilityAccount('electric', ua.id)
const parking = receivable.ofCustomer('parking', customerId)
await post('2024-02-15T17:00:00Z', 'Water bill February 2024', water, 'revenue:water', 4210)
// 23:30 on 29 February in the city (EST), already 1 March in UTC
const citation = await post(
  '2024-03-01T04:30:00Z',
  'Citation 2024-00123',
  parking,
  'revenue:parking',
  5000,
)
await post('2024-03-10T15:00:00Z', 'Payment - thank you', water, 'cash:utility_payments', -4210)
// 23:30 on 31 March in the city (EDT), already 1 April in UTC
await post('2024-04-01T03:30:00Z', 'Electric bill, March 2024', electric, 'revenue:electric', 9999)
await post('2024-04-02T15:00:00Z', 'Water bill April 2024', water, 'revenue:water', 3900)

const path = (id: number, query = '') => `/api/v1/customers/${id}/statement${query}`

describe('customer statement', () => {
  it('lists the period in city days with the opening balance, running balance and fund totals', async () => {
    const res = await t.request(path(customerId, '?from=2024-03-01&to=2024-03-31'), { as: driver })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      customerId,
      from: '2024-03-01',
      to: '2024-03-31',
      openingBalance: 9210,
      totals: { byFund: { water: -4210, electric: 9999 }, total: 5789 },
      closingBalance: 14999,
    })
    expect(body.lines).toEqual([
      expect.objectContaining({
        occurredAt: '2024-03-10T15:00:00.000Z',
        description: 'Payment - thank you',
        fund: 'water',
        accountCode: water,
        utilityAccountNumber: ua.accountNumber,
        amount: -4210,
        runningBalance: 5000,
      }),
      expect.objectContaining({
        occurredAt: '2024-04-01T03:30:00.000Z',
        description: 'Electric bill, March 2024',
        fund: 'electric',
        amount: 9999,
        runningBalance: 14999,
      }),
    ])
  })

  it('shows the whole history without dates, parking beside utility lines', async () => {
    const res = await t.request(path(customerId), { as: driver })
    const body = await res.json()
    expect(body.openingBalance).toBe(0)
    expect(body.lines.map((l: { description: string }) => l.description)).toEqual([
      'Water bill February 2024',
      'Citation 2024-00123',
      'Payment - thank you',
      'Electric bill, March 2024',
      'Water bill April 2024',
    ])
    const citationLine = body.lines[1]
    expect(citationLine).toMatchObject({
      fund: 'parking',
      accountCode: parking,
      utilityAccountNumber: null,
    })
    expect(body.closingBalance).toBe(4210 + 5000 - 4210 + 9999 + 3900)
  })

  it('answers CSV for a spreadsheet when asked, as an attachment', async () => {
    const res = await t.request(path(customerId, '?from=2024-03-01&to=2024-03-31'), {
      as: driver,
      headers: { accept: 'text/csv' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="statement-${customerId}-2024-03-01-to-2024-03-31.csv"`,
    )
    expect((await res.text()).split('\r\n')).toEqual([
      'date,description,fund,account,utility_account,amount,running_balance',
      `2024-03-10,Payment - thank you,water,${water},${ua.accountNumber},-42.10,50.00`,
      `2024-03-31,"Electric bill, March 2024",electric,${electric},${ua.accountNumber},` +
        '99.99,149.99',
      '',
    ])
  })

  it("answers 404 when a driver asks for another customer's statement or balances", async () => {
    const statement = await t.request(path(customerId), { as: other })
    expect(statement.status).toBe(404)
    expect((await statement.json()).error.code).toBe('not_found')
    const balances = await t.request(`/api/v1/customers/${customerId}/balances`, { as: other })
    expect(balances.status).toBe(404)
  })

  it('lets finance staff read any statement, and answers 404 for a customer that does not exist', async () => {
    expect((await t.request(path(customerId), { as: finance })).status).toBe(200)
    expect((await t.request(path(999_999_999), { as: finance })).status).toBe(404)
    const balances = await t.request('/api/v1/customers/999999999/balances', { as: finance })
    expect(balances.status).toBe(404)
  })

  it('asks for sign-in first', async () => {
    expect((await t.request(path(customerId))).status).toBe(401)
  })

  it('refuses a period that ends before it starts, naming the field', async () => {
    const res = await t.request(path(customerId, '?from=2024-04-01&to=2024-03-01'), { as: driver })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('invalid')
    expect(body.error.details).toEqual([expect.objectContaining({ field: 'query.from' })])
  })

  it.each(['2024-02-30', '2024-13-01', '31/03/2024', '2024-3-1'])(
    'refuses the date %s with 400',
    async (day) => {
      const query = `?to=${encodeURIComponent(day)}`
      const res = await t.request(path(customerId, query), { as: driver })
      expect(res.status).toBe(400)
      const { error } = await res.json()
      expect(error.details).toEqual([expect.objectContaining({ field: 'query.to' })])
    },
  )

  it('documents the CSV form in OpenAPI', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    const op = doc.paths['/api/v1/customers/{id}/statement'].get
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json', 'text/csv'])
  })
})

describe('customer balances', () => {
  it('sums own receivables and those of held utility accounts, per fund', async () => {
    const res = await t.request(`/api/v1/customers/${customerId}/balances`, { as: driver })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      byFund: { water: 3900, electric: 9999, parking: 5000 },
      total: 3900 + 9999 + 5000,
    })
  })

  it('shows a reversal beside the entry it reverses, and refuses a second one', async () => {
    const reversal = {
      key: randomUUID(),
      description: 'Citation voided',
      occurredAt: new Date('2024-04-03T15:00:00Z'),
    }
    await reverseEntry(sql, citation, reversal)
    const res = await t.request(path(customerId, '?from=2024-04-03'), { as: driver })
    const body = await res.json()
    expect(body.lines).toEqual([
      expect.objectContaining({ description: 'Citation voided', fund: 'parking', amount: -5000 }),
    ])
    const balancesRes = await t.request(`/api/v1/customers/${customerId}/balances`, { as: driver })
    const balances = await balancesRes.json()
    expect(balances.byFund.parking).toBe(0)
    await expect(
      reverseEntry(sql, citation, { ...reversal, key: randomUUID() }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/has already been reversed by entry \d+/),
    })
  })
})
