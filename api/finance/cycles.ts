import { inTransaction, type Db, type Sql } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError, notFound } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import { localTime } from '../facilities/local-time.ts'
import { resolveException } from './exceptions.ts'

/*
  Utility bill cycles: the calendar of the day each of the 21 cycles bills, month by month, and the
  export of the parking charges billed on utility accounts to the CIS, cycle by cycle. An export is
  stored line by line, so running it again gives the same lines and the same file; a posting is
  carried by one export only, unless the CIS rejects its line and finance puts it back (requeue),
  when the next export of its cycle carries it again as a new attempt. Decisions: README.md.
*/

/** Exports of all cycles take turns (and calendar edits wait for them): one advisory lock. */
const EXPORT_LOCK = [74203, 1] as const

export type ExportStatus = 'running' | 'done' | 'failed'
export type LineStatus = 'exported' | 'billed' | 'rejected' | 'requeued'

/** What a line bills, by the entry's source and the sign of the posting: see README.md. */
export const CHARGE_CODES = {
  PKS: 'Parking session',
  PKP: 'Parking permit',
  PKC: 'Parking citation',
  PKL: 'Citation late fee',
  PKY: 'Payment made in Curbline (card), or its reversal',
  PKR: 'Refund or credit',
  PKA: 'Other adjustment',
} as const
export type ChargeCode = keyof typeof CHARGE_CODES

export interface CycleExport {
  id: number
  cycle: number
  billingDate: string
  status: ExportStatus
  lineCount: number
  totalCents: number
  sha256: string | null
  failure: string | null
  startedAt: Date
  finishedAt: Date | null
  lines: Record<LineStatus, number>
  fileName: string
}

export interface CycleLine {
  id: number
  exportId: number
  lineNo: number
  reference: string
  utilityAccountId: number
  accountNumber: string
  chargeCode: ChargeCode
  amountCents: number
  description: string
  status: LineStatus
  attempt: number
  entryId: number
  postingId: number
  rejectReason: string | null
  cisBillId: string | null
  acknowledgedAt: Date | null
}

export interface CalendarDate {
  cycle: number
  billingDate: string
  exportId: number | null
  exportStatus: ExportStatus | null
}

/** The city-local date of an instant, e.g. today. */
export function cityDay(at: Date, timeZone: string): string {
  return localTime(at.getTime(), timeZone).date
}

/** A real calendar date written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) {
    return false
  }
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return t.toISOString().slice(0, 10) === value
}

/**
 * Fills the months from `from`'s to `to`'s with the default dates (cycle n on the n-th weekday,
 * the last weekday when a month has fewer than n), leaving every cycle that has a date in a month
 * alone. Answers how many dates it added. Run at migration, and daily by the cycle-export job.
 */
export async function fillDefaultCalendar(sql: Db, from: string, to: string): Promise<number> {
  const [row]: [{ added: number }?] = await sql`
    select finance.fill_bill_cycle_calendar(${from}::date, ${to}::date) as added`
  return row?.added ?? 0
}

/** This year and next have a calendar: the default dates wherever finance has set none. */
export async function ensureCalendar(sql: Db, today: string): Promise<number> {
  const year = Number(today.slice(0, 4))
  return fillDefaultCalendar(sql, `${year}-01-01`, `${year + 1}-12-31`)
}

/** A year's billing dates, by date and cycle, with the export each date has had. */
export async function calendarOf(sql: Db, year: number): Promise<CalendarDate[]> {
  return sql<CalendarDate[]>`
    select d.cycle::int as "cycle", d.billing_date::text as "billingDate",
           x.id as "exportId", x.status as "exportStatus"
      from finance.bill_cycle_date d
      left join finance.cycle_export x on x.cycle = d.cycle and x.billing_date = d.billing_date
     where d.billing_date >= make_date(${year}, 1, 1) and d.billing_date < make_date(${year + 1}, 1, 1)
     order by d.billing_date, d.cycle`
}

export interface MonthDate {
  cycle: number
  billingDate: string
}

/**
 * Sets the billing dates of the listed cycles in one month (YYYY-MM); other cycles keep theirs.
 * A cycle bills once a month, on a real date of that month; a date that has been exported stays.
 */
export async function setMonthDates(
  sql: Db,
  principal: Principal | null,
  month: string,
  dates: MonthDate[],
): Promise<CalendarDate[]> {
  const errors: { field: string; message: string }[] = []
  const seen = new Set<number>()
  dates.forEach((d, i) => {
    if (!Number.isInteger(d.cycle) || d.cycle < 1 || d.cycle > 21) {
      errors.push({ field: `body.dates.${i}.cycle`, message: 'A bill cycle is 1 to 21' })
    } else if (seen.has(d.cycle)) {
      errors.push({
        field: `body.dates.${i}.cycle`,
        message: `Cycle ${d.cycle} is listed twice: a cycle bills once a month`,
      })
    }
    seen.add(d.cycle)
    if (!isDay(d.billingDate)) {
      errors.push({
        field: `body.dates.${i}.billingDate`,
        message: `${d.billingDate} is not a date`,
      })
    } else if (d.billingDate.slice(0, 7) !== month) {
      errors.push({
        field: `body.dates.${i}.billingDate`,
        message: `${d.billingDate} is not in ${month}`,
      })
    }
  })
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    errors.unshift({ field: 'params.month', message: 'Write the month as YYYY-MM' })
  }
  if (errors.length > 0) {
    throw new AppError('invalid', 'The billing dates are not valid', errors)
  }
  const first = `${month}-01`
  return inTransaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(${EXPORT_LOCK[0]}, ${EXPORT_LOCK[1]})`
    const before = await tx<{ cycle: number; billing_date: string; export_id: number | null }[]>`
      select d.cycle::int, d.billing_date::text, x.id as export_id
        from finance.bill_cycle_date d
        left join finance.cycle_export x on x.cycle = d.cycle and x.billing_date = d.billing_date
       where d.billing_date >= ${first}::date and d.billing_date < ${first}::date + interval '1 month'
         and d.cycle = any(${dates.map((d) => d.cycle)}::smallint[])`
    const locked = dates.flatMap((d, i) => {
      const was = before.find((b) => b.cycle === d.cycle)
      return was && was.export_id !== null && was.billing_date !== d.billingDate
        ? [
            {
              field: `body.dates.${i}.billingDate`,
              message: `Cycle ${d.cycle} was exported for ${was.billing_date} already; that date stays`,
            },
          ]
        : []
    })
    if (locked.length > 0) {
      throw new AppError('conflict', 'An exported billing date cannot move', locked)
    }
    await tx`
      delete from finance.bill_cycle_date
       where billing_date >= ${first}::date and billing_date < ${first}::date + interval '1 month'
         and cycle = any(${dates.map((d) => d.cycle)}::smallint[])`
    await tx`
      insert into finance.bill_cycle_date (cycle, billing_date)
      select * from unnest(${dates.map((d) => d.cycle)}::smallint[], ${dates.map((d) => d.billingDate)}::date[])`
    await writeAudit(tx, principal, {
      action: 'finance.bill_cycle.set_dates',
      entity: 'finance.bill_cycle_date',
      entityId: month,
      before: before.map((b) => ({ cycle: b.cycle, billingDate: b.billing_date })),
      after: dates,
    })
    return (await calendarOf(tx, Number(month.slice(0, 4)))).filter((d) =>
      d.billingDate.startsWith(month),
    )
  })
}

const EXPORT_VIEW = (sql: Db) => sql`
  select x.id, x.cycle::int as "cycle", x.billing_date::text as "billingDate", x.status,
         x.line_count as "lineCount", x.total_cents as "totalCents", x.sha256, x.failure,
         x.started_at as "startedAt", x.finished_at as "finishedAt",
         (select jsonb_build_object(
                   'exported', count(*) filter (where l.status = 'exported'),
                   'billed', count(*) filter (where l.status = 'billed'),
                   'rejected', count(*) filter (where l.status = 'rejected'),
                   'requeued', count(*) filter (where l.status = 'requeued'))
            from finance.cycle_export_line l where l.export_id = x.id) as lines,
         'curbline-cycle-' || lpad(x.cycle::text, 2, '0') || '-' || x.billing_date::text || '.csv' as "fileName"
    from finance.cycle_export x`

export async function exportById(sql: Db, id: number): Promise<CycleExport> {
  const [row] = await sql<CycleExport[]>`${EXPORT_VIEW(sql)} where x.id = ${id}`
  if (!row) {
    throw notFound('Cycle export')
  }
  return row
}

export interface ExportFilter {
  cycle?: number
  billingDate?: string
  from?: string
  to?: string
  status?: ExportStatus
  limit: number
}

/** Exports, newest billing date first. */
export async function listExports(sql: Db, f: ExportFilter): Promise<CycleExport[]> {
  return sql<CycleExport[]>`
    ${EXPORT_VIEW(sql)}
     where (${f.cycle ?? null}::int is null or x.cycle = ${f.cycle ?? null})
       and (${f.billingDate ?? null}::date is null or x.billing_date = ${f.billingDate ?? null})
       and (${f.from ?? null}::date is null or x.billing_date >= ${f.from ?? null})
       and (${f.to ?? null}::date is null or x.billing_date <= ${f.to ?? null})
       and (${f.status ?? null}::text is null or x.status = ${f.status ?? null})
     order by x.billing_date desc, x.cycle
     limit ${f.limit}`
}

const LINE_VIEW = (sql: Db) => sql`
  select l.id, l.export_id as "exportId", l.line_no as "lineNo", l.reference,
         l.utility_account_id as "utilityAccountId", l.account_number as "accountNumber",
         l.charge_code as "chargeCode", l.amount_cents as "amountCents", l.description, l.status,
         l.attempt::int as attempt, l.entry_id as "entryId", l.posting_id as "postingId",
         l.reject_reason as "rejectReason", l.cis_bill_id as "cisBillId",
         l.acknowledged_at as "acknowledgedAt"
    from finance.cycle_export_line l`

/** An export's lines in file order, optionally of one status. */
export async function exportLines(
  sql: Db,
  exportId: number,
  f: { status?: LineStatus; limit: number; offset: number },
): Promise<CycleLine[]> {
  return sql<CycleLine[]>`
    ${LINE_VIEW(sql)}
     where l.export_id = ${exportId} and (${f.status ?? null}::text is null or l.status = ${f.status ?? null})
     order by l.line_no
     limit ${f.limit} offset ${f.offset}`
}

export async function lineById(sql: Db, id: number): Promise<CycleLine> {
  const [row] = await sql<CycleLine[]>`${LINE_VIEW(sql)} where l.id = ${id}`
  if (!row) {
    throw notFound('Cycle export line')
  }
  return row
}

/**
 * The cycle file of a finished export, as the database writes it from the stored lines (header,
 * lines by number, LF line ends): the same bytes on every download, whose SHA-256 the export keeps.
 */
export async function cycleFileCsv(
  sql: Db,
  exportId: number,
): Promise<{ csv: string; export: CycleExport }> {
  const found = await exportById(sql, exportId)
  if (found.status !== 'done') {
    throw new AppError(
      'conflict',
      `The export of cycle ${found.cycle} for ${found.billingDate} is ${found.status}; its file is not ready`,
    )
  }
  const [row]: [{ csv: string }?] = await sql`select finance.cycle_file(${exportId}) as csv`
  return { csv: row?.csv ?? '', export: found }
}

/**
 * Exports cycle `cycle` for its billing date: every posting on the parking receivable of a utility
 * account of that cycle, of a business day up to the billing date, that no export carries yet (a
 * rejected line put back counts as not carried), except the CIS's own payments. Idempotent: a
 * second run, concurrent or later, answers the stored export. Takes the pool: the export shows as
 * running while it works, and as failed (to run again) when it fails.
 */
export async function exportCycle(
  sql: Sql,
  cycle: number,
  billingDate: string,
): Promise<CycleExport> {
  if (!Number.isInteger(cycle) || cycle < 1 || cycle > 21) {
    throw new AppError('invalid', 'A bill cycle is 1 to 21', [
      { field: 'cycle', message: 'A bill cycle is 1 to 21' },
    ])
  }
  if (!isDay(billingDate)) {
    throw new AppError('invalid', `${billingDate} is not a date`, [
      { field: 'billingDate', message: 'Write dates as YYYY-MM-DD' },
    ])
  }
  const dates = await sql<{ billing_date: string }[]>`
    select billing_date::text from finance.bill_cycle_date
     where cycle = ${cycle}
       and date_trunc('month', billing_date::timestamp) = date_trunc('month', ${billingDate}::date::timestamp)`
  if (!dates.some((d) => d.billing_date === billingDate)) {
    const other = dates[0]?.billing_date
    throw new AppError(
      'invalid',
      `Cycle ${cycle} does not bill on ${billingDate}` +
        (other
          ? ` (its billing date that month is ${other})`
          : ' (it has no billing date that month)'),
      [{ field: 'billingDate', message: 'Not a billing date of this cycle in the calendar' }],
    )
  }
  // running from now on, for all to see; a failed export runs again
  await sql`
    insert into finance.cycle_export (cycle, billing_date, status) values (${cycle}, ${billingDate}, 'running')
    on conflict (cycle, billing_date) do update
      set status = 'running', failure = null, finished_at = null, started_at = clock_timestamp()
      where finance.cycle_export.status = 'failed'`
  let made: CycleExport | 'moved'
  try {
    made = await inTransaction(sql, async (tx) => {
      await tx`select pg_advisory_xact_lock(${EXPORT_LOCK[0]}, ${EXPORT_LOCK[1]})`
      const [row]: [{ id: number; status: ExportStatus; scheduled: boolean }?] = await tx`
        select id, status, exists (select from finance.bill_cycle_date d
                                    where d.cycle = x.cycle and d.billing_date = x.billing_date) as scheduled
          from finance.cycle_export x
         where cycle = ${cycle} and billing_date = ${billingDate} for update`
      if (!row) {
        throw new Error(`cycle export ${cycle} ${billingDate} vanished`)
      }
      if (row.status !== 'done' && !row.scheduled) {
        return 'moved' as const
      }
      if (row.status !== 'done') {
        const written = await insertLines(tx, row.id, cycle, billingDate)
        await tx`
          update finance.cycle_export x
             set status = 'done', finished_at = clock_timestamp(), line_count = ${written.lines},
                 total_cents = ${written.cents},
                 sha256 = encode(sha256(convert_to(finance.cycle_file(x.id), 'UTF8')), 'hex')
           where x.id = ${row.id}`
      }
      return exportById(tx, row.id)
    })
  } catch (err) {
    await sql`
      update finance.cycle_export set status = 'failed', failure = ${(err as Error).message.slice(0, 500)},
             finished_at = clock_timestamp()
       where cycle = ${cycle} and billing_date = ${billingDate} and status <> 'done'`
    throw err
  }
  if (made === 'moved') {
    // finance moved the date while this export waited: it never ran, so it leaves no trace
    await sql`
      delete from finance.cycle_export x
       where cycle = ${cycle} and billing_date = ${billingDate} and status <> 'done'
         and not exists (select from finance.cycle_export_line l where l.export_id = x.id)`
    throw new AppError(
      'conflict',
      `Cycle ${cycle} no longer bills on ${billingDate}: its date was moved`,
    )
  }
  return made
}

/*
  One statement for the whole cycle. The charge code comes from the entry's source and the sign:
  a credit is a refund or credit (PKR), or a payment when Stripe took it (PKY); a debit is what the
  source sold. Lines are numbered by account number, entry and posting, so a file reads by account.
*/
async function insertLines(
  tx: Db,
  exportId: number,
  cycle: number,
  billingDate: string,
): Promise<{ lines: number; cents: number }> {
  // index probes from the cycle's accounts down: a hash join would read every journal entry
  await tx`select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`
  const [written]: [{ lines: number; cents: number }?] = await tx`
    with due as (
      select p.entry_id, p.id as posting_id, p.amount, u.id as utility_account_id,
             u.account_number::text as account_number, e.source,
             left(coalesce(p.memo, e.description), 200) as description, c.last_attempt
        from cis.utility_account u
        -- the account's parking receivable, probed by its code (offset 0: never a scan of all accounts)
       cross join lateral (
             select r.id from ledger.account r where r.code = 'ar:parking:ua:' || u.id offset 0) a
        join ledger.posting p on p.account_id = a.id
        join ledger.journal_entry e on e.id = p.entry_id
        -- one probe of the posting's lines: carried already (by a line not put back), and its last attempt
       cross join lateral (
             select bool_or(l.status <> 'requeued') as carried, max(l.attempt) as last_attempt
               from finance.cycle_export_line l
              where l.entry_id = p.entry_id and l.posting_id = p.id) c
       where u.bill_cycle = ${cycle}
         and e.business_day <= ${billingDate}::date
         and e.source <> 'cis'
         and c.carried is not true
    ), coded as (
      select d.*, coalesce(d.last_attempt, 0) + 1 as attempt,
             case
               when d.amount < 0 and d.source = 'stripe' then 'PKY'
               when d.amount < 0 then 'PKR'
               when d.source = 'parking' then 'PKS'
               when d.source = 'permits' then 'PKP'
               when d.source = 'enforcement' and exists (
                      select from ledger.posting q join ledger.account qa on qa.id = q.account_id
                       where q.entry_id = d.entry_id and qa.code = 'revenue:parking:late_fees') then 'PKL'
               when d.source = 'enforcement' then 'PKC'
               when d.source = 'stripe' then 'PKY'
               else 'PKA'
             end as charge_code
        from due d
    ), written as (
      insert into finance.cycle_export_line
        (export_id, line_no, entry_id, posting_id, attempt, utility_account_id, account_number,
         charge_code, amount_cents, description, reference)
      select ${exportId}, row_number() over (order by c.account_number collate "C", c.entry_id, c.posting_id),
             c.entry_id, c.posting_id, c.attempt, c.utility_account_id, c.account_number,
             c.charge_code, c.amount, c.description,
             'CL-' || c.entry_id || '-' || c.posting_id || case when c.attempt > 1 then '-' || c.attempt else '' end
        from coded c
      returning amount_cents
    )
    select count(*)::int as lines, coalesce(sum(amount_cents), 0)::bigint as cents from written`
  return { lines: written?.lines ?? 0, cents: written?.cents ?? 0 }
}

export interface DueProgress {
  day: string
  cycles: number[]
  done: number
  failed: number
  current: CycleExport | null
}

/**
 * Exports every cycle that bills on `day`, one after another; each shows as running from the
 * start, so the console can follow. A failed cycle does not stop the others; the error is thrown
 * at the end, for the job to retry (the finished ones answer at once then).
 */
export async function exportDue(
  sql: Sql,
  day: string,
  onProgress: (p: DueProgress) => void = () => {},
): Promise<CycleExport[]> {
  const due = await sql<{ cycle: number }[]>`
    select cycle::int from finance.bill_cycle_date where billing_date = ${day} order by cycle`
  const cycles = due.map((d) => d.cycle)
  if (cycles.length > 0) {
    await sql`
      insert into finance.cycle_export (cycle, billing_date, status)
      select c, ${day}::date, 'running' from unnest(${cycles}::smallint[]) c
      on conflict (cycle, billing_date) do nothing`
  }
  const done: CycleExport[] = []
  const failures: string[] = []
  for (const cycle of cycles) {
    try {
      const made = await exportCycle(sql, cycle, day)
      done.push(made)
      onProgress({ day, cycles, done: done.length, failed: failures.length, current: made })
    } catch (err) {
      failures.push(`cycle ${cycle}: ${(err as Error).message}`)
      onProgress({ day, cycles, done: done.length, failed: failures.length, current: null })
    }
  }
  if (failures.length > 0) {
    throw new Error(`bill-cycle export for ${day} failed for ${failures.join('; ')}`)
  }
  return done
}

/**
 * Puts a line the CIS rejected back, so the next export of its cycle carries its posting again as
 * the next attempt (a new reference). Resolves the line's open exception with the note. Putting
 * back a line that is back already answers it as it is.
 */
export async function requeueLine(
  sql: Db,
  principal: Principal | null,
  lineId: number,
  note: string | null,
): Promise<{ line: CycleLine; exceptionId: number | null }> {
  return inTransaction(sql, async (tx) => {
    const [row]: [{ status: LineStatus; reference: string }?] = await tx`
      select status, reference from finance.cycle_export_line where id = ${lineId} for update`
    if (!row) {
      throw notFound('Cycle export line')
    }
    const [exception]: [{ id: number; status: string }?] = await tx`
      select id, status from finance.exception where key = ${rejectionKey(row.reference)}`
    if (row.status === 'requeued') {
      return { line: await lineById(tx, lineId), exceptionId: exception?.id ?? null }
    }
    if (row.status !== 'rejected') {
      throw new AppError(
        'conflict',
        `Line ${row.reference} is ${row.status}: only a rejected line is put back`,
      )
    }
    await tx`update finance.cycle_export_line set status = 'requeued' where id = ${lineId}`
    await writeAudit(tx, principal, {
      action: 'finance.cycle_line.requeue',
      entity: 'finance.cycle_export_line',
      entityId: lineId,
      before: { status: 'rejected' },
      after: { status: 'requeued', note },
    })
    if (exception?.status === 'open' && principal) {
      await resolveException(tx, principal, exception.id, {
        note: `Put back for the next export of its cycle${note ? `: ${note}` : ''}`,
      })
    }
    return { line: await lineById(tx, lineId), exceptionId: exception?.id ?? null }
  })
}

/** The exception a rejected line raises, by its reference: raised once however often acked. */
export const rejectionKey = (reference: string) => `cycle-line:${reference}:rejected`
