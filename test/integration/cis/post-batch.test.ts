import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { inTransaction } from '../../../db/connect.ts'
import { postEntries, postStaged } from '../../../api/ledger/post-batch.ts'
import { postEntry, type NewEntry } from '../../../api/ledger/post.ts'
import { AppError } from '../../../api/http/errors.ts'

const db = await testDatabase()
const sql = db.sql

const [premise] = await sql<{ id: number }[]>`
  insert into cis.premise (cis_premise_id, address, city, state, zip)
  values ('PB1', '1 Batch St', 'Riverton', 'NC', '27601') returning id`
const [account] = await sql<{ id: number }[]>`
  insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
  values ('3000000001', ${premise?.id ?? 0}, 9, 'active', '2020-01-01') returning id`
const ua = account?.id ?? 0

function bill(n: number, cents = 1000 + n): NewEntry {
  return {
    key: `batch-test:${n}`,
    source: 'test',
    sourceRef: String(n),
    description: `Bill ${n}`,
    occurredAt: new Date('2026-02-02T17:00:00Z'),
    lines: [
      { account: `ar:water:ua:${ua}`, amount: cents },
      { account: 'revenue:water', amount: -cents },
    ],
  }
}

async function counts() {
  const [row] = await sql<{ entries: number; postings: number }[]>`
    select (select count(*) from ledger.journal_entry)::int as entries,
           (select count(*) from ledger.posting)::int as postings`
  return row
}

describe('postEntries', () => {
  it('posts many entries with their postings and opens receivables on first use', async () => {
    const entries = Array.from({ length: 12_000 }, (_, i) => bill(i))
    const results = await inTransaction(sql, (tx) => postEntries(tx, entries))
    expect(results).toHaveLength(12_000)
    expect(results.every((r) => !r.replayed)).toBe(true)
    expect(new Set(results.map((r) => r.entryId)).size).toBe(12_000)
    const [balance] = await sql<{ cents: number }[]>`
      select b.balance::int as cents
        from ledger.account_balances(array(
          select id from ledger.account where code = ${`ar:water:ua:${ua}`})) b`
    expect(balance?.cents).toBe(entries.reduce((s, e) => s + (e.lines[0]?.amount ?? 0), 0))
    const [opened] = await sql`select type, fund, utility_account_id from ledger.account where code = ${`ar:water:ua:${ua}`}`
    expect(opened).toEqual({ type: 'asset', fund: 'water', utility_account_id: ua })
  })

  it('hashes an entry as postEntry does, so either one replays the other', async () => {
    const [fromBatch] = await inTransaction(sql, (tx) => postEntries(tx, [bill(0)]))
    expect(fromBatch?.replayed).toBe(true)
    const single = await postEntry(sql, bill(20_000))
    const [again] = await inTransaction(sql, (tx) => postEntries(tx, [bill(20_000), bill(20_001)]))
    expect(again).toEqual({ entryId: single.entryId, replayed: true })
    const replayed = await postEntry(sql, bill(20_001))
    expect(replayed.replayed).toBe(true)
  })

  it('skips replays and posts a key repeated within a batch once', async () => {
    const before = await counts()
    const results = await inTransaction(sql, (tx) => postEntries(tx, [bill(1), bill(30_000), bill(30_000)]))
    expect(results.map((r) => r.replayed)).toEqual([true, false, true])
    expect(results[1]?.entryId).toBe(results[2]?.entryId)
    const after = await counts()
    expect(after).toEqual({ entries: (before?.entries ?? 0) + 1, postings: (before?.postings ?? 0) + 2 })
  })

  it('refuses a known key with another body, and rolls the whole batch back', async () => {
    const before = await counts()
    const err = await inTransaction(sql, (tx) => postEntries(tx, [bill(40_000), bill(2, 5)])).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('idempotency_conflict')
    expect(await counts()).toEqual(before)
  })

  it('refuses, in the database, staged lines that do not make an entry', async () => {
    const before = await counts()
    const attempt = inTransaction(sql, async (tx) => {
      await tx`select ledger.create_stage()`
      await tx`
        insert into pg_temp.ledger_stage_entry (n, idempotency_key, source, description, occurred_at)
        values (1, 'staged-unbalanced', 'test', 'Unbalanced', now())`
      await tx`
        insert into pg_temp.ledger_stage_line (n, code, amount)
        values (1, 'revenue:water', -5), (1, 'bank:operating', 4)`
      await tx`select * from ledger.post_staged()`
    })
    await expect(attempt).rejects.toMatchObject({ code: '23514' })
    expect(await counts()).toEqual(before)
  })

  it('refuses a staged line whose account id names no account, and writes nothing', async () => {
    const before = await counts()
    const attempt = inTransaction(sql, async (tx) => {
      await tx`select ledger.create_stage()`
      await tx`
        insert into pg_temp.ledger_stage_entry (n, idempotency_key, source, description, occurred_at)
        values (1, 'staged-no-account', 'test', 'No such account', now())`
      await tx`
        insert into pg_temp.ledger_stage_line (n, code, account_id, amount)
        values (1, 'revenue:water', null, -5), (1, null, 987654321, 5)`
      return postStaged(tx)
    })
    await expect(attempt).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/987654321/) })
    expect(await counts()).toEqual(before)
  })

  it('computes the body hash in the database exactly as entryHash does', async () => {
    const entry = bill(60_000)
    const [posted] = await inTransaction(sql, async (tx) => {
      await tx`select ledger.create_stage()`
      await tx`
        insert into pg_temp.ledger_stage_entry
          (n, idempotency_key, source, source_ref, description, occurred_at)
        values (0, ${entry.key}, ${entry.source}, ${entry.sourceRef ?? null}, ${entry.description},
                ${entry.occurredAt})`
      for (const line of entry.lines) {
        await tx`insert into pg_temp.ledger_stage_line (n, code, amount)
                 values (0, ${line.account}, ${line.amount})`
      }
      return postStaged(tx)
    })
    expect(posted?.replayed).toBe(false)
    // the same entry through postEntry is a replay, not a conflict
    expect(await postEntry(sql, entry)).toEqual({ entryId: posted?.entryId, replayed: true })
  })

  it('refuses unbalanced entries and unknown accounts before the commit', async () => {
    const before = await counts()
    const unbalanced = { ...bill(50_000), lines: [{ account: 'revenue:water', amount: -5 }, { account: 'bank:operating', amount: 4 }] }
    const e1 = await inTransaction(sql, (tx) => postEntries(tx, [unbalanced])).catch((e: unknown) => e)
    expect((e1 as AppError).code).toBe('invalid')
    const unknown = { ...bill(50_001), lines: [{ account: 'revenue:nowhere', amount: -5 }, { account: 'bank:operating', amount: 5 }] }
    const e2 = await inTransaction(sql, (tx) => postEntries(tx, [unknown])).catch((e: unknown) => e)
    expect(e2).toBeInstanceOf(AppError)
    expect((e2 as AppError).message).toMatch(/revenue:nowhere/)
    expect(await counts()).toEqual(before)
  })
})
