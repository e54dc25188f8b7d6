import { Fragment } from 'preact'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { ApiError, messageOf } from '../../lib/api.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { FieldRow, FileField, SelectField, TextField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { EXPORT_TONE, addDays, addMonths, cityToday, formatMonth, label, query } from './finance.ts'
import type {
  AckResult,
  CalendarDate,
  CisPayment,
  CycleCalendar,
  CycleExport,
  CycleLine,
  ExportDetail,
  ExportList,
  FileErrors,
  FundRevenue,
  PaymentImportResult,
} from './types.ts'
import styles from './finance.module.css'
import c from './cycles-page.module.css'

/** Parking charges on utility bills: the cycle calendar, the files for the CIS, and the GL export. */
export function CyclesPage() {
  const today = cityToday()
  const exports = useResource<ExportList>('/finance/cycle-exports?limit=100')
  const running = exports.data?.summary.running ?? 0
  const reload = exports.reload
  const [dueRun, setDueRun] = useState<string | null>(null)

  // While an export job runs, its cycles turn done one by one: look again every two seconds.
  useEffect(() => {
    if (running === 0 && dueRun === null) {
      return
    }
    const timer = setInterval(reload, 2000)
    return () => clearInterval(timer)
  }, [running, dueRun, reload])

  // The job's progress: the cycles of the billing dates that have one still running.
  const runningDates = new Set(
    (exports.data?.exports ?? []).filter((x) => x.status === 'running').map((x) => x.billingDate),
  )
  const job = (exports.data?.exports ?? []).filter((x) => runningDates.has(x.billingDate))
  const jobDone = job.filter((x) => x.status !== 'running').length

  return (
    <Page
      title="Bill cycles and GL export"
      eyebrow="Finance · utility billing"
      lede="Parking charges on “pay on my utility bill” go to the CIS in one file per bill cycle on its billing date; nothing is exported twice. The CIS acknowledges each line, and its payment extract posts what customers paid on their bills."
    >
      <FinanceNav />
      <div class={styles.stack}>
        <CalendarPanel today={today} done={exports.data?.summary.done ?? 0} onExported={reload} />
        <Panel
          title="Cycle exports"
          description={
            exports.data
              ? `${exports.data.summary.done} done, ${running} running, ${exports.data.summary.failed} failed · ${exports.data.summary.lines.toLocaleString('en-US')} lines, ${formatCents(exports.data.summary.totalCents)}`
              : 'Newest billing date first.'
          }
        >
          {exports.error && (
            <Alert
              tone="error"
              title={`The exports could not be loaded: ${exports.error.message}`}
            />
          )}
          {!exports.data && exports.loading && <Loading label="Loading exports…" />}
          <RunDue
            today={today}
            onStart={(day) => {
              setDueRun(day)
              setTimeout(reload, 300)
            }}
            onEnd={() => {
              setDueRun(null)
              reload()
            }}
          />
          {job.length > 0 && (
            <div class={c.progress} role="status">
              <label for="export-progress">
                Exporting {[...runningDates].map(formatDate).join(', ')}: {jobDone} of {job.length}{' '}
                cycles done
              </label>
              <progress id="export-progress" max={job.length} value={jobDone} />
            </div>
          )}
          {exports.data && <Exports list={exports.data.exports} onChange={reload} />}
        </Panel>
        <AckPanel onDone={reload} />
        <PaymentsPanel />
        <GlPanel today={today} />
      </div>
    </Page>
  )
}

/** Exports every cycle that bills on a date, as the daily job does; the list shows its progress. */
function RunDue({
  today,
  onStart,
  onEnd,
}: {
  today: string
  onStart: (day: string) => void
  onEnd: () => void
}) {
  const api = useApi()
  const form = useForm()
  const [day, setDay] = useState(today)
  const submit = (ev: Event) => {
    ev.preventDefault()
    onStart(day)
    void form
      .submit(async () => {
        const result = await api.post<ExportList>('/finance/cycle-exports/due', {
          billingDate: day,
        })
        const { done, failed, lines } = result.summary
        return result.exports.length === 0
          ? `No cycle bills on ${formatDate(day)}.`
          : `${formatDate(day)}: ${done} ${done === 1 ? 'cycle' : 'cycles'} exported (${lines} lines)` +
              (failed > 0 ? `, ${failed} failed.` : '.')
      })
      .finally(onEnd)
  }
  return (
    <form
      class={c.runDue}
      onSubmit={submit}
      noValidate
      aria-label="Export the cycles due on a date"
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} success={form.success} />
      <div class={c.runDueRow}>
        <TextField
          type="date"
          label="Billing date"
          name="billingDate"
          required
          value={day}
          onValue={setDay}
          hint="Every cycle that bills that day, as the daily job does. Cycles exported before stay as they are."
          error={form.fieldErrors.billingDate}
        />
        <div class={c.submit}>
          <Button type="submit" busy={form.busy}>
            Export the cycles due
          </Button>
        </div>
      </div>
    </form>
  )
}

function CalendarPanel({
  today,
  done,
  onExported,
}: {
  today: string
  /** Exports done so far: as a running job finishes cycles, their dates turn done here too. */
  done: number
  onExported: () => void
}) {
  const api = useApi()
  const [month, setMonth] = useState(today.slice(0, 7))
  const calendar = useResource<CycleCalendar>(`/finance/cycle-calendar?year=${month.slice(0, 4)}`)
  const [busy, setBusy] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<{ tone: 'success' | 'error'; text: string } | null>(null)
  const reloadCalendar = calendar.reload
  const seen = useRef(done)
  useEffect(() => {
    if (seen.current !== done) {
      seen.current = done
      reloadCalendar()
    }
  }, [done, reloadCalendar])
  const dates = (calendar.data?.dates ?? [])
    .filter((d) => d.billingDate.startsWith(month))
    .sort((a, b) => a.cycle - b.cycle)

  const run = async (cycle: number, billingDate: string) => {
    setBusy(`${cycle}|${billingDate}`)
    setOutcome(null)
    try {
      const made = await api.post<CycleExport>('/finance/cycle-exports', { cycle, billingDate })
      setOutcome({
        tone: 'success',
        text: `Cycle ${cycle} for ${formatDate(billingDate)} exported: ${made.lineCount} lines, ${formatCents(made.totalCents)}.`,
      })
      calendar.reload()
      onExported()
    } catch (err) {
      setOutcome({ tone: 'error', text: `Cycle ${cycle} could not be exported: ${messageOf(err)}` })
    } finally {
      setBusy(null)
    }
  }

  return (
    <Panel
      title="Cycle calendar"
      description="The day each of the 21 cycles bills this month, and its export."
    >
      <div class={styles.monthBar}>
        <button
          type="button"
          class={styles.monthButton}
          onClick={() => setMonth(addMonths(month, -1))}
        >
          <span aria-hidden="true">← </span>Previous month
        </button>
        <h3 class={styles.monthTitle} aria-live="polite">
          {formatMonth(month)}
        </h3>
        <button
          type="button"
          class={styles.monthButton}
          onClick={() => setMonth(addMonths(month, 1))}
        >
          Next month<span aria-hidden="true"> →</span>
        </button>
      </div>
      {outcome && <Alert tone={outcome.tone} title={outcome.text} />}
      {calendar.error && (
        <Alert tone="error" title={`The calendar could not be loaded: ${calendar.error.message}`} />
      )}
      {!calendar.data && calendar.loading && <Loading label="Loading the calendar…" />}
      {calendar.data && dates.length === 0 && (
        <p class={styles.muted}>No billing dates this month.</p>
      )}
      {dates.length > 0 && (
        <ol class={c.cycles}>
          {dates.map((d) => {
            const due = d.billingDate <= today
            return (
              <li key={d.cycle} class={d.billingDate === today ? `${c.cycle} ${c.today}` : c.cycle}>
                <span class={c.cycleName}>Cycle {d.cycle}</span>
                <span class={c.cycleDate}>{formatDate(d.billingDate)}</span>
                {d.exportStatus ? (
                  <StatusBadge tone={EXPORT_TONE[d.exportStatus]}>
                    {label(d.exportStatus)}
                  </StatusBadge>
                ) : (
                  <span class={styles.subtle}>{due ? 'Not exported' : 'Upcoming'}</span>
                )}
                {due && d.exportStatus !== 'done' && d.exportStatus !== 'running' && (
                  <Button
                    size="small"
                    variant="secondary"
                    busy={busy === `${d.cycle}|${d.billingDate}`}
                    disabled={busy !== null}
                    onClick={() => void run(d.cycle, d.billingDate)}
                  >
                    Run export
                    <span class="visually-hidden">
                      {' '}
                      of cycle {d.cycle} for {formatDate(d.billingDate)}
                    </span>
                  </Button>
                )}
              </li>
            )
          })}
        </ol>
      )}
      {dates.some((d) => d.exportStatus === null) && (
        <MoveDate key={month} month={month} dates={dates} onMoved={calendar.reload} />
      )}
    </Panel>
  )
}

/** Moves one cycle's billing date within the month, while its export has not run. */
function MoveDate({
  month,
  dates,
  onMoved,
}: {
  month: string
  dates: CalendarDate[]
  onMoved: () => void
}) {
  const api = useApi()
  const form = useForm()
  const movable = dates.filter((d) => d.exportStatus === null)
  const [cycle, setCycle] = useState('')
  const [day, setDay] = useState('')
  const submit = (ev: Event) => {
    ev.preventDefault()
    const errors: Record<string, string> = {}
    if (!cycle) {
      errors.cycle = 'Choose the cycle'
    }
    if (!day.startsWith(month)) {
      errors.billingDate = `A day of ${formatMonth(month)}`
    }
    if (Object.keys(errors).length > 0) {
      form.fail('Check the new date', errors)
      return
    }
    void form.submit(async () => {
      await api.put(`/finance/cycle-calendar/${month}`, {
        dates: [{ cycle: Number(cycle), billingDate: day }],
      })
      onMoved()
      return `Cycle ${cycle} now bills on ${formatDate(day)}.`
    })
  }
  return (
    <form class={c.move} onSubmit={submit} noValidate aria-label="Move a billing date">
      <h3 class={c.subhead}>Move a billing date</h3>
      <p class={styles.muted}>Only a date whose export has not run can move.</p>
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={{ cycle: 'Cycle', billingDate: 'New billing date' }}
      />
      <FieldRow>
        <SelectField
          label="Cycle"
          name="cycle"
          required
          value={cycle}
          onValue={(v) => {
            setCycle(v)
            setDay(movable.find((d) => String(d.cycle) === v)?.billingDate ?? '')
          }}
          error={form.fieldErrors.cycle}
        >
          <option value="">Choose…</option>
          {movable.map((d) => (
            <option key={d.cycle} value={String(d.cycle)}>
              Cycle {d.cycle} ({formatDate(d.billingDate)})
            </option>
          ))}
        </SelectField>
        <TextField
          type="date"
          label="New billing date"
          name="billingDate"
          required
          value={day}
          onValue={setDay}
          error={form.fieldErrors.billingDate}
        />
      </FieldRow>
      <div class={styles.buttons}>
        <Button type="submit" variant="secondary" busy={form.busy}>
          Move the date
        </Button>
      </div>
    </form>
  )
}

function Exports({ list, onChange }: { list: CycleExport[]; onChange: () => void }) {
  const [open, setOpen] = useState<number | null>(null)
  if (list.length === 0) {
    return <p class={styles.muted}>No cycle has been exported yet.</p>
  }
  return (
    <TableScroller label="Cycle exports">
      <table class={`${t.table} ${styles.anchor}`}>
        <caption class="visually-hidden">Bill-cycle exports, newest billing date first</caption>
        <thead>
          <tr>
            <th scope="col">Export</th>
            <th scope="col">Status</th>
            <th scope="col" class={t.num}>
              Lines
            </th>
            <th scope="col" class={t.num}>
              Total
            </th>
            <th scope="col">Acknowledged</th>
            <th scope="col">File for the CIS</th>
          </tr>
        </thead>
        <tbody>
          {list.map((x) => (
            <Fragment key={x.id}>
              <tr>
                <th scope="row" class={t.nowrap}>
                  Cycle {x.cycle}, {formatDate(x.billingDate)}
                </th>
                <td>
                  <StatusBadge tone={EXPORT_TONE[x.status]}>{label(x.status)}</StatusBadge>
                  {x.status === 'running' && (
                    <progress class={c.running} aria-label={`Cycle ${x.cycle} export running`} />
                  )}
                  {x.failure && <span class={`${styles.bad} ${styles.block}`}>{x.failure}</span>}
                </td>
                <td class={t.num}>{x.lineCount.toLocaleString('en-US')}</td>
                <td class={t.num}>{formatCents(x.totalCents)}</td>
                <td>
                  <span class={c.lineCounts}>
                    {x.lines.billed} billed · {x.lines.exported} waiting
                    {x.lines.rejected > 0 && (
                      <span class={styles.bad}> · {x.lines.rejected} rejected</span>
                    )}
                    {x.lines.requeued > 0 && <> · {x.lines.requeued} requeued</>}
                  </span>
                  {x.lines.rejected > 0 && (
                    <Button
                      variant="quiet"
                      size="small"
                      onClick={() => setOpen(open === x.id ? null : x.id)}
                    >
                      {open === x.id ? 'Hide rejected lines' : 'Show rejected lines'}
                      <span class="visually-hidden">
                        {' '}
                        of cycle {x.cycle}, {formatDate(x.billingDate)}
                      </span>
                    </Button>
                  )}
                </td>
                <td>
                  {x.status === 'done' ? (
                    <a href={x.fileUrl} download={x.fileName} class={c.file}>
                      {x.fileName}
                    </a>
                  ) : (
                    <span class={styles.muted}>No file yet</span>
                  )}
                </td>
              </tr>
              {open === x.id && (
                <tr>
                  <td colSpan={6} class={c.detail}>
                    <RejectedLines exportId={x.id} onChange={onChange} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}

function RejectedLines({ exportId, onChange }: { exportId: number; onChange: () => void }) {
  const api = useApi()
  const detail = useResource<ExportDetail>(`/finance/cycle-exports/${exportId}?status=rejected`)
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null)
  const [busy, setBusy] = useState<number | null>(null)
  const requeue = async (line: CycleLine) => {
    setBusy(line.id)
    setMessage(null)
    try {
      await api.post(`/finance/cycle-lines/${line.id}/requeue`, {
        note: 'Put back for the next export from the finance console',
      })
      setMessage({
        tone: 'success',
        text: `${line.reference} goes out again with the next export of its cycle.`,
      })
      detail.reload()
      onChange()
    } catch (err) {
      setMessage({
        tone: 'error',
        text: `${line.reference} could not be put back: ${messageOf(err)}`,
      })
    } finally {
      setBusy(null)
    }
  }
  if (detail.error) {
    return <Alert tone="error" title={`The lines could not be loaded: ${detail.error.message}`} />
  }
  if (!detail.data) {
    return <Loading label="Loading rejected lines…" />
  }
  return (
    <div>
      {message && <Alert tone={message.tone} title={message.text} />}
      {detail.data.lineList.length === 0 ? (
        <p class={styles.muted}>No rejected lines are waiting.</p>
      ) : (
        <table class={`${t.table} ${c.inner} ${styles.anchor}`}>
          <caption class="visually-hidden">Rejected lines</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Account</th>
              <th scope="col">Charge</th>
              <th scope="col" class={t.num}>
                Amount
              </th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.data.lineList.map((l) => (
              <tr key={l.id}>
                <th scope="row" class={t.mono}>
                  {l.reference}
                </th>
                <td class={t.mono}>{l.accountNumber}</td>
                <td>{l.description}</td>
                <td class={t.num}>{formatCents(l.amountCents)}</td>
                <td>{l.rejectReason ?? '—'}</td>
                <td class={t.actions}>
                  <Button
                    size="small"
                    variant="secondary"
                    busy={busy === l.id}
                    onClick={() => void requeue(l)}
                  >
                    Requeue<span class="visually-hidden"> {l.reference}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/** The 400 of a file with bad rows, told apart from other 400s by its details. */
function fileErrorsOf(err: unknown): FileErrors | null {
  if (!(err instanceof ApiError) || err.status !== 400) {
    return null
  }
  const d = err.details
  if (typeof d !== 'object' || d === null || !('errors' in d) || !Array.isArray(d.errors)) {
    return null
  }
  return d as FileErrors
}

interface Upload<T> {
  name: string
  result?: T
  errors?: FileErrors
  failure?: string
}

function useUpload<T>(path: string) {
  const api = useApi()
  const [file, setFile] = useState<File | null>(null)
  const [fileError, setFileError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Upload<T> | null>(null)
  const submit = async (ev: Event, onDone?: () => void) => {
    ev.preventDefault()
    if (!file) {
      setFileError('Choose a CSV file')
      return
    }
    setFileError(undefined)
    setBusy(true)
    setOutcome(null)
    try {
      const result = await api.postRaw<T>(path, await file.text(), 'text/csv')
      setOutcome({ name: file.name, result })
      onDone?.()
    } catch (err) {
      const errors = fileErrorsOf(err)
      setOutcome(
        errors ? { name: file.name, errors } : { name: file.name, failure: messageOf(err) },
      )
    } finally {
      setBusy(false)
    }
  }
  const onFile = (f: File | null) => {
    setFile(f)
    setFileError(undefined)
  }
  return { submit, onFile, fileError, busy, outcome }
}

function FileErrorTable({ name, errors }: { name: string; errors: FileErrors }) {
  const n = errors.errorCount
  return (
    <div class={styles.stack}>
      <Alert tone="error" title={`${name} was rejected: ${n} ${n === 1 ? 'error' : 'errors'}`}>
        <p>
          Nothing from this file was applied. Correct the lines below and upload the whole file
          again.
        </p>
      </Alert>
      <TableScroller label={`Errors in ${name}`}>
        <table class={t.table}>
          <caption class="visually-hidden">Errors in {name}, by line</caption>
          <thead>
            <tr>
              <th scope="col" class={t.num}>
                Line
              </th>
              <th scope="col">Field</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {errors.errors.map((e, i) => (
              <tr key={`${e.line}-${i}`}>
                <th scope="row" class={t.num}>
                  {e.line}
                </th>
                <td class={t.mono}>{e.field || '—'}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
    </div>
  )
}

function AckPanel({ onDone }: { onDone: () => void }) {
  const upload = useUpload<AckResult>('/finance/cycle-acks')
  const o = upload.outcome
  return (
    <Panel
      title="Acknowledgement from the CIS"
      description="A CSV of reference, status (billed or rejected), reason and bill_id. Rejected lines become exceptions; the same file again changes nothing."
    >
      <form
        class={c.upload}
        onSubmit={(ev) => void upload.submit(ev, onDone)}
        noValidate
        aria-label="Upload an acknowledgement file"
      >
        <FileField
          label="Acknowledgement file"
          name="ack"
          accept=".csv,text/csv"
          required
          error={upload.fileError}
          onFile={upload.onFile}
        />
        <div class={c.submit}>
          <Button type="submit" busy={upload.busy}>
            Upload acknowledgement
          </Button>
        </div>
      </form>
      {o?.failure && <Alert tone="error" title={`${o.name} could not be imported: ${o.failure}`} />}
      {o?.errors && <FileErrorTable name={o.name} errors={o.errors} />}
      {o?.result && (
        <Alert
          tone={o.result.rejected > 0 ? 'warning' : 'success'}
          title={`${o.name} was imported`}
        >
          <p>
            {o.result.rows} rows: {o.result.billed} newly billed, {o.result.rejected} newly
            rejected, {o.result.unchanged} unchanged.
            {o.result.rejected > 0 && (
              <>
                {' '}
                <a href="/finance/exceptions?kind=cycle_line_rejected">
                  See the rejected lines’ exceptions
                </a>
                .
              </>
            )}
          </p>
        </Alert>
      )}
    </Panel>
  )
}

function PaymentsPanel() {
  const upload = useUpload<PaymentImportResult>('/finance/cis-payments')
  const payments = useResource<{ payments: CisPayment[] }>('/finance/cis-payments?limit=50')
  const o = upload.outcome
  return (
    <Panel
      title="CIS payment extract"
      description="Payments customers made on their utility bill against parking charges (cis_transaction_id, account_number, paid_on, amount, reference). Each transaction posts once."
    >
      <form
        class={c.upload}
        onSubmit={(ev) => void upload.submit(ev, payments.reload)}
        noValidate
        aria-label="Upload a CIS payment extract"
      >
        <FileField
          label="Payment extract"
          name="payments"
          accept=".csv,text/csv"
          required
          error={upload.fileError}
          onFile={upload.onFile}
        />
        <div class={c.submit}>
          <Button type="submit" busy={upload.busy}>
            Upload payments
          </Button>
        </div>
      </form>
      {o?.failure && <Alert tone="error" title={`${o.name} could not be imported: ${o.failure}`} />}
      {o?.errors && <FileErrorTable name={o.name} errors={o.errors} />}
      {o?.result && (
        <Alert tone="success" title={`${o.name} was imported`}>
          <p>
            {o.result.rows} rows: {o.result.posted} payments posted (
            {formatCents(o.result.postedCents)}), {o.result.unchanged} imported before.
          </p>
        </Alert>
      )}
      <h3 class={c.subhead}>Recent payments</h3>
      {payments.error && (
        <Alert tone="error" title={`The payments could not be loaded: ${payments.error.message}`} />
      )}
      {payments.data && payments.data.payments.length === 0 && (
        <p class={styles.muted}>No payments imported yet.</p>
      )}
      {payments.data && payments.data.payments.length > 0 && (
        <TableScroller label="Recent CIS payments">
          <table class={`${t.table} ${t.cards}`}>
            <caption class="visually-hidden">Payments imported from the CIS, newest first</caption>
            <thead>
              <tr>
                <th scope="col">CIS transaction</th>
                <th scope="col">Account</th>
                <th scope="col">Paid on</th>
                <th scope="col" class={t.num}>
                  Amount
                </th>
                <th scope="col">Reference</th>
                <th scope="col">Imported</th>
              </tr>
            </thead>
            <tbody>
              {payments.data.payments.map((p) => (
                <tr key={p.id}>
                  <th scope="row" class={t.mono}>
                    {p.cisTransactionId}
                  </th>
                  <td data-label="Account" class={t.mono}>
                    {p.accountNumber}
                  </td>
                  <td data-label="Paid on" class={t.nowrap}>
                    {formatDate(p.paidOn)}
                  </td>
                  <td data-label="Amount" class={t.num}>
                    {formatCents(p.amountCents)}
                  </td>
                  <td data-label="Reference">{p.reference ?? '—'}</td>
                  <td data-label="Imported" class={t.nowrap}>
                    {formatDateTime(p.importedAt, cityTimeZone())}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Panel>
  )
}

function GlPanel({ today }: { today: string }) {
  const api = useApi()
  const form = useForm()
  const [from, setFrom] = useState(`${addMonths(today.slice(0, 7), -1)}-01`)
  const [to, setTo] = useState(addDays(`${today.slice(0, 7)}-01`, -1))
  const [asked, setAsked] = useState<{ from: string; to: string } | null>(null)
  const summary = useResource<FundRevenue>(asked ? `/finance/gl/summary${query(asked)}` : null)
  const total = useMemo(
    () => summary.data?.funds.reduce((s, f) => s + f.revenueCents, 0) ?? 0,
    [summary.data],
  )

  const submit = (ev: Event) => {
    ev.preventDefault()
    void form.submit(async () => {
      await api.download(`/finance/gl${query({ from, to })}`, 'text/csv', `gl-${from}-to-${to}.csv`)
      setAsked({ from, to })
      return `The GL journal for ${formatDate(from)} to ${formatDate(to)} was downloaded.`
    })
  }

  return (
    <Panel
      title="GL journal export"
      description="Every posting of the business days in the range: fund, account code, debit, credit, date and reference. At most a year."
    >
      <form class={styles.form} onSubmit={submit} noValidate aria-label="Export the GL journal">
        <FormAlert error={form.error} fieldErrors={form.fieldErrors} success={form.success} />
        <FieldRow>
          <TextField
            type="date"
            label="From"
            name="from"
            required
            value={from}
            onValue={setFrom}
            error={form.fieldErrors.from}
          />
          <TextField
            type="date"
            label="To"
            name="to"
            required
            value={to}
            onValue={setTo}
            error={form.fieldErrors.to}
          />
        </FieldRow>
        <div class={styles.buttons}>
          <Button type="submit" busy={form.busy}>
            Download GL journal (CSV)
          </Button>
        </div>
      </form>
      {summary.data && (
        <div class={c.funds}>
          <h3 class={c.subhead}>
            Revenue per fund, {formatDate(summary.data.from)} to {formatDate(summary.data.to)}
          </h3>
          <p class={styles.muted}>
            What the export adds up to, fund by fund, as the ledger has it.
          </p>
          <dl class={styles.breakdown}>
            {summary.data.funds.map((f) => (
              <div key={f.fund} class={styles.breakdownRow}>
                <dt>{label(f.fund)}</dt>
                <dd>{formatCents(f.revenueCents)}</dd>
              </div>
            ))}
            <div class={styles.breakdownRow}>
              <dt>
                <strong>Total</strong>
              </dt>
              <dd>{formatCents(total)}</dd>
            </div>
          </dl>
        </div>
      )}
    </Panel>
  )
}
