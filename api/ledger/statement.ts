import type { Db } from '../../db/connect.ts'
import { notFound } from '../http/errors.ts'
import { summarise, type Balances } from './balances.ts'

export interface StatementPeriod {
  /** First day, YYYY-MM-DD in the city time zone; from the first posting when absent. */
  from?: string
  /** Last day (inclusive), YYYY-MM-DD in the city time zone; up to now when absent. */
  to?: string
  timeZone?: string
}

export interface StatementLine {
  entryId: number
  postingId: number
  occurredAt: string
  description: string
  fund: string
  accountCode: string
  utilityAccountNumber: string | null
  amount: number
  runningBalance: number
}

export interface Statement {
  customerId: number
  from: string | null
  to: string | null
  openingBalance: number
  lines: StatementLine[]
  totals: Balances
  closingBalance: number
}

export const CITY_TIME_ZONE = 'America/New_York'

// The opening row has nulls where the others have a posting's details.
interface LineRow {
  opening: boolean
  entry_id: number
  posting_id: number
  occurred_at: Date
  description: string
  fund: string
  code: string
  utility_account_number: string | null
  amount: number
}

/**
 * A customer's ledger lines over a period: their own receivables and those of the utility accounts
 * they hold, in the order things happened, with a running balance that starts from everything
 * before the period.
 */
export async function customerStatement(
  sql: Db,
  customerId: number,
  period: StatementPeriod = {},
): Promise<Statement> {
  const zone = period.timeZone ?? CITY_TIME_ZONE
  const from = period.from ?? null
  const to = period.to ?? null
  // one pass over the customer's postings: the first row sums everything before the period
  const rows = await sql<LineRow[]>`
    with period as (
      select (${from}::date)::timestamp at time zone ${zone} as starts,
             (${to}::date + 1)::timestamp at time zone ${zone} as ends
    ), posted as materialized (
      select e.id as entry_id, p.id as posting_id, e.occurred_at,
             coalesce(p.memo, e.description) as description,
             ac.fund::text as fund, ac.code, ac.utility_account_number, p.amount,
             coalesce(e.occurred_at < period.starts, false) as before
        from period, ledger.customer_accounts(${customerId}) ac
        join ledger.posting p on p.account_id = ac.account_id
        join ledger.journal_entry e on e.id = p.entry_id
       where e.occurred_at < coalesce(period.ends, 'infinity')
    )
    select true as opening, null::bigint as entry_id, null::bigint as posting_id,
           null::timestamptz as occurred_at, null::text as description, null::text as fund,
           null::text as code, null::text as utility_account_number,
           coalesce(sum(amount), 0)::bigint as amount
      from posted where before
    union all
    select false, entry_id, posting_id, occurred_at, description, fund, code,
           utility_account_number, amount
      from posted where not before
    order by opening desc, occurred_at, entry_id, posting_id`
  const [opening, ...periodRows] = rows
  const openingBalance = opening?.amount ?? 0
  if (periodRows.length === 0 && openingBalance === 0) {
    const [customer]: [{ id: number }?] = await sql`
      select id from cis.customer where id = ${customerId}`
    if (!customer) {
      throw notFound('Customer')
    }
  }

  let running = openingBalance
  const lines = periodRows.map((r): StatementLine => {
    running += r.amount
    return {
      entryId: r.entry_id,
      postingId: r.posting_id,
      occurredAt: r.occurred_at.toISOString(),
      description: r.description,
      fund: r.fund,
      accountCode: r.code,
      utilityAccountNumber: r.utility_account_number,
      amount: r.amount,
      runningBalance: running,
    }
  })
  const totals = summarise(lines.map((l) => [l.fund, l.amount]))
  return {
    customerId,
    from,
    to,
    openingBalance,
    lines,
    totals,
    closingBalance: openingBalance + totals.total,
  }
}

const CSV_HEADER = [
  'date',
  'description',
  'fund',
  'account',
  'utility_account',
  'amount',
  'running_balance',
]

/** The statement's lines as CSV for a spreadsheet: local dates, amounts in dollars. */
export function statementCsv(statement: Statement, timeZone = CITY_TIME_ZONE): string {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const rows = statement.lines.map((l) => [
    day.format(new Date(l.occurredAt)),
    text(l.description),
    l.fund,
    text(l.accountCode),
    l.utilityAccountNumber ?? '',
    dollars(l.amount),
    dollars(l.runningBalance),
  ])
  return [CSV_HEADER, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'
}

/** 1234 -> '12.34', -5 -> '-0.05': whole cents, so no floating point on the way. */
export function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

// A spreadsheet runs a cell that starts with = + - @ as a formula; text never should.
function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}
