import { createHash } from 'node:crypto'
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
 * Posts one balanced entry in one round trip (ledger.post_entry). Call it inside the transaction
 * of the change that moves the money. ledger.post_entry checks the lines again as it writes them
 * and seals the entry, so nothing can be added to it later.
 */
export async function postEntry(sql: Db, entry: NewEntry): Promise<PostedEntry> {
  validateEntry(entry)
  let rows: { entry_id: number; replayed: boolean }[]
  try {
    rows = await sql<{ entry_id: number; replayed: boolean }[]>`
      select entry_id, replayed from ledger.post_entry(
        ${entry.key}, ${entryHash(entry)}, ${entry.source}, ${entry.sourceRef ?? null},
        ${entry.description}, ${entry.occurredAt}, ${entry.lines.map((l) => l.account)}::text[],
        ${entry.lines.map((l) => l.amount)}::bigint[], ${entry.reverses ?? null}
      )`
  } catch (err) {
    if (err instanceof Error && 'code' in err) {
      if (err.code === 'P0409') {
        throw new AppError(
          'idempotency_conflict',
          `Idempotency key ${entry.key} was already used for a different entry`,
        )
      }
      // a code that names no account and no receivable that could be opened
      if (err.code === 'P0404') {
        throw new AppError('invalid', `There is ${err.message}`)
      }
    }
    throw err
  }
  const [row] = rows
  if (!row) {
    throw new Error('ledger.post_entry returned nothing')
  }
  return { entryId: row.entry_id, replayed: row.replayed }
}

/** Receivable account codes: per utility account (billed with its cycle) or per customer. */
export const receivable = {
  ofUtilityAccount: (fund: string, utilityAccountId: number) => `ar:${fund}:ua:${utilityAccountId}`,
  ofCustomer: (fund: string, customerId: number) => `ar:${fund}:cu:${customerId}`,
}
