import { describe, it, expect } from 'vitest'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { importCisFile } from '../../../api/cis/import.ts'
import { AppError } from '../../../api/http/errors.ts'

const db = await testDatabase()
const t = testApp(db)
const sql = db.sql

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/cis')
const customersCsv = await readFile(path.join(FIXTURES, 'customers.csv'), 'utf8')
const billsCsv = await readFile(path.join(FIXTURES, 'bills.csv'), 'utf8')

interface Rejection {
  importId: number
  errorCount: number
  errors: { line: number; field: string; message: string }[]
}

async function rejectionOf(promise: Promise<unknown>): Promise<Rejection> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(err instanceof AppError) || err.code !== 'invalid') {
    throw new Error(`expected the file to be rejected, got ${String(err)}`)
  }
  return err.details as Rejection
}

/** Row counts of everything an import may write, to show that a rejected file wrote nothing. */
async function snapshot() {
  const [row] = await sql<Record<string, number>[]>`
    select (select count(*) from cis.customer)::int as customers,
           (select count(*) from cis.premise)::int as premises,
           (select count(*) from cis.utility_account)::int as accounts,
           (select count(*) from cis.account_holder)::int as holders,
           (select count(*) from cis.service_agreement)::int as agreements,
           (select count(*) from cis.bill_charge)::int as bill_lines,
           (select count(*) from ledger.journal_entry)::int as entries,
           (select count(*) from ledger.posting)::int as postings,
           (select count(*) from ledger.account)::int as ledger_accounts,
           (select max(updated_at) from cis.customer)::text as customers_updated_at,
           (select max(updated_at) from cis.service_agreement)::text as agreements_updated_at`
  return row
}

async function accountId(number: string): Promise<number> {
  const [row]: [{ id: number }?] = await sql`
    select id from cis.utility_account where account_number = ${number}`
  if (!row) {
    throw new Error(`no account ${number}`)
  }
  return row.id
}

describe('CIS customer file', () => {
  it('imports customers, premises, utility accounts, holders and service agreements', async () => {
    const record = await importCisFile(sql, customersCsv, { fileName: 'customers.csv' })
    expect(record).toMatchObject({ kind: 'customers', status: 'applied', rowsTotal: 6, rowsApplied: 6 })
    expect(record.counts).toMatchObject({
      customersInserted: 3,
      premisesInserted: 2,
      accountsInserted: 2,
      holdersInserted: 3,
      agreementsInserted: 5,
    })
    const [bakery] = await sql`
      select name, email, phone, mailing_address from cis.customer where cis_customer_id = 'C102'`
    expect(bakery).toEqual({
      name: 'O\'Brien "Bakery", LLC',
      email: 'billing@obrien.example.com',
      phone: null,
      mailing_address: 'PO Box 77\nRiverton, NC 27603',
    })
    const [account] = await sql`
      select a.bill_cycle, a.status, a.opened_on::text, p.address, p.zip, p.lat, p.lon
        from cis.utility_account a join cis.premise p on p.id = a.premise_id
       where a.account_number = '1000000002'`
    expect(account).toEqual({
      bill_cycle: 21,
      status: 'active',
      opened_on: '2015-01-10',
      address: '400 Wade Ave Apt 2B',
      zip: '27603',
      lat: null,
      lon: null,
    })
    const holders = await sql`
      select c.cis_customer_id, h.relationship
        from cis.account_holder h join cis.customer c on c.id = h.customer_id
       where h.utility_account_id = ${await accountId('1000000001')} order by 1`
    expect(holders).toEqual([
      { cis_customer_id: 'C100', relationship: 'primary' },
      { cis_customer_id: 'C101', relationship: 'co_holder' },
    ])
    const [fire] = await sql`
      select service, status, end_on::text from cis.service_agreement where cis_agreement_id = 'SA200F'`
    expect(fire).toEqual({ service: 'fire', status: 'stopped', end_on: '2024-12-31' })
  })

  it('changes only what a later file changes', async () => {
    const changed = customersCsv.replaceAll('ada@example.net', 'ada@lovelace.example.org')
    const before = await snapshot()
    const record = await importCisFile(sql, changed, { fileName: 'customers-2.csv' })
    // the three rows that repeat Ada's details; her agreements and accounts stay as they were
    expect(record.rowsApplied).toBe(3)
    expect(record.counts).toMatchObject({ customersUpdated: 1, customersInserted: 0, agreementsUpdated: 0 })
    const [ada] = await sql`select email from cis.customer where cis_customer_id = 'C100'`
    expect(ada?.email).toBe('ada@lovelace.example.org')
    const after = await snapshot()
    expect({ ...after, customers_updated_at: null }).toEqual({ ...before, customers_updated_at: null })
    expect(after?.agreements_updated_at).toBe(before?.agreements_updated_at)
    await importCisFile(sql, customersCsv, { fileName: 'customers-3.csv' })
  })

  it('rejects a file with bad rows, naming each line and field, and writes nothing', async () => {
    const before = await snapshot()
    const bad = [
      customersCsv.trimEnd(),
      // line 10: an 11-digit account number and cycle 22
      'C300,Grace Hopper,,,,P300,1 Navy Way,Riverton,NC,27601,,,10000000030,22,active,2020-01-01,,,,,,,',
      // line 11: no name; a service that is not one of the seven
      'C301,,,,,P301,2 Navy Way,Riverton,NC,27601,,,1000000031,4,active,2020-01-01,,,SA301X,cable,active,2020-01-01,',
      // line 12: a new customer on a new account, good on its own
      'C302,Alan Turing,,,,P302,3 Navy Way,Riverton,NC,27601,,,1000000032,5,active,2020-01-01,,,SA302E,electric,active,2020-01-01,',
      // line 13: an unterminated quote runs to the end of the file
      'C303,"Broken,,,',
    ].join('\n')
    const rejected = await rejectionOf(importCisFile(sql, bad, { fileName: 'bad-customers.csv' }))
    expect(rejected.errors).toEqual([
      { line: 10, field: 'account_number', message: 'an account number is 10 digits' },
      { line: 10, field: 'bill_cycle', message: 'a bill cycle is 1 to 21' },
      { line: 11, field: 'customer_name', message: 'is required' },
      { line: 11, field: 'service', message: expect.stringContaining('must be one of electric') },
      { line: 13, field: 'row', message: expect.stringContaining('not closed') },
    ])
    expect(rejected.errorCount).toBe(5)
    expect(await snapshot()).toEqual(before)
    const [record] = await sql`
      select status, kind, rows_total, rows_applied, error_count, errors from cis.import
       where id = ${rejected.importId}`
    expect(record).toMatchObject({ status: 'rejected', kind: 'customers', rows_total: 10, rows_applied: 0, error_count: 5 })
    expect(record?.errors).toHaveLength(5)
  })

  it('rejects rows that contradict each other within the file', async () => {
    const before = await snapshot()
    const header = customersCsv.split('\n')[0]
    const file = [
      header,
      'C400,Edsger Dijkstra,,,,P400,5 Elm St,Riverton,NC,27601,,,1000000040,6,active,2020-01-01,,,SA400E,electric,active,2020-01-01,',
      'C400,E. W. Dijkstra,,,,P400,5 Elm St,Riverton,NC,27601,,,1000000040,6,active,2020-01-01,,,SA400W,water,active,2020-01-01,',
      'C401,Barbara Liskov,,,,P401,6 Elm St,Riverton,NC,27601,,,1000000040,7,active,2020-01-01,,,SA400E,sewer,active,2020-01-01,',
    ].join('\r\n')
    const rejected = await rejectionOf(importCisFile(sql, file, { fileName: 'contradictions.csv' }))
    expect(rejected.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'cis_customer_id'],
      [4, 'account_number'],
      [4, 'agreement_id'],
    ])
    expect(rejected.errors[0]?.message).toBe(
      'customer C400 has another name, email, phone or mailing address on line 2',
    )
    expect(await snapshot()).toEqual(before)
  })

  it('rejects a file whose header is neither kind, and an empty file', async () => {
    const unknown = await rejectionOf(importCisFile(sql, 'name,amount\nx,1.00\n', { fileName: 'what.csv' }))
    expect(unknown.errors[0]).toMatchObject({ line: 1, field: 'header' })
    const missing = await rejectionOf(
      importCisFile(sql, 'bill_id,account_number,bill_date,service,amount,extra\n', { fileName: 'h.csv' }),
    )
    expect(missing.errors).toEqual([
      { line: 1, field: 'bill_cycle', message: 'a bills file needs this column' },
      { line: 1, field: 'extra', message: 'not a column of a bills file' },
    ])
    const empty = await rejectionOf(importCisFile(sql, '', { fileName: 'empty.csv' }))
    expect(empty.errors[0]).toMatchObject({ line: 1, field: 'header' })
  })
})

describe('CIS bill file', () => {
  it('posts one balanced entry per bill run: receivables debited per bill, revenue credited', async () => {
    const record = await importCisFile(sql, billsCsv, { fileName: 'bills.csv' })
    expect(record).toMatchObject({ kind: 'bills', status: 'applied', rowsTotal: 7, rowsApplied: 7 })
    expect(record.counts).toMatchObject({ bills: 3, billLines: 7, ledgerEntries: 3, billsAlreadyImported: 0 })

    const ada = await accountId('1000000001')
    const grace = await accountId('1000000002')
    const entries = await sql`
      select e.idempotency_key, e.source, e.description, e.occurred_at, sum(p.amount)::int as total,
             json_agg(json_build_object('account', a.code, 'amount', p.amount, 'memo', p.memo)
                      order by a.code) as lines
        from ledger.journal_entry e
        join ledger.posting p on p.entry_id = e.id
        join ledger.account a on a.id = p.account_id
       where e.source = 'cis_bill_run'
       group by e.id order by e.occurred_at`
    // one run per bill date and cycle
    expect(entries.map((e) => e.idempotency_key)).toEqual([
      `cis-bills:${record.id}:2025-07-03:3`,
      `cis-bills:${record.id}:2026-01-06:3`,
      `cis-bills:${record.id}:2026-01-30:21`,
    ])
    expect(entries.every((e) => e.total === 0)).toBe(true)
    expect(entries[1]?.description).toBe('Utility bills, cycle 3, billed 2026-01-06')
    // noon in the city: EDT in July, EST in January
    expect(entries[0]?.occurred_at.toISOString()).toBe('2025-07-03T16:00:00.000Z')
    expect(entries[1]?.occurred_at.toISOString()).toBe('2026-01-06T17:00:00.000Z')
    // the zero water line of the July bill posts nothing
    expect(entries[0]?.lines).toEqual([
      { account: `ar:electric:ua:${ada}`, amount: 15000, memo: 'Utility bill B-2025-07-0001 (cycle 3)' },
      { account: 'revenue:electric', amount: -15000, memo: null },
    ])
    // a credit line flips both sides
    expect(entries[1]?.lines).toEqual([
      { account: `ar:electric:ua:${ada}`, amount: 12345, memo: 'Utility bill B-2026-01-0001 (cycle 3)' },
      { account: `ar:gas:ua:${ada}`, amount: -1250, memo: 'Utility bill B-2026-01-0001 (cycle 3)' },
      { account: `ar:water:ua:${ada}`, amount: 4010, memo: 'Utility bill B-2026-01-0001 (cycle 3)' },
      { account: 'revenue:electric', amount: -12345, memo: null },
      { account: 'revenue:gas', amount: 1250, memo: null },
      { account: 'revenue:water', amount: -4010, memo: null },
    ])
    expect(entries[2]?.lines).toHaveLength(4)
    expect(entries[2]?.lines[0]).toMatchObject({ account: `ar:electric:ua:${grace}`, amount: 31099 })

    const receivables = await sql`
      select code, type, fund, utility_account_id from ledger.account
       where utility_account_id = ${ada} order by code`
    expect(receivables).toEqual([
      { code: `ar:electric:ua:${ada}`, type: 'asset', fund: 'electric', utility_account_id: ada },
      { code: `ar:gas:ua:${ada}`, type: 'asset', fund: 'gas', utility_account_id: ada },
      { code: `ar:water:ua:${ada}`, type: 'asset', fund: 'water', utility_account_id: ada },
    ])
    const [balance] = await sql`
      select sum(b.balance)::int as cents
        from ledger.account_balances(array(
          select id from ledger.account where utility_account_id = ${ada})) b`
    expect(balance?.cents).toBe(12345 + 4010 - 1250 + 15000)
    const [stored] = await sql`
      select count(*)::int as n, sum(amount_cents)::int as cents from cis.bill_charge
       where import_id = ${record.id}`
    expect(stored).toEqual({ n: 7, cents: 12345 + 4010 - 1250 + 15000 + 31099 + 1500 })
  })

  it('stores a bill whose lines are all zero and posts no entry for its run', async () => {
    const before = await snapshot()
    const record = await importCisFile(
      sql,
      [
        'bill_id,account_number,bill_date,bill_cycle,service,amount',
        'B-2026-03-0900,1000000002,2026-03-02,21,electric,0.00',
        'B-2026-03-0900,1000000002,2026-03-02,21,fire,0.00',
      ].join('\n'),
      { fileName: 'zero-bills.csv' },
    )
    expect(record.counts).toMatchObject({ bills: 1, billLines: 2, ledgerEntries: 0 })
    const after = await snapshot()
    expect(after).toMatchObject({ bill_lines: (before?.bill_lines ?? 0) + 2, entries: before?.entries })
  })

  it('changes nothing when the same files are imported again', async () => {
    const before = await snapshot()
    const customers = await importCisFile(sql, customersCsv, { fileName: 'customers.csv' })
    const bills = await importCisFile(sql, billsCsv, { fileName: 'bills.csv' })
    expect(customers.rowsApplied).toBe(0)
    expect(bills.rowsApplied).toBe(0)
    expect(bills.counts).toMatchObject({ bills: 0, billLines: 0, ledgerEntries: 0, billsAlreadyImported: 3 })
    expect(await snapshot()).toEqual(before)
    const [same] = await sql`
      select count(distinct sha256)::int as hashes from cis.import where file_name = 'bills.csv'`
    expect(same?.hashes).toBe(1)
  })

  it('rejects a bill imported before with other amounts, and bad rows, leaving the ledger alone', async () => {
    const before = await snapshot()
    const file = [
      'bill_id,account_number,bill_date,bill_cycle,service,amount',
      'B-2026-01-0001,1000000001,2026-01-06,3,electric,123.46',
      'B-2026-01-0001,1000000001,2026-01-06,3,water,40.10',
      'B-2026-02-0009,9999999999,2026-02-02,3,electric,10.00',
      'B-2026-02-0010,1000000002,2026-02-02,21,electric,10',
      'B-2026-02-0011,1000000002,2026-02-27,21,water,20.00',
      'B-2026-02-0011,1000000002,2026-02-27,21,water,20.00',
      'B-2026-02-0012,1000000002,2026-02-27,21,parking,5.00',
      'B-2026-02-0013,1000000002,2026-02-27,21,sewer,7.00',
      'B-2026-02-0013,1000000002,2026-02-28,21,fire,7.00',
    ].join('\n')
    const rejected = await rejectionOf(importCisFile(sql, file, { fileName: 'bad-bills.csv' }))
    expect(rejected.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'amount'],
      [2, 'service'],
      [4, 'account_number'],
      [5, 'amount'],
      [7, 'service'],
      [8, 'service'],
      [10, 'bill_id'],
    ])
    const byLine = new Map(rejected.errors.map((e) => [`${e.line}:${e.field}`, e.message]))
    expect(byLine.get('2:amount')).toMatch(/^bill B-2026-01-0001 was imported before \(import \d+\) with other charges/)
    expect(byLine.get('2:service')).toBe('bill B-2026-01-0001 was imported before with a gas line that this file lacks')
    expect(byLine.get('4:account_number')).toMatch(/no utility account 9999999999/)
    expect(byLine.get('7:service')).toBe('bill B-2026-02-0011 has a second water line; the first is on line 6')
    expect(await snapshot()).toEqual(before)
  })

  it('posts thousands of bills in one file, every entry balanced', async () => {
    const header = 'bill_id,account_number,bill_date,bill_cycle,service,amount'
    const lines = [header]
    for (let i = 0; i < 6000; i++) {
      const account = i % 2 === 0 ? '1000000001' : '1000000002'
      const cycle = i % 2 === 0 ? 3 : 21
      lines.push(`BULK-${i},${account},2026-02-${String(1 + (i % 28)).padStart(2, '0')},${cycle},electric,${(i % 500) + 1}.25`)
      lines.push(`BULK-${i},${account},2026-02-${String(1 + (i % 28)).padStart(2, '0')},${cycle},water,-0.25`)
    }
    const record = await importCisFile(sql, lines.join('\n'), { fileName: 'bulk.csv' })
    // 28 bill dates, each in one cycle: 28 runs
    expect(record.counts).toMatchObject({ bills: 6000, ledgerEntries: 28 })
    const [check] = await sql`
      select count(*)::int as entries, count(*) filter (where total = 0)::int as balanced,
             sum(receivable_lines)::int as receivable_lines
        from (
          select e.id, sum(p.amount) as total,
                 count(*) filter (where p.memo like 'Utility bill BULK-%') as receivable_lines
            from ledger.journal_entry e join ledger.posting p on p.entry_id = e.id
           where e.source = 'cis_bill_run' and e.source_ref like ${`${record.id}:%`}
           group by e.id
        ) x`
    expect(check).toEqual({ entries: 28, balanced: 28, receivable_lines: 12_000 })
    const [sample] = await sql`
      select sum(p.amount)::int as cents from ledger.posting p
       where p.memo = 'Utility bill BULK-4999 (cycle 21)'`
    expect(sample?.cents).toBe(50_000)
  })
})

describe('CIS import over HTTP', () => {
  it('lets finance import a file and list the imports', async () => {
    const finance = await t.userWithRole('finance')
    const header = 'bill_id,account_number,bill_date,bill_cycle,service,amount'
    const res = await t.request('/api/v1/cis/imports?fileName=march.csv', {
      method: 'POST',
      as: finance,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      body: `${header}\nB-2026-03-0001,1000000002,2026-03-31,21,electric,99.99\n`,
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body).toMatchObject({
      kind: 'bills',
      fileName: 'march.csv',
      status: 'applied',
      rowsTotal: 1,
      rowsApplied: 1,
      importedBy: finance.userId,
      counts: { bills: 1, ledgerEntries: 1 },
    })
    const list = await t.request('/api/v1/cis/imports?limit=5', { as: finance })
    expect(list.status).toBe(200)
    const { imports } = await list.json()
    expect(imports[0]).toMatchObject({ id: body.id, fileName: 'march.csv' })
    expect(imports.length).toBeLessThanOrEqual(5)
    const one = await t.request(`/api/v1/cis/imports/${body.id}`, { as: finance })
    expect((await one.json()).sha256).toBe(body.sha256)
  })

  it('answers a file with bad rows with 400 and the line-numbered errors', async () => {
    const admin = await t.userWithRole('admin')
    const res = await t.request('/api/v1/cis/imports', {
      method: 'POST',
      as: admin,
      headers: { 'content-type': 'text/csv', 'x-file-name': 'typo.csv' },
      body: 'bill_id,account_number,bill_date,bill_cycle,service,amount\nB-X,1000000002,2026-02-30,21,water,1.00\n',
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid')
    expect(error.details).toMatchObject({
      kind: 'bills',
      errorCount: 1,
      errors: [{ line: 2, field: 'bill_date', message: '2026-02-30 is not a date' }],
    })
    const [record] = await sql`select file_name, status from cis.import where id = ${error.details.importId}`
    expect(record).toEqual({ file_name: 'typo.csv', status: 'rejected' })
  })

  it('keeps drivers and the public out, and wants text/csv', async () => {
    const driver = await t.userWithRole('driver')
    const body = 'bill_id,account_number,bill_date,bill_cycle,service,amount\n'
    const asDriver = await t.request('/api/v1/cis/imports', {
      method: 'POST',
      as: driver,
      headers: { 'content-type': 'text/csv' },
      body,
    })
    expect(asDriver.status).toBe(403)
    expect((await t.request('/api/v1/cis/imports', { as: driver })).status).toBe(403)
    const anonymous = await t.request('/api/v1/cis/imports', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
    })
    expect(anonymous.status).toBe(401)
    const finance = await t.userWithRole('finance')
    const json = await t.request('/api/v1/cis/imports', { method: 'POST', as: finance, json: { rows: [] } })
    expect(json.status).toBe(415)
    expect((await json.json()).error.code).toBe('unsupported_media_type')
  })
})
