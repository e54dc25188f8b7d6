import type { Tx } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { entryHash, validateEntry, type NewEntry, type PostedEntry } from './post.ts'

/** Entries per statement: large enough to be set-based, small enough to keep parameters modest. */
const BATCH = 10_000

/**
 * Posts many balanced entries in a few statements per batch: entries inserted from arrays,
 * account codes resolved once (receivables opened on first use), postings inserted from arrays.
 * Same rules as postEntry: a key seen before with the same body is skipped (replayed), with
 * another body it is a conflict. Call it in the transaction of the change; the database checks
 * each entry's balance at commit.
 */
export async function postEntries(tx: Tx, entries: NewEntry[]): Promise<PostedEntry[]> {
  for (const entry of entries) {
    validateEntry(entry)
  }
  const results: PostedEntry[] = []
  const accounts = new Map<string, number>()
  for (let start = 0; start < entries.length; start += BATCH) {
    results.push(...(await postBatch(tx, entries.slice(start, start + BATCH), accounts)))
  }
  return results
}

async function postBatch(
  tx: Tx,
  entries: NewEntry[],
  accounts: Map<string, number>,
): Promise<PostedEntry[]> {
  const hashes = entries.map(entryHash)
  const inserted = await tx<{ id: number; idempotency_key: string }[]>`
    insert into ledger.journal_entry
      (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses)
    select * from unnest(
      ${entries.map((e) => e.key)}::text[],
      ${hashes}::text[],
      ${entries.map((e) => e.source)}::text[],
      ${entries.map((e) => e.sourceRef ?? null)}::text[],
      ${entries.map((e) => e.description)}::text[],
      ${entries.map((e) => e.occurredAt.toISOString())}::timestamptz[],
      ${entries.map((e) => e.reverses ?? null)}::bigint[]
    )
    on conflict (idempotency_key) do nothing
    returning id, idempotency_key`
  const newIds = new Map(inserted.map((r) => [r.idempotency_key, r.id]))

  const seen = entries.filter((e) => !newIds.has(e.key)).map((e) => e.key)
  const prior = new Map<string, { id: number; body_hash: string }>()
  if (seen.length > 0) {
    const rows = await tx<{ id: number; idempotency_key: string; body_hash: string }[]>`
      select id, idempotency_key, body_hash from ledger.journal_entry
       where idempotency_key = any(${seen}::text[])`
    for (const r of rows) {
      prior.set(r.idempotency_key, r)
    }
  }

  const results: PostedEntry[] = []
  const fresh: { id: number; entry: NewEntry }[] = []
  // a key may repeat within the batch: its first occurrence gets the postings, the others replay it
  entries.forEach((entry, i) => {
    const id = newIds.get(entry.key)
    if (id !== undefined && !prior.has(entry.key)) {
      prior.set(entry.key, { id, body_hash: hashes[i] ?? '' })
      fresh.push({ id, entry })
      results.push({ entryId: id, replayed: false })
      return
    }
    const before = prior.get(entry.key)
    if (!before) {
      throw new Error(`journal entry ${entry.key} was neither inserted nor found`)
    }
    if (before.body_hash !== hashes[i]) {
      throw new AppError(
        'idempotency_conflict',
        `idempotency key ${entry.key} was used for a different entry`,
      )
    }
    results.push({ entryId: before.id, replayed: true })
  })
  if (fresh.length === 0) {
    return results
  }

  await resolveAccounts(tx, fresh, accounts)
  const entryIds: number[] = []
  const accountIds: number[] = []
  const amounts: number[] = []
  for (const { id, entry } of fresh) {
    for (const line of entry.lines) {
      entryIds.push(id)
      accountIds.push(accounts.get(line.account) ?? 0)
      amounts.push(line.amount)
    }
  }
  await tx`
    insert into ledger.posting (entry_id, account_id, amount)
    select * from unnest(${entryIds}::bigint[], ${accountIds}::bigint[], ${amounts}::bigint[])`
  return results
}

/** Account ids by code, opening receivables on first use as ledger.post_entry does. */
async function resolveAccounts(
  tx: Tx,
  fresh: { entry: NewEntry }[],
  accounts: Map<string, number>,
): Promise<void> {
  const unknown = new Set<string>()
  for (const { entry } of fresh) {
    for (const line of entry.lines) {
      if (!accounts.has(line.account)) {
        unknown.add(line.account)
      }
    }
  }
  if (unknown.size === 0) {
    return
  }
  const codes = [...unknown]
  // only codes with no account reach open_receivables, so known ones cost one index probe each
  await tx`
    select ledger.open_receivables(array(
      select c from unnest(${codes}::text[]) c
       where c like 'ar:%' and not exists (select 1 from ledger.account a where a.code = c)))`
  const rows = await tx<{ code: string; id: number | null }[]>`
    select c as code, (select a.id from ledger.account a where a.code = c) as id
      from unnest(${codes}::text[]) c`
  for (const r of rows) {
    if (r.id === null) {
      throw new AppError('invalid', `There is no ledger account ${r.code}`)
    }
    accounts.set(r.code, r.id)
  }
}
