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
 * then); the same key with another body is a conflict.
 */
export async function postEntry(sql: Db, entry: NewEntry): Promise<PostedEntry> {
  validateEntry(entry)
  const hash = entryHash(entry)
  const [written] = await writeEntry(sql, entry, hash).catch(rethrowLedgerError())
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
  The write itself, one statement. It checks the lines again before anything is written (as many
  codes as amounts, none zero, summing to zero) and writes an entry whose lines pass sealed,
  under the ledger's statement mark, so that neither the posting guard nor the commit-time check
  runs for it. The check is scalar, over the first four lines: a subquery summing any number of
  lines cost a twentieth of the write rate in bench:ledger. Entries of more lines, lines that fail
  (validateEntry lets none through) and reversals are written unsealed and left to the commit-time
  check, which refuses an unbalanced entry and proves a reversal the negation of its original.

  A prepared statement rather than a PL/pgSQL function, whose call layer cost another twentieth.
  Written with numbered parameters so that each array is sent and parsed once however often the
  statement reads it: every extra array parameter cost about a hundredth. Its row estimates do
  not depend on the arrays, so PostgreSQL settles on the cached generic plan.
*/
const WRITE_ENTRY = `
  with mark as materialized (
    select sealed,
           case when sealed
                then set_config('ledger.own_statement', statement_timestamp()::text, true)
           end as mark
      from (select coalesce(cardinality($7::text[]) = cardinality($8::bigint[])
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
    -- coalesce opens a receivable only for a code with no account yet
    insert into ledger.posting (entry_id, account_id, amount, tx)
    select entry.id,
           coalesce((select a.id from ledger.account a where a.code = ($7::text[])[i]),
                    ledger.open_receivable(($7::text[])[i])),
           ($8::bigint[])[i], pg_current_xact_id()::text::bigint
      from entry, generate_subscripts($8::bigint[], 1) i
  )
  select id from entry`

/** The write alone, without validateEntry: exported for the database tests. */
export function writeEntry(sql: Db, entry: NewEntry, hash: string): Promise<{ id: number }[]> {
  const params = [
    entry.key,
    hash,
    entry.source,
    entry.sourceRef ?? null,
    entry.description,
    entry.occurredAt.toISOString(),
    entry.lines.map((l) => l.account),
    entry.lines.map((l) => l.amount),
    entry.reverses ?? null,
  ]
  return sql.unsafe<{ id: number }[]>(WRITE_ENTRY, params as postgres.ParameterOrJSON<never>[], {
    prepare: true,
  })
}

function idempotencyConflict(key: string): AppError {
  return new AppError(
    'idempotency_conflict',
    `Idempotency key ${key} was already used for a different entry`,
  )
}

function rethrowLedgerError() {
  return (err: unknown): never => {
    // a code that names no account and no receivable that could be opened
    if (err instanceof Error && 'code' in err && err.code === 'P0404') {
      throw new AppError('invalid', `There is ${err.message}`)
    }
    throw err
  }
}

/** Receivable account codes: per utility account (billed with its cycle) or per customer. */
export const receivable = {
  ofUtilityAccount: (fund: string, utilityAccountId: number) => `ar:${fund}:ua:${utilityAccountId}`,
  ofCustomer: (fund: string, customerId: number) => `ar:${fund}:cu:${customerId}`,
}
