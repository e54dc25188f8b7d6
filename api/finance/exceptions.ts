import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { postEntry, type PostingLine } from '../ledger/post.ts'

export type ExceptionKind =
  | 'payout_mismatch'
  | 'payout_item_unmatched'
  | 'cash_over_short'
  | 'deposit_mismatch'
  | 'cycle_line_rejected'
  | 'close_mismatch'
  | 'cis_payment_unmatched'

export interface NewException {
  /** Names the problem, so a job that finds it again raises it once: e.g. `payout:po_1:mismatch`. */
  key: string
  kind: ExceptionKind
  summary: string
  amountCents?: number | null
  /** What finance needs to judge it: ids, amounts, the lines that disagree. */
  evidence: Record<string, unknown>
}

export interface FinanceException {
  id: number
  key: string
  kind: ExceptionKind
  summary: string
  amount_cents: number | null
  evidence: Record<string, unknown>
  status: 'open' | 'resolved'
  owner_id: number | null
  owner_name: string | null
  resolution_note: string | null
  resolved_entry_id: number | null
  resolved_by: number | null
  resolved_at: Date | null
  created_at: Date
}

/** Raises an exception for finance unless one with its key exists; returns its id either way. */
export async function raiseException(sql: Db, e: NewException): Promise<number> {
  const [row]: [{ id: number }] = (await sql`
    insert into finance.exception (key, kind, summary, amount_cents, evidence)
    values (${e.key}, ${e.kind}, ${e.summary}, ${e.amountCents ?? null}, ${sql.json(e.evidence as never)})
    on conflict (key) do update set key = excluded.key
    returning id`) as never
  return row.id
}

const SELECT = (sql: Db) => sql`
  select x.*, u.display_name as owner_name
    from finance.exception x left join app.user_account u on u.id = x.owner_id`

export async function listExceptions(
  sql: Db,
  filter: { status?: 'open' | 'resolved'; kind?: ExceptionKind; limit: number },
): Promise<FinanceException[]> {
  return sql<FinanceException[]>`
    ${SELECT(sql)}
     where (${filter.status ?? null}::text is null or x.status = ${filter.status ?? null})
       and (${filter.kind ?? null}::text is null or x.kind = ${filter.kind ?? null})
     order by x.status, x.created_at desc, x.id desc
     limit ${filter.limit}`
}

export async function exceptionById(sql: Db, id: number): Promise<FinanceException> {
  const [row] = await sql<FinanceException[]>`${SELECT(sql)} where x.id = ${id}`
  if (!row) {
    throw notFound('Exception')
  }
  return row
}

export async function assignException(sql: Db, principal: Principal, id: number, ownerId: number | null): Promise<FinanceException> {
  return inTransaction(sql, async (tx) => {
    const before = await lockOpen(tx, id)
    if (ownerId !== null) {
      const [owner] = await tx`
        select 1 from app.user_account where id = ${ownerId} and role in ('finance', 'admin') and disabled_at is null`
      if (!owner) {
        throw new AppError('invalid', 'The owner must be an active finance or admin user', [
          { field: 'body.ownerId', message: 'Not a finance or admin user' },
        ])
      }
    }
    await tx`update finance.exception set owner_id = ${ownerId} where id = ${id}`
    await writeAudit(tx, principal, {
      action: 'finance.exception.assign',
      entity: 'finance.exception',
      entityId: id,
      before: { ownerId: before.owner_id },
      after: { ownerId },
    })
    return exceptionById(tx, id)
  })
}

export interface Resolution {
  note: string
  /** An adjusting entry that settles it (e.g. over/short written off), posted with the resolution. */
  entry?: { description: string; lines: PostingLine[] }
}

/**
 * Resolves an exception with a note and, when the fix moves money, the balanced entry that does
 * it, in one transaction: the exception points at its entry, and resolving twice is refused.
 */
export async function resolveException(
  sql: Db,
  principal: Principal,
  id: number,
  resolution: Resolution,
  now = new Date(),
): Promise<FinanceException> {
  return inTransaction(sql, async (tx) => {
    await lockOpen(tx, id)
    let entryId: number | null = null
    if (resolution.entry) {
      const codes = resolution.entry.lines.map((l) => l.account)
      const known = await tx<{ code: string }[]>`select code from ledger.account where code = any(${codes})`
      const missing = codes.filter((c) => !known.some((k) => k.code === c))
      if (missing.length > 0) {
        throw new AppError('invalid', `No such ledger account: ${missing.join(', ')}`, [
          { field: 'body.entry.lines', message: `Unknown account ${missing[0]}` },
        ])
      }
      const posted = await postEntry(tx, {
        key: `finance.exception:${id}:resolution`,
        source: 'finance',
        sourceRef: `exception:${id}`,
        description: resolution.entry.description,
        occurredAt: now,
        lines: resolution.entry.lines,
      })
      entryId = posted.entryId
    }
    await tx`
      update finance.exception
         set status = 'resolved', resolution_note = ${resolution.note}, resolved_entry_id = ${entryId},
             resolved_by = ${principal.kind === 'user' ? principal.userId : null}, resolved_at = ${now}
       where id = ${id}`
    await writeAudit(tx, principal, {
      action: 'finance.exception.resolve',
      entity: 'finance.exception',
      entityId: id,
      after: { note: resolution.note, entryId },
    })
    return exceptionById(tx, id)
  })
}

async function lockOpen(sql: Db, id: number): Promise<FinanceException> {
  const [row] = await sql<FinanceException[]>`select * from finance.exception where id = ${id} for update`
  if (!row) {
    throw notFound('Exception')
  }
  if (row.status === 'resolved') {
    throw new AppError('conflict', 'This exception is resolved already')
  }
  return row
}
