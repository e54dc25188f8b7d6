import type { Db } from '../../../db/connect.ts'

let counter = 0

export interface BillFixture {
  billId?: string
  billDate: string
  /** Cents per service line, e.g. { water: 4210, sewer: 3890 }. */
  charges: Record<string, number>
}

export interface UtilityAccountFixture {
  accountNumber?: string
  zip?: string
  address?: string
  billCycle?: number
  status?: 'active' | 'inactive' | 'closed'
  /** Active service agreements. */
  services?: string[]
  bills?: BillFixture[]
  /** A customer who holds the account on the CIS's own records. */
  holder?: { customerId: number; relationship: 'primary' | 'co_holder' | 'linked' }
}

export interface UtilityAccountMade {
  id: number
  accountNumber: string
  zip: string
  premiseId: number
}

/** A premise, a utility account on it, its service agreements and bills, as the CIS would send. */
export async function makeUtilityAccount(
  sql: Db,
  input: UtilityAccountFixture = {},
): Promise<UtilityAccountMade> {
  const n = ++counter
  const tag = `${process.pid}-${n}`
  const accountNumber =
    input.accountNumber ?? String(4_000_000_000 + ((process.pid * 1000 + n) % 1_000_000_000))
  const zip = input.zip ?? '02139'
  const [premise]: [{ id: number }?] = await sql`
    insert into cis.premise (cis_premise_id, address, city, state, zip)
    values (${`P-${tag}`}, ${input.address ?? `${n} Main Street`}, 'Springfield', 'MA', ${zip})
    returning id`
  if (!premise) {
    throw new Error('premise insert returned nothing')
  }
  const cycle = input.billCycle ?? 7
  const [account]: [{ id: number }?] = await sql`
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    values (${accountNumber}, ${premise.id}, ${cycle}, ${input.status ?? 'active'}, '2020-01-01')
    returning id`
  if (!account) {
    throw new Error('utility account insert returned nothing')
  }
  for (const [i, service] of (input.services ?? []).entries()) {
    await sql`
      insert into cis.service_agreement
        (cis_agreement_id, utility_account_id, service, status, start_on)
      values (${`SA-${tag}-${i}`}, ${account.id}, ${service}, 'active', '2020-01-01')`
  }
  for (const [i, bill] of (input.bills ?? []).entries()) {
    const lines = Object.entries(bill.charges).sort(([a], [b]) => (a < b ? -1 : 1))
    await sql`
      insert into cis.bill
        (bill_id, utility_account_id, bill_date, bill_cycle, services, amounts, total_cents,
         import_id)
      values (${bill.billId ?? `B-${tag}-${i}`}, ${account.id}, ${bill.billDate}, ${cycle},
              ${lines.map(([service]) => service)}::cis.service[],
              ${lines.map(([, cents]) => cents)}::bigint[],
              ${lines.reduce((sum, [, cents]) => sum + cents, 0)}, 1)`
  }
  if (input.holder) {
    await sql`
      insert into cis.account_holder (customer_id, utility_account_id, relationship)
      values (${input.holder.customerId}, ${account.id}, ${input.holder.relationship})`
  }
  return { id: account.id, accountNumber, zip, premiseId: premise.id }
}
