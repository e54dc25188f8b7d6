import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeUtilityAccount } from './cis-fixtures.ts'

const db = await testDatabase()
const t = testApp(db)

const link = (caller: Caller, json: unknown, customerId = caller.customerId) =>
  t.request(`/api/v1/customers/${customerId}/utility-accounts`, {
    method: 'POST',
    as: caller,
    json,
  })
const unlink = (caller: Caller, customerId: number | null | undefined, accountId: number) =>
  t.request(`/api/v1/customers/${customerId}/utility-accounts/${accountId}`, {
    method: 'DELETE',
    as: caller,
  })
const recordOf = async (driver: Caller) =>
  (await t.request(`/api/v1/customers/${driver.customerId}`, { as: driver })).json()
const rightFacts = (account: { accountNumber: string }) => ({
  accountNumber: account.accountNumber,
  zip: '02144',
  lastBillAmountCents: 12345,
})

/** An account whose latest bill (by date, not by insertion order) totals 12,345 cents. */
const billedAccount = () =>
  makeUtilityAccount(db.sql, {
    zip: '02144',
    services: ['water', 'solid_waste'],
    bills: [
      { billDate: '2026-03-01', charges: { water: 8000, solid_waste: 4345 } },
      { billDate: '2026-02-01', charges: { water: 9999 } },
    ],
  })

describe('linking a utility account', () => {
  it('links the account when the number, ZIP and last bill total all match', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    const res = await link(driver, {
      accountNumber: account.accountNumber,
      zip: '02144',
      lastBillAmountCents: 12345,
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({
      id: account.id,
      accountNumber: account.accountNumber,
      relationship: 'linked',
      services: ['water', 'solid_waste'],
      lastBill: { billDate: '2026-03-01', amount: 12345 },
    })
    const record = await recordOf(driver)
    expect(record.utilityAccounts.map((a: { id: number }) => a.id)).toEqual([account.id])
    const attempts = await db.sql`
      select outcome, user_id, customer_id from cis.link_attempt
       where account_number = ${account.accountNumber}`
    expect(attempts).toEqual([
      { outcome: 'linked', user_id: driver.userId, customer_id: driver.customerId },
    ])
  })

  it('accepts the account number as printed on the bill, with dashes', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    const n = account.accountNumber
    const res = await link(driver, {
      accountNumber: `${n.slice(0, 4)}-${n.slice(4, 7)}-${n.slice(7)}`,
      zip: '02144',
      lastBillAmountCents: 12345,
    })
    expect(res.status).toBe(201)
  })

  it('answers 200 with the same summary when the account is already linked', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    const facts = rightFacts(account)
    const first = await link(driver, facts)
    const again = await link(driver, facts)
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual(await first.json())
    const [holders] = await db.sql`
      select count(*)::int as n from cis.account_holder where utility_account_id = ${account.id}`
    expect(holders?.n).toBe(1)
  })

  it('lets two drivers link the same account (a household)', async () => {
    const account = await billedAccount()
    const facts = rightFacts(account)
    expect((await link(await t.userWithRole('driver'), facts)).status).toBe(201)
    expect((await link(await t.userWithRole('driver'), facts)).status).toBe(201)
  })

  it('gives one message whichever fact is wrong, and records each failure', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    const wrong = [
      { accountNumber: '9999999999', zip: '02144', lastBillAmountCents: 12345 },
      { accountNumber: account.accountNumber, zip: '02145', lastBillAmountCents: 12345 },
      // the older bill's total is not the last bill
      { accountNumber: account.accountNumber, zip: '02144', lastBillAmountCents: 9999 },
    ]
    const bodies = []
    for (const facts of wrong) {
      const res = await link(driver, facts)
      expect(res.status).toBe(400)
      const { error } = await res.json()
      bodies.push({ code: error.code, message: error.message, details: error.details })
    }
    expect(bodies).toEqual(
      Array(3).fill({
        code: 'invalid',
        message: 'Those details do not match a utility account',
        details: null,
      }),
    )
    const [failures] = await db.sql`
      select count(*)::int as n from cis.link_attempt
       where user_id = ${driver.userId ?? 0} and outcome = 'mismatch'`
    expect(failures?.n).toBe(3)
  })

  it('never links an account that has no bill yet', async () => {
    const driver = await t.userWithRole('driver')
    const account = await makeUtilityAccount(db.sql, { zip: '02144' })
    const res = await link(driver, { ...rightFacts(account), lastBillAmountCents: 0 })
    expect(res.status).toBe(400)
  })

  it('names the field when the details are malformed', async () => {
    const driver = await t.userWithRole('driver')
    const res = await link(driver, {
      accountNumber: '12345',
      zip: '2144',
      lastBillAmountCents: 12.5,
    })
    expect(res.status).toBe(400)
    const fields = (await res.json()).error.details.map((d: { field: string }) => d.field)
    expect(fields).toEqual(
      expect.arrayContaining(['body.accountNumber', 'body.zip', 'body.lastBillAmountCents']),
    )
  })

  it("does not let a driver link an account to someone else's record", async () => {
    const driver = await t.userWithRole('driver')
    const other = await t.userWithRole('driver')
    const account = await billedAccount()
    const res = await link(
      driver,
      rightFacts(account),
      other.customerId,
    )
    expect(res.status).toBe(404)
    const [holders] = await db.sql`
      select count(*)::int as n from cis.account_holder where utility_account_id = ${account.id}`
    expect(holders?.n).toBe(0)
  })

  it('is for drivers only; staff link accounts in the CIS', async () => {
    const driver = await t.userWithRole('driver')
    const admin = await t.userWithRole('admin')
    const account = await billedAccount()
    const res = await link(
      admin,
      rightFacts(account),
      driver.customerId,
    )
    expect(res.status).toBe(403)
  })
})

describe('unlinking a utility account', () => {
  it('unlinks an account the driver linked online', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    expect((await link(driver, rightFacts(account))).status).toBe(201)
    const res = await unlink(driver, driver.customerId, account.id)
    expect(res.status).toBe(204)
    expect((await recordOf(driver)).utilityAccounts).toEqual([])
  })

  it("refuses to unlink the utility's own holders online", async () => {
    const driver = await t.userWithRole('driver')
    const account = await makeUtilityAccount(db.sql, {
      holder: { customerId: driver.customerId ?? 0, relationship: 'primary' },
    })
    const res = await unlink(driver, driver.customerId, account.id)
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/primary holder.*customer service/)
  })

  it('answers 404 for an account that is not linked to the customer', async () => {
    const driver = await t.userWithRole('driver')
    const account = await billedAccount()
    const res = await unlink(driver, driver.customerId, account.id)
    expect(res.status).toBe(404)
  })

  it("lets a supervisor unlink on a customer's behalf, audited", async () => {
    const driver = await t.userWithRole('driver')
    const supervisor = await t.userWithRole('supervisor')
    const account = await makeUtilityAccount(db.sql, {
      holder: { customerId: driver.customerId ?? 0, relationship: 'linked' },
    })
    const res = await unlink(supervisor, driver.customerId, account.id)
    expect(res.status).toBe(204)
    const [audit] = await db.sql`
      select action, actor_user_id, before from app.audit_log
       where entity = 'account_holder' and entity_id = ${`${driver.customerId}:${account.id}`}`
    expect(audit).toMatchObject({
      action: 'utility_account.unlink',
      actor_user_id: supervisor.userId,
      before: { relationship: 'linked' },
    })
  })
})
