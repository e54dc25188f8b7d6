import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { postEntry, receivable } from '../../../api/ledger/post.ts'
import { makeUtilityAccount } from './cis-fixtures.ts'

const db = await testDatabase()
const t = testApp(db)

describe('customer record', () => {
  it('shows a driver their accounts, services, last bill, vehicles and balances', async () => {
    const driver = await t.userWithRole('driver', 'Rosa Parker')
    const customerId = driver.customerId ?? 0
    const account = await makeUtilityAccount(db.sql, {
      address: '12 Elm Street',
      zip: '02140',
      billCycle: 4,
      services: ['water', 'sewer', 'electric'],
      bills: [
        { billId: 'OLD-1', billDate: '2026-01-10', charges: { water: 1000, sewer: 900 } },
        {
          billId: 'NEW-1',
          billDate: '2026-02-10',
          charges: { water: 4210, sewer: 3890, electric: 10055 },
        },
      ],
      holder: { customerId, relationship: 'primary' },
    })
    await db.sql`
      insert into cis.service_agreement
        (cis_agreement_id, utility_account_id, service, status, start_on, end_on)
      values ('SA-stopped-gas', ${account.id}, 'gas', 'stopped', '2019-01-01', '2020-01-01')`
    await postEntry(db.sql, {
      key: `test-citation-${customerId}`,
      source: 'test',
      description: 'A parking charge',
      occurredAt: new Date('2026-02-11T12:00:00Z'),
      lines: [
        { account: receivable.ofCustomer('parking', customerId), amount: 5000 },
        { account: 'revenue:parking', amount: -5000 },
      ],
    })
    await postEntry(db.sql, {
      key: `test-water-bill-${account.id}`,
      source: 'test',
      description: 'Water bill',
      occurredAt: new Date('2026-02-10T12:00:00Z'),
      lines: [
        { account: receivable.ofUtilityAccount('water', account.id), amount: 4210 },
        { account: 'revenue:water', amount: -4210 },
      ],
    })
    const added = await t.request(`/api/v1/customers/${customerId}/vehicles`, {
      method: 'POST',
      as: driver,
      json: { plate: 'rosa 1', state: 'ma', make: 'Honda', model: 'Fit', colour: 'Blue' },
    })
    expect(added.status).toBe(201)

    const res = await t.request(`/api/v1/customers/${customerId}`, { as: driver })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ id: customerId, cisCustomerId: null, name: 'Rosa Parker' })
    expect(body.utilityAccounts).toEqual([
      {
        id: account.id,
        accountNumber: account.accountNumber,
        billCycle: 4,
        status: 'active',
        relationship: 'primary',
        premise: { address: '12 Elm Street', city: 'Springfield', state: 'MA', zip: '02140' },
        services: ['electric', 'water', 'sewer'],
        lastBill: { billId: 'NEW-1', billDate: '2026-02-10', amount: 18155 },
      },
    ])
    expect(body.vehicles).toEqual([
      expect.objectContaining({
        plate: 'ROSA1',
        state: 'MA',
        platePrinted: 'ROSA 1',
        make: 'Honda',
      }),
    ])
    expect(body.balances).toEqual({ byFund: { parking: 5000, water: 4210 }, total: 9210 })
  })

  it('shows no last bill for an account the CIS has not billed yet', async () => {
    const driver = await t.userWithRole('driver')
    await makeUtilityAccount(db.sql, {
      holder: { customerId: driver.customerId ?? 0, relationship: 'co_holder' },
    })
    const res = await t.request(`/api/v1/customers/${driver.customerId}`, { as: driver })
    const body = await res.json()
    expect(body.utilityAccounts[0]).toMatchObject({
      relationship: 'co_holder',
      services: [],
      lastBill: null,
    })
    expect(body.balances).toEqual({ byFund: {}, total: 0 })
  })

  it('lets supervisors, finance and admins read any customer', async () => {
    const driver = await t.userWithRole('driver')
    for (const role of ['supervisor', 'finance', 'admin'] as const) {
      const staff = await t.userWithRole(role)
      const res = await t.request(`/api/v1/customers/${driver.customerId}`, { as: staff })
      expect(res.status).toBe(200)
    }
  })

  it('answers 404 for a customer that does not exist', async () => {
    const admin = await t.userWithRole('admin')
    const res = await t.request('/api/v1/customers/999999', { as: admin })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
  })

  it('refuses ambassadors and devices', async () => {
    const driver = await t.userWithRole('driver')
    const path = `/api/v1/customers/${driver.customerId}`
    const ambassador = await t.userWithRole('ambassador')
    expect((await t.request(path, { as: ambassador })).status).toBe(403)
    expect((await t.request(path, { as: await t.device('kiosk') })).status).toBe(403)
    expect((await t.request(path)).status).toBe(401)
  })
})

describe('customer search', () => {
  const search = async (q: string, extra = '') => {
    const staff = await t.userWithRole('supervisor')
    const path = `/api/v1/customers?q=${encodeURIComponent(q)}${extra}`
    const res = await t.request(path, { as: staff })
    expect(res.status).toBe(200)
    return res.json() as Promise<{
      customers: {
        id: number
        name: string
        accountNumbers: string[]
        plates: { plate: string }[]
      }[]
      nextOffset: number | null
    }>
  }

  it('finds a customer by part of their name, their email, account number or plate', async () => {
    const driver = await t.userWithRole('driver', 'Bartholomew Quince')
    const customerId = driver.customerId ?? 0
    const account = await makeUtilityAccount(db.sql, {
      holder: { customerId, relationship: 'linked' },
    })
    await t.request(`/api/v1/customers/${customerId}/vehicles`, {
      method: 'POST',
      as: driver,
      json: { plate: 'QNC-77', state: 'NH' },
    })
    const [email] = await db.sql<{ email: string }[]>`
      select email from cis.customer where id = ${customerId}`

    for (const q of ['tholomew qu', email?.email ?? '', account.accountNumber, 'qnc 77']) {
      const page = await search(q)
      expect(page.customers.map((c) => c.id), `search for ${q}`).toEqual([customerId])
    }
    const [hit] = (await search('Quince')).customers
    expect(hit?.accountNumbers).toEqual([account.accountNumber])
    expect(hit?.plates).toEqual([{ plate: 'QNC77', state: 'NH' }])
  })

  it('treats % and _ in a search as plain characters', async () => {
    await t.userWithRole('driver', 'Percy Underscore')
    expect((await search('%')).customers).toEqual([])
    expect((await search('_')).customers).toEqual([])
  })

  it('pages through results at most 50 at a time', async () => {
    for (let i = 0; i < 3; i++) {
      await t.userWithRole('driver', `Pagewright ${i}`)
    }
    const first = await search('Pagewright', '&limit=2')
    expect(first.customers.map((c) => c.name)).toEqual(['Pagewright 0', 'Pagewright 1'])
    expect(first.nextOffset).toBe(2)
    const second = await search('Pagewright', `&limit=2&offset=${first.nextOffset}`)
    expect(second.customers.map((c) => c.name)).toEqual(['Pagewright 2'])
    expect(second.nextOffset).toBeNull()

    const staff = await t.userWithRole('finance')
    const tooMany = await t.request('/api/v1/customers?q=x&limit=51', { as: staff })
    expect(tooMany.status).toBe(400)
    expect((await tooMany.json()).error.details[0].field).toBe('query.limit')
  })

  it('is for staff only', async () => {
    const driver = await t.userWithRole('driver')
    expect((await t.request('/api/v1/customers?q=a', { as: driver })).status).toBe(403)
  })
})
