import { z } from 'zod'

const Cents = z.number().int()
const IsoDay = z.iso.date().describe('A day, YYYY-MM-DD (city time zone)')
const Limit = z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many rows (1-1000, default 100)')
const Flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional()

const Range = {
  from: IsoDay.optional().describe('From this day (inclusive)'),
  to: IsoDay.optional().describe('Up to this day (inclusive)'),
}
const ordered = (r: { from?: string; to?: string }) => !r.from || !r.to || r.from <= r.to
const backwards = { message: 'from must not be after to', path: ['from'] }

// ---- Stripe payouts ----

export const PayoutParams = z.object({
  id: z
    .string()
    .regex(/^po_[A-Za-z0-9]{1,100}$/, 'A Stripe payout id, po_...')
    .describe("The payout's Stripe id (po_...), as on the bank statement and Stripe's dashboard"),
})

export const PayoutQuery = z
  .object({
    ...Range,
    reconciliation: z
      .enum(['matched', 'mismatched', 'unreconciled'])
      .optional()
      .describe('Only payouts whose reconciliation is this'),
    limit: Limit,
  })
  .refine(ordered, backwards)
export type PayoutQuery = z.infer<typeof PayoutQuery>

export const PayoutSummary = z.object({
  id: z.string().describe("Stripe's payout id"),
  amountCents: Cents.describe('What Stripe paid to the bank'),
  currency: z.string(),
  status: z.string().describe("Stripe's status: paid, failed, ..."),
  arrivalDate: z.string().nullable().describe('The day the bank receives it'),
  reconciliation: z
    .enum(['matched', 'mismatched', 'unreconciled'])
    .describe('matched: every item matched Curbline and their net sums to the amount'),
  netTotalCents: Cents.nullable().describe("Σ net of the payout's items (its own withdrawal aside); null until reconciled"),
  itemCount: z.number().int().nullable(),
  unmatchedCount: z.number().int().nullable().describe('Items Curbline has no record of, or a record that disagrees'),
  reconciledAt: z.string().nullable(),
})
export type PayoutSummary = z.infer<typeof PayoutSummary>

export const PayoutList = z.object({
  payouts: z.array(PayoutSummary).describe('Newest arrival first'),
  totals: z
    .object({
      count: z.number().int(),
      amountCents: Cents,
      byStatus: z.record(z.string(), z.number().int()).describe('Payouts per reconciliation status'),
    })
    .describe('Over every payout the filter matches, not only this page'),
})
export type PayoutList = z.infer<typeof PayoutList>

export const PayoutItemQuery = z.object({
  problems: Flag.describe('true: only the items that did not match'),
  limit: z.coerce.number().int().min(1).max(5000).default(500).describe('JSON only; the CSV has every item'),
  offset: z.coerce.number().int().min(0).default(0),
})

export const PayoutItemView = z.object({
  balanceTransaction: z.string().describe("Stripe's balance transaction id (txn_...)"),
  type: z.string().describe("Stripe's type: charge, refund, adjustment (disputes), payout, payout_failure, ..."),
  amountCents: Cents,
  feeCents: Cents,
  netCents: Cents,
  source: z.string().nullable().describe("Stripe's source id: the charge, refund, dispute or payout"),
  matched: z
    .object({
      kind: z.enum(['payment', 'refund', 'dispute', 'payout']),
      id: z.string().describe("A payment's or refund's Curbline id; a dispute's or payout's Stripe id"),
      purpose: z.string().nullable().describe("A payment's purpose: session, permit, citation, account_balance"),
    })
    .nullable()
    .describe('The Curbline record it matched; null when there is none'),
  problem: z.string().nullable().describe('Why it does not reconcile; null when it does'),
})
export type PayoutItemView = z.infer<typeof PayoutItemView>

export const PayoutDetail = PayoutSummary.extend({
  items: z.array(PayoutItemView).describe('Problems first, then in the order Stripe listed them'),
})
export type PayoutDetail = z.infer<typeof PayoutDetail>

export const ReconciliationView = z.object({
  payout: z.string(),
  status: z.enum(['matched', 'mismatched']),
  payoutAmountCents: Cents,
  netTotalCents: Cents,
  itemCount: z.number().int(),
  unmatchedCount: z.number().int(),
  feesPostedCents: Cents.describe("Stripe's fees (dispute fees) that no Curbline entry posted, posted by the reconciliation"),
  reconciledAt: z.string(),
})
export type ReconciliationView = z.infer<typeof ReconciliationView>

// ---- Kiosk and gate cash ----

export const CashDeviceView = z.object({
  deviceId: z.number().int(),
  kind: z.enum(['kiosk', 'gate']),
  name: z.string(),
  facility: z.string().nullable().describe('The facility code where it stands'),
  revoked: z.boolean(),
  account: z.string().describe('Its cash ledger account, cash:kiosk:<id> or cash:gate:<id>'),
  expectedCents: Cents.describe('The cash its sales left in the box since the last collection'),
  lastCollectedAt: z.string().nullable(),
})

export const CashDeviceList = z.object({
  devices: z.array(CashDeviceView),
  totalExpectedCents: Cents,
  inTransitCents: Cents.describe('Cash collected and not yet deposited at the bank'),
})
export type CashDeviceList = z.infer<typeof CashDeviceList>

export const CollectionQuery = z
  .object({
    deviceId: z.coerce.number().int().positive().optional().describe('Only this kiosk or gate'),
    ...Range,
    undeposited: Flag.describe('true: only collections no deposit slip carries yet; false: only deposited ones'),
    limit: Limit,
  })
  .refine(ordered, backwards)
export type CollectionQuery = z.infer<typeof CollectionQuery>

export const CollectionBody = z.object({
  deviceId: z.number().int().positive().describe('The kiosk or gate pay machine emptied'),
  countedCents: z.number().int().min(0).max(100_000_000).describe('The cash counted out of its box'),
  collectedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When the box was emptied (ISO 8601); now when omitted'),
  note: z.string().trim().max(500).optional(),
})
export type CollectionBody = z.infer<typeof CollectionBody>

export const CollectionView = z.object({
  id: z.string().describe('The collection id (UUID), which a deposit slip lists'),
  deviceId: z.number().int(),
  deviceKind: z.enum(['kiosk', 'gate']),
  deviceName: z.string(),
  collectedAt: z.string(),
  countedCents: Cents,
  expectedCents: Cents.describe("The box's cash account balance when it was collected"),
  overShortCents: Cents.describe('Counted less expected: positive over, negative short'),
  beyondTolerance: z.boolean().describe('Over or short by more than the tolerance: an exception was raised'),
  exceptionId: z.number().int().nullable(),
  collectedBy: z.string().nullable(),
  entryId: z.number().int().describe('The ledger entry that moved the cash to in transit'),
  depositSlip: z.string().nullable().describe('The deposit slip that carried it to the bank; null while undeposited'),
  note: z.string().nullable(),
})
export type CollectionView = z.infer<typeof CollectionView>

export const CollectionList = z.object({
  collections: z.array(CollectionView).describe('Newest first'),
  totals: z
    .object({ count: z.number().int(), countedCents: Cents, expectedCents: Cents, overShortCents: Cents })
    .describe('Over every collection the filter matches, not only this page'),
})
export type CollectionList = z.infer<typeof CollectionList>

export const DepositQuery = z
  .object({
    ...Range,
    status: z.enum(['matched', 'mismatched']).optional(),
    limit: Limit,
  })
  .refine(ordered, backwards)
export type DepositQuery = z.infer<typeof DepositQuery>

export const DepositBody = z.object({
  slipNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'Letters, digits and dashes, at most 40')
    .describe("The bank's deposit slip number; each is entered once"),
  depositedOn: IsoDay.describe('The day the bank took the deposit'),
  amountCents: z.number().int().positive().max(1_000_000_000).describe('The amount on the slip'),
  collectionIds: z
    .array(z.uuid('A collection id (UUID)'))
    .min(1, 'List the collections this slip carries')
    .max(1000)
    .describe('The undeposited collections the slip carries'),
})
export type DepositBody = z.infer<typeof DepositBody>

export const DepositView = z.object({
  id: z.number().int(),
  slipNumber: z.string(),
  depositedOn: z.string(),
  amountCents: Cents.describe('The amount on the slip, debited to the bank'),
  collectionsCents: Cents.describe('Σ counted of its collections, credited to cash in transit'),
  differenceCents: Cents.describe('Slip less collections, posted to reconciliation differences'),
  status: z.enum(['matched', 'mismatched']),
  collectionIds: z.array(z.string()),
  exceptionId: z.number().int().nullable(),
  enteredBy: z.string().nullable(),
  entryId: z.number().int(),
  createdAt: z.string(),
})
export type DepositView = z.infer<typeof DepositView>

export const DepositList = z.object({
  deposits: z.array(DepositView).describe('Newest deposit day first'),
  totals: z
    .object({ count: z.number().int(), amountCents: Cents, collectionsCents: Cents })
    .describe('Over every deposit the filter matches, not only this page'),
})

export type DepositList = z.infer<typeof DepositList>