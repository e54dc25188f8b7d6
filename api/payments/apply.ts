import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import { postEntry } from '../ledger/post.ts'
import { abandonCardPurchase, settleCardPurchase } from '../sessions/card.ts'
import { abandonPermitCharge, failPermitCharge, settlePermitCharge } from '../permits/charges.ts'
import { citationExcess, settleCitationCard } from '../enforcement/citation-payments.ts'
import { feeOf, type Payment, type PaymentStatus } from './payments.ts'

/**
 * Brings a payment to where its PaymentIntent is, as Stripe says it is now: succeeded (posted to
 * the ledger and the purchase fulfilled, once), failed, canceled or still processing. Applying
 * the same PaymentIntent again changes nothing, so events in any order and any number end in the
 * same state. An amount or currency that is not the purchase's is recorded and never fulfilled.
 */
export async function applyIntent(sql: Db, intent: Stripe.PaymentIntent): Promise<Payment | null> {
  return inTransaction(sql, async (tx) => {
    const [payment]: [Payment?] = await tx`
      select * from payments.payment where stripe_payment_intent_id = ${intent.id} for update`
    if (!payment || payment.status === 'succeeded') {
      return payment ?? null
    }
    switch (intent.status) {
      case 'succeeded':
        return succeed(tx, payment, intent)
      case 'processing':
        return setStatus(tx, payment, 'processing', null)
      case 'canceled':
        if (payment.purpose === 'session') {
          await abandonCardPurchase(tx, payment.purpose_ref)
        }
        if (payment.purpose === 'permit') {
          await abandonPermitCharge(tx, payment.purpose_ref, 'canceled')
        }
        return setStatus(tx, payment, 'canceled', intent.cancellation_reason ?? null)
      case 'requires_payment_method':
        // after a decline the intent waits for another card; the attempt itself failed
        if (intent.last_payment_error && payment.purpose === 'permit') {
          await failPermitCharge(tx, payment.purpose_ref, intent.last_payment_error.message ?? 'The card was declined')
        }
        return intent.last_payment_error
          ? setStatus(tx, payment, 'failed', intent.last_payment_error.message ?? 'The card was declined')
          : payment
      default:
        return payment
    }
  })
}

async function succeed(tx: Tx, payment: Payment, intent: Stripe.PaymentIntent): Promise<Payment> {
  if (intent.amount_received !== payment.amount_cents || intent.currency !== payment.currency) {
    const mismatch = `Stripe received ${intent.amount_received} ${intent.currency}; the purchase is ${payment.amount_cents} ${payment.currency}`
    const [flagged]: [Payment?] = await tx`
      update payments.payment set mismatch = ${mismatch}, updated_at = now()
       where id = ${payment.id} returning *`
    return flagged ?? payment
  }
  const excess = await excessOf(tx, payment)
  await fulfil(tx, payment, intent)
  const fee = feeOf(intent)
  if (fee !== null && fee > 0) {
    await postEntry(tx, {
      key: `stripe:${intent.id}:fee`,
      source: 'stripe',
      sourceRef: intent.id,
      description: 'Card processing fee',
      occurredAt: new Date(intent.created * 1000),
      lines: [
        { account: 'expense:stripe_fees', amount: fee },
        { account: 'clearing:stripe', amount: -fee },
      ],
    })
  }
  const [done]: [Payment?] = await tx`
    update payments.payment
       set status = 'succeeded', succeeded_at = now(), failure = null, excess_cents = ${excess},
           updated_at = now()
     where id = ${payment.id} returning *`
  return done ?? payment
}

/*
  What a succeeded card payment moves: Dr Stripe clearing, Cr what it paid for: a parking
  balance credits the receivable it names, a parking purchase its facility's revenue (and the
  session starts or grows). The entry is keyed to the PaymentIntent, so no event, retry or
  retrieve can post it twice. Stripe's fee, known from the charge's balance transaction, posts
  beside it (Dr fees, Cr clearing), keyed the same way.
*/
async function fulfil(tx: Tx, payment: Payment, intent: Stripe.PaymentIntent): Promise<void> {
  switch (payment.purpose) {
    case 'session':
      await settleCardPurchase(tx, payment.purpose_ref, intent.id)
      return
    case 'permit':
      await settlePermitCharge(tx, payment.purpose_ref, intent)
      return
    case 'citation':
      await settleCitationCard(tx, payment, intent)
      return
    case 'account_balance':
      await postEntry(tx, {
        key: `stripe:${intent.id}:succeeded`,
        source: 'stripe',
        sourceRef: intent.id,
        description: 'Card payment of parking balance, thank you',
        occurredAt: new Date(intent.created * 1000),
        lines: [
          { account: 'clearing:stripe', amount: payment.amount_cents },
          { account: payment.purpose_ref, amount: -payment.amount_cents },
        ],
      })
      return
    default:
      // createCardPayment makes none of these; a row like this was written by hand
      throw new Error(`payment ${payment.public_id} is for ${payment.purpose}, which no card pays for`)
  }
}

/*
  How much of a balance payment goes beyond what is owed when it arrives: another channel may
  have paid the same balance a moment before. Payments for one receivable take turns here, so
  the second sees the first. The money is taken all the same (it arrived) and the excess is
  refunded straight after (refundExcess).
*/
async function excessOf(tx: Tx, payment: Payment): Promise<number> {
  if (payment.purpose === 'citation') {
    return citationExcess(tx, payment)
  }
  if (payment.purpose !== 'account_balance') {
    return 0
  }
  await tx`select pg_advisory_xact_lock(hashtextextended(${`payments.balance:${payment.purpose_ref}`}, 0))`
  const [row]: [{ owed: number | null }?] = await tx`
    select (select b.balance from ledger.account_balances(array[a.id]) b) as owed
      from ledger.account a where a.code = ${payment.purpose_ref}`
  const owed = Math.max(0, row?.owed ?? 0)
  return Math.max(0, payment.amount_cents - owed)
}

async function setStatus(tx: Tx, payment: Payment, status: PaymentStatus, failure: string | null): Promise<Payment> {
  const [changed]: [Payment?] = await tx`
    update payments.payment set status = ${status}, failure = ${failure}, updated_at = now()
     where id = ${payment.id} returning *`
  return changed ?? payment
}

