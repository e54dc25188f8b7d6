import type { Db } from '../../db/connect.ts'
import { csvLine } from '../cis/csv.ts'
import { dollars } from '../ledger/statement.ts'

export const GL_COLUMNS = [
  'date', 'entry_id', 'reference', 'fund', 'account_code', 'account_name', 'account_type',
  'description', 'debit', 'credit', 'prior_period',
] as const

interface GlRow {
  day: string
  entry_id: number
  reference: string
  fund: string
  code: string
  name: string
  type: string
  description: string
  amount: number
  prior_period: boolean
}

/**
 * The GL journal for business days from..to, one line per posting: date (the business day it
 * closed in), the entry and its reference, fund, account, debit or credit. Yields the file in
 * chunks read by cursor, so a month at city scale streams instead of sitting in memory.
 */
export async function* glJournalCsv(sql: Db, from: string, to: string): AsyncGenerator<string> {
  yield csvLine([...GL_COLUMNS])
  const cursor = sql<GlRow[]>`
    select to_char(e.business_day, 'YYYY-MM-DD') as day, e.id as entry_id,
           e.source || ':' || coalesce(e.source_ref, e.idempotency_key) as reference,
           a.fund::text as fund, a.code, a.name, a.type::text as type, e.description, p.amount, e.prior_period
      from ledger.journal_entry e
      join ledger.posting p on p.entry_id = e.id
      join ledger.account a on a.id = p.account_id
     where e.business_day between ${from} and ${to}
     order by e.business_day, e.id, p.id`.cursor(2000)
  for await (const rows of cursor) {
    let chunk = ''
    for (const r of rows) {
      chunk += csvLine([
        r.day, r.entry_id, r.reference, r.fund, r.code, r.name, r.type, r.description,
        // no sign: the column says which
        r.amount > 0 ? dollars(r.amount) : '', r.amount < 0 ? dollars(-r.amount) : '', r.prior_period ? 'Y' : 'N',
      ])
    }
    yield chunk
  }
}

export interface FundRevenue {
  fund: string
  revenueCents: number
}

/** Revenue per fund for business days from..to, as the ledger has it: what a GL export must add up to. */
export async function revenueByFund(sql: Db, from: string, to: string): Promise<FundRevenue[]> {
  return sql<FundRevenue[]>`
    select a.fund::text as fund, (-sum(p.amount))::bigint as "revenueCents"
      from ledger.journal_entry e
      join ledger.posting p on p.entry_id = e.id
      join ledger.account a on a.id = p.account_id
     where e.business_day between ${from} and ${to} and a.type = 'revenue'
     group by 1 order by 1`
}
