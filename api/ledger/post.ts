import { createHash } from 'node:crypto'
import type postgres from 'postgres'
import type { Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'

export interface PostingLine {
  /** Account code, e.g. 'revenue:parking', 'ar:water:ua:42' (opened on first use), 'clearing:stripe'. */
  account: string
  /** Signed cents: debit positive, credit negative. */
  amount: number
}

export interface NewEntry {
  /** Unique per money event; a replay with the same key returns the original entry. */
  key: string
  source: string
  sourceRef?: string | null
  description: string
  occurredAt: Date
  lines: PostingLine[]
  /** Set by reverseEntry only. */
  reverses?: number | null
}

export interface PostedEntry {
  entryId: number
  replayed: boolean
}

/** The content an idempotency key stands for; the same key with another body is a conflict. */
export function entryHash(entry: NewEntry): string {
  const lines = [...entry.lines]
    .map((l) => `${l.account}=${l.amount}`)
    .sort()
    .join(';')
  return createHash('sha256')
    .update(
      [
        entry.source,
        entry.sourceRef ?? '',
        entry.description,
        entry.occurredAt.toISOString(),
        entry.reverses ?? '',
        lines,
      ].join('\n'),
    )
    .digest('hex')
}

export function validateEntry(entry: NewEntry): void {
  if (entry.lines.length < 2) {
    throw new AppError('invalid', 'A journal entry needs at least two lines')
  }
  for (const line of entry.lines) {
    if (!Number.isSafeInteger(line.amount) || line.amount === 0) {
      throw new AppError('invalid', `Posting amounts are non-zero whole cents; got ${line.amount}`)
    }
  }
  const total = entry.lines.reduce((sum, l) => sum + l.amount, 0)
  if (total !== 0) {
    throw new AppError('invalid', `A journal entry must balance; its lines sum to ${total} cents`)
  }
}

/**
 * Posts one balanced entry in one round trip. Call it inside the transaction of the change that
 * moves the money. A replay of the key returns the original entry (one more round trip, only
 * then); the same key with another body is a conflict. The first use of an account code in a
 * process costs one more round trip, to learn its id.
 */
export async function postEntry(sql: Db, entry: NewEntry): Promise<PostedEntry> {
  validateEntry(entry)
  const hash = entryHash(entry)
  const ids = await knownAccountIds(sql, entry.lines.map((l) => l.account))
  const [written] = await (ids ? writeEntryById(sql, entry, hash, ids) : writeEntry(sql, entry, hash))
    .catch(rethrowLedgerError)
  if (written) {
    return { entryId: written.id, replayed: false }
  }
  const [existing]: [{ id: number; body_hash: string }?] = await sql`
    select id, body_hash from ledger.journal_entry where idempotency_key = ${entry.key}`
  if (!existing) {
    throw new Error(`journal entry ${entry.key} neither written nor found`)
  }
  if (existing.body_hash !== hash) {
    throw idempotencyConflict(entry.key)
  }
  return { entryId: existing.id, replayed: true }
}

/*
  Account ids by code, per pool and so per database. The key is the pool's notify function,
  which postgres.js shares with the pool's transactions and savepoints (they share nothing else
  that is public); were that ever to change, the cache would only miss, never mislead. An account is never deleted or renumbered (the database refuses both), so an
  id once known is right for the life of the database. Only accounts that are certainly
  committed are remembered: created by a transaction older than the oldest one still running
  when the lookup's snapshot was taken. A receivable this transaction (or one still in flight)
  has just opened is looked up again next time rather than remembered and then rolled back.
  Resolving codes in the write statement cost about a twentieth of the write rate in
  bench:ledger, which is what the plain-insert baseline does without.
*/
const accountIdsByDatabase = new WeakMap<Db['notify'], Map<string, number>>()

async function knownAccountIds(sql: Db, codes: string[]): Promise<number[] | null> {
  let known = accountIdsByDatabase.get(sql.notify)
  if (!known) {
    known = new Map()
    accountIdsByDatabase.set(sql.notify, known)
  }
  const missing = codes.filter((code) => !known.has(code))
  if (missing.length > 0) {
    const rows = await sql<{ code: string; id: number }[]>`
      select code, id from ledger.account
       where code = any(${missing}::text[])
         and age(xmin) > age(pg_snapshot_xmin(pg_current_snapshot())::xid)`
    for (const row of rows) {
      known.set(row.code, row.id)
    }
  }
  const ids: number[] = []
  for (const code of codes) {
    const id = known.get(code)
    if (id === undefined) {
      return null
    }
    ids.push(id)
  }
  return ids
}

/*
  The write itself, one statement. It checks the lines again before anything is written (as many
  accounts as amounts, none zero, summing to zero) and writes an entry whose lines pass sealed,
  under the ledger's statement mark, so that neither the posting guard nor the commit-time check
  runs for it. The check is scalar, over the first four lines: a subquery summing any number of
  lines cost a twentieth of the write rate in bench:ledger. Entries of more lines, lines that fail
  (validateEntry lets none through) and reversals are written unsealed and left to the commit-time
  check, which refuses an unbalanced entry and proves a reversal the negation of its original.

  A prepared statement rather than a PL/pgSQL function, whose call layer cost another twentieth.
  Written with numbered parameters so that each array is sent and parsed once however often the
  statement reads it: every extra array parameter cost about a hundredth. Its row estimates do
  not depend on the arrays, so PostgreSQL settles on the cached generic plan. $7 holds the lines'
  accounts: ids when all are known, else codes, resolved here (opening a receivable on first use).
*/
function entryCtes(accounts: 'bigint[]' | 'text[]', account: string): string {
  return `
  mark as materialized (
    select sealed,
           case when sealed
                then set_config('ledger.own_statement', statement_timestamp()::text, true)
           end as mark
      from (select coalesce(cardinality($7::${accounts}) = cardinality($8::bigint[])
                            and cardinality($8::bigint[]) between 2 and 4
                            and array_position($8::bigint[], 0::bigint) is null
                            and array_position($8::bigint[], null::bigint) is null
                            and ($8::bigint[])[1] + ($8::bigint[])[2]
                                + coalesce(($8::bigint[])[3], 0) + coalesce(($8::bigint[])[4], 0) = 0
                            and $9::bigint is null, false) as sealed) checked
  ), entry as (
    insert into ledger.journal_entry
      (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses, sealed)
    select $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz, $9::bigint,
           mark.sealed
      from mark
    on conflict (idempotency_key) do nothing
    returning id
  ), lines as (
    insert into ledger.posting (entry_id, account_id, amount, tx)
    select entry.id, ${account}, ($8::bigint[])[i], pg_current_xact_id()::text::bigint
      from entry, generate_subscripts($8::bigint[], 1) i
  )`
}

const BY_ID = entryCtes('bigint[]', '($7::bigint[])[i]')
// coalesce opens a receivable only for a code with no account yet
const BY_CODE = entryCtes(
  'text[]',
  `coalesce((select a.id from ledger.account a where a.code = ($7::text[])[i]),
                    ledger.open_receivable(($7::text[])[i]))`,
)
const WRITE_BY_ID = `with ${BY_ID}
  select id from entry`
const WRITE_BY_CODE = `with ${BY_CODE}
  select id from entry`

/** The entry's write as the opening of another statement: see entryStatement. */
export interface EntryStatement {
  /** The entry's common table expressions (mark, entry, lines): the caller's WITH begins with them. */
  ctes: string
  /** $1 to $9; the caller numbers its own parameters from $10. */
  params: postgres.ParameterOrJSON<never>[]
}

/**
 * The entry's write, checked and sealed as postEntry writes it, to open a caller's own statement
 * ('with ' + ctes + ', mine as (...) select ...'), so that a change and the money it moves commit
 * in one statement, without a transaction's round trips. The caller's CTEs follow and may read
 * entry (the new entry's id). A key used before writes nothing here (entry is empty): the
 * caller's statement must refuse a replay by its own unique key.
 */
export async function entryStatement(sql: Db, entry: NewEntry): Promise<EntryStatement> {
  validateEntry(entry)
  const hash = entryHash(entry)
  const ids = await knownAccountIds(sql, entry.lines.map((l) => l.account))
  return ids
    ? { ctes: BY_ID, params: writeParams(entry, hash, ids) }
    : { ctes: BY_CODE, params: writeParams(entry, hash, entry.lines.map((l) => l.account)) }
}

function writeParams(entry: NewEntry, hash: string, accounts: string[] | number[]) {
  const params = [
    entry.key,
    hash,
    entry.source,
    entry.sourceRef ?? null,
    entry.description,
    entry.occurredAt.toISOString(),
    accounts,
    entry.lines.map((l) => l.amount),
    entry.reverses ?? null,
  ]
  return params as postgres.ParameterOrJSON<never>[]
}

function writeEntryById(sql: Db, entry: NewEntry, hash: string, ids: number[]) {
  return sql.unsafe<{ id: number }[]>(WRITE_BY_ID, writeParams(entry, hash, ids), { prepare: true })
}

/** The write by account code, without validateEntry: exported for the database tests. */
export function writeEntry(sql: Db, entry: NewEntry, hash: string) {
  const codes = entry.lines.map((l) => l.account)
  return sql.unsafe<{ id: number }[]>(WRITE_BY_CODE, writeParams(entry, hash, codes), {
    prepare: true,
  })
}

function idempotencyConflict(key: string): AppError {
  return new AppError(
    'idempotency_conflict',
    `Idempotency key ${key} was already used for a different entry`,
  )
}

/** The ledger's own SQL errors as the API's: a used key (P0409), a code naming no account (P0404). */
export function rethrowLedgerError(err: unknown): never {
  if (err instanceof Error && 'code' in err) {
    if (err.code === 'P0409') {
      throw new AppError('idempotency_conflict', err.message)
    }
    // a code that names no account and no receivable that could be opened
    if (err.code === 'P0404') {
      throw new AppError('invalid', `There is ${err.message}`)
    }
  }
  throw err
}

/** Receivable account codes: per utility account (billed with its cycle) or per customer. */
export const receivable = {
  ofUtilityAccount: (fund: string, utilityAccountId: number) => `ar:${fund}:ua:${utilityAccountId}`,
  ofCustomer: (fund: string, customerId: number) => `ar:${fund}:cu:${customerId}`,
}
