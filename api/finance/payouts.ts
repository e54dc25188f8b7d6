import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import { postEntry } from '../ledger/post.ts'
import { callStripe } from '../payments/payments.ts'
import { applyPayout } from '../payments/payouts.ts'
import { raiseException } from './exceptions.ts'

/** What a balance transaction's source is, as far as Curbline records it. */
export type SourceKind = 'charge' | 'refund' | 'dispute' | 'payout' | 'other'

/** One balance transaction of a payout, as the reconciliation needs it. */
export interface PayoutItemInput {
  balanceTransactionId: string
  type: string
  amountCents: number
  feeCents: number
  netCents: number
  sourceKind: SourceKind
  sourceId: string | null
  /** A charge's PaymentIntent, through which it matches a Curbline payment. */
  paymentIntentId: string | null
}

export interface PayoutReconciliation {
  payoutId: number
  stripePayoutId: string
  status: 'matched' | 'mismatched'
  payoutAmountCents: number
  netTotalCents: number
  itemCount: number
  unmatchedCount: number
  /** Stripe's fees on matched items that no Curbline entry had posted (dispute fees), posted now. */
  feesPostedCents: number
  reconciledAt: Date
}

const idOf = (value: string | { id: string } | null | undefined): string | null =>
  value == null ? null : typeof value === 'string' ? value : value.id

/** The source's kind from its expanded object, or from its id's prefix when not expanded. */
function kindOf(source: Stripe.BalanceTransaction['source']): SourceKind {
  const object = source && typeof source !== 'string' ? source.object : null
  const id = idOf(source) ?? ''
  if (object === 'charge' || (!object && /^(ch|py)_/.test(id))) {
    return 'charge'
  }
  if (object === 'refund' || (!object && /^(re|pyr)_/.test(id))) {
    return 'refund'
  }
  if (object === 'dispute' || (!object && /^(dp|du)_/.test(id))) {
    return 'dispute'
  }
  if (object === 'payout' || (!object && /^po_/.test(id))) {
    return 'payout'
  }
  return 'other'
}

/** A listed balance transaction (its source expanded) as a payout item to match. */
export function payoutItemOf(t: Stripe.BalanceTransaction): PayoutItemInput {
  const source = t.source
  const sourceKind = kindOf(source)
  const intent =
    sourceKind === 'charge' && source && typeof source !== 'string' && 'payment_intent' in source
      ? idOf(source.payment_intent as string | { id: string } | null)
      : null
  return {
    balanceTransactionId: t.id,
    type: t.type,
    amountCents: t.amount,
    feeCents: t.fee,
    netCents: t.net,
    sourceKind,
    sourceId: idOf(source as string | { id: string } | null),
    paymentIntentId: intent,
  }
}

/**
 * Reconciles a paid Stripe payout: lists its balance transactions (every page, sources
 * expanded), matches each to what Curbline recorded and checks that their net sums to the payout.
 * The payout's own posting (Dr bank, Cr Stripe clearing) is made first if its webhook has not
 * come yet. Running it again gives the same result and raises nothing twice.
 */
export async function reconcilePayout(
  sql: Db,
  stripe: Stripe,
  stripePayoutId: string,
  options: { pageSize?: number } = {},
): Promise<PayoutReconciliation> {
  const payout = await callStripe(() => stripe.payouts.retrieve(stripePayoutId))
  if (payout.status !== 'paid') {
    throw new AppError('conflict', `Only a paid payout is reconciled; ${payout.id} is ${payout.status}`)
  }
  await applyPayout(sql, payout)
  const items: PayoutItemInput[] = []
  // Stripe lists a payout's transactions only for automatic payouts; a manual one settles none
  if (payout.automatic) {
    await callStripe(async () => {
      const list = stripe.balanceTransactions.list({
        payout: payout.id,
        limit: options.pageSize ?? 100,
        expand: ['data.source'],
      })
      for await (const t of list) {
        items.push(payoutItemOf(t))
      }
    })
  }
  return recordPayoutItems(sql, payout.id, items, { manual: !payout.automatic })
}

interface Judged {
  item_count: number
  problem_count: number
  net_total: number | null
  own_count: number
  unposted_fees: number | null
}

/**
 * Stores a payout's items (idempotent by balance transaction) and matches them in one set-based
 * statement, then writes the payout's reconciliation, its exceptions and any fees Stripe took
 * that no Curbline entry posted. Stripe is not called here, so this is what a bench times.
 */
export async function recordPayoutItems(
  sql: Db,
  stripePayoutId: string,
  items: PayoutItemInput[],
  options: { manual?: boolean } = {},
): Promise<PayoutReconciliation> {
  return inTransaction(sql, async (tx) => {
    const [payout]: [{ id: number; amount_cents: number; arrival_date: Date | null }?] = await tx`
      select id, amount_cents, arrival_date from payments.payout
       where stripe_payout_id = ${stripePayoutId} for update`
    if (!payout) {
      throw notFound('Payout')
    }
    const [{ feesAccount }]: [{ feesAccount: number }] = (await tx`
      select id as "feesAccount" from ledger.account where code = 'expense:stripe_fees'`) as never
    // a first run inserts plainly; a second updates only the items whose match has changed
    const [{ fresh }]: [{ fresh: boolean }] = (await tx`
      select not exists (select from finance.payout_item where payout_id = ${payout.id}) as fresh`) as never
    const onConflict = fresh
      ? tx``
      : tx`
        on conflict (balance_transaction_id) do update
          set type = excluded.type, amount_cents = excluded.amount_cents, fee_cents = excluded.fee_cents,
              net_cents = excluded.net_cents, source_id = excluded.source_id,
              matched_kind = excluded.matched_kind, matched_id = excluded.matched_id,
              problem = excluded.problem
          where payout_item.payout_id = excluded.payout_id
            and (payout_item.type, payout_item.amount_cents, payout_item.fee_cents, payout_item.net_cents,
                 payout_item.source_id, payout_item.matched_kind, payout_item.matched_id, payout_item.problem)
                is distinct from
                (excluded.type, excluded.amount_cents, excluded.fee_cents, excluded.net_cents,
                 excluded.source_id, excluded.matched_kind, excluded.matched_id, excluded.problem)`
    const [judged]: [Judged?] = await tx`
      with input as (
        select * from unnest(
          ${items.map((i) => i.balanceTransactionId)}::text[],
          ${items.map((i) => i.type)}::text[],
          ${items.map((i) => i.amountCents)}::bigint[],
          ${items.map((i) => i.feeCents)}::bigint[],
          ${items.map((i) => i.netCents)}::bigint[],
          ${items.map((i) => i.sourceKind)}::text[],
          ${items.map((i) => i.sourceId) as string[]}::text[],
          ${items.map((i) => i.paymentIntentId) as string[]}::text[]
        ) as i (txn, type, amount, fee, net, kind, source_id, intent)
      ), judged as materialized (
        select i.*,
               case
                 when p.id is not null then 'payment'
                 when r.id is not null then 'refund'
                 when d.id is not null then 'dispute'
                 when po.id is not null then 'payout'
               end as matched_kind,
               coalesce(p.id, r.id, d.id, po.id) as matched_id,
               case i.kind
                 when 'charge' then case
                   when i.intent is null then 'A charge without a PaymentIntent, which Curbline never makes'
                   when p.id is null then format('Curbline has no payment with PaymentIntent %s', i.intent)
                   when p.status <> 'succeeded' then format('Curbline has this payment as %s, not succeeded', p.status)
                   when p.amount_cents <> i.amount then
                     format('Stripe charged %s cents; Curbline''s payment is %s cents', i.amount, p.amount_cents)
                   when fe.id is not null and coalesce(fee.amount, 0) <> i.fee then
                     format('Stripe''s fee is %s cents; Curbline posted %s cents', i.fee, coalesce(fee.amount, 0))
                 end
                 when 'refund' then case
                   when r.id is null then format('Curbline has no refund %s', i.source_id)
                   when abs(i.amount) <> r.amount_cents then
                     format('Stripe moved %s cents; Curbline''s refund is %s cents', i.amount, r.amount_cents)
                   when i.amount < 0 and r.status not in ('pending', 'succeeded') then
                     format('Stripe paid this refund out; Curbline has it as %s', r.status)
                   when i.amount > 0 and r.status not in ('failed', 'canceled') then
                     format('Stripe returned this refund as failed; Curbline has it as %s', r.status)
                 end
                 when 'dispute' then case
                   when d.id is null then format('Curbline has no dispute %s', i.source_id)
                   when abs(i.amount) <> d.amount_cents then
                     format('Stripe moved %s cents; Curbline''s dispute is %s cents', i.amount, d.amount_cents)
                   when i.amount < 0 and not exists (select from ledger.journal_entry e
                          where e.idempotency_key = 'stripe:' || d.stripe_dispute_id || ':withdrawn') then
                     'Curbline posted no withdrawal for this dispute'
                   when i.amount > 0 and not exists (select from ledger.journal_entry e
                          where e.idempotency_key = 'stripe:' || d.stripe_dispute_id || ':reinstated') then
                     'Curbline posted no reinstatement for this dispute'
                 end
                 when 'payout' then case
                   when po.id is null then format('Curbline has no payout %s', i.source_id)
                   when po.id = ${payout.id} and i.amount <> -po.amount_cents then
                     format('Stripe withdrew %s cents for this payout of %s cents', -i.amount, po.amount_cents)
                   when po.id <> ${payout.id} and i.amount < 0 then 'Another payout''s withdrawal, in this payout'
                   when po.id <> ${payout.id} and po.status not in ('failed', 'canceled') then
                     format('Stripe returned payout %s; Curbline has it as %s', po.stripe_payout_id, po.status)
                   when po.id <> ${payout.id} and i.amount <> po.amount_cents then
                     format('Stripe returned %s cents of payout %s, which was %s cents', i.amount, po.stripe_payout_id, po.amount_cents)
                 end
                 else format('A %s transaction, which Curbline does not record', i.type)
               end as problem,
               coalesce(i.kind = 'payout' and po.id = ${payout.id}, false) as own,
               -- fees no Curbline entry covers: dispute fees, a charge whose fee was never posted
               case when i.fee <> 0 and fe.id is null then i.fee else 0 end as unposted_fee
          from input i
          -- plain joins, so the planner hashes a payout's worth of payments against as many, and
          -- probes the indexes instead once the tables hold years of them
          left join payments.payment p on i.kind = 'charge' and p.stripe_payment_intent_id = i.intent
          left join ledger.journal_entry fe
            on p.id is not null and fe.idempotency_key = 'stripe:' || i.intent || ':fee'
          left join ledger.posting fee on fee.entry_id = fe.id and fee.account_id = ${feesAccount}
          left join payments.refund r on i.kind = 'refund' and r.stripe_refund_id = i.source_id
          left join payments.dispute d on i.kind = 'dispute' and d.stripe_dispute_id = i.source_id
          left join payments.payout po on i.kind = 'payout' and po.stripe_payout_id = i.source_id
      ), saved as (
        insert into finance.payout_item
          (payout_id, balance_transaction_id, type, amount_cents, fee_cents, net_cents, source_id,
           matched_kind, matched_id, problem)
        select ${payout.id}, txn, type, amount, fee, net, source_id, matched_kind, matched_id, problem
          from judged
        ${onConflict}
      )
      select count(*)::int as item_count,
             (count(*) filter (where problem is not null))::int as problem_count,
             sum(net) filter (where not own)::bigint as net_total,
             (count(*) filter (where own))::int as own_count,
             sum(unposted_fee) filter (where problem is null)::bigint as unposted_fees
        from judged`
    if (!judged) {
      throw new Error('payout reconciliation returned no summary')
    }
    const netTotal = judged.net_total ?? 0
    const feesPosted = await postUnpostedFees(tx, stripePayoutId, payout, judged.unposted_fees ?? 0)

    await tx`
      insert into finance.exception (key, kind, summary, amount_cents, evidence)
      select 'payout:' || ${stripePayoutId} || ':item:' || balance_transaction_id,
             'payout_item_unmatched',
             format('Payout %s: %s', ${stripePayoutId}::text, problem),
             net_cents,
             jsonb_build_object(
               'payout', ${stripePayoutId}::text, 'balanceTransaction', balance_transaction_id,
               'type', type, 'source', source_id, 'amountCents', amount_cents, 'feeCents', fee_cents,
               'netCents', net_cents, 'matchedKind', matched_kind, 'matchedId', matched_id,
               'problem', problem)
        from finance.payout_item
       where payout_id = ${payout.id} and problem is not null
      on conflict (key) do nothing`

    const payoutProblems: string[] = []
    if (options.manual) {
      payoutProblems.push('A manual payout: Stripe cannot list the transactions it settled')
    } else if (judged.own_count !== 1) {
      payoutProblems.push(`Stripe listed ${judged.own_count} withdrawals for this payout, not one`)
    }
    if (netTotal !== payout.amount_cents) {
      payoutProblems.push(`The items' net sums to ${netTotal} cents; the payout is ${payout.amount_cents} cents`)
    }
    if (payoutProblems.length > 0) {
      await raiseException(tx, {
        key: `payout:${stripePayoutId}:mismatch`,
        kind: 'payout_mismatch',
        summary: `Payout ${stripePayoutId} does not reconcile: ${payoutProblems.join('; ')}`,
        amountCents: payout.amount_cents - netTotal,
        evidence: {
          payout: stripePayoutId,
          payoutAmountCents: payout.amount_cents,
          netTotalCents: netTotal,
          itemCount: judged.item_count,
          unmatchedCount: judged.problem_count,
          problems: payoutProblems,
        },
      })
    }
    const status = judged.problem_count === 0 && payoutProblems.length === 0 ? 'matched' : 'mismatched'
    const [saved]: [{ reconciled_at: Date }?] = await tx`
      insert into finance.payout_reconciliation
        (payout_id, status, payout_amount_cents, net_total_cents, item_count, unmatched_count)
      values (${payout.id}, ${status}, ${payout.amount_cents}, ${netTotal}, ${judged.item_count},
              ${judged.problem_count})
      on conflict (payout_id) do update
        set status = excluded.status, payout_amount_cents = excluded.payout_amount_cents,
            net_total_cents = excluded.net_total_cents, item_count = excluded.item_count,
            unmatched_count = excluded.unmatched_count, reconciled_at = now()
      returning reconciled_at`
    return {
      payoutId: payout.id,
      stripePayoutId,
      status,
      payoutAmountCents: payout.amount_cents,
      netTotalCents: netTotal,
      itemCount: judged.item_count,
      unmatchedCount: judged.problem_count,
      feesPostedCents: feesPosted,
      reconciledAt: saved?.reconciled_at ?? new Date(),
    }
  })
}

const feeKey = (stripePayoutId: string, n: number) => `finance:payout:${stripePayoutId}:fees:${n}`

/*
  Stripe's fees that no Curbline entry posted (a dispute's fee: the disputes module posts only the
  disputed amount) leave Stripe clearing for the fees account here, so clearing empties with the
  payout. A later run that matches more posts only the difference, under the next key.
*/
async function postUnpostedFees(
  tx: Db,
  stripePayoutId: string,
  payout: { arrival_date: Date | null },
  unposted: number,
): Promise<number> {
  const keys = Array.from({ length: 50 }, (_, i) => feeKey(stripePayoutId, i + 1))
  const posted = await tx<{ key: string; cents: number }[]>`
    select e.idempotency_key as key, coalesce(sum(pg.amount), 0)::bigint as cents
      from ledger.journal_entry e
      join ledger.posting pg on pg.entry_id = e.id
      join ledger.account a on a.id = pg.account_id and a.code = 'expense:stripe_fees'
     where e.idempotency_key = any(${keys}::text[])
     group by e.idempotency_key`
  const already = posted.reduce((sum, p) => sum + p.cents, 0)
  const delta = unposted - already
  if (delta !== 0) {
    await postEntry(tx, {
      key: feeKey(stripePayoutId, posted.length + 1),
      source: 'finance',
      sourceRef: stripePayoutId,
      description: `Stripe fees on payout ${stripePayoutId} that no payment posted (dispute fees)`,
      occurredAt: payout.arrival_date ?? new Date(),
      lines: [
        { account: 'expense:stripe_fees', amount: delta },
        { account: 'clearing:stripe', amount: -delta },
      ],
    })
  }
  return unposted
}

export interface PayoutRow {
  id: number
  stripe_payout_id: string
  amount_cents: number
  currency: string
  status: string
  arrival_date: string | null
  reconciliation: 'matched' | 'mismatched' | null
  net_total_cents: number | null
  item_count: number | null
  unmatched_count: number | null
  reconciled_at: Date | null
}

export interface PayoutFilter {
  from?: string
  to?: string
  reconciliation?: 'matched' | 'mismatched' | 'unreconciled'
  limit: number
}

/** Payouts by arrival date, newest first, each with its reconciliation; and the totals of all that match. */
export async function listPayouts(
  sql: Db,
  filter: PayoutFilter,
): Promise<{ payouts: PayoutRow[]; totals: { count: number; amountCents: number; byStatus: Record<string, number> } }> {
  const where = sql`
    where (${filter.from ?? null}::date is null or p.arrival_date >= ${filter.from ?? null}::date)
      and (${filter.to ?? null}::date is null or p.arrival_date <= ${filter.to ?? null}::date)
      and (${filter.reconciliation ?? null}::text is null
           or coalesce(r.status, 'unreconciled') = ${filter.reconciliation ?? null}::text)`
  const payouts = await sql<PayoutRow[]>`
    select p.id, p.stripe_payout_id, p.amount_cents, p.currency, p.status, p.arrival_date::text,
           r.status as reconciliation, r.net_total_cents, r.item_count, r.unmatched_count, r.reconciled_at
      from payments.payout p
      left join finance.payout_reconciliation r on r.payout_id = p.id
     ${where}
     order by p.arrival_date desc nulls last, p.id desc
     limit ${filter.limit}`
  const totals = await sql<{ status: string; count: number; amount: number }[]>`
    select coalesce(r.status, 'unreconciled') as status, count(*)::int as count,
           coalesce(sum(p.amount_cents), 0)::bigint as amount
      from payments.payout p
      left join finance.payout_reconciliation r on r.payout_id = p.id
     ${where}
     group by 1`
  const byStatus: Record<string, number> = { matched: 0, mismatched: 0, unreconciled: 0 }
  for (const t of totals) {
    byStatus[t.status] = t.count
  }
  return {
    payouts,
    totals: {
      count: totals.reduce((n, t) => n + t.count, 0),
      amountCents: totals.reduce((n, t) => n + t.amount, 0),
      byStatus,
    },
  }
}

export async function payoutByStripeId(sql: Db, stripePayoutId: string): Promise<PayoutRow> {
  const [row]: [PayoutRow?] = await sql`
    select p.id, p.stripe_payout_id, p.amount_cents, p.currency, p.status, p.arrival_date::text,
           r.status as reconciliation, r.net_total_cents, r.item_count, r.unmatched_count, r.reconciled_at
      from payments.payout p
      left join finance.payout_reconciliation r on r.payout_id = p.id
     where p.stripe_payout_id = ${stripePayoutId}`
  if (!row) {
    throw notFound('Payout')
  }
  return row
}

export interface PayoutItemRow {
  balance_transaction_id: string
  type: string
  amount_cents: number
  fee_cents: number
  net_cents: number
  source_id: string | null
  matched_kind: 'payment' | 'refund' | 'dispute' | 'payout' | null
  matched_id: number | null
  /** What the match names for people: a payment's or refund's public id, a dispute's or payout's Stripe id. */
  matched_ref: string | null
  matched_purpose: string | null
  problem: string | null
}

/** A payout's items with what each matched, problems first; all of them when limit is null. */
export async function payoutItems(
  sql: Db,
  payoutId: number,
  filter: { problemsOnly?: boolean; limit: number | null; offset?: number },
): Promise<PayoutItemRow[]> {
  return sql<PayoutItemRow[]>`
    select i.balance_transaction_id, i.type, i.amount_cents, i.fee_cents, i.net_cents, i.source_id,
           i.matched_kind, i.matched_id,
           case i.matched_kind
             when 'payment' then (select public_id::text from payments.payment where id = i.matched_id)
             when 'refund' then (select public_id::text from payments.refund where id = i.matched_id)
             when 'dispute' then (select stripe_dispute_id from payments.dispute where id = i.matched_id)
             when 'payout' then (select stripe_payout_id from payments.payout where id = i.matched_id)
           end as matched_ref,
           case when i.matched_kind = 'payment'
                then (select purpose::text from payments.payment where id = i.matched_id) end as matched_purpose,
           i.problem
      from finance.payout_item i
     where i.payout_id = ${payoutId}
       and (${filter.problemsOnly ?? false}::boolean = false or i.problem is not null)
     order by (i.problem is null), i.id
     limit ${filter.limit ?? null} offset ${filter.offset ?? 0}`
}

/** Paid payouts that no reconciliation has looked at yet, oldest first: the job's work. */
export async function unreconciledPayouts(sql: Db, limit = 100): Promise<string[]> {
  const rows = await sql<{ stripe_payout_id: string }[]>`
    select p.stripe_payout_id from payments.payout p
     where p.status = 'paid'
       and not exists (select from finance.payout_reconciliation r where r.payout_id = p.id)
     order by p.arrival_date nulls last, p.id
     limit ${limit}`
  return rows.map((r) => r.stripe_payout_id)
}
