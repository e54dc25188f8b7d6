import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { receivable } from '../ledger/post.ts'
import { heldAccount } from '../sessions/payment.ts'
import { createCardPayment, type Payment } from '../payments/payments.ts'
import { balanceOf, citationByNumber, moveBalance, settleStatus, type Citation } from './citations.ts'

/*
  Paying a citation: what is owed, all at once, on a signed-in driver's utility bill (Dr the
  account's parking receivable / Cr the citation's) or by card from anywhere with the number and
  plate (Dr Stripe clearing / Cr the citation's receivable, when Stripe says it succeeded).
  Nothing is charged for a citation that owes nothing. Two channels paying at the same moment:
  payments of one citation take turns on its row; the second finds it paid, and what it took is
  refunded automatically (the payments module's excess refund).
*/

function payable(citation: Citation, balance: number): void {
  if (citation.status === 'voided' || citation.status === 'dismissed') {
    throw new AppError('conflict', `Citation ${citation.number} is ${citation.status}: nothing to pay`)
  }
  if (balance <= 0) {
    throw new AppError('conflict', `Citation ${citation.number} is paid`)
  }
}

export async function payCitationOnBill(
  sql: Db,
  input: { number: string; principal: Principal | null; utilityAccountId: number; now: Date },
): Promise<Citation> {
  const payer = await heldAccount(sql, input.principal, input.utilityAccountId)
  if (payer.method !== 'utility_account') {
    throw new Error('a held account is a utility account')
  }
  return inTransaction(sql, async (tx) => {
    const citation = await citationByNumber(tx, input.number, { lock: true })
    const balance = await balanceOf(tx, citation.id)
    payable(citation, balance)
    await moveBalance(tx, citation, {
      kind: 'payment',
      key: `enforcement.citation:${citation.number}:bill:${input.utilityAccountId}:${balance}`,
      amountCents: -balance,
      description: `Citation ${citation.number} paid on the utility bill`,
      occurredAt: input.now,
      other: receivable.ofUtilityAccount('parking', payer.utilityAccountId),
      lines: [{ account: receivable.ofUtilityAccount('parking', payer.utilityAccountId), amount: balance }],
    })
    return settleStatus(tx, citation)
  })
}

export async function payCitationByCard(
  sql: Db,
  stripe: Stripe,
  input: { number: string; principal: Principal | null; key: string; channel: 'web' | 'kiosk'; readerId?: string | null },
): Promise<{ payment: Payment; clientSecret: string; amountCents: number }> {
  const citation = await citationByNumber(sql, input.number)
  const balance = await balanceOf(sql, citation.id)
  payable(citation, balance)
  const started = await createCardPayment(sql, stripe, {
    purpose: 'citation',
    purposeRef: citation.number,
    customerId: input.principal?.kind === 'user' ? input.principal.customerId : null,
    amountCents: balance,
    channel: input.channel,
    key: `citation:${citation.number}:${input.key}`,
    description: `Citation ${citation.number} (${citation.plate_printed})`,
    readerId: input.readerId ?? null,
  })
  return { payment: started.payment, clientSecret: started.clientSecret, amountCents: balance }
}

/**
 * What a card payment of a citation goes beyond what it owes as it arrives (another channel paid
 * it a moment before): the citation's row is locked, so payments of one citation take turns.
 */
export async function citationExcess(tx: Tx, payment: Payment): Promise<number> {
  const citation = await citationByNumber(tx, payment.purpose_ref, { lock: true })
  const owed = citation.status === 'voided' || citation.status === 'dismissed' ? 0 : await balanceOf(tx, citation.id)
  return Math.max(0, payment.amount_cents - Math.max(0, owed))
}

/** A citation's card payment succeeded: the whole amount posts (any excess is refunded after). */
export async function settleCitationCard(tx: Tx, payment: Payment, intent: Stripe.PaymentIntent): Promise<void> {
  const citation = await citationByNumber(tx, payment.purpose_ref, { lock: true })
  await moveBalance(tx, citation, {
    kind: 'payment',
    key: `stripe:${intent.id}:succeeded`,
    amountCents: -payment.amount_cents,
    description: `Citation ${citation.number} paid by card`,
    occurredAt: new Date(intent.created * 1000),
    other: 'clearing:stripe',
    lines: [{ account: 'clearing:stripe', amount: payment.amount_cents }],
    paymentId: payment.id,
  })
  await settleStatus(tx, citation)
}

/** A card refund of a citation payment (an excess, a dismissal) gives back on its balance. */
export async function refundOnCitation(tx: Tx, paymentId: number, key: string, amountCents: number): Promise<void> {
  const [row]: [{ citation_id: number }?] = await tx`
    select citation_id from enforcement.citation_posting where payment_id = ${paymentId} and kind = 'payment' limit 1`
  if (row) {
    await tx`
      insert into enforcement.citation_posting (citation_id, kind, amount_cents, entry_key, payment_id)
      values (${row.citation_id}, 'refund', ${amountCents}, ${key}, ${paymentId})
      on conflict (entry_key) do nothing`
  }
}

/** The receivable a citation payment credited, for its refunds. */
export async function citationReceivable(tx: Db, number: string): Promise<string> {
  return (await citationByNumber(tx, number)).receivable
}
