import { describe, it, expect } from 'vitest'
import { randomUUID } from 'node:crypto'
import { testDatabase } from '../../support/db.ts'
import { postEntry, receivable, type NewEntry } from '../../../api/ledger/post.ts'
import { reverseEntry } from '../../../api/ledger/reverse.ts'
import { accountBalance, customerBalances } from '../../../api/ledger/balances.ts'
import { rollUpBalances } from '../../../api/ledger/rollup.ts'
import { makeCustomer, makeUtilityAccount, balanceMismatches, trialBalance } from './fixtures.ts'

const db = await testDatabase({ max: 16 })
const { sql } = db

const sale = (cents: number, key = randomUUID()): NewEntry => ({
  key,
  source: 'session',
  sourceRef: key,
  description: 'Parking session',
  occurredAt: new Date('2024-05-01T14:00:00Z'),
  lines: [
    { account: 'clearing:stripe', amount: cents },
    { account: 'revenue:parking', amount: -cents },
  ],
})

describe('posting', () => {
  it('replays a key with the same body as the original entry, however often and however concurrently', async () => {
    const entry = sale(1500)
    const results = await Promise.all(
      Array.from({ length: 8 }, () => sql.begin((tx) => postEntry(tx, entry))),
    )
    const ids = new Set(results.map((r) => r.entryId))
    expect(ids.size).toBe(1)
    expect(results.filter((r) => !r.replayed)).toHaveLength(1)
    const [row]: [{ n: number }?] = await sql`
      select count(*)::int as n from ledger.posting p
        join ledger.journal_entry e on e.id = p.entry_id where e.idempotency_key = ${entry.key}`
    expect(row?.n).toBe(2)
  })

  it('refuses the same key with a different body as an idempotency conflict', async () => {
    const entry = sale(1500)
    await postEntry(sql, entry)
    await expect(postEntry(sql, { ...entry, lines: sale(1600).lines })).rejects.toMatchObject({
      code: 'idempotency_conflict',
      message: `Idempotency key ${entry.key} was already used for a different entry`,
    })
  })

  it('opens receivables on first use, owned by their customer or utility account', async () => {
    const customerId = await makeCustomer(sql)
    const ua = await makeUtilityAccount(sql, [customerId])
    await postEntry(sql, {
      key: randomUUID(),
      source: 'bill',
      description: 'Utility bill',
      occurredAt: new Date(),
      lines: [
        { account: receivable.ofUtilityAccount('sewer', ua.id), amount: 3000 },
        { account: receivable.ofCustomer('parking', customerId), amount: 2500 },
        { account: 'revenue:sewer', amount: -3000 },
        { account: 'revenue:parking', amount: -2500 },
      ],
    })
    const opened = await sql`
      select code, type::text, fund::text, customer_id, utility_account_id from ledger.account
       where customer_id = ${customerId} or utility_account_id = ${ua.id} order by code`
    expect(opened).toEqual([
      {
        code: `ar:parking:cu:${customerId}`,
        type: 'asset',
        fund: 'parking',
        customer_id: customerId,
        utility_account_id: null,
      },
      {
        code: `ar:sewer:ua:${ua.id}`,
        type: 'asset',
        fund: 'sewer',
        customer_id: null,
        utility_account_id: ua.id,
      },
    ])
    expect(await customerBalances(sql, customerId)).toEqual({
      byFund: { parking: 2500, sewer: 3000 },
      total: 5500,
    })
  })

  it('does not remember the id of a receivable whose opening was rolled back', async () => {
    const customerId = await makeCustomer(sql)
    const code = receivable.ofCustomer('parking', customerId)
    const charge = (cents: number): NewEntry => ({
      ...sale(cents),
      lines: [
        { account: code, amount: cents },
        { account: 'revenue:parking', amount: -cents },
      ],
    })
    const rolledBack = sql.begin(async (tx) => {
      await postEntry(tx, charge(700))
      // the receivable is this transaction's own: still uncommitted, so looked up again
      await postEntry(tx, charge(300))
      throw new Error('roll back')
    })
    await expect(rolledBack).rejects.toThrow('roll back')
    await sql.begin((tx) => postEntry(tx, charge(500)))
    await sql.begin((tx) => postEntry(tx, charge(250)))
    expect(await customerBalances(sql, customerId)).toEqual({ byFund: { parking: 750 }, total: 750 })
    const [orphans]: [{ n: number }?] = await sql`
      select count(*)::int as n from ledger.posting p
       where not exists (select from ledger.account a where a.id = p.account_id)`
    expect(orphans?.n).toBe(0)
  })

  it('refuses an account code that names nothing, and posts nothing', async () => {
    const before = await trialBalance(sql)
    const attempt = postEntry(sql, {
      ...sale(100),
      lines: [
        { account: 'revenue:parking', amount: -100 },
        { account: 'revenue:nowhere', amount: 100 },
      ],
    })
    await expect(attempt).rejects.toMatchObject({
      code: 'invalid',
      message: 'There is no ledger account revenue:nowhere',
    })
    expect(await trialBalance(sql)).toEqual(before)
  })

  it('refuses unbalanced lines before they reach the database', async () => {
    const lines = [
      { account: 'revenue:parking', amount: -100 },
      { account: 'clearing:stripe', amount: 99 },
    ]
    await expect(postEntry(sql, { ...sale(100), lines })).rejects.toMatchObject({
      code: 'invalid',
      message: 'A journal entry must balance; its lines sum to -1 cents',
    })
  })

  it('keeps a busy revenue account exact under many concurrent sessions, with roll-ups among them', async () => {
    const before = await accountBalance(sql, 'revenue:parking')
    await Promise.all([
      ...Array.from({ length: 200 }, (_, i) => sql.begin((tx) => postEntry(tx, sale(100 + i)))),
      ...Array.from({ length: 5 }, () => rollUpBalances(sql)),
    ])
    const expected = Array.from({ length: 200 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0)
    expect(await accountBalance(sql, 'revenue:parking')).toBe(before - expected)
    expect(await balanceMismatches(sql)).toEqual([])
    await rollUpBalances(sql)
    expect(await accountBalance(sql, 'revenue:parking')).toBe(before - expected)
  })

  it('answers not found for an account that does not exist', async () => {
    await expect(accountBalance(sql, 'revenue:nowhere')).rejects.toMatchObject({
      code: 'not_found',
    })
  })
})

describe('reversing', () => {
  it('posts the negation, linked to the original, and replays by key', async () => {
    const { entryId } = await postEntry(sql, sale(4200))
    const before = await accountBalance(sql, 'clearing:stripe')
    const reversal = {
      key: randomUUID(),
      description: 'Refund',
      occurredAt: new Date('2024-05-02T14:00:00Z'),
    }
    const first = await reverseEntry(sql, entryId, reversal)
    expect(await accountBalance(sql, 'clearing:stripe')).toBe(before - 4200)
    expect(await reverseEntry(sql, entryId, reversal)).toEqual({
      entryId: first.entryId,
      replayed: true,
    })
    const [row]: [{ reverses: number; source: string }?] = await sql`
      select reverses, source from ledger.journal_entry where id = ${first.entryId}`
    expect(row).toEqual({ reverses: entryId, source: 'session' })
  })

  it('reverses an entry once: of two racing reversals one wins, the other is a conflict', async () => {
    const { entryId } = await postEntry(sql, sale(700))
    const race = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        reverseEntry(sql, entryId, {
          key: randomUUID(),
          description: 'Void',
          occurredAt: new Date(),
        }),
      ),
    )
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of race) {
      if (r.status === 'rejected') {
        expect(r.reason).toMatchObject({
          code: 'conflict',
          message: expect.stringMatching(/already been reversed/),
        })
      }
    }
  })

  it('answers not found for an entry that does not exist', async () => {
    await expect(
      reverseEntry(sql, 999_999_999, {
        key: randomUUID(),
        description: 'Void',
        occurredAt: new Date(),
      }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})
