import { describe, it, expect } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabase } from '../../support/db.ts'
import type { Tx } from '../../../db/connect.ts'
import { entryHash, postEntry, writeEntry } from '../../../api/ledger/post.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { rollUpBalances } from '../../../api/ledger/rollup.ts'
import { balanceMismatches, trialBalance } from './fixtures.ts'

const db = await testDatabase()
const { sql } = db

const [kiosk, revenue] = await sql<{ id: number }[]>`
  select id from ledger.account where code in ('cash:kiosk', 'revenue:parking') order by code`
if (!kiosk || !revenue) {
  throw new Error('house accounts missing')
}

async function insertEntry(tx: Tx, extra: { reverses?: number } = {}): Promise<number> {
  const [row]: [{ id: number }?] = await tx`
    insert into ledger.journal_entry
      (idempotency_key, body_hash, source, description, occurred_at, reverses)
    values (${randomUUID()}, 'direct', 'test', 'Direct SQL entry', now(), ${extra.reverses ?? null})
    returning id`
  if (!row) {
    throw new Error('no entry inserted')
  }
  return row.id
}

type Line = [accountId: number, amount: number]

async function insertPostings(tx: Tx, entryId: number, lines: Line[]) {
  await tx`
    insert into ledger.posting (entry_id, account_id, amount)
    select ${entryId}, l.account_id, l.amount
      from unnest(${lines.map((l) => l[0])}::bigint[], ${lines.map((l) => l[1])}::bigint[])
        as l (account_id, amount)`
}

async function sale(cents: number): Promise<number> {
  const { entryId } = await postEntry(sql, {
    key: randomUUID(),
    source: 'test',
    description: 'Kiosk sale',
    occurredAt: new Date(),
    lines: [
      { account: 'cash:kiosk', amount: cents },
      { account: 'revenue:parking', amount: -cents },
    ],
  })
  return entryId
}

describe('the database keeps every entry balanced', () => {
  it('rejects, at commit, an entry whose postings do not sum to zero', async () => {
    const attempt = sql.begin(async (tx) => {
      const id = await insertEntry(tx)
      await insertPostings(tx, id, [
        [kiosk.id, 500],
        [revenue.id, -400],
      ])
    })
    await expect(attempt).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/does not balance: postings sum to 100/),
    })
  })

  it('rejects an entry with a single posting, and one with none', async () => {
    const one = sql.begin(async (tx) => {
      const id = await insertEntry(tx)
      await insertPostings(tx, id, [[kiosk.id, 500]])
    })
    await expect(one).rejects.toMatchObject({
      message: expect.stringMatching(/has 1 posting\(s\)/),
    })
    const none = sql.begin((tx) => insertEntry(tx))
    await expect(none).rejects.toMatchObject({
      message: expect.stringMatching(/has 0 posting\(s\)/),
    })
  })

  it('accepts an entry whose postings arrive over several statements of its transaction', async () => {
    const before = await accountBalance(sql, 'revenue:parking')
    await sql.begin(async (tx) => {
      const id = await insertEntry(tx)
      await insertPostings(tx, id, [[kiosk.id, 300]])
      await insertPostings(tx, id, [[revenue.id, -300]])
    })
    expect(await accountBalance(sql, 'revenue:parking')).toBe(before - 300)
  })

  it('rejects postings added to an entry committed by an earlier transaction', async () => {
    const old = await sale(700)
    const attempt = sql.begin((tx) =>
      insertPostings(tx, old, [
        [kiosk.id, 100],
        [revenue.id, -100],
      ]),
    )
    await expect(attempt).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/only be added to an unsealed entry of the transaction that creates/),
    })
  })

  it('rejects postings to an entry that does not exist', async () => {
    const attempt = sql.begin((tx) =>
      insertPostings(tx, 999_999_999, [
        [kiosk.id, 1],
        [revenue.id, -1],
      ]),
    )
    await expect(attempt).rejects.toMatchObject({ code: '23514' })
  })

  it('rejects a reversal that is not the negation of the entry it reverses', async () => {
    const original = await sale(900)
    const attempt = sql.begin(async (tx) => {
      const id = await insertEntry(tx, { reverses: original })
      await insertPostings(tx, id, [
        [kiosk.id, -800],
        [revenue.id, 800],
      ])
    })
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringMatching(/is not the negation of entry/),
    })
  })

  it('lets an entry be reversed only once', async () => {
    const original = await sale(250)
    const reverse = () =>
      sql.begin(async (tx) => {
        const id = await insertEntry(tx, { reverses: original })
        await insertPostings(tx, id, [
          [kiosk.id, -250],
          [revenue.id, 250],
        ])
      })
    await reverse()
    await expect(reverse()).rejects.toMatchObject({
      code: '23505',
      constraint_name: 'journal_entry_reverses_key',
    })
  })
})

describe('the ledger is append-only', () => {
  it.each([
    ['update entries', 'update ledger.journal_entry set description = $1', ['changed']],
    ['delete entries', 'delete from ledger.journal_entry', []],
    ['truncate entries', 'truncate ledger.journal_entry cascade', []],
    ['update postings', 'update ledger.posting set amount = amount * 2', []],
    ['delete postings', 'delete from ledger.posting', []],
    ['truncate postings', 'truncate ledger.posting', []],
    ['delete an account', "delete from ledger.account where code = 'bank:operating'", []],
  ])('refuses to %s', async (_what, statement, params) => {
    await sale(100)
    await expect(sql.unsafe(statement, params)).rejects.toMatchObject({ code: '42501' })
  })

  it.each([
    ['insert', 'insert into ledger.account_balance values (1, 1000)'],
    ['update', 'update ledger.account_balance set balance = balance + 1'],
    ['delete', 'delete from ledger.account_balance'],
    ['truncate', 'truncate ledger.account_balance'],
    ['update', 'update ledger.balance_watermark set watermark = 0'],
    ['truncate', 'truncate ledger.balance_watermark'],
  ])('refuses a direct %s on the rolled-up balances', async (_what, statement) => {
    await sale(100)
    await rollUpBalances(sql)
    await expect(sql.unsafe(statement)).rejects.toMatchObject({
      code: '42501',
      message: expect.stringMatching(/balances change only by posting/),
    })
  })

  it('still refuses direct balance writes in a transaction that has just posted', async () => {
    const attempt = sql.begin(async (tx) => {
      await postEntry(tx, {
        key: randomUUID(),
        source: 'test',
        description: 'Sale',
        occurredAt: new Date(),
        lines: [
          { account: 'cash:kiosk', amount: 100 },
          { account: 'revenue:parking', amount: -100 },
        ],
      })
      await tx`update ledger.account_balance set balance = 0`
    })
    await expect(attempt).rejects.toMatchObject({ code: '42501' })
  })
})

describe('entries written by postEntry', () => {
  const lines = [
    { account: 'cash:kiosk', amount: 40 },
    { account: 'revenue:parking', amount: -40 },
  ]

  it('are sealed: no later statement of their transaction may add postings to them', async () => {
    const attempt = sql.begin(async (tx) => {
      const { entryId } = await postEntry(tx, {
        key: randomUUID(),
        source: 'test',
        description: 'Sale',
        occurredAt: new Date(),
        lines,
      })
      await insertPostings(tx, entryId, [
        [kiosk.id, 5],
        [revenue.id, -5],
      ])
    })
    await expect(attempt).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/only be added to an unsealed entry/),
    })
  })

  it('are sealed only when the statement has checked the lines; others are refused at commit', async () => {
    // writeEntry is postEntry without validateEntry in front: what any other caller could send
    const write = (amounts: number[]) =>
      sql.begin(async (tx) => {
        const entry = {
          key: randomUUID(),
          source: 'test',
          description: 'Unchecked lines',
          occurredAt: new Date(),
          lines: amounts.map((amount, i) => ({
            account: i % 2 === 0 ? 'cash:kiosk' : 'revenue:parking',
            amount,
          })),
        }
        const [written] = await writeEntry(tx, entry, entryHash(entry))
        const [row]: [{ sealed: boolean }?] = await tx`
          select sealed from ledger.journal_entry where id = ${written?.id ?? 0}`
        expect(row?.sealed).toBe(false)
      })
    await expect(write([40, -39])).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/does not balance: postings sum to 1/),
    })
    await expect(write([40])).rejects.toMatchObject({
      code: '23514',
      message: expect.stringMatching(/an entry needs at least two/),
    })
    const before = await trialBalance(sql)
    await expect(write([0, 0])).rejects.toMatchObject({ code: '23514' })
    expect(await trialBalance(sql)).toEqual(before)
  })

  it('refuses a posting that claims another transaction', async () => {
    const attempt = sql.begin(async (tx) => {
      const id = await insertEntry(tx)
      await tx`
        insert into ledger.posting (entry_id, account_id, amount, tx)
        values (${id}, ${kiosk.id}, 5, 1), (${id}, ${revenue.id}, -5, 1)`
    })
    await expect(attempt).rejects.toMatchObject({ code: '23514' })
  })
})

async function rolledUpMismatches() {
  return sql`
    select a.code, b.balance, p.total
      from ledger.account a
      left join ledger.account_balance b on b.account_id = a.id
      left join (select p.account_id, sum(p.amount) as total
                   from ledger.posting p, ledger.balance_watermark w
                  where p.tx < w.watermark group by 1) p on p.account_id = a.id
     where coalesce(b.balance, 0) <> coalesce(p.total, 0)`
}

describe('balances', () => {
  it('follow set-based loads: many entries and their postings in one statement each', async () => {
    const before = await accountBalance(sql, 'revenue:parking')
    await sql.begin(async (tx) => {
      const entries = await tx<{ id: number }[]>`
        insert into ledger.journal_entry
          (idempotency_key, body_hash, source, description, occurred_at)
        select 'bulk-' || g || '-' || ${randomUUID()}, 'h', 'test', 'Bulk ' || g, now()
          from generate_series(1, 200) g
        returning id`
      await tx`
        insert into ledger.posting (entry_id, account_id, amount)
        select e.id, l.account_id, l.amount
          from unnest(${entries.map((e) => e.id)}::bigint[]) e (id)
          cross join (values (${kiosk.id}::bigint, 5::bigint), (${revenue.id}::bigint, -5::bigint))
            as l (account_id, amount)`
    })
    expect(await accountBalance(sql, 'revenue:parking')).toBe(before - 1000)
    expect(await balanceMismatches(sql)).toEqual([])
    await rollUpBalances(sql)
    expect(await accountBalance(sql, 'revenue:parking')).toBe(before - 1000)
    expect(await balanceMismatches(sql)).toEqual([])
  })

  it('read the same before and after a roll-up, and after one that runs while postings land', async () => {
    await rollUpBalances(sql)
    const before = await accountBalance(sql, 'cash:kiosk')
    const [, rolled] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, (_, i) => sale(10 + i))),
      rollUpBalances(sql),
    ])
    const posted = Array.from({ length: 40 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0)
    expect(rolled?.watermark).toBeGreaterThan(0)
    expect(await accountBalance(sql, 'cash:kiosk')).toBe(before + posted)
    expect(await balanceMismatches(sql)).toEqual([])
    await rollUpBalances(sql)
    expect(await accountBalance(sql, 'cash:kiosk')).toBe(before + posted)
    // what is rolled up is exactly the postings below the watermark (which any transaction still
    // running on the server, in any database, holds back)
    expect(await rolledUpMismatches()).toEqual([])
    expect(await trialBalance(sql)).toEqual({ balances: 0, postings: 0 })
  })

  it("see a transaction's own postings before it commits, rolled up or not", async () => {
    const before = await accountBalance(sql, 'cash:kiosk')
    await sql.begin(async (tx) => {
      await postEntry(tx, {
        key: randomUUID(),
        source: 'test',
        description: 'Sale',
        occurredAt: new Date(),
        lines: [
          { account: 'cash:kiosk', amount: 42 },
          { account: 'revenue:parking', amount: -42 },
        ],
      })
      await rollUpBalances(sql)
      expect(await accountBalance(tx, 'cash:kiosk')).toBe(before + 42)
      expect(await accountBalance(sql, 'cash:kiosk')).toBe(before)
    })
    expect(await accountBalance(sql, 'cash:kiosk')).toBe(before + 42)
  })

  it('are rolled up by one process at a time, and only in read committed', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => rollUpBalances(sql)))
    expect(results.some((r) => r !== null)).toBe(true)
    expect(await balanceMismatches(sql)).toEqual([])
    const attempt = sql.begin('isolation level repeatable read', (tx) => rollUpBalances(tx))
    await expect(attempt).rejects.toMatchObject({ code: '25000' })
  })
})
