import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import { postEntry, type NewEntry, type PostedEntry } from './post.ts'

export interface Reversal {
  /** Idempotency key of the reversing entry; a replay returns the same reversal. */
  key: string
  description: string
  occurredAt: Date
}

interface OriginalRow {
  source: string
  source_ref: string | null
  reversed_by: number | null
  reversed_by_key: string | null
}

/**
 * Posts the negation of an entry, marked as its reversal. An entry is reversed at most once: a
 * second reversal under another key is a conflict (the database's unique index has the last word
 * when two race).
 */
export async function reverseEntry(
  sql: Db,
  entryId: number,
  reversal: Reversal,
): Promise<PostedEntry> {
  return inTransaction(sql, async (tx) => {
    const [original]: [OriginalRow?] = await tx`
      select e.source, e.source_ref, r.id as reversed_by, r.idempotency_key as reversed_by_key
        from ledger.journal_entry e
        left join ledger.journal_entry r on r.reverses = e.id
       where e.id = ${entryId}`
    if (!original) {
      throw notFound('Journal entry')
    }
    if (original.reversed_by !== null && original.reversed_by_key !== reversal.key) {
      throw alreadyReversed(entryId, original.reversed_by)
    }
    const lines = await tx<{ code: string; amount: number }[]>`
      select a.code, p.amount
        from ledger.posting p
        join ledger.account a on a.id = p.account_id
       where p.entry_id = ${entryId}
       order by p.id`
    const entry: NewEntry = {
      key: reversal.key,
      source: original.source,
      sourceRef: original.source_ref,
      description: reversal.description,
      occurredAt: reversal.occurredAt,
      lines: lines.map((l) => ({ account: l.code, amount: -l.amount })),
      reverses: entryId,
    }
    try {
      return await postEntry(tx, entry)
    } catch (err) {
      if (isUniqueViolation(err, 'journal_entry_reverses_key')) {
        throw alreadyReversed(entryId, null)
      }
      throw err
    }
  })
}

function alreadyReversed(entryId: number, reversedBy: number | null): AppError {
  const by = reversedBy === null ? '' : ` by entry ${reversedBy}`
  return new AppError(
    'conflict',
    `Journal entry ${entryId} has already been reversed${by}; an entry is reversed once`,
    { entryId, reversedBy },
  )
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    'code' in err &&
    err.code === '23505' &&
    'constraint_name' in err &&
    err.constraint_name === constraint
  )
}
