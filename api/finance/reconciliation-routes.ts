import type { Context } from 'hono'
import { router } from '../http/route.ts'
import type { AppEnv, Principal } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { principalKey } from '../http/idempotency.ts'
import { dollars } from '../ledger/statement.ts'
import { requireStripe } from '../payments/stripe.ts'
import { listPayouts, payoutByStripeId, payoutItems, reconcilePayout, type PayoutItemRow, type PayoutRow } from './payouts.ts'
import {
  cashDevices,
  listCollections,
  listDeposits,
  recordCollection,
  recordDeposit,
  type BankDeposit,
  type CashCollection,
} from './cash.ts'
import {
  CashDeviceList,
  CollectionBody,
  CollectionList,
  CollectionQuery,
  CollectionView,
  DepositBody,
  DepositList,
  DepositQuery,
  DepositView,
  PayoutDetail,
  PayoutItemQuery,
  PayoutList,
  PayoutParams,
  PayoutQuery,
  ReconciliationView,
  type PayoutItemView,
  type PayoutSummary,
} from './reconciliation-schemas.ts'

export const reconciliation = router('/finance', 'Finance')

const FINANCE = ['finance', 'admin'] as const

const wantsCsv = (c: Context<AppEnv>) => /\btext\/csv\b/i.test(c.req.header('accept') ?? '')

// a spreadsheet runs a cell that starts with = + - @ as a formula; text never should
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) {
    return ''
  }
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^-\d+(\.\d+)?$/.test(value) ? `'${value}` : String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function csv(c: Context<AppEnv>, name: string, header: string[], rows: (string | number | null)[][]): Response {
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
  return c.body(text, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
  })
}

const userOf = (principal: Principal | null): Principal => {
  if (!principal) {
    throw new AppError('unauthenticated', 'Sign in to do this')
  }
  return principal
}

const payoutSummary = (p: PayoutRow): PayoutSummary => ({
  id: p.stripe_payout_id,
  amountCents: p.amount_cents,
  currency: p.currency,
  status: p.status,
  arrivalDate: p.arrival_date,
  reconciliation: p.reconciliation ?? 'unreconciled',
  netTotalCents: p.net_total_cents,
  itemCount: p.item_count,
  unmatchedCount: p.unmatched_count,
  reconciledAt: p.reconciled_at?.toISOString() ?? null,
})

const itemView = (i: PayoutItemRow): PayoutItemView => ({
  balanceTransaction: i.balance_transaction_id,
  type: i.type,
  amountCents: i.amount_cents,
  feeCents: i.fee_cents,
  netCents: i.net_cents,
  source: i.source_id,
  matched:
    i.matched_kind && i.matched_ref
      ? { kind: i.matched_kind, id: i.matched_ref, purpose: i.matched_purpose }
      : null,
  problem: i.problem,
})

reconciliation.route(
  {
    method: 'get',
    path: '/payouts',
    summary: 'Stripe payouts with their reconciliation status and totals',
    description:
      'Payouts by arrival date, newest first, each matched, mismatched or not yet reconciled (a job ' +
      'reconciles paid payouts every quarter hour), with totals over every payout the filter matches. ' +
      'Send Accept: text/csv for a spreadsheet.',
    access: FINANCE,
    query: PayoutQuery,
    responses: {
      200: { description: 'Payouts and totals', schema: PayoutList, alsoAs: ['text/csv'] },
      400: { description: 'A date or filter is malformed' },
    },
  },
  async (c, { query }) => {
    const { payouts, totals } = await listPayouts(c.get('deps').sql, query)
    const views = payouts.map(payoutSummary)
    if (wantsCsv(c)) {
      return csv(
        c,
        'stripe-payouts.csv',
        ['payout', 'arrival_date', 'status', 'amount', 'reconciliation', 'net_total', 'items', 'unmatched', 'reconciled_at'],
        views.map((p) => [
          p.id,
          p.arrivalDate,
          p.status,
          dollars(p.amountCents),
          p.reconciliation,
          p.netTotalCents === null ? null : dollars(p.netTotalCents),
          p.itemCount,
          p.unmatchedCount,
          p.reconciledAt,
        ]),
      )
    }
    return c.json({ payouts: views, totals } satisfies PayoutList)
  },
)

reconciliation.route(
  {
    method: 'get',
    path: '/payouts/:id',
    summary: "A payout's balance transactions, each with the Curbline record it matched",
    description:
      'Items that did not match come first, each with its problem. The JSON is paged (limit, offset); ' +
      'send Accept: text/csv for every item in one spreadsheet.',
    access: FINANCE,
    params: PayoutParams,
    query: PayoutItemQuery,
    responses: {
      200: { description: 'The payout and its items', schema: PayoutDetail, alsoAs: ['text/csv'] },
      400: { description: 'Not a Stripe payout id, or a bad filter' },
      404: { description: 'Curbline has no such payout (its webhook has not come)' },
    },
  },
  async (c, { params, query }) => {
    const { sql } = c.get('deps')
    const payout = await payoutByStripeId(sql, params.id)
    if (wantsCsv(c)) {
      const items = await payoutItems(sql, payout.id, { problemsOnly: query.problems, limit: null })
      return csv(
        c,
        `payout-${payout.stripe_payout_id}.csv`,
        ['balance_transaction', 'type', 'amount', 'fee', 'net', 'source', 'matched_kind', 'matched_id', 'purpose', 'problem'],
        items.map((i) => [
          i.balance_transaction_id,
          i.type,
          dollars(i.amount_cents),
          dollars(i.fee_cents),
          dollars(i.net_cents),
          i.source_id,
          i.matched_kind,
          i.matched_ref,
          i.matched_purpose,
          i.problem,
        ]),
      )
    }
    const items = await payoutItems(sql, payout.id, {
      problemsOnly: query.problems,
      limit: query.limit,
      offset: query.offset,
    })
    return c.json({ ...payoutSummary(payout), items: items.map(itemView) } satisfies PayoutDetail)
  },
)

reconciliation.route(
  {
    method: 'post',
    path: '/payouts/:id/reconcile',
    summary: 'Reconcile a paid payout now',
    description:
      "Lists the payout's balance transactions from Stripe, matches each to Curbline's payments, " +
      'refunds, disputes and payouts, and checks their net sums to the payout. Running it again gives ' +
      'the same result and raises no exception twice. A payout whose webhook has not come yet is ' +
      'posted (Dr bank, Cr Stripe clearing) first.',
    access: FINANCE,
    params: PayoutParams,
    responses: {
      200: { description: 'The reconciliation', schema: ReconciliationView },
      404: { description: 'Stripe has no such payout' },
      409: { description: 'The payout is not paid' },
      503: { description: 'Card payments are switched off, or Stripe cannot be reached' },
    },
  },
  async (c, { params, principal }) => {
    const { sql, config } = c.get('deps')
    userOf(principal)
    const stripe = requireStripe(config)
    let result
    try {
      result = await reconcilePayout(sql, stripe, params.id)
    } catch (err) {
      if ((err as { type?: string; statusCode?: number }).statusCode === 404) {
        throw new AppError('not_found', `Stripe has no payout ${params.id}`)
      }
      throw err
    }
    return c.json({
      payout: result.stripePayoutId,
      status: result.status,
      payoutAmountCents: result.payoutAmountCents,
      netTotalCents: result.netTotalCents,
      itemCount: result.itemCount,
      unmatchedCount: result.unmatchedCount,
      feesPostedCents: result.feesPostedCents,
      reconciledAt: result.reconciledAt.toISOString(),
    } satisfies ReconciliationView)
  },
)

reconciliation.route(
  {
    method: 'get',
    path: '/cash/devices',
    summary: 'Every kiosk and gate pay machine with the cash its box should hold now',
    description:
      "Expected cash is the balance of the device's cash account: what its cash sales left since the " +
      'last collection. Also the cash collected and not yet deposited (in transit).',
    access: FINANCE,
    responses: {
      200: { description: 'Devices and expected cash', schema: CashDeviceList },
    },
  },
  async (c) => {
    const { devices, inTransitCents } = await cashDevices(c.get('deps').sql)
    return c.json({
      devices: devices.map((d) => ({
        deviceId: d.id,
        kind: d.kind,
        name: d.name,
        facility: d.facility,
        revoked: d.revoked,
        account: d.account,
        expectedCents: d.expected_cents,
        lastCollectedAt: d.last_collected_at?.toISOString() ?? null,
      })),
      totalExpectedCents: devices.reduce((sum, d) => sum + d.expected_cents, 0),
      inTransitCents,
    } satisfies CashDeviceList)
  },
)

const collectionView = (x: CashCollection, toleranceCents: number): CollectionView => ({
  id: x.public_id,
  deviceId: x.device_id,
  deviceKind: x.device_kind,
  deviceName: x.device_name,
  collectedAt: x.collected_at.toISOString(),
  countedCents: x.counted_cents,
  expectedCents: x.expected_cents,
  overShortCents: x.over_short_cents,
  beyondTolerance: x.exception_id !== null || Math.abs(x.over_short_cents) > toleranceCents,
  exceptionId: x.exception_id,
  collectedBy: x.collected_by_name,
  entryId: x.entry_id,
  depositSlip: x.slip_number,
  note: x.note,
})

reconciliation.route(
  {
    method: 'get',
    path: '/cash/collections',
    summary: 'Cash collections from kiosks and gates, counted against what was expected',
    description:
      'Newest first; by device, by city-local day range, undeposited or deposited, with totals over ' +
      'every collection the filter matches. Send Accept: text/csv for a spreadsheet.',
    access: FINANCE,
    query: CollectionQuery,
    responses: {
      200: { description: 'Collections and totals', schema: CollectionList, alsoAs: ['text/csv'] },
      400: { description: 'A date or filter is malformed' },
    },
  },
  async (c, { query }) => {
    const { sql, config } = c.get('deps')
    const { collections, totals } = await listCollections(sql, { ...query, timeZone: config.CITY_TIME_ZONE })
    const views = collections.map((x) => collectionView(x, config.FINANCE_CASH_TOLERANCE_CENTS))
    if (wantsCsv(c)) {
      return csv(
        c,
        'cash-collections.csv',
        ['collection', 'device_id', 'device', 'kind', 'collected_at', 'counted', 'expected', 'over_short', 'deposit_slip', 'collected_by', 'note'],
        views.map((x) => [
          x.id,
          x.deviceId,
          x.deviceName,
          x.deviceKind,
          x.collectedAt,
          dollars(x.countedCents),
          dollars(x.expectedCents),
          dollars(x.overShortCents),
          x.depositSlip,
          x.collectedBy,
          x.note,
        ]),
      )
    }
    return c.json({ collections: views, totals } satisfies CollectionList)
  },
)

reconciliation.route(
  {
    method: 'post',
    path: '/cash/collections',
    summary: "Record cash taken out of a kiosk's or gate's box, as counted",
    description:
      "Counted against the box's expected cash (its sales since the last collection): one ledger " +
      'entry moves the count to cash in transit, clears the box and posts any difference to cash ' +
      'over/short; beyond FINANCE_CASH_TOLERANCE_CENTS an exception is raised. Needs an ' +
      'Idempotency-Key: a retry returns the same collection.',
    access: FINANCE,
    body: CollectionBody,
    idempotency: 'domain',
    responses: {
      201: { description: 'The collection', schema: CollectionView },
      400: { description: 'Not a kiosk or gate, a bad count, a time in the future, or no Idempotency-Key' },
      404: { description: 'No such device' },
      409: { description: 'Nothing counted and nothing expected' },
      422: { description: 'The Idempotency-Key was used for a different collection' },
    },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const who = userOf(principal)
    // 'domain' mode leaves a missing key to the handler: a collection is never taken without one
    const key = c.req.header('idempotency-key')
    if (!key) {
      throw new AppError('invalid', 'This request needs an Idempotency-Key header (a unique id per attempt)', [
        { field: 'headers.idempotency-key', message: 'Required' },
      ])
    }
    const collection = await recordCollection(sql, who, {
      deviceId: body.deviceId,
      countedCents: body.countedCents,
      collectedAt: body.collectedAt ? new Date(body.collectedAt) : undefined,
      note: body.note ?? null,
      key: `collection:${principalKey(principal, c)}:${key}`,
      toleranceCents: config.FINANCE_CASH_TOLERANCE_CENTS,
    })
    return c.json(collectionView(collection, config.FINANCE_CASH_TOLERANCE_CENTS), 201)
  },
)

const depositView = (d: BankDeposit): DepositView => ({
  id: d.id,
  slipNumber: d.slip_number,
  depositedOn: d.deposited_on,
  amountCents: d.amount_cents,
  collectionsCents: d.collections_cents,
  differenceCents: d.difference_cents,
  status: d.status,
  collectionIds: d.collection_ids,
  exceptionId: d.exception_id,
  enteredBy: d.entered_by_name,
  entryId: d.entry_id,
  createdAt: d.created_at.toISOString(),
})

reconciliation.route(
  {
    method: 'get',
    path: '/deposits',
    summary: 'Bank deposit slips of collected cash, matched or not',
    description:
      'Newest deposit day first, each with the collections it carried, with totals over every deposit ' +
      'the filter matches. Send Accept: text/csv for a spreadsheet.',
    access: FINANCE,
    query: DepositQuery,
    responses: {
      200: { description: 'Deposits and totals', schema: DepositList, alsoAs: ['text/csv'] },
      400: { description: 'A date or filter is malformed' },
    },
  },
  async (c, { query }) => {
    const { deposits, totals } = await listDeposits(c.get('deps').sql, query)
    const views = deposits.map(depositView)
    if (wantsCsv(c)) {
      return csv(
        c,
        'bank-deposits.csv',
        ['slip_number', 'deposited_on', 'amount', 'collections', 'difference', 'status', 'collection_count', 'entered_by'],
        views.map((d) => [
          d.slipNumber,
          d.depositedOn,
          dollars(d.amountCents),
          dollars(d.collectionsCents),
          dollars(d.differenceCents),
          d.status,
          d.collectionIds.length,
          d.enteredBy,
        ]),
      )
    }
    return c.json({ deposits: views, totals } satisfies DepositList)
  },
)

reconciliation.route(
  {
    method: 'post',
    path: '/deposits',
    summary: 'Record a bank deposit slip for collected cash',
    description:
      'The slip carries undeposited collections: the bank is debited the slip amount, cash in transit ' +
      'credited what they counted, and any difference goes to reconciliation differences with an ' +
      'exception. A slip number is entered once: the same slip again answers 200 with the deposit; ' +
      'with other content, 409. Needs an Idempotency-Key.',
    access: FINANCE,
    body: DepositBody,
    idempotency: 'required',
    responses: {
      201: { description: 'The deposit', schema: DepositView },
      200: { description: 'This slip was entered already, as sent', schema: DepositView },
      400: { description: 'A bad slip number, a date in the future, an unknown or repeated collection' },
      409: { description: 'The slip was entered with other content, or a collection is deposited already' },
    },
  },
  async (c, { body, principal }) => {
    const { deposit, created } = await recordDeposit(c.get('deps').sql, userOf(principal), body)
    return c.json(depositView(deposit), created ? 201 : 200)
  },
)
