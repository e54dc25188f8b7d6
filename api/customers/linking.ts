import type { Db } from '../../db/connect.ts'
import { inTransaction } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import { listUtilityAccounts } from './customers.ts'
import { isStaff, type ChangedBy } from './vehicles.ts'
import type { UtilityAccountView } from './schemas.ts'

/** Failed tries per account number that lock linking, and how long the window and lock last. */
export const LINK_MAX_FAILURES = 5
export const LINK_WINDOW_MINUTES = 15

export const LINK_MISMATCH_MESSAGE = 'Those details do not match a utility account'

export interface LinkRequest {
  customerId: number
  userId: number
  ip: string | null
  accountNumber: string
  zip: string
  lastBillAmountCents: number
}

export interface Linked {
  account: UtilityAccountView
  /** False when the customer already held or had linked the account. */
  created: boolean
}

type Outcome =
  | { kind: 'linked' | 'already_linked'; utilityAccountId: number }
  | { kind: 'mismatch' }
  | { kind: 'locked'; retryAfter: number }

/**
 * Links a utility account to a driver's customer record once they show three facts from their
 * bill: the account number, the service ZIP and the last bill's total. Every try is recorded;
 * too many failures for one account number lock it for everyone, and a failure never says
 * which fact was wrong.
 */
export async function linkUtilityAccount(sql: Db, input: LinkRequest): Promise<Linked> {
  const outcome = await inTransaction(sql, async (tx): Promise<Outcome> => {
    // one try at a time per account number, so parallel guesses cannot slip past the count
    const lockKey = `cis.link:${input.accountNumber}`
    await tx`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`
    const retryAfter = await lockedFor(tx, input.accountNumber)
    let result: Outcome
    if (retryAfter !== null) {
      result = { kind: 'locked', retryAfter }
    } else {
      const utilityAccountId = await matchingAccount(tx, input)
      if (utilityAccountId === null) {
        result = { kind: 'mismatch' }
      } else {
        const inserted = await tx`
          insert into cis.account_holder (customer_id, utility_account_id, relationship)
          values (${input.customerId}, ${utilityAccountId}, 'linked')
          on conflict (customer_id, utility_account_id) do nothing
          returning 1`
        result = { kind: inserted.length ? 'linked' : 'already_linked', utilityAccountId }
      }
    }
    await tx`
      insert into cis.link_attempt (account_number, user_id, customer_id, ip, outcome, at)
      values (${input.accountNumber}, ${input.userId}, ${input.customerId}, ${input.ip},
              ${result.kind}, clock_timestamp())`
    return result
  })
  switch (outcome.kind) {
    case 'locked':
      throw new AppError(
        'locked',
        `Linking this utility account is locked after ${LINK_MAX_FAILURES} unsuccessful tries. ` +
          `Try again in ${Math.ceil(outcome.retryAfter / 60)} minute(s), or call customer service`,
        { retryAfterSeconds: outcome.retryAfter },
        { 'Retry-After': String(outcome.retryAfter) },
      )
    case 'mismatch':
      throw new AppError('invalid', LINK_MISMATCH_MESSAGE)
    default: {
      const [account] = await listUtilityAccounts(sql, input.customerId, outcome.utilityAccountId)
      if (!account) {
        throw new Error('linked utility account not found')
      }
      return { account, created: outcome.kind === 'linked' }
    }
  }
}

/**
 * Seconds until linking this account number unlocks, or null when it is open. The lock starts at
 * the failure that made LINK_MAX_FAILURES within the window and lasts the window's length. Tries
 * refused while locked are not failures, so the latest failure is the one that could have locked.
 */
async function lockedFor(sql: Db, accountNumber: string): Promise<number | null> {
  const [row]: [{ retry_after: number }?] = await sql`
    with latest as (
      select at from cis.link_attempt
       where account_number = ${accountNumber} and outcome = 'mismatch'
       order by at desc
       limit 1
    )
    select ceil(extract(epoch from
             latest.at + make_interval(mins => ${LINK_WINDOW_MINUTES}) - clock_timestamp()))::int
             as retry_after
      from latest
     where latest.at > clock_timestamp() - make_interval(mins => ${LINK_WINDOW_MINUTES})
       and (select count(*) from cis.link_attempt f
             where f.account_number = ${accountNumber} and f.outcome = 'mismatch'
               and f.at > latest.at - make_interval(mins => ${LINK_WINDOW_MINUTES})
               and f.at <= latest.at) >= ${LINK_MAX_FAILURES}`
  return row ? Math.max(1, row.retry_after) : null
}

/** The utility account the three facts describe, or null; one query so every miss looks alike. */
async function matchingAccount(sql: Db, input: LinkRequest): Promise<number | null> {
  const [row]: [{ id: number }?] = await sql`
    select a.id
      from cis.utility_account a
      join cis.premise p on p.id = a.premise_id
     where a.account_number = ${input.accountNumber}
       and p.zip = ${input.zip}
       and (
         select b.total_cents from cis.bill b
          where b.utility_account_id = a.id
          order by b.bill_date desc, b.bill_id desc
          limit 1
       ) = ${input.lastBillAmountCents}`
  return row?.id ?? null
}

/**
 * Removes an online link. Holders on the utility's own records (primary, co-holder) change only
 * through customer service.
 */
export async function unlinkUtilityAccount(
  sql: Db,
  customerId: number,
  utilityAccountId: number,
  by: ChangedBy,
): Promise<void> {
  await inTransaction(sql, async (tx) => {
    const [holder]: [{ relationship: string; since: Date }?] = await tx`
      select relationship, since from cis.account_holder
       where customer_id = ${customerId} and utility_account_id = ${utilityAccountId}
       for update`
    if (!holder) {
      throw notFound('Linked utility account')
    }
    if (holder.relationship !== 'linked') {
      const role = holder.relationship === 'primary' ? 'primary holder' : 'co-holder'
      throw new AppError(
        'conflict',
        `This customer is the account's ${role} on the utility's records; call customer service ` +
          'to change that',
        { relationship: holder.relationship },
      )
    }
    await tx`
      delete from cis.account_holder
       where customer_id = ${customerId} and utility_account_id = ${utilityAccountId}`
    if (isStaff(by.principal)) {
      await writeAudit(
        tx,
        by.principal,
        {
          action: 'utility_account.unlink',
          entity: 'account_holder',
          entityId: `${customerId}:${utilityAccountId}`,
          before: { customerId, utilityAccountId, relationship: holder.relationship },
        },
        by.requestId ?? null,
      )
    }
  })
}
