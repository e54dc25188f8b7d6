import type { Db } from '../../db/connect.ts'
import { notFound } from '../http/errors.ts'
import type { Balances } from './schemas.ts'

export type { Balances }

/**
 * An account's balance in cents: its rolled-up balance plus the postings since the roll-up's
 * watermark (ledger.account_balances), exact whether or not the roll-up has run.
 */
export async function accountBalance(sql: Db, code: string): Promise<number> {
  const [row]: [{ balance: number | null }?] = await sql`
    select (select b.balance from ledger.account_balances(array[a.id]) b) as balance
      from ledger.account a
     where a.code = ${code}`
  if (!row) {
    throw notFound(`Ledger account ${code}`)
  }
  return row.balance ?? 0
}

/**
 * What a customer owes per fund: their own receivables and those of the utility accounts they
 * hold (cis.account_holder).
 */
export async function customerBalances(sql: Db, customerId: number): Promise<Balances> {
  const [customer]: [{ id: number }?] = await sql`
    select id from cis.customer where id = ${customerId}`
  if (!customer) {
    throw notFound('Customer')
  }
  const rows = await sql<{ fund: string; balance: number }[]>`
    select ac.fund::text as fund, coalesce(sum(b.balance), 0)::bigint as balance
      from ledger.customer_accounts(${customerId}) ac
      left join ledger.account_balances(array(
        select account_id from ledger.customer_accounts(${customerId}))) b
        on b.account_id = ac.account_id
     group by ac.fund
     order by ac.fund`
  return summarise(rows.map((r) => [r.fund, r.balance]))
}

export function summarise(amounts: Iterable<[fund: string, cents: number]>): Balances {
  const byFund: Record<string, number> = {}
  let total = 0
  for (const [fund, cents] of amounts) {
    byFund[fund] = (byFund[fund] ?? 0) + cents
    total += cents
  }
  return { byFund, total }
}
