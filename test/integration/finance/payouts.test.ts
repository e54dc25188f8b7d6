import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { allDayTariff, makeFacility } from '../sessions/fixtures.ts'
import { cardTestApp, STRIPE_TEST_CONFIG } from '../../stripe/harness.ts'
import { TEST_SECRET_KEY } from '../../stripe/simulator.ts'
import { requireStripe } from '../../../api/payments/stripe.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { payoutItemOf, reconcilePayout, recordPayoutItems } from '../../../api/finance/payouts.ts'
import { payoutReconciliation } from '../../../jobs/payout-reconciliation.ts'
import { createLogger } from '../../../api/http/log.ts'

const db = await testDatabase()
const { t, stripe, deliver, intentOf } = cardTestApp(db)
const client = requireStripe({ STRIPE_SECRET_KEY: TEST_SECRET_KEY })
// $30 an hour, so that a payout of a few payments outweighs a dispute's $15 fee
await makeFacility(db.sql, {
  code: 'T-PAY',
  tariff: allDayTariff({ bands: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 1500 }] }] }),
})
const finance = await t.userWithRole('finance', 'Fran Finance')
const driver = await t.userWithRole('driver', 'Dana Driver')

let n = 0

/** An hour at T-PAY paid by card ($30, Stripe's fee $1.17): the payment's and the PaymentIntent's ids. */
async function paidByCard(): Promise<{ payment: string; pi: string }> {
  const res = await t.request('/api/v1/sessions', {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID() },
    json: { facility: 'T-PAY', plate: `PAY${++n}`, state: 'NC', minutes: 60, payment: { method: 'card' } },
  })
  expect(res.status).toBe(201)
  const started = (await res.json()) as { payment: { id: string } }
  const pi = await intentOf(started.payment.id)
  await deliver('payment_intent.succeeded', stripe.pay(pi))
  return { payment: started.payment.id, pi }
}

/** Stripe pays out everything not yet paid out, and tells Curbline (Dr bank, Cr clearing). */
async function paidPayout() {
  const payout = stripe.payoutPending('paid')
  await deliver('payout.paid', payout)
  return payout
}

const clearing = () => accountBalance(db.sql, 'clearing:stripe')

const reconcile = (id: string) =>
  t.request(`/api/v1/finance/payouts/${id}/reconcile`, { method: 'POST', as: finance })

describe('Stripe payout reconciliation', () => {
  it('matches card payments with fees, a refund and a dispute withdrawal over several pages, and empties clearing', async () => {
    const before = await clearing()
    const paid = [await paidByCard(), await paidByCard(), await paidByCard(), await paidByCard()]
    const refunded = await t.request(`/api/v1/payments/${paid[1]!.payment}/refunds`, {
      method: 'POST',
      as: finance,
      headers: { 'idempotency-key': randomUUID() },
      json: { amountCents: 50, reason: 'Meter fault' },
    })
    expect(refunded.status).toBe(201)
    const dispute = stripe.dispute(paid[2]!.pi)
    await deliver('charge.dispute.created', dispute)
    const payout = await paidPayout()
    const listed = stripe.calls.length

    const result = await reconcilePayout(db.sql, client, payout.id, { pageSize: 3 })
    // seven transactions (four charges, a refund, a withdrawal, the payout's own) in pages of three
    const pages = stripe.calls.slice(listed).filter((c) => c.path === '/v1/balance_transactions')
    expect(pages).toHaveLength(3)
    expect(result).toMatchObject({
      status: 'matched',
      payoutAmountCents: payout.amount,
      netTotalCents: payout.amount,
      itemCount: 7,
      unmatchedCount: 0,
      feesPostedCents: 1500,
    })
    expect(payout.amount).toBe(4 * 3000 - 4 * 117 - 50 - 3000 - 1500)
    // the dispute's fee, which nothing else posted, leaves clearing: it ends where it began
    expect(await clearing()).toBe(before)

    const detail = await t.request(`/api/v1/finance/payouts/${payout.id}`, { as: finance })
    expect(detail.status).toBe(200)
    const body = (await detail.json()) as { reconciliation: string; items: { type: string; matched: { kind: string; id: string } | null; problem: string | null }[] }
    expect(body.reconciliation).toBe('matched')
    expect(body.items.map((i) => i.matched?.kind).sort()).toEqual(['dispute', 'payment', 'payment', 'payment', 'payment', 'payout', 'refund'])
    expect(body.items.every((i) => i.problem === null)).toBe(true)
    expect(body.items.filter((i) => i.matched?.kind === 'payment').map((i) => i.matched?.id).sort()).toEqual(paid.map((p) => p.payment).sort())
    expect(body.items.find((i) => i.matched?.kind === 'dispute')?.matched?.id).toBe(dispute.id)

    // again: the same result, nothing posted or raised twice
    expect(await reconcilePayout(db.sql, client, payout.id)).toMatchObject({ status: 'matched', itemCount: 7, feesPostedCents: 1500 })
    expect(await clearing()).toBe(before)
    const [counts] = await db.sql<{ items: number; exceptions: number }[]>`
      select (select count(*)::int from finance.payout_item i join payments.payout p on p.id = i.payout_id
               where p.stripe_payout_id = ${payout.id}) as items,
             (select count(*)::int from finance.exception where key like ${`payout:${payout.id}:%`}) as exceptions`
    expect(counts).toEqual({ items: 7, exceptions: 0 })

    const csv = await t.request(`/api/v1/finance/payouts/${payout.id}`, { as: finance, headers: { accept: 'text/csv' } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe('balance_transaction,type,amount,fee,net,source,matched_kind,matched_id,purpose,problem')
    expect(lines).toHaveLength(8)
    expect(lines.some((l) => /,charge,30\.00,1\.17,28\.83,/.test(l))).toBe(true)
  })

  it('flags an item Curbline never recorded, with an exception raised once however often it runs', async () => {
    await paidByCard()
    // a card payment taken outside Curbline: Stripe has it, Curbline does not
    const stranger = await client.paymentIntents.create({ amount: 2000, currency: 'usd' })
    stripe.pay(stranger.id)
    const payout = await paidPayout()

    const first = await reconcile(payout.id)
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ status: 'mismatched', unmatchedCount: 1, itemCount: 3, netTotalCents: payout.amount })
    const again = await reconcile(payout.id)
    expect(await again.json()).toMatchObject({ status: 'mismatched', unmatchedCount: 1 })

    const raised = await db.sql<{ kind: string; amount_cents: number; evidence: { problem: string } }[]>`
      select kind, amount_cents, evidence from finance.exception where key like ${`payout:${payout.id}:%`}`
    expect(raised).toHaveLength(1)
    expect(raised[0]).toMatchObject({ kind: 'payout_item_unmatched', amount_cents: 2000 - 88 })
    expect(raised[0]!.evidence.problem).toContain(stranger.id)

    const problems = await t.request(`/api/v1/finance/payouts/${payout.id}?problems=true`, { as: finance })
    const body = (await problems.json()) as { items: { matched: unknown; problem: string }[] }
    expect(body.items).toHaveLength(1)
    expect(body.items[0]).toMatchObject({ matched: null, problem: `Curbline has no payment with PaymentIntent ${stranger.id}` })

    const list = await t.request('/api/v1/finance/payouts?reconciliation=mismatched', { as: finance })
    const payouts = (await list.json()) as { payouts: { id: string }[]; totals: { byStatus: Record<string, number> } }
    expect(payouts.payouts.map((p) => p.id)).toEqual([payout.id])
    expect(payouts.totals.byStatus.mismatched).toBe(1)
  })

  it('matches a refund Stripe failed and a payout the bank returned when the next payout carries them back', async () => {
    const [first] = [await paidByCard(), await paidByCard()]
    const refunded = await t.request(`/api/v1/payments/${first!.payment}/refunds`, {
      method: 'POST',
      as: finance,
      headers: { 'idempotency-key': randomUUID() },
      json: { amountCents: 700, reason: 'Paid twice' },
    })
    expect(refunded.status).toBe(201)
    const returned = stripe.payoutPending('failed')
    await deliver('payout.failed', returned)
    const [refund] = await db.sql<{ re: string }[]>`
      select stripe_refund_id as re from payments.refund where public_id = ${(await refunded.json()).id}`
    await deliver('refund.failed', stripe.failRefund(refund!.re))
    await paidByCard()
    const payout = await paidPayout()
    expect(payout.amount).toBe(returned.amount + 700 + 3000 - 117)

    const result = await reconcilePayout(db.sql, client, payout.id)
    expect(result).toMatchObject({ status: 'matched', itemCount: 4, unmatchedCount: 0, feesPostedCents: 0 })
    const items = await db.sql<{ type: string; matched_kind: string }[]>`
      select i.type, i.matched_kind from finance.payout_item i join payments.payout p on p.id = i.payout_id
       where p.stripe_payout_id = ${payout.id} order by i.type`
    expect(items).toEqual([
      { type: 'adjustment', matched_kind: 'refund' },
      { type: 'charge', matched_kind: 'payment' },
      { type: 'payout', matched_kind: 'payout' },
      { type: 'payout_failure', matched_kind: 'payout' },
    ])
  })

  it('checks that the items sum to the payout, and raises a payout mismatch when they do not', async () => {
    await paidByCard()
    await paidByCard()
    const payout = await paidPayout()
    const all = await client.balanceTransactions.list({ payout: payout.id, limit: 100, expand: ['data.source'] }).autoPagingToArray({ limit: 100 })
    const charge = all.find((b) => b.type === 'charge')
    // one charge missing from what Stripe listed: the rest matches, but not the sum
    const result = await recordPayoutItems(db.sql, payout.id, all.filter((b) => b !== charge).map(payoutItemOf))
    expect(result).toMatchObject({ status: 'mismatched', unmatchedCount: 0, netTotalCents: payout.amount - 2883 })
    const [raised] = await db.sql<{ kind: string; amount_cents: number }[]>`
      select kind, amount_cents from finance.exception where key = ${`payout:${payout.id}:mismatch`}`
    expect(raised).toEqual({ kind: 'payout_mismatch', amount_cents: 2883 })
    // Stripe's full list matches; the exception stays for finance to resolve
    expect(await reconcilePayout(db.sql, client, payout.id)).toMatchObject({ status: 'matched', itemCount: 3 })
  })

  it('reconciles by the quarter-hourly job each paid payout not yet reconciled, and refuses one not paid', async () => {
    await paidByCard()
    const payout = await paidPayout()
    await payoutReconciliation.run({ sql: db.sql, config: { ...db.config, ...STRIPE_TEST_CONFIG }, log: createLogger().child({}) }, {}, { id: 'test' })
    const [row] = await db.sql<{ status: string }[]>`
      select r.status from finance.payout_reconciliation r join payments.payout p on p.id = r.payout_id
       where p.stripe_payout_id = ${payout.id}`
    expect(row).toEqual({ status: 'matched' })

    await paidByCard()
    const pending = stripe.payoutPending('in_transit')
    expect((await reconcile(pending.id)).status).toBe(409)
    expect((await reconcile('po_nosuchpayout')).status).toBe(404)
    expect((await reconcile('not-a-payout')).status).toBe(400)
  })

  it('lets only finance and administrators see or reconcile payouts', async () => {
    const payout = await paidPayout().catch(() => null)
    const id = payout?.id ?? 'po_any'
    for (const [path, method] of [
      ['/api/v1/finance/payouts', 'GET'],
      [`/api/v1/finance/payouts/${id}`, 'GET'],
      [`/api/v1/finance/payouts/${id}/reconcile`, 'POST'],
    ] as const) {
      expect((await t.request(path, { method, as: driver })).status).toBe(403)
      expect((await t.request(path, { method })).status).toBe(401)
    }
  })
})
