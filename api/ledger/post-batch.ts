import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Tx } from '../../db/connect.ts'
import { copyText } from '../../db/copy-text.ts'
import {
  entryHash,
  rethrowLedgerError,
  validateEntry,
  type NewEntry,
  type PostedEntry,
} from './post.ts'

/**
 * Posts many balanced entries in a few statements (ledger.post_staged): the entries and their
 * lines are copied into the session's staging tables, checked there as a whole, and written
 * set-based. Same rules as postEntry: a key seen before with the same body is skipped (replayed),
 * with another body it is a conflict; receivables open on first use. Call it in the transaction
 * of the change. Reversals go through reverseEntry.
 */
export async function postEntries(tx: Tx, entries: NewEntry[]): Promise<PostedEntry[]> {
  for (const entry of entries) {
    validateEntry(entry)
    if (entry.reverses != null) {
      throw new Error('postEntries does not post reversals; use reverseEntry')
    }
  }
  if (entries.length === 0) {
    return []
  }
  await tx`select ledger.create_stage()`
  await copyRows(
    tx,
    tx`copy pg_temp.ledger_stage_entry
         (n, idempotency_key, body_hash, source, source_ref, description, occurred_at)
       from stdin`,
    entries.map((e, n) => [
      n,
      e.key,
      entryHash(e),
      e.source,
      e.sourceRef ?? null,
      e.description,
      e.occurredAt.toISOString(),
    ]),
  )
  await copyRows(
    tx,
    tx`copy pg_temp.ledger_stage_line (n, code, amount) from stdin`,
    entries.flatMap((e, n) => e.lines.map((l) => [n, l.account, l.amount])),
  )
  return postStaged(tx)
}

/** Posts what the session's staging tables hold; see ledger.post_staged. */
export async function postStaged(tx: Tx): Promise<PostedEntry[]> {
  const rows = await tx<{ n: number; entry_id: number; replayed: boolean }[]>`
    select n, entry_id, replayed from ledger.post_staged()`.catch(rethrowLedgerError)
  return rows.map((r) => ({ entryId: r.entry_id, replayed: r.replayed }))
}

type Cell = string | number | null

/** Streams rows into COPY in its text format, in chunks so memory stays flat. */
async function copyRows(
  tx: Tx,
  query: ReturnType<Tx>,
  rows: Cell[][],
): Promise<void> {
  const stream = await query.writable()
  const CHUNK = 5_000
  for (let i = 0; i < rows.length; i += CHUNK) {
    const text = rows
      .slice(i, i + CHUNK)
      .map((row) => row.map(copyCell).join('\t') + '\n')
      .join('')
    if (!stream.write(text)) {
      await once(stream, 'drain')
    }
  }
  stream.end()
  await finished(stream)
}

function copyCell(v: Cell): string {
  return v === null ? '\\N' : copyText(String(v))
}
