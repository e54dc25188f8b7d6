import type { Context } from 'hono'
import { router, IdParam, API_BASE } from '../http/route.ts'
import type { AppEnv } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import {
  calendarOf,
  cityDay,
  cycleFileCsv,
  exportById,
  exportCycle,
  exportDue,
  exportLines,
  listExports,
  requeueLine,
  setMonthDates,
  type CycleExport,
  type CycleLine,
} from './cycles.ts'
import { importCycleAcks } from './cycle-acks.ts'
import { importCisPayments, listCisPayments, type CisPayment } from './cis-payments.ts'
import {
  AckResult,
  CalendarQuery,
  CalendarView,
  CisPaymentView,
  CycleExportView,
  CycleLineView,
  DueBody,
  ExportDetail,
  ExportList,
  ExportListQuery,
  FileRejected,
  LinesQuery,
  MonthDatesBody,
  MonthParam,
  MonthView,
  PaymentImportResult,
  PaymentList,
  PaymentListQuery,
  RequeueBody,
  RequeueResult,
  RunExportBody,
} from './cycle-schemas.ts'

export const billCycles = router('/finance', 'Finance')

const STAFF = ['finance', 'admin'] as const

billCycles.route(
  {
    method: 'get',
    path: '/cycle-calendar',
    summary:
      'The bill-cycle calendar of a year: the day each of the 21 cycles bills, month by month',
    description:
      'Each date carries the export run for it, if any. Every month of this year and next has a ' +
      'date per cycle: the default puts cycle n on the n-th weekday of the month (the last weekday ' +
      'when the month has fewer), and finance may move them (PUT /finance/cycle-calendar/{month}).',
    access: STAFF,
    query: CalendarQuery,
    responses: { 200: { description: 'The year’s billing dates', schema: CalendarView } },
  },
  async (c, { query }) => {
    const { sql, config } = c.get('deps')
    const year = query.year ?? Number(cityDay(new Date(), config.CITY_TIME_ZONE).slice(0, 4))
    return c.json({ year, dates: await calendarOf(sql, year) } satisfies CalendarView)
  },
)

billCycles.route(
  {
    method: 'put',
    path: '/cycle-calendar/:month',
    summary: 'Set the billing dates of cycles in one month',
    description:
      'Each listed cycle bills once that month, on the date given (a real date of that month); ' +
      'cycles not listed keep their dates. A date whose export has run cannot move (409). Audited.',
    access: STAFF,
    params: MonthParam,
    body: MonthDatesBody,
    responses: {
      200: { description: 'The month’s billing dates after the change', schema: MonthView },
      400: { description: 'A cycle listed twice, or a date that is not a date of that month' },
      409: { description: 'A cycle’s date that month has been exported already' },
    },
  },
  async (c, { params, body, principal }) => {
    const dates = await setMonthDates(c.get('deps').sql, principal, params.month, body.dates)
    return c.json({ month: params.month, dates })
  },
)

billCycles.route(
  {
    method: 'get',
    path: '/cycle-exports',
    summary: 'Bill-cycle exports with their status, line counts and totals',
    description:
      'Newest billing date first. The daily job marks every cycle due that day running before it ' +
      'starts, so listing a billing date shows its progress: running ones turn done one by one.',
    access: STAFF,
    query: ExportListQuery,
    responses: { 200: { description: 'Exports', schema: ExportList } },
  },
  async (c, { query }) => {
    const exports = await listExports(c.get('deps').sql, query)
    return c.json({
      exports: exports.map(exportView),
      summary: summaryOf(exports),
    } satisfies ExportList)
  },
)

billCycles.route(
  {
    method: 'post',
    path: '/cycle-exports',
    summary: 'Export a cycle for one of its billing dates, now',
    description:
      'Carries every parking charge, refund and credit posted to the cycle’s utility accounts up to ' +
      'the billing date that no export has carried (and lines put back after a rejection), except ' +
      'the CIS’s own payments. Idempotent: the same cycle and date again, at once or later, answers ' +
      'the stored export (200) and never exports anything twice. A failed export runs again.',
    access: STAFF,
    body: RunExportBody,
    responses: {
      201: { description: 'Exported', schema: CycleExportView },
      200: { description: 'Exported before: the stored export', schema: CycleExportView },
      400: { description: 'Not a billing date of that cycle in the calendar' },
    },
  },
  async (c, { body, principal }) => {
    const { sql } = c.get('deps')
    const [before]: [{ status: string }?] = await sql`
      select status from finance.cycle_export where cycle = ${body.cycle} and billing_date = ${body.billingDate}`
    const made = await exportCycle(sql, body.cycle, body.billingDate)
    const fresh = before?.status !== 'done'
    if (fresh) {
      await writeAudit(
        sql,
        principal,
        {
          action: 'finance.cycle_export.run',
          entity: 'finance.cycle_export',
          entityId: made.id,
          after: {
            cycle: made.cycle,
            billingDate: made.billingDate,
            lineCount: made.lineCount,
            totalCents: made.totalCents,
            sha256: made.sha256,
          },
        },
        c.get('requestId'),
      )
    }
    return c.json(exportView(made), fresh ? 201 : 200)
  },
)

billCycles.route(
  {
    method: 'post',
    path: '/cycle-exports/due',
    summary: 'Export every cycle that bills on a date, now (what the daily job does)',
    description:
      'Each cycle due that day shows as running at once and turns done (or failed, with the ' +
      'reason) one after another; list them with GET /finance/cycle-exports?billingDate=. Cycles ' +
      'exported before answer as they are. Answers the day’s exports when all have run.',
    access: STAFF,
    body: DueBody,
    responses: {
      200: { description: 'The day’s exports', schema: ExportList },
    },
  },
  async (c, { body, principal }) => {
    const { sql } = c.get('deps')
    await exportDue(sql, body.billingDate).catch((err: Error) =>
      c.get('log').warn('a cycle export failed', { err: err.message }),
    )
    const exports = await listExports(sql, { billingDate: body.billingDate, limit: 21 })
    await writeAudit(
      sql,
      principal,
      {
        action: 'finance.cycle_export.run_due',
        entity: 'finance.cycle_export',
        entityId: body.billingDate,
        after: { exports: exports.map((x) => ({ cycle: x.cycle, status: x.status })) },
      },
      c.get('requestId'),
    )
    return c.json({
      exports: exports.map(exportView),
      summary: summaryOf(exports),
    } satisfies ExportList)
  },
)

billCycles.route(
  {
    method: 'get',
    path: '/cycle-exports/:id',
    summary: 'One bill-cycle export with its lines and their status',
    description:
      'Lines in file order; filter by status (e.g. rejected) and page with limit and offset.',
    access: STAFF,
    params: IdParam,
    query: LinesQuery,
    responses: {
      200: { description: 'The export', schema: ExportDetail },
      404: { description: 'No such export' },
    },
  },
  async (c, { params, query }) => {
    const { sql } = c.get('deps')
    const found = await exportById(sql, params.id)
    const lines = await exportLines(sql, params.id, query)
    return c.json({ ...exportView(found), lineList: lines.map(lineView) } satisfies ExportDetail)
  },
)

billCycles.route(
  {
    method: 'get',
    path: '/cycle-exports/:id/file',
    summary: 'Download the cycle file for the CIS (CSV)',
    description:
      'Columns account_number, charge_code, service ("parking"), amount (dollars, two decimals, ' +
      'credits negative), description, reference. The same bytes on every download; the ' +
      'X-Content-SHA256 header and the export’s sha256 name them. Format: api/finance/README.md.',
    access: STAFF,
    params: IdParam,
    responses: {
      200: { description: 'The cycle file', alsoAs: ['text/csv'] },
      404: { description: 'No such export' },
      409: { description: 'The export is running or failed: no file yet' },
    },
  },
  async (c, { params }) => {
    const { csv, export: found } = await cycleFileCsv(c.get('deps').sql, params.id)
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${found.fileName}"`,
      'X-Content-SHA256': found.sha256 ?? '',
    })
  },
)

billCycles.route(
  {
    method: 'post',
    path: '/cycle-acks',
    summary:
      'Import the CIS’s acknowledgement of cycle file lines (CSV: reference, status, reason, bill_id)',
    description:
      'Marks each line billed (with the CIS bill id) or rejected (with the reason); each newly ' +
      'rejected line raises a cycle_line_rejected exception with its evidence. All or nothing: a ' +
      'file with any bad row (an unknown reference, a line acknowledged otherwise before) answers ' +
      '400 with { errorCount, errors: [{ line, field, message }] } and writes nothing. The same file ' +
      'again changes nothing. Format: api/finance/README.md.',
    access: STAFF,
    rawBody: ['text/csv'],
    responses: {
      200: { description: 'Applied', schema: AckResult },
      400: { description: 'The file has errors; nothing was imported', schema: FileRejected },
      415: { description: 'The body is not text/csv' },
    },
  },
  async (c, { principal }) => {
    const text = await csvBody(c)
    return c.json(await importCycleAcks(c.get('deps').sql, principal, text))
  },
)

billCycles.route(
  {
    method: 'post',
    path: '/cycle-lines/:id/requeue',
    summary: 'Put a rejected line back for the next export of its cycle',
    description:
      'The next export of the line’s cycle carries its posting again as a new attempt (reference ' +
      'CL-<entry>-<posting>-<attempt>), once. Resolves the line’s open rejection exception with the ' +
      'note. Only a rejected line can go back (409 otherwise); one put back already answers as it is.',
    access: STAFF,
    params: IdParam,
    body: RequeueBody,
    responses: {
      200: { description: 'Put back', schema: RequeueResult },
      404: { description: 'No such line' },
      409: { description: 'The line is not rejected' },
    },
  },
  async (c, { params, body, principal }) => {
    const result = await requeueLine(c.get('deps').sql, principal, params.id, body.note ?? null)
    return c.json({ line: lineView(result.line), exceptionId: result.exceptionId })
  },
)

billCycles.route(
  {
    method: 'post',
    path: '/cis-payments',
    summary:
      'Import the CIS payment extract (CSV: cis_transaction_id, account_number, paid_on, amount, reference)',
    description:
      'Payments customers made on their utility bill against parking charges. Each new CIS ' +
      'transaction posts one entry: Dr cash:utility_payments, Cr the account’s parking receivable ' +
      '(a negative amount, a reversal, the other way). Idempotent by CIS transaction id: a payment ' +
      'imported before is skipped; the same id with other values is an error. All or nothing: ' +
      'unknown accounts or bad rows answer 400 with line-numbered errors and post nothing.',
    access: STAFF,
    rawBody: ['text/csv'],
    responses: {
      200: { description: 'Imported', schema: PaymentImportResult },
      400: { description: 'The file has errors; nothing was imported', schema: FileRejected },
      415: { description: 'The body is not text/csv' },
    },
  },
  async (c, { principal }) => {
    const text = await csvBody(c)
    const { sql, config } = c.get('deps')
    return c.json(await importCisPayments(sql, principal, text, config.CITY_TIME_ZONE))
  },
)

billCycles.route(
  {
    method: 'get',
    path: '/cis-payments',
    summary: 'Payments imported from the CIS extract',
    description: 'Newest payment date first, with the ledger entry each posted.',
    access: STAFF,
    query: PaymentListQuery,
    responses: { 200: { description: 'Payments', schema: PaymentList } },
  },
  async (c, { query }) => {
    const payments = await listCisPayments(c.get('deps').sql, query)
    return c.json({ payments: payments.map(paymentView) } satisfies PaymentList)
  },
)

async function csvBody(c: Context<AppEnv>): Promise<string> {
  if (!/^text\/csv\b/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', 'Send the file as text/csv')
  }
  return c.req.text()
}

function summaryOf(exports: CycleExport[]): ExportList['summary'] {
  return {
    running: exports.filter((x) => x.status === 'running').length,
    done: exports.filter((x) => x.status === 'done').length,
    failed: exports.filter((x) => x.status === 'failed').length,
    lines: exports.reduce((s, x) => s + x.lineCount, 0),
    totalCents: exports.reduce((s, x) => s + x.totalCents, 0),
  }
}

function exportView(x: CycleExport): CycleExportView {
  return {
    ...x,
    startedAt: x.startedAt.toISOString(),
    finishedAt: x.finishedAt?.toISOString() ?? null,
    fileUrl: `${API_BASE}/finance/cycle-exports/${x.id}/file`,
  }
}

function lineView(l: CycleLine): CycleLineView {
  return { ...l, acknowledgedAt: l.acknowledgedAt?.toISOString() ?? null }
}

function paymentView(p: CisPayment) {
  return { ...p, importedAt: p.importedAt.toISOString() } satisfies CisPaymentView
}
