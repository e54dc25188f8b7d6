import { z } from 'zod'
import { CHARGE_CODES } from './cycles.ts'

const Day = z.iso.date().describe('A date, YYYY-MM-DD')
const Cents = z.number().int()
const Cycle = z.coerce.number().int().min(1).max(21).describe('A bill cycle, 1 to 21')

export const ExportStatus = z.enum(['running', 'done', 'failed'])
export const LineStatus = z
  .enum(['exported', 'billed', 'rejected', 'requeued'])
  .describe(
    'exported: in a file, not yet acknowledged; billed: the CIS put it on a bill; rejected: the ' +
      'CIS refused it (an exception is raised); requeued: put back after a rejection, so the next ' +
      'export of its cycle carries the posting again as a new attempt',
  )
export const ChargeCode = z
  .enum(Object.keys(CHARGE_CODES) as [keyof typeof CHARGE_CODES, ...(keyof typeof CHARGE_CODES)[]])
  .describe(
    Object.entries(CHARGE_CODES)
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
  )

export const CalendarQuery = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .describe('The calendar year; this year when left out'),
})
export type CalendarQuery = z.infer<typeof CalendarQuery>

export const CalendarDateView = z.object({
  cycle: z.number().int(),
  billingDate: z.string(),
  exportId: z
    .number()
    .int()
    .nullable()
    .describe('The export of this cycle for this date, once run'),
  exportStatus: ExportStatus.nullable(),
})
export type CalendarDateView = z.infer<typeof CalendarDateView>

export const CalendarView = z.object({
  year: z.number().int(),
  dates: z.array(CalendarDateView).describe('Every billing date of the year, by date and cycle'),
})
export type CalendarView = z.infer<typeof CalendarView>

export const MonthParam = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Write the month as YYYY-MM')
    .describe('YYYY-MM'),
})

export const MonthDatesBody = z.object({
  dates: z
    .array(z.object({ cycle: z.number().int().min(1).max(21), billingDate: Day }))
    .min(1)
    .max(21)
    .describe(
      'The cycles to set and the day of the month each bills on; cycles not listed keep their date',
    ),
})
export type MonthDatesBody = z.infer<typeof MonthDatesBody>

export const MonthView = z.object({ month: z.string(), dates: z.array(CalendarDateView) })

export const CycleExportView = z.object({
  id: z.number().int(),
  cycle: z.number().int(),
  billingDate: z.string(),
  status: ExportStatus.describe(
    'running while it works (and while queued behind other cycles); failed exports run again',
  ),
  lineCount: z.number().int(),
  totalCents: Cents.describe('Sum of the lines, credits negative'),
  sha256: z.string().nullable().describe("SHA-256 of the cycle file's bytes, once done"),
  failure: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  lines: z
    .object({
      exported: z.number().int(),
      billed: z.number().int(),
      rejected: z.number().int(),
      requeued: z.number().int(),
    })
    .describe('How many lines are in each status'),
  fileName: z.string(),
  fileUrl: z.string().describe('Where to download the cycle file (CSV)'),
})
export type CycleExportView = z.infer<typeof CycleExportView>

export const ExportListQuery = z.object({
  cycle: Cycle.optional(),
  billingDate: Day.optional(),
  from: Day.optional().describe('Billing dates from this day'),
  to: Day.optional().describe('Billing dates up to this day'),
  status: ExportStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type ExportListQuery = z.infer<typeof ExportListQuery>

export const ExportList = z.object({
  exports: z.array(CycleExportView),
  summary: z
    .object({
      running: z.number().int(),
      done: z.number().int(),
      failed: z.number().int(),
      lines: z.number().int(),
      totalCents: Cents,
    })
    .describe('Totals of the exports listed: a job in progress shows as running ones turning done'),
})
export type ExportList = z.infer<typeof ExportList>

export const RunExportBody = z.object({
  cycle: z.number().int().min(1).max(21),
  billingDate: Day.describe("One of the cycle's billing dates in the calendar"),
})
export type RunExportBody = z.infer<typeof RunExportBody>

export const DueBody = z.object({
  billingDate: Day.describe('Export every cycle whose billing date this is'),
})
export type DueBody = z.infer<typeof DueBody>

export const CycleLineView = z.object({
  id: z.number().int(),
  exportId: z.number().int(),
  lineNo: z.number().int(),
  reference: z
    .string()
    .describe('CL-<entry>-<posting>, with -<attempt> from the second attempt on'),
  utilityAccountId: z.number().int(),
  accountNumber: z.string(),
  chargeCode: ChargeCode,
  amountCents: Cents.describe('Credits negative'),
  description: z.string(),
  status: LineStatus,
  attempt: z.number().int(),
  entryId: z.number().int(),
  postingId: z.number().int(),
  rejectReason: z.string().nullable(),
  cisBillId: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
})
export type CycleLineView = z.infer<typeof CycleLineView>

export const LinesQuery = z.object({
  status: LineStatus.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
})
export type LinesQuery = z.infer<typeof LinesQuery>

export const ExportDetail = CycleExportView.extend({
  lineList: z.array(CycleLineView).describe('The lines in file order (paged by limit and offset)'),
})
export type ExportDetail = z.infer<typeof ExportDetail>

const RowErrorView = z.object({ line: z.number().int(), field: z.string(), message: z.string() })
export const FileErrors = z
  .object({ errorCount: z.number().int(), errors: z.array(RowErrorView) })
  .describe('The first 100 errors by line (the header is line 1), and how many there were')

/** The 400 of a rejected upload: the one error shape, its details typed. */
export const FileRejected = z.object({
  error: z.object({
    code: z.literal('invalid'),
    message: z.string(),
    details: FileErrors,
    requestId: z.string(),
  }),
})

export const AckResult = z.object({
  sha256: z.string(),
  rows: z.number().int(),
  billed: z.number().int().describe('Lines newly marked billed'),
  rejected: z.number().int().describe('Lines newly marked rejected, each raising an exception'),
  unchanged: z.number().int().describe('Lines acknowledged the same way before'),
  exceptionIds: z.array(z.number().int()),
})

export const RequeueBody = z.object({
  note: z
    .string()
    .trim()
    .max(500)
    .optional()
    .describe('Why it can go again; kept on the resolved exception'),
})
export type RequeueBody = z.infer<typeof RequeueBody>

export const RequeueResult = z.object({
  line: CycleLineView,
  exceptionId: z
    .number()
    .int()
    .nullable()
    .describe("The line's rejection exception, resolved by the requeue"),
})

export const PaymentImportResult = z.object({
  sha256: z.string(),
  rows: z.number().int(),
  posted: z.number().int().describe('Payments new to Curbline, each posted as one entry'),
  unchanged: z
    .number()
    .int()
    .describe('Payments imported before (same CIS transaction id and values)'),
  postedCents: Cents,
  entryIds: z.array(z.number().int()),
  overpaidAccounts: z
    .number()
    .int()
    .describe('Accounts these payments left paying more than their parking charges; each is a cis_payment_unmatched exception'),
})

export const CisPaymentView = z.object({
  id: z.number().int(),
  cisTransactionId: z.string(),
  utilityAccountId: z.number().int(),
  accountNumber: z.string(),
  amountCents: Cents.describe('Negative for a reversal'),
  paidOn: z.string(),
  reference: z.string().nullable(),
  entryId: z.number().int(),
  importedAt: z.string(),
})
export type CisPaymentView = z.infer<typeof CisPaymentView>

export const PaymentListQuery = z.object({
  accountNumber: z
    .string()
    .regex(/^\d{10}$/, 'an account number is 10 digits')
    .optional(),
  from: Day.optional(),
  to: Day.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export type PaymentListQuery = z.infer<typeof PaymentListQuery>

export const PaymentList = z.object({ payments: z.array(CisPaymentView) })
export type PaymentList = z.infer<typeof PaymentList>
