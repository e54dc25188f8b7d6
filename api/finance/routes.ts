import type { Context } from 'hono'
import { router, IdParam } from '../http/route.ts'
import type { AppEnv } from '../http/context.ts'
import { csvLine } from '../cis/csv.ts'
import { closeDay, closeReport, daysBetween, dayStatus, storedReport, type DayStatus } from './close.ts'
import {
  assignException,
  exceptionById,
  listExceptions,
  resolveException,
  type FinanceException,
} from './exceptions.ts'
import { glJournalCsv, revenueByFund } from './gl.ts'
import { dollars } from '../ledger/statement.ts'
import {
  AssignBody,
  CloseView,
  DayList,
  DayParam,
  DayRange,
  DayView,
  ExceptionList,
  ExceptionQuery,
  ExceptionView,
  FinanceUsers,
  FundRevenueList,
  GlRange,
  ResolveBody,
  RevenueSeries,
} from './schemas.ts'

export const finance = router('/finance', 'Finance')

const FINANCE = ['finance', 'admin'] as const

const wantsCsv = (c: Context<AppEnv>) => /\btext\/csv\b/i.test(c.req.header('accept') ?? '')

function csvResponse(c: Context<AppEnv>, name: string, text: string): Response {
  return c.body(text, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
  })
}

const dayView = (d: DayStatus) => ({ ...d, closedAt: d.closedAt?.toISOString() ?? null })

finance.route(
  {
    method: 'get',
    path: '/days',
    summary: 'The close calendar: each business day with its status and revenue',
    description: 'At most 93 days. Send Accept: text/csv for a spreadsheet.',
    access: FINANCE,
    query: DayRange,
    responses: {
      200: { description: 'Days, oldest first', schema: DayList, alsoAs: ['text/csv'] },
      400: { description: 'A date is malformed, or the range is backwards or too long' },
    },
  },
  async (c, { query }) => {
    const days = await daysBetween(c.get('deps').sql, query.from, query.to)
    if (wantsCsv(c)) {
      const rows = days.map((d) =>
        csvLine([d.day, d.status, dollars(d.revenueCents), d.entries, d.priorPeriodEntries, d.closedAt?.toISOString() ?? '']),
      )
      const head = csvLine(['day', 'status', 'revenue', 'entries', 'prior_period_entries', 'closed_at'])
      return csvResponse(c, `closes-${query.from}-to-${query.to}.csv`, head + rows.join(''))
    }
    return c.json({ days: days.map(dayView) } satisfies DayList)
  },
)

finance.route(
  {
    method: 'get',
    path: '/days/:day',
    summary: "A day's close report: revenue by facility, channel, method and fund, counts and the ledger check",
    description:
      'A closed day answers with the report stored when it closed; an open day with the report as the ' +
      'ledger stands now. Send Accept: text/csv for the revenue lines.',
    access: FINANCE,
    params: DayParam,
    responses: {
      200: { description: 'The day and its report', schema: DayView, alsoAs: ['text/csv'] },
      400: { description: 'The date is malformed' },
    },
  },
  async (c, { params }) => {
    const { sql, config } = c.get('deps')
    const status = await dayStatus(sql, params.day)
    const stored = status.status === 'closed' ? await storedReport(sql, params.day) : null
    const report = stored ?? (await closeReport(sql, params.day, config.CITY_TIME_ZONE))
    if (wantsCsv(c)) {
      const head = csvLine(['day', 'facility', 'facility_code', 'account', 'fund', 'channel', 'method', 'revenue', 'entries'])
      const rows = report.revenue.map((r) =>
        csvLine([report.day, r.facility, r.facilityCode, r.account, r.fund, r.channel, r.method, dollars(r.cents), r.entries]),
      )
      return csvResponse(c, `close-${params.day}.csv`, head + rows.join(''))
    }
    return c.json({ status: dayView(status), report, live: stored === null } satisfies DayView)
  },
)

finance.route(
  {
    method: 'post',
    path: '/days/:day/close',
    summary: 'Close a business day now',
    description:
      'Waits for postings in flight to the day, checks the report against the ledger and locks the day: ' +
      'later corrections post to the next open day as prior-period adjustments. Closing a closed day ' +
      'answers with its stored report. A report that disagrees with the ledger leaves the day failed, ' +
      'with an exception for finance.',
    access: FINANCE,
    params: DayParam,
    responses: {
      200: { description: 'The day after the close', schema: CloseView },
      400: { description: 'The date is malformed' },
      409: { description: 'The day has not ended yet' },
    },
  },
  async (c, { params, principal }) => {
    const { sql, config } = c.get('deps')
    const result = await closeDay(sql, params.day, { timeZone: config.CITY_TIME_ZONE, principal })
    return c.json({
      status: dayView(result.status),
      report: result.report,
      live: false,
      closedNow: result.closedNow,
    } satisfies CloseView)
  },
)

finance.route(
  {
    method: 'get',
    path: '/revenue',
    summary: 'Revenue per day by facility, channel, method and fund, for charts',
    description: 'Closed days from their closes, open days from the ledger. At most 93 days. Accept: text/csv works.',
    access: FINANCE,
    query: DayRange,
    responses: {
      200: { description: 'Points', schema: RevenueSeries, alsoAs: ['text/csv'] },
      400: { description: 'A date is malformed, or the range is backwards or too long' },
    },
  },
  async (c, { query }) => {
    const { sql, config } = c.get('deps')
    const days = await daysBetween(sql, query.from, query.to)
    const points: RevenueSeries['points'] = []
    for (const d of days) {
      if (d.entries === 0 && d.status !== 'closed') {
        continue
      }
      const report = (d.status === 'closed' ? await storedReport(sql, d.day) : null) ??
        (await closeReport(sql, d.day, config.CITY_TIME_ZONE))
      for (const r of report.revenue) {
        points.push({ day: d.day, facility: r.facility, channel: r.channel, method: r.method, fund: r.fund, cents: r.cents })
      }
    }
    if (wantsCsv(c)) {
      const head = csvLine(['day', 'facility', 'channel', 'method', 'fund', 'revenue'])
      const rows = points.map((p) => csvLine([p.day, p.facility, p.channel, p.method, p.fund, dollars(p.cents)]))
      return csvResponse(c, `revenue-${query.from}-to-${query.to}.csv`, head + rows.join(''))
    }
    return c.json({ points } satisfies RevenueSeries)
  },
)

const exceptionView = (x: FinanceException): ExceptionView => ({
  id: x.id,
  kind: x.kind,
  summary: x.summary,
  amountCents: x.amount_cents,
  evidence: x.evidence,
  status: x.status,
  ownerId: x.owner_id,
  ownerName: x.owner_name,
  resolutionNote: x.resolution_note,
  resolvedEntryId: x.resolved_entry_id,
  resolvedBy: x.resolved_by,
  resolvedAt: x.resolved_at?.toISOString() ?? null,
  createdAt: x.created_at.toISOString(),
})

finance.route(
  {
    method: 'get',
    path: '/exceptions',
    summary: 'The exceptions queue: open first, newest first',
    description: 'Send Accept: text/csv for a spreadsheet.',
    access: FINANCE,
    query: ExceptionQuery,
    responses: { 200: { description: 'Exceptions', schema: ExceptionList, alsoAs: ['text/csv'] } },
  },
  async (c, { query }) => {
    const rows = (await listExceptions(c.get('deps').sql, query)).map(exceptionView)
    if (wantsCsv(c)) {
      const head = csvLine(['id', 'kind', 'status', 'summary', 'amount', 'owner', 'created_at', 'resolved_at', 'resolution_note', 'resolved_entry_id'])
      const lines = rows.map((x) =>
        csvLine([
          x.id, x.kind, x.status, x.summary, x.amountCents === null ? '' : dollars(x.amountCents),
          x.ownerName, x.createdAt, x.resolvedAt, x.resolutionNote, x.resolvedEntryId,
        ]),
      )
      return csvResponse(c, 'exceptions.csv', head + lines.join(''))
    }
    return c.json({ exceptions: rows } satisfies ExceptionList)
  },
)

finance.route(
  {
    method: 'get',
    path: '/exceptions/:id',
    summary: 'One exception with its evidence',
    access: FINANCE,
    params: IdParam,
    responses: { 200: { description: 'The exception', schema: ExceptionView }, 404: { description: 'No such exception' } },
  },
  async (c, { params }) => c.json(exceptionView(await exceptionById(c.get('deps').sql, params.id))),
)

finance.route(
  {
    method: 'post',
    path: '/exceptions/:id/assign',
    summary: 'Give an open exception an owner (or none)',
    access: FINANCE,
    params: IdParam,
    body: AssignBody,
    responses: {
      200: { description: 'The exception', schema: ExceptionView },
      400: { description: 'The owner is not an active finance or admin user' },
      404: { description: 'No such exception' },
      409: { description: 'It is resolved already' },
    },
  },
  async (c, { params, body, principal }) =>
    c.json(exceptionView(await assignException(c.get('deps').sql, principal!, params.id, body.ownerId))),
)

finance.route(
  {
    method: 'post',
    path: '/exceptions/:id/resolve',
    summary: 'Resolve an exception with a note and, when money moves, the entry that settles it',
    description:
      'The entry (debits positive, credits negative, in cents, on existing ledger accounts) posts in the same ' +
      'transaction as the resolution, keyed to the exception, so a retry cannot post it twice.',
    access: FINANCE,
    params: IdParam,
    body: ResolveBody,
    idempotency: 'optional',
    responses: {
      200: { description: 'The resolved exception', schema: ExceptionView },
      400: { description: 'The note or entry is invalid, or names an unknown account' },
      404: { description: 'No such exception' },
      409: { description: 'It is resolved already' },
    },
  },
  async (c, { params, body, principal }) => {
    const resolved = await resolveException(c.get('deps').sql, principal!, params.id, {
      note: body.note,
      entry: body.entry && {
        description: body.entry.description,
        lines: body.entry.lines.map((l) => ({ account: l.account, amount: l.amountCents })),
      },
    })
    return c.json(exceptionView(resolved))
  },
)

finance.route(
  {
    method: 'get',
    path: '/users',
    summary: 'Finance and admin staff, who can own exceptions',
    access: FINANCE,
    responses: { 200: { description: 'Staff', schema: FinanceUsers } },
  },
  async (c) => {
    const users = await c.get('deps').sql<{ id: number; name: string; role: string }[]>`
      select id, display_name as name, role::text from app.user_account
       where role in ('finance', 'admin') and disabled_at is null order by display_name`
    return c.json({ users } satisfies FinanceUsers)
  },
)

finance.route(
  {
    method: 'get',
    path: '/gl',
    summary: 'The GL journal export for business days from..to (CSV)',
    description:
      'One line per posting: date (the business day), entry id, reference, fund, account code, name and type, ' +
      'description, debit or credit in dollars, and whether it is a prior-period adjustment. Streams. At most a year.',
    access: FINANCE,
    query: GlRange,
    responses: {
      200: { description: 'The journal', alsoAs: ['text/csv'] },
      400: { description: 'A date is malformed, or the range is backwards or too long' },
    },
  },
  async (c, { query }) => {
    const chunks = glJournalCsv(c.get('deps').sql, query.from, query.to)
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next()
        if (next.done) {
          controller.close()
        } else {
          controller.enqueue(encoder.encode(next.value))
        }
      },
      async cancel() {
        await chunks.return(undefined)
      },
    })
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="gl-${query.from}-to-${query.to}.csv"`,
    })
  },
)

finance.route(
  {
    method: 'get',
    path: '/gl/summary',
    summary: 'Revenue per fund for business days from..to, as the ledger has it',
    description: 'What the GL export of the same range adds up to, fund by fund.',
    access: FINANCE,
    query: GlRange,
    responses: {
      200: { description: 'Revenue per fund', schema: FundRevenueList },
      400: { description: 'A date is malformed, or the range is backwards or too long' },
    },
  },
  async (c, { query }) =>
    c.json({ from: query.from, to: query.to, funds: await revenueByFund(c.get('deps').sql, query.from, query.to) } satisfies FundRevenueList),
)
