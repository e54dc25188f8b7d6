import type { Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { hit } from '../auth/rate-limit.ts'
import { postEntry, receivable, type NewEntry, type PostingLine } from '../ledger/post.ts'
import { parkingAccount } from '../ledger/accounts.ts'
import { dollars } from '../ledger/statement.ts'
import { CARD_DISABLED } from '../payments/stripe.ts'
import type { PaymentInput } from './schemas.ts'

/** Who pays a purchase, once checked: a utility account, a kiosk's cash box, or nobody (free). */
export type Payer =
  | { method: 'utility_account'; utilityAccountId: number; accountNumber: string }
  | { method: 'cash'; deviceId: number; box: 'kiosk' | 'gate'; amountCents: number; soldAt: Date | null }
  | { method: 'free' }


/** Phone-line tries per utility account number per quarter hour before it is refused. */
const PHONE_ACCOUNT_TRIES = 10

/**
 * Checks that the caller may pay the way they asked: a signed-in driver bills only a utility
 * account they hold and that is active; the phone line names an account by number and service
 * ZIP (rate-limited per account number, so it cannot be used to guess); only a kiosk takes cash.
 */
export async function resolvePayer(
  sql: Db,
  principal: Principal | null,
  payment: PaymentInput,
): Promise<Payer> {
  switch (payment.method) {
    case 'card':
      // card purchases go through the card flow (api/sessions/card.ts) when cards are switched on
      throw new AppError('card_payments_disabled', CARD_DISABLED)
    case 'cash':
      if (principal?.kind !== 'device' || principal.deviceKind !== 'kiosk') {
        throw new AppError('forbidden', 'Only a kiosk takes cash', [
          { field: 'body.payment.method', message: 'Cash is paid at a kiosk' },
        ])
      }
      return {
        method: 'cash',
        deviceId: principal.deviceId,
        box: 'kiosk',
        amountCents: payment.amountCents,
        soldAt: payment.soldAt ? new Date(payment.soldAt) : null,
      }
    case 'utility_account':
      if (payment.utilityAccountId !== undefined) {
        return heldAccount(sql, principal, payment.utilityAccountId)
      }
      return accountByNumber(sql, principal, payment.accountNumber ?? '', payment.zip ?? '')
  }
}

export async function heldAccount(sql: Db, principal: Principal | null, id: number): Promise<Payer> {
  if (principal?.kind !== 'user' || principal.customerId === null) {
    throw new AppError('unauthenticated', 'Sign in to put parking on your utility bill')
  }
  const [account]: [{ account_number: string; status: string }?] = await sql`
    select a.account_number, a.status
      from cis.account_holder h join cis.utility_account a on a.id = h.utility_account_id
     where h.customer_id = ${principal.customerId} and a.id = ${id}`
  if (!account) {
    throw new AppError('invalid', 'That is not one of your utility accounts', [
      { field: 'body.payment.utilityAccountId', message: 'Not one of your utility accounts' },
    ])
  }
  return activeAccount(id, account)
}

async function accountByNumber(
  sql: Db,
  principal: Principal | null,
  accountNumber: string,
  zip: string,
): Promise<Payer> {
  if (principal?.kind !== 'device' || principal.deviceKind !== 'ivr') {
    throw new AppError('forbidden', 'Only the phone line names a utility account by its number', [
      { field: 'body.payment.accountNumber', message: 'Sign in and choose one of your accounts' },
    ])
  }
  const limit = await hit(sql, { bucket: `ivr.account:${accountNumber}`, max: PHONE_ACCOUNT_TRIES, windowSeconds: 900 })
  if (!limit.allowed) {
    throw new AppError(
      'rate_limited',
      'Too many tries for this utility account; try again later',
      { retryAfterSeconds: limit.retryAfter },
      { 'Retry-After': String(limit.retryAfter) },
    )
  }
  const [account]: [{ id: number; account_number: string; status: string }?] = await sql`
    select a.id, a.account_number, a.status
      from cis.utility_account a join cis.premise p on p.id = a.premise_id
     where a.account_number = ${accountNumber} and p.zip = ${zip}`
  if (!account) {
    throw new AppError('invalid', 'Those details do not match a utility account', [
      { field: 'body.payment.accountNumber', message: 'No account with that number and ZIP' },
    ])
  }
  return activeAccount(account.id, account)
}

function activeAccount(id: number, account: { account_number: string; status: string }): Payer {
  if (account.status !== 'active') {
    throw new AppError('invalid', `Utility account ${maskAccount(account.account_number)} is not active`, [
      { field: 'body.payment', message: 'The utility account is not active' },
    ])
  }
  return { method: 'utility_account', utilityAccountId: id, accountNumber: account.account_number }
}

/** Bills show an account number with all but its last four digits hidden. */
export function maskAccount(accountNumber: string): string {
  return `******${accountNumber.slice(-4)}`
}

/**
 * Cash the kiosk took must be what the server quotes, or the driver was shown another price;
 * a sale the kiosk made offline was priced from its cached tariff and the cash is in the box, so
 * the kiosk's amount stands and the server's quote is kept beside it.
 */
export function checkCash(payer: Payer, quotedCents: number): void {
  if (payer.method === 'cash' && payer.soldAt === null && payer.amountCents !== quotedCents) {
    throw new AppError(
      'conflict',
      `The price is $${dollars(quotedCents)}, not $${dollars(payer.amountCents)}; quote again`,
      [{ field: 'body.payment.amountCents', message: 'Does not match the price', quotedCents }],
    )
  }
}

/** What the driver pays for a purchase quoted at quotedCents. */
export function amountPaid(payer: Payer, quotedCents: number): number {
  return payer.method === 'cash' && payer.soldAt !== null ? payer.amountCents : quotedCents
}

export interface Charge {
  key: string
  facilityCode: string
  sessionRef: string
  description: string
  occurredAt: Date
  /** Positive for a sale, negative for a refund. */
  amountCents: number
}

/**
 * One balanced entry for a parking sale or refund: the payer's side (the utility account's
 * parking receivable, billed with its cycle, or the kiosk's or gate's cash box) against the facility's
 * revenue. Nothing to post for a free purchase.
 */
export async function postCharge(sql: Db, payer: Payer, charge: Charge): Promise<number | null> {
  const entry = chargeEntry(payer, charge)
  return entry ? (await postEntry(sql, entry)).entryId : null
}

/** The ledger entry of a charge, or null when there is nothing to post. */
export function chargeEntry(payer: Payer, charge: Charge): NewEntry | null {
  if (charge.amountCents === 0 || payer.method === 'free') {
    return null
  }
  const from =
    payer.method === 'utility_account'
      ? receivable.ofUtilityAccount('parking', payer.utilityAccountId)
      : payer.box === 'kiosk'
        ? parkingAccount.kioskCash(payer.deviceId)
        : parkingAccount.gateCash(payer.deviceId)
  const lines: PostingLine[] = [
    { account: from, amount: charge.amountCents },
    { account: parkingAccount.revenue(charge.facilityCode), amount: -charge.amountCents },
  ]
  return {
    key: charge.key,
    source: 'parking',
    sourceRef: charge.sessionRef,
    description: charge.description,
    occurredAt: charge.occurredAt,
    lines,
  }
}
