import type { Db } from '../../../db/connect.ts'

let next = Math.floor(Math.random() * 1_000_000)

export interface UtilityAccount {
  id: number
  accountNumber: string
}

/** A customer as the CIS would send one, by plain inserts into cis.*. */
export async function makeCustomer(sql: Db, name = `Customer ${++next}`): Promise<number> {
  const [row]: [{ id: number }?] = await sql`
    insert into cis.customer (cis_customer_id, name) values (${`C${++next}`}, ${name}) returning id`
  if (!row) {
    throw new Error('no customer inserted')
  }
  return row.id
}

/** A utility account at a new premise, held by the given customers (the first is primary). */
export async function makeUtilityAccount(sql: Db, holders: number[]): Promise<UtilityAccount> {
  const n = ++next
  const accountNumber = String(n).padStart(10, '0')
  const [row]: [{ id: number }?] = await sql`
    with premise as (
      insert into cis.premise (cis_premise_id, address, city, state, zip)
      values (${`P${n}`}, ${`${n % 900} Main St`}, 'Springfield', 'VA', '22150')
      returning id
    )
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    select ${accountNumber}, premise.id, ${(n % 21) + 1}, 'active', '2020-01-01' from premise
    returning id`
  if (!row) {
    throw new Error('no utility account inserted')
  }
  for (const [i, customerId] of holders.entries()) {
    await sql`
      insert into cis.account_holder (customer_id, utility_account_id, relationship)
      values (${customerId}, ${row.id}, ${i === 0 ? 'primary' : 'co_holder'})`
  }
  return { id: row.id, accountNumber }
}

/** Sum of every account's balance and of all postings: both are zero in a balanced ledger. */
export async function trialBalance(sql: Db): Promise<{ balances: number; postings: number }> {
  const [row]: [{ balances: number; postings: number }?] = await sql`
    select (select coalesce(sum(balance), 0)
              from ledger.account_balances(array(select id from ledger.account)))::bigint
             as balances,
           (select coalesce(sum(amount), 0) from ledger.posting)::bigint as postings`
  return row ?? { balances: Number.NaN, postings: Number.NaN }
}

interface Mismatch {
  code: string
  balance: number
  postings: number
}

/** Accounts whose balance (rolled up plus since the watermark) is not the sum of their postings. */
export async function balanceMismatches(sql: Db): Promise<Mismatch[]> {
  return sql<Mismatch[]>`
    select a.code, b.balance, coalesce(p.total, 0)::bigint as postings
      from ledger.account a
      join ledger.account_balances(array(select id from ledger.account)) b on b.account_id = a.id
      left join (select account_id, sum(amount) as total from ledger.posting group by 1) p
        on p.account_id = a.id
     where b.balance <> coalesce(p.total, 0)`
}
