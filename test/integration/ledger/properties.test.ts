import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { randomUUID } from 'node:crypto'
import { testDatabase } from '../../support/db.ts'
import { postEntry, receivable, type NewEntry } from '../../../api/ledger/post.ts'
import { reverseEntry } from '../../../api/ledger/reverse.ts'
import { customerBalances } from '../../../api/ledger/balances.ts'
import { customerStatement } from '../../../api/ledger/statement.ts'
import { AppError } from '../../../api/http/errors.ts'
import { rollUpBalances } from '../../../api/ledger/rollup.ts'
import { makeCustomer, makeUtilityAccount, balanceMismatches, trialBalance } from './fixtures.ts'

const db = await testDatabase({ max: 6 })
const { sql } = db

// Three customers; one utility account each for alice and carol, and one that alice and bob share.
const alice = await makeCustomer(sql, 'Alice')
const bob = await makeCustomer(sql, 'Bob')
const carol = await makeCustomer(sql, 'Carol')
const customers = [alice, bob, carol]
const own = await makeUtilityAccount(sql, [alice])
const shared = await makeUtilityAccount(sql, [alice, bob])
const carols = await makeUtilityAccount(sql, [carol])

const ACCOUNTS = [
  'revenue:parking',
  'revenue:water',
  'revenue:electric',
  'clearing:stripe',
  'cash:kiosk',
  'bank:operating',
  ...[own, shared, carols].flatMap((ua) => [
    receivable.ofUtilityAccount('water', ua.id),
    receivable.ofUtilityAccount('electric', ua.id),
    receivable.ofUtilityAccount('parking', ua.id),
  ]),
  ...customers.map((c) => receivable.ofCustomer('parking', c)),
]

type Op =
  | {
      kind: 'post'
      lines: { account: string; amount: number }[]
      balancing: string
      day: number
      together: number
    }
  | { kind: 'reverse'; pick: number }
  | { kind: 'replay'; pick: number }
  | { kind: 'conflict'; pick: number }
  | { kind: 'rollup' }

const account = fc.constantFrom(...ACCOUNTS)
const amount = fc.integer({ min: -500_000, max: 500_000 }).filter((n) => n !== 0)
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      lines: fc.array(fc.record({ account, amount }), { minLength: 1, maxLength: 4 }),
      balancing: account,
      day: fc.integer({ min: 0, max: 1000 }),
      together: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollup' as const) }) },
)

interface Posted {
  entry: NewEntry
  id: number
  reversed: boolean
}

// Noon UTC is morning in the city, so a line's local day is the ISO day of its instant.
const dayOf = (n: number) => new Date(Date.UTC(2023, 0, 1 + n, 12))

function balancedEntry(o: Extract<Op, { kind: 'post' }>): NewEntry | null {
  const total = o.lines.reduce((s, l) => s + l.amount, 0)
  const lines = total === 0 ? o.lines : [...o.lines, { account: o.balancing, amount: -total }]
  if (lines.length < 2) {
    return null
  }
  return {
    key: randomUUID(),
    source: 'property',
    sourceRef: null,
    description: `Property entry ${lines.length} lines`,
    occurredAt: dayOf(o.day),
    lines,
  }
}

async function counts(): Promise<{ entries: number; postings: number }> {
  const [row]: [{ entries: number; postings: number }?] = await sql`
    select (select count(*) from ledger.journal_entry)::int as entries,
           (select count(*) from ledger.posting)::int as postings`
  return row ?? { entries: -1, postings: -1 }
}

async function apply(ops: Op[]): Promise<void> {
  const posted: Posted[] = []
  for (const o of ops) {
    if (o.kind === 'post') {
      const entries = Array.from({ length: o.together }, () => balancedEntry(o)).filter(
        (e): e is NewEntry => e !== null,
      )
      // several at once, each in its own transaction, so sessions share the busy accounts; a
      // balance roll-up runs beside them, so some of their postings land on each side of it
      const [ids] = await Promise.all([
        Promise.all(entries.map((e) => sql.begin((tx) => postEntry(tx, e)))),
        rollUpBalances(sql),
      ])
      ids.forEach((r, i) => {
        const entry = entries[i]
        expect(r.replayed).toBe(false)
        if (entry) {
          posted.push({ entry, id: r.entryId, reversed: false })
        }
      })
      continue
    }
    if (o.kind === 'rollup') {
      await rollUpBalances(sql)
      await expectInvariants(0, 1000)
      continue
    }
    const target = posted[o.pick % Math.max(posted.length, 1)]
    if (!target) {
      continue
    }
    const before = await counts()
    if (o.kind === 'replay') {
      const again = await postEntry(sql, target.entry)
      expect(again).toEqual({ entryId: target.id, replayed: true })
      expect(await counts()).toEqual(before)
    } else if (o.kind === 'conflict') {
      const changed = { ...target.entry, description: `${target.entry.description} (edited)` }
      await expect(postEntry(sql, changed)).rejects.toMatchObject({ code: 'idempotency_conflict' })
      expect(await counts()).toEqual(before)
    } else if (target.reversed) {
      const second = reverseEntry(sql, target.id, {
        key: randomUUID(),
        description: 'Second reversal',
        occurredAt: target.entry.occurredAt,
      })
      await expect(second).rejects.toBeInstanceOf(AppError)
      await expect(second).rejects.toMatchObject({ code: 'conflict' })
      expect(await counts()).toEqual(before)
    } else {
      const key = randomUUID()
      const reversal = {
        key,
        description: `Reversal of ${target.id}`,
        occurredAt: target.entry.occurredAt,
      }
      const r = await reverseEntry(sql, target.id, reversal)
      expect(r.replayed).toBe(false)
      expect(await reverseEntry(sql, target.id, reversal)).toEqual({
        entryId: r.entryId,
        replayed: true,
      })
      target.reversed = true
      posted.push({
        entry: {
          ...target.entry,
          key,
          description: reversal.description,
          lines: target.entry.lines.map((l) => ({ account: l.account, amount: -l.amount })),
          reverses: target.id,
        },
        id: r.entryId,
        reversed: false,
      })
    }
  }
}

async function expectInvariants(fromDay: number, toDay: number): Promise<void> {
  expect(await trialBalance(sql)).toEqual({ balances: 0, postings: 0 })
  expect(await balanceMismatches(sql)).toEqual([])
  const from = dayOf(Math.min(fromDay, toDay)).toISOString().slice(0, 10)
  const to = dayOf(Math.max(fromDay, toDay)).toISOString().slice(0, 10)
  for (const customerId of customers) {
    const balances = await customerBalances(sql, customerId)
    const all = await customerStatement(sql, customerId)
    const sum = all.lines.reduce((s, l) => s + l.amount, 0)
    expect(sum).toBe(balances.total)
    expect(all.closingBalance).toBe(balances.total)
    const funds = new Set([...Object.keys(balances.byFund), ...Object.keys(all.totals.byFund)])
    for (const fund of funds) {
      expect(all.totals.byFund[fund] ?? 0).toBe(balances.byFund[fund] ?? 0)
    }

    const period = await customerStatement(sql, customerId, { from, to })
    const day = (iso: string) => iso.slice(0, 10)
    const before = all.lines.filter((l) => day(l.occurredAt) < from)
    const within = all.lines.filter((l) => day(l.occurredAt) >= from && day(l.occurredAt) <= to)
    expect(period.openingBalance).toBe(before.reduce((s, l) => s + l.amount, 0))
    const ids = (lines: { postingId: number }[]) => lines.map((l) => l.postingId).sort()
    expect(ids(period.lines)).toEqual(ids(within))
    const last = period.lines.at(-1)
    expect(period.closingBalance).toBe(last ? last.runningBalance : period.openingBalance)
  }
}

describe('ledger invariants under random postings, reversals and replays', () => {
  it('keeps the trial balance at zero, balances equal to postings, rolled up or not, and statements equal to balances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        async (ops, fromDay, toDay) => {
          await apply(ops)
          await expectInvariants(fromDay, toDay)
        },
      ),
      { numRuns: 30 },
    )
  }, 120_000)

  it('orders statement lines by when they happened, then by entry, with a running balance', async () => {
    for (const customerId of customers) {
      const { lines, openingBalance } = await customerStatement(sql, customerId)
      let running = openingBalance
      for (const [i, line] of lines.entries()) {
        running += line.amount
        expect(line.runningBalance).toBe(running)
        const prev = lines[i - 1]
        if (prev) {
          const order =
            prev.occurredAt.localeCompare(line.occurredAt) || prev.entryId - line.entryId
          expect(order).toBeLessThanOrEqual(0)
        }
      }
      expect(lines.length).toBeGreaterThan(0)
    }
  })
})
