import { z } from 'zod'

export const IsoDay = z.iso.date().describe('A business day in the city time zone, e.g. 2026-11-25')

export const DayParam = z.object({ day: IsoDay })

export const DayRange = z
  .object({ from: IsoDay, to: IsoDay })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 92 * 86_400_000, {
    message: 'At most 93 days at a time',
    path: ['to'],
  })

export const GlRange = z
  .object({ from: IsoDay, to: IsoDay })
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['from'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, {
    message: 'At most a year at a time',
    path: ['to'],
  })

const Cents = z.number().int()

export const DayStatusView = z.object({
  day: z.string(),
  status: z.enum(['open', 'closed', 'failed']),
  closedAt: z.string().nullable(),
  closedBy: z.number().int().nullable(),
  revenueCents: Cents.describe("A closed day's revenue from its close; an open day's from the ledger as it stands"),
  entries: z.number().int(),
  priorPeriodEntries: z.number().int(),
  failure: z.string().nullable(),
})
export type DayStatusView = z.infer<typeof DayStatusView>

export const DayList = z.object({ days: z.array(DayStatusView) })
export type DayList = z.infer<typeof DayList>

export const RevenueCellView = z.object({
  account: z.string(),
  fund: z.string(),
  facility: z.string(),
  facilityCode: z.string().nullable(),
  channel: z.string(),
  method: z.string(),
  cents: Cents,
  entries: z.number().int(),
})

const Count = z.object({ count: z.number().int(), cents: Cents })

export const CloseReportView = z.object({
  day: z.string(),
  revenue: z.array(RevenueCellView),
  totals: z.object({
    revenueCents: Cents,
    byFund: z.record(z.string(), Cents),
    byMethod: z.record(z.string(), Cents),
    byChannel: z.record(z.string(), Cents),
  }),
  counts: z.object({
    entries: z.number().int(),
    sessions: z.record(z.string(), z.number().int()),
    permitCharges: z.record(z.string(), Count),
    citations: z.object({ count: z.number().int(), fineCents: Cents }),
  }),
  refunds: z.object({ card: Count, parking: Count }),
  disputes: z.object({ count: z.number().int(), cents: Cents, byStatus: z.record(z.string(), z.number().int()) }),
  priorPeriod: z.array(
    z.object({ entryId: z.number().int(), occurredOn: z.string(), description: z.string(), revenueCents: Cents }),
  ),
  check: z.object({
    ledgerRevenueCents: Cents,
    breakdownRevenueCents: Cents,
    trialBalanceCents: Cents,
    differences: z.array(z.object({ account: z.string(), ledgerCents: Cents, breakdownCents: Cents })),
    equal: z.boolean(),
  }),
})
export type CloseReportView = z.infer<typeof CloseReportView>

export const DayView = z.object({
  status: DayStatusView,
  report: CloseReportView.describe("A closed day's stored report; an open day's as the ledger stands now"),
  live: z.boolean().describe('True when the report is computed now, not the one stored by the close'),
})
export type DayView = z.infer<typeof DayView>

export const CloseView = DayView.extend({ closedNow: z.boolean() })
export type CloseView = z.infer<typeof CloseView>

export const RevenueSeries = z.object({
  points: z.array(
    z.object({ day: z.string(), facility: z.string(), channel: z.string(), method: z.string(), fund: z.string(), cents: Cents }),
  ),
})
export type RevenueSeries = z.infer<typeof RevenueSeries>

export const ExceptionKind = z.enum([
  'payout_mismatch', 'payout_item_unmatched', 'cash_over_short', 'deposit_mismatch',
  'cycle_line_rejected', 'close_mismatch', 'cis_payment_unmatched',
])

export const ExceptionQuery = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  kind: ExceptionKind.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export const ExceptionView = z.object({
  id: z.number().int(),
  kind: ExceptionKind,
  summary: z.string(),
  amountCents: Cents.nullable(),
  evidence: z.record(z.string(), z.unknown()),
  status: z.enum(['open', 'resolved']),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  resolvedEntryId: z.number().int().nullable(),
  resolvedBy: z.number().int().nullable(),
  resolvedAt: z.string().nullable(),
  createdAt: z.string(),
})
export type ExceptionView = z.infer<typeof ExceptionView>

export const ExceptionList = z.object({ exceptions: z.array(ExceptionView) })
export type ExceptionList = z.infer<typeof ExceptionList>

export const AssignBody = z.object({
  ownerId: z.number().int().positive().nullable().describe('A finance or admin user; null to unassign'),
})

const AccountCode = z.string().trim().min(3).max(100).regex(/^[a-z_]+(:[A-Za-z0-9_-]+)*$/, 'a ledger account code')

export const ResolveBody = z.object({
  note: z.string().trim().min(3).max(2000).describe('What was found and done'),
  entry: z
    .object({
      description: z.string().trim().min(3).max(200),
      lines: z
        .array(z.object({ account: AccountCode, amountCents: z.number().int().refine((n) => n !== 0, 'not zero') }))
        .min(2)
        .max(20)
        .refine((ls) => ls.reduce((s, l) => s + l.amountCents, 0) === 0, 'Debits (positive) and credits (negative) must balance'),
    })
    .optional()
    .describe('The adjusting entry that settles it, when the fix moves money'),
})

export const FinanceUsers = z.object({
  users: z.array(z.object({ id: z.number().int(), name: z.string(), role: z.string() })),
})
export type FinanceUsers = z.infer<typeof FinanceUsers>

export const FundRevenueList = z.object({
  from: z.string(),
  to: z.string(),
  funds: z.array(z.object({ fund: z.string(), revenueCents: Cents })),
})
export type FundRevenueList = z.infer<typeof FundRevenueList>
