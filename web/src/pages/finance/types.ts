// The finance API's replies as the console reads them (api/finance/*schemas.ts are the contract).

export type DayStatusName = 'open' | 'closed' | 'failed'

export interface DayStatus {
  day: string
  status: DayStatusName
  closedAt: string | null
  closedBy: number | null
  revenueCents: number
  entries: number
  priorPeriodEntries: number
  failure: string | null
}

export interface RevenueCell {
  account: string
  fund: string
  facility: string
  facilityCode: string | null
  channel: string
  method: string
  cents: number
  entries: number
}

interface Count {
  count: number
  cents: number
}

export interface CloseReport {
  day: string
  revenue: RevenueCell[]
  totals: {
    revenueCents: number
    byFund: Record<string, number>
    byMethod: Record<string, number>
    byChannel: Record<string, number>
  }
  counts: {
    entries: number
    sessions: Record<string, number>
    permitCharges: Record<string, Count>
    citations: { count: number; fineCents: number }
  }
  refunds: { card: Count; parking: Count }
  disputes: { count: number; cents: number; byStatus: Record<string, number> }
  priorPeriod: { entryId: number; occurredOn: string; description: string; revenueCents: number }[]
  check: {
    ledgerRevenueCents: number
    breakdownRevenueCents: number
    trialBalanceCents: number
    differences: { account: string; ledgerCents: number; breakdownCents: number }[]
    equal: boolean
  }
}

export interface DayView {
  status: DayStatus
  report: CloseReport
  live: boolean
}

export interface RevenuePoint {
  day: string
  facility: string
  channel: string
  method: string
  fund: string
  cents: number
}

export type ExceptionKind =
  | 'payout_mismatch'
  | 'payout_item_unmatched'
  | 'cash_over_short'
  | 'deposit_mismatch'
  | 'cycle_line_rejected'
  | 'close_mismatch'
  | 'cis_payment_unmatched'

export const EXCEPTION_KINDS: Record<ExceptionKind, string> = {
  payout_mismatch: 'Payout does not add up',
  payout_item_unmatched: 'Payout item not matched',
  cash_over_short: 'Cash over or short',
  deposit_mismatch: 'Deposit does not match',
  cycle_line_rejected: 'Bill-cycle line rejected',
  close_mismatch: 'Close disagrees with ledger',
  cis_payment_unmatched: 'CIS payment not matched',
}

export interface FinanceException {
  id: number
  kind: ExceptionKind
  summary: string
  amountCents: number | null
  evidence: Record<string, unknown>
  status: 'open' | 'resolved'
  ownerId: number | null
  ownerName: string | null
  resolutionNote: string | null
  resolvedEntryId: number | null
  resolvedBy: number | null
  resolvedAt: string | null
  createdAt: string
}

export interface FinanceUser {
  id: number
  name: string
  role: string
}

export type Reconciliation = 'matched' | 'mismatched' | 'unreconciled'

export interface PayoutSummary {
  id: string
  amountCents: number
  currency: string
  status: string
  arrivalDate: string | null
  reconciliation: Reconciliation
  netTotalCents: number | null
  itemCount: number | null
  unmatchedCount: number | null
  reconciledAt: string | null
}

export interface PayoutList {
  payouts: PayoutSummary[]
  totals: { count: number; amountCents: number; byStatus: Record<string, number> }
}

export interface PayoutItem {
  balanceTransaction: string
  type: string
  amountCents: number
  feeCents: number
  netCents: number
  source: string | null
  matched: {
    kind: 'payment' | 'refund' | 'dispute' | 'payout'
    id: string
    purpose: string | null
  } | null
  problem: string | null
}

export interface PayoutDetail extends PayoutSummary {
  items: PayoutItem[]
}

export interface ReconciliationResult {
  payout: string
  status: 'matched' | 'mismatched'
  payoutAmountCents: number
  netTotalCents: number
  itemCount: number
  unmatchedCount: number
  feesPostedCents: number
  reconciledAt: string
}

export interface CashDevice {
  deviceId: number
  kind: 'kiosk' | 'gate'
  name: string
  facility: string | null
  revoked: boolean
  account: string
  expectedCents: number
  lastCollectedAt: string | null
}

export interface CashDeviceList {
  devices: CashDevice[]
  totalExpectedCents: number
  inTransitCents: number
}

export interface Collection {
  id: string
  deviceId: number
  deviceKind: 'kiosk' | 'gate'
  deviceName: string
  collectedAt: string
  countedCents: number
  expectedCents: number
  overShortCents: number
  beyondTolerance: boolean
  exceptionId: number | null
  collectedBy: string | null
  entryId: number
  depositSlip: string | null
  note: string | null
}

export interface CollectionList {
  collections: Collection[]
  totals: { count: number; countedCents: number; expectedCents: number; overShortCents: number }
}

export interface Deposit {
  id: number
  slipNumber: string
  depositedOn: string
  amountCents: number
  collectionsCents: number
  differenceCents: number
  status: 'matched' | 'mismatched'
  collectionIds: string[]
  exceptionId: number | null
  enteredBy: string | null
  entryId: number
  createdAt: string
}

export interface DepositList {
  deposits: Deposit[]
  totals: { count: number; amountCents: number; collectionsCents: number }
}

export type ExportStatus = 'running' | 'done' | 'failed'

export interface CalendarDate {
  cycle: number
  billingDate: string
  exportId: number | null
  exportStatus: ExportStatus | null
}

export interface CycleCalendar {
  year: number
  dates: CalendarDate[]
}

export interface CycleExport {
  id: number
  cycle: number
  billingDate: string
  status: ExportStatus
  lineCount: number
  totalCents: number
  sha256: string | null
  failure: string | null
  startedAt: string
  finishedAt: string | null
  lines: { exported: number; billed: number; rejected: number; requeued: number }
  fileName: string
  fileUrl: string
}

export interface ExportList {
  exports: CycleExport[]
  summary: { running: number; done: number; failed: number; lines: number; totalCents: number }
}

export interface CycleLine {
  id: number
  exportId: number
  lineNo: number
  reference: string
  utilityAccountId: number
  accountNumber: string
  chargeCode: string
  amountCents: number
  description: string
  status: 'exported' | 'billed' | 'rejected' | 'requeued'
  attempt: number
  entryId: number
  postingId: number
  rejectReason: string | null
  cisBillId: string | null
  acknowledgedAt: string | null
}

export interface ExportDetail extends CycleExport {
  lineList: CycleLine[]
}

export interface FileErrors {
  errorCount: number
  errors: { line: number; field: string; message: string }[]
}

export interface AckResult {
  sha256: string
  rows: number
  billed: number
  rejected: number
  unchanged: number
  exceptionIds: number[]
}

export interface PaymentImportResult {
  sha256: string
  rows: number
  posted: number
  unchanged: number
  postedCents: number
  entryIds: number[]
}

export interface CisPayment {
  id: number
  cisTransactionId: string
  utilityAccountId: number
  accountNumber: string
  amountCents: number
  paidOn: string
  reference: string | null
  entryId: number
  importedAt: string
}

export interface FundRevenue {
  from: string
  to: string
  funds: { fund: string; revenueCents: number }[]
}
