import type { Db } from '../../db/connect.ts'

export interface RollUp {
  /** Postings of transactions below this id are now in ledger.account_balance. */
  watermark: number
  /** Accounts whose rolled-up balance moved. */
  accounts: number
}

/**
 * Folds the postings of every finished transaction into the rolled-up balances
 * (ledger.roll_up_balances). Reads are exact without it; it keeps them O(1) by bounding the
 * postings a read adds. Null when another process is rolling up at the same moment.
 */
export async function rollUpBalances(sql: Db): Promise<RollUp | null> {
  const [row] = await sql<RollUp[]>`
    select watermark, accounts from ledger.roll_up_balances()`
  return row ?? null
}
