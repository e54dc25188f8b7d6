import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { postEntry } from '../ledger/post.ts'
import { reverseEntry } from '../ledger/reverse.ts'

/**
 * Brings a payout to where Stripe says it is. Paid: Dr the bank, Cr Stripe clearing, once. Failed
 * (after it was paid, as a bank can return one): that entry's reversal, once. Kept per payout for
 * the finance reconciliation to match.
 */
export async function applyPayout(sql: Db, payout: Stripe.Payout): Promise<void> {
  await inTransaction(sql, async (tx) => {
    await tx`
      insert into payments.payout (stripe_payout_id, amount_cents, currency, status, arrival_date)
      values (${payout.id}, ${payout.amount}, ${payout.currency}, ${payout.status},
              to_timestamp(${payout.arrival_date})::date)
      on conflict (stripe_payout_id) do update set status = excluded.status, updated_at = now()`
    const key = `stripe:${payout.id}:paid`
    const [paid]: [{ id: number; reversed: boolean }?] = await tx`
      select e.id, exists (select from ledger.journal_entry r where r.reverses = e.id) as reversed
        from ledger.journal_entry e where e.idempotency_key = ${key}`
    if (payout.status === 'paid' && !paid) {
      await postEntry(tx, {
        key,
        source: 'stripe',
        sourceRef: payout.id,
        description: 'Stripe payout to the bank',
        occurredAt: new Date(payout.arrival_date * 1000),
        lines: [
          { account: 'bank:operating', amount: payout.amount },
          { account: 'clearing:stripe', amount: -payout.amount },
        ],
      })
    } else if ((payout.status === 'failed' || payout.status === 'canceled') && paid && !paid.reversed) {
      await reverseEntry(tx, paid.id, {
        key: `${key}:failed`,
        description: 'Stripe payout returned by the bank',
        occurredAt: new Date(),
      })
    }
  })
}
