import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { cityDay } from '../../../api/finance/cycles.ts'

const db = await testDatabase()
const t = testApp(db)
const TZ = db.config.CITY_TIME_ZONE
const today = cityDay(new Date(), TZ)
const CYCLE = 12

await makeFacility(db.sql, { code: 'PAY-LOT' })
const finance = await t.userWithRole('finance')
const driver = await t.userWithRole('driver')
const account = await makeUtilityAccount(db.sql, {
  billCycle: CYCLE,
  holder: { customerId: driver.customerId!, relationship: 'linked' },
})
const other = await makeUtilityAccount(db.sql, { billCycle: CYCLE })
const parking = (id: number) => receivable.ofUtilityAccount('parking', id)

const upload = (body: string, as: Caller = finance) =>
  t.request('/api/v1/finance/cis-payments', {
    method: 'POST',
    as,
    body,
    headers: { 'content-type': 'text/csv' },
  })
const count = async () =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from finance.cis_payment`)[0]?.n
const entries = async () =>
  (
    await db.sql<
      { n: number }[]
    >`select count(*)::int as n from ledger.journal_entry where source = 'cis'`
  )[0]?.n

// a parking session on the bill: the receivable the CIS payments pay down
const started = await t.request('/api/v1/sessions', {
  method: 'POST',
  as: driver,
  json: {
    facility: 'PAY-LOT',
    plate: 'PAYS001',
    state: 'NC',
    minutes: 120,
    payment: { method: 'utility_account', utilityAccountId: account.id },
  },
  headers: { 'idempotency-key': randomUUID() },
})
expect(started.status).toBe(201)
const owed = await accountBalance(db.sql, parking(account.id))

const FILE = [
  'cis_transaction_id,account_number,paid_on,amount,reference',
  `TX-1001,${account.accountNumber},${today},1.00,Lockbox 44`,
  `TX-1002,${account.accountNumber},${today},${((owed - 100) / 100).toFixed(2)},`,
  `TX-1003,${other.accountNumber},${today},5.00,`,
  `TX-1004,${other.accountNumber},${today},-5.00,Returned cheque`,
].join('\n')

describe('importing the CIS payment extract', () => {
  it('posts each payment once: Dr utility payments, Cr the account’s parking receivable', async () => {
    const cash = await accountBalance(db.sql, 'cash:utility_payments')
    const res = await upload(FILE)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      rows: 4,
      posted: 4,
      unchanged: 0,
      postedCents: owed,
      entryIds: [expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)],
    })
    expect(await accountBalance(db.sql, parking(account.id))).toBe(0)
    expect(await accountBalance(db.sql, parking(other.id))).toBe(0)
    expect(await accountBalance(db.sql, 'cash:utility_payments')).toBe(cash + owed)
    const [entry] = await db.sql<{ source: string; source_ref: string; lines: number }[]>`
      select e.source, e.source_ref, count(p.*)::int as lines
        from finance.cis_payment c join ledger.journal_entry e on e.id = c.entry_id
        join ledger.posting p on p.entry_id = e.id
       where c.cis_transaction_id = 'TX-1001' group by e.id`
    expect(entry).toEqual({ source: 'cis', source_ref: 'TX-1001', lines: 2 })

    const listed = await (
      await t.request(`/api/v1/finance/cis-payments?accountNumber=${other.accountNumber}`, {
        as: finance,
      })
    ).json()
    expect(
      listed.payments
        .map((p: { cisTransactionId: string; amountCents: number }) => [
          p.cisTransactionId,
          p.amountCents,
        ])
        .sort(),
    ).toEqual([
      ['TX-1003', 500],
      ['TX-1004', -500],
    ])
  })

  it('posts nothing new when the same extract comes again, even twice at once', async () => {
    const before = await entries()
    const [a, b] = await Promise.all([upload(FILE), upload(FILE.replace(/\n/g, '\r\n'))])
    expect([a.status, b.status]).toEqual([200, 200])
    expect(await a.json()).toMatchObject({ posted: 0, unchanged: 4 })
    expect(await entries()).toBe(before)
    expect(await count()).toBe(4)
  })

  it('refuses a file with unknown accounts, changed payments or bad rows whole, naming each line', async () => {
    const before = await entries()
    const bad = [
      'amount,paid_on,account_number,cis_transaction_id',
      `3.00,${today},${account.accountNumber},TX-2001`,
      `3.00,${today},9999999999,TX-2002`,
      `7.00,${today},${account.accountNumber},TX-1001`,
      `0.00,${today},${account.accountNumber},TX-2003`,
      `3,2026-02-30,12345,TX 2004`,
      `3.00,${today},${account.accountNumber},TX-2001`,
    ].join('\n')
    const res = await upload(bad)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid')
    expect(
      error.details.errors.map((e: { line: number; field: string }) => [e.line, e.field]),
    ).toEqual([
      [3, 'account_number'],
      [4, 'cis_transaction_id'],
      [5, 'amount'],
      [6, 'cis_transaction_id'],
      [6, 'account_number'],
      [6, 'paid_on'],
      [6, 'amount'],
      [7, 'cis_transaction_id'],
    ])
    expect(error.details.errorCount).toBe(8)
    // nothing written, not even the good first row
    expect(await entries()).toBe(before)
    expect(await count()).toBe(4)
    const header = await upload('cis_transaction_id,account_number,amount\nTX-9,0000000001,1.00\n')
    expect(header.status).toBe(400)
    expect((await header.json()).error.details.errors).toEqual([
      expect.objectContaining({ line: 1, field: 'paid_on' }),
    ])
    expect(
      (
        await t.request('/api/v1/finance/cis-payments', {
          method: 'POST',
          as: finance,
          body: FILE,
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415)
  })

  it('leaves the CIS’s own payments out of the cycle file', async () => {
    const res = await t.request('/api/v1/finance/cycle-calendar/' + today.slice(0, 7), {
      method: 'PUT',
      as: finance,
      json: { dates: [{ cycle: CYCLE, billingDate: today }] },
    })
    expect(res.status).toBe(200)
    const made = await (
      await t.request('/api/v1/finance/cycle-exports', {
        method: 'POST',
        as: finance,
        json: { cycle: CYCLE, billingDate: today },
      })
    ).json()
    expect(made).toMatchObject({ status: 'done', lineCount: 1, totalCents: owed })
    const file = await (await t.request(made.fileUrl, { as: finance })).text()
    expect(file).toContain(`${account.accountNumber},PKS,parking,${(owed / 100).toFixed(2)},`)
    expect(file).not.toContain(other.accountNumber)
  })

  it('raises an exception when a payment leaves the account paying more than its parking charges', async () => {
    const left = await accountBalance(db.sql, parking(other.id))
    expect(left).toBe(0)
    const file = [
      'cis_transaction_id,account_number,paid_on,amount,reference',
      `TX-OVER-1,${other.accountNumber},${today},12.00,`,
      '',
    ].join('\n')
    const res = await upload(file)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ posted: 1, overpaidAccounts: 1 })
    const raised = await db.sql<{ kind: string; amount_cents: number; evidence: { payments: { cisTransactionId: string }[] } }[]>`
      select kind, amount_cents, evidence from finance.exception where kind = 'cis_payment_unmatched'`
    expect(raised).toEqual([
      expect.objectContaining({ amount_cents: -1200, evidence: expect.objectContaining({ payments: [expect.objectContaining({ cisTransactionId: 'TX-OVER-1' })] }) }),
    ])
    // the same extract again posts nothing and raises nothing more
    expect(await (await upload(file)).json()).toMatchObject({ posted: 0, overpaidAccounts: 0 })
    expect((await db.sql`select 1 from finance.exception where kind = 'cis_payment_unmatched'`).length).toBe(1)
  })

  it('answers a driver 403', async () => {
    expect((await upload(FILE, driver)).status).toBe(403)
    expect((await t.request('/api/v1/finance/cis-payments', { as: driver })).status).toBe(403)
  })
})
