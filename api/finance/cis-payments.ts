import { createHash } from 'node:crypto'
import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { receivable, type NewEntry } from '../ledger/post.ts'
import { postEntries } from '../ledger/post-batch.ts'
import { zonedInstant } from '../facilities/local-time.ts'
import { isDay } from './cycles.ts'
import { CIS_ID, centsOf, readCsvTable, rejectFile, type RowError } from './cycle-csv.ts'

/*
  The CIS payment extract: what customers paid on their utility bill against its parking charges.
  Each payment posts one entry, Dr cash:utility_payments / Cr the account's parking receivable (a
  negative amount, a reversal, the other way), keyed by the CIS transaction id, so the same payment
  posts once however often the extract comes. All or nothing per file.
*/

const IMPORT_LOCK = [74203, 2] as const
export const UTILITY_PAYMENTS = 'cash:utility_payments'

export interface CisPayment {
  id: number
  cisTransactionId: string
  utilityAccountId: number
  accountNumber: string
  amountCents: number
  paidOn: string
  reference: string | null
  entryId: number
  importedAt: Date
}

export interface PaymentImportResult {
  sha256: string
  rows: number
  posted: number
  unchanged: number
  postedCents: number
  entryIds: number[]
  /** Accounts these payments left paying more than their parking charges: each an exception. */
  overpaidAccounts: number
}

interface PaymentRow {
  line: number
  txId: string
  accountNumber: string
  paidOn: string
  amountCents: number
  reference: string | null
}

export async function importCisPayments(
  sql: Db,
  principal: Principal | null,
  text: string,
  timeZone: string,
): Promise<PaymentImportResult> {
  const { rows, errors } = readCsvTable(text, {
    required: ['cis_transaction_id', 'account_number', 'paid_on', 'amount'],
    optional: ['reference'],
  })
  const payments: PaymentRow[] = []
  const firstLine = new Map<string, number>()
  for (const { line, values } of rows) {
    const before = errors.length
    const txId = values.cis_transaction_id ?? ''
    const accountNumber = values.account_number ?? ''
    const paidOn = values.paid_on ?? ''
    const amountCents = centsOf(values.amount ?? '')
    const reference = values.reference || null
    if (!CIS_ID.test(txId)) {
      errors.push({
        line,
        field: 'cis_transaction_id',
        message: 'use 1 to 40 letters, digits, dots, dashes or underscores',
      })
    } else if (firstLine.has(txId)) {
      errors.push({
        line,
        field: 'cis_transaction_id',
        message: `${txId} appears twice in this file (also on line ${firstLine.get(txId)})`,
      })
    } else {
      firstLine.set(txId, line)
    }
    if (!/^\d{10}$/.test(accountNumber)) {
      errors.push({ line, field: 'account_number', message: 'an account number is 10 digits' })
    }
    if (!isDay(paidOn)) {
      errors.push({ line, field: 'paid_on', message: 'write dates as YYYY-MM-DD' })
    }
    if (amountCents === null) {
      errors.push({
        line,
        field: 'amount',
        message: 'write amounts as dollars with two decimals, e.g. 12.50 or -12.50',
      })
    } else if (amountCents === 0) {
      errors.push({ line, field: 'amount', message: 'a payment is not zero' })
    }
    if (reference && reference.length > 100) {
      errors.push({ line, field: 'reference', message: 'longer than 100 characters' })
    }
    if (errors.length === before && amountCents !== null) {
      payments.push({ line, txId, accountNumber, paidOn, amountCents, reference })
    }
  }
  const sha256 = createHash('sha256').update(text).digest('hex')
  return inTransaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(${IMPORT_LOCK[0]}, ${IMPORT_LOCK[1]})`
    const accounts = await tx<{ account_number: string; id: number }[]>`
      select account_number::text, id from cis.utility_account
       where account_number = any(${[...new Set(payments.map((p) => p.accountNumber))]}::text[])`
    const accountId = new Map(accounts.map((a) => [a.account_number, a.id]))
    const existing = await tx<
      {
        cis_transaction_id: string
        account_number: string
        amount_cents: number
        paid_on: string
        reference: string | null
      }[]
    >`
      select c.cis_transaction_id, u.account_number::text, c.amount_cents, c.paid_on::text, c.reference
        from finance.cis_payment c join cis.utility_account u on u.id = c.utility_account_id
       where c.cis_transaction_id = any(${payments.map((p) => p.txId)}::text[])`
    const before = new Map(existing.map((e) => [e.cis_transaction_id, e]))
    const fresh: (PaymentRow & { utilityAccountId: number })[] = []
    let unchanged = 0
    for (const p of payments) {
      const id = accountId.get(p.accountNumber)
      const was = before.get(p.txId)
      if (id === undefined) {
        errors.push({
          line: p.line,
          field: 'account_number',
          message: `There is no utility account ${p.accountNumber}`,
        })
      } else if (was) {
        const same =
          was.account_number === p.accountNumber &&
          was.amount_cents === p.amountCents &&
          was.paid_on === p.paidOn &&
          (was.reference ?? null) === p.reference
        if (same) {
          unchanged++
        } else {
          errors.push({
            line: p.line,
            field: 'cis_transaction_id',
            message: `${p.txId} was imported before with other values (account ${was.account_number}, ${was.paid_on}, ${was.amount_cents} cents); the CIS corrects a payment with a new transaction`,
          })
        }
      } else {
        fresh.push({ ...p, utilityAccountId: id })
      }
    }
    if (errors.length > 0) {
      throw rejectFile(errors)
    }
    const entries: NewEntry[] = fresh.map((p) => ({
      key: `cis-payment:${p.txId}`,
      source: 'cis',
      sourceRef: p.txId,
      description:
        p.amountCents > 0
          ? `Paid on the utility bill (CIS transaction ${p.txId})`
          : `Utility bill payment reversed (CIS transaction ${p.txId})`,
      occurredAt: new Date(zonedInstant(p.paidOn, 12 * 60, timeZone)),
      lines: [
        { account: UTILITY_PAYMENTS, amount: p.amountCents },
        {
          account: receivable.ofUtilityAccount('parking', p.utilityAccountId),
          amount: -p.amountCents,
        },
      ],
    }))
    const posted = await postEntries(tx, entries)
    if (fresh.length > 0) {
      await tx`
        insert into finance.cis_payment (cis_transaction_id, utility_account_id, amount_cents, paid_on, reference, entry_id)
        select * from unnest(${fresh.map((p) => p.txId)}::text[], ${fresh.map((p) => p.utilityAccountId)}::bigint[],
                             ${fresh.map((p) => p.amountCents)}::bigint[], ${fresh.map((p) => p.paidOn)}::date[],
                             ${fresh.map((p) => p.reference) as string[]}::text[], ${posted.map((e) => e.entryId)}::bigint[])`
    }
    const overpaid = fresh.length > 0 ? await raiseOverpaid(tx, fresh.map((p) => p.utilityAccountId), posted.map((e) => e.entryId)) : 0
    const result: PaymentImportResult = {
      sha256,
      overpaidAccounts: overpaid,
      rows: payments.length,
      posted: fresh.length,
      unchanged,
      postedCents: fresh.reduce((s, p) => s + p.amountCents, 0),
      entryIds: posted.map((e) => e.entryId),
    }
    await writeAudit(tx, principal, {
      action: 'finance.cis_payments.import',
      entity: 'finance.cis_payment',
      after: { ...result, entryIds: undefined },
    })
    return result
  })
}

/**
 * A payment the CIS applied to parking that the account did not owe (more than its parking
 * charges, or none at all) leaves its parking receivable in credit: finance must find out what
 * it was for. One exception per account and import, naming the payments; set-based, as the
 * balances are read in one call.
 */
async function raiseOverpaid(tx: Db, accountIds: number[], entryIds: number[]): Promise<number> {
  const raised = await tx`
    with receivable as (
      select a.id, a.utility_account_id, u.account_number::text as account_number
        from ledger.account a join cis.utility_account u on u.id = a.utility_account_id
       where a.fund = 'parking' and a.utility_account_id = any(${[...new Set(accountIds)]}::bigint[])
    ), credit as (
      select r.*, b.balance
        from receivable r
        join ledger.account_balances((select array_agg(id) from receivable)) b on b.account_id = r.id
       where b.balance < 0
    )
    insert into finance.exception (key, kind, summary, amount_cents, evidence)
    select 'cis-payment:overpaid:' || c.account_number || ':' || max(p.entry_id),
           'cis_payment_unmatched',
           format('Utility account %s paid $%s more on its bill than its parking charges',
                  c.account_number, to_char(-c.balance / 100.0, 'FM999999990.00')),
           c.balance,
           jsonb_build_object('accountNumber', c.account_number, 'receivableCents', c.balance,
                              'payments', jsonb_agg(jsonb_build_object(
                                'cisTransactionId', p.cis_transaction_id, 'amountCents', p.amount_cents,
                                'paidOn', p.paid_on, 'entryId', p.entry_id) order by p.entry_id))
      from credit c
      join finance.cis_payment p on p.utility_account_id = c.utility_account_id and p.entry_id = any(${entryIds}::bigint[])
     group by c.account_number, c.balance
    on conflict (key) do nothing
    returning id`
  return raised.length
}

export interface PaymentFilter {
  accountNumber?: string
  from?: string
  to?: string
  limit: number
}

/** Imported CIS payments, newest payment date first. */
export async function listCisPayments(sql: Db, f: PaymentFilter): Promise<CisPayment[]> {
  return sql<CisPayment[]>`
    select c.id, c.cis_transaction_id as "cisTransactionId", c.utility_account_id as "utilityAccountId",
           u.account_number::text as "accountNumber", c.amount_cents as "amountCents",
           c.paid_on::text as "paidOn", c.reference, c.entry_id as "entryId", c.imported_at as "importedAt"
      from finance.cis_payment c join cis.utility_account u on u.id = c.utility_account_id
     where (${f.accountNumber ?? null}::text is null or u.account_number = ${f.accountNumber ?? null})
       and (${f.from ?? null}::date is null or c.paid_on >= ${f.from ?? null})
       and (${f.to ?? null}::date is null or c.paid_on <= ${f.to ?? null})
     order by c.paid_on desc, c.id desc
     limit ${f.limit}`
}

export type { RowError }
