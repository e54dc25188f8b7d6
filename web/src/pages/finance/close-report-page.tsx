import { useMemo, useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { useApi, useResource } from '../../lib/use-api.ts'
import { formatCents, formatDateTime } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { useForm } from '../../lib/use-form.ts'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { RevenueChart, seriesOf } from './revenue-chart/revenue-chart.tsx'
import {
  DAY_LABEL,
  DAY_TONE,
  addDays,
  cityToday,
  formatLongDay,
  formatShortDay,
  label,
} from './finance.ts'
import type { CloseReport, DayView } from './types.ts'
import styles from './finance.module.css'

/** One business day's close report: what it earned, where, how, and whether it equals the ledger. */
export function CloseReportPage() {
  const day = useRoute().params.day ?? ''
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day)
  const view = useResource<DayView>(valid ? `/finance/days/${day}` : null)
  const [closed, setClosed] = useState<DayView | null>(null)
  const data = closed?.report.day === day ? closed : view.data
  const title = valid ? `Close report: ${formatLongDay(day)}` : 'Close report'
  const today = cityToday()
  return (
    <Page title={title} eyebrow="Finance · daily close">
      <FinanceNav />
      <nav class={styles.dayNav} aria-label="Other days">
        {valid && (
          <>
            <a href={`/finance/days/${addDays(day, -1)}`}>
              <span aria-hidden="true">← </span>
              {formatShortDay(addDays(day, -1))}
            </a>
            <a href={`/finance?month=${day.slice(0, 7)}`}>The month’s closes</a>
            {addDays(day, 1) <= today ? (
              <a href={`/finance/days/${addDays(day, 1)}`}>
                {formatShortDay(addDays(day, 1))}
                <span aria-hidden="true"> →</span>
              </a>
            ) : (
              <span />
            )}
          </>
        )}
      </nav>
      {!valid && <Alert tone="error" title="That is not a date. Days are written YYYY-MM-DD." />}
      {view.error && (
        <Alert tone="error" title={`The report could not be loaded: ${view.error.message}`} />
      )}
      {!data && view.loading && <Loading label="Loading the report…" />}
      {closed?.report.day === day && closed.status.status === 'closed' && (
        <Alert
          tone="success"
          title={`${formatLongDay(day)} is closed: ${formatCents(closed.report.totals.revenueCents)} revenue, equal to the ledger.`}
        />
      )}
      {data && (
        <Report
          view={data}
          closable={data.status.status !== 'closed' && day < today}
          onClosed={(v) => {
            setClosed(v)
            view.reload()
          }}
        />
      )}
    </Page>
  )
}

function Report({
  view,
  closable,
  onClosed,
}: {
  view: DayView
  closable: boolean
  onClosed: (v: DayView) => void
}) {
  const { status, report } = view
  return (
    <div class={styles.stack}>
      <Panel
        title="Status"
        description={
          view.live
            ? 'This day is open: the figures are the ledger as it stands now, and may still change.'
            : 'The figures were stored when the day closed. Later corrections appear on the next open day as prior-period adjustments.'
        }
      >
        <Facts>
          <Fact term="Status">
            <StatusBadge tone={DAY_TONE[status.status]}>{DAY_LABEL[status.status]}</StatusBadge>
          </Fact>
          <Fact term="Revenue">{formatCents(report.totals.revenueCents)}</Fact>
          <Fact term="Ledger entries">{report.counts.entries.toLocaleString('en-US')}</Fact>
          {status.closedAt && (
            <Fact term="Closed">{formatDateTime(status.closedAt, cityTimeZone())}</Fact>
          )}
          {status.priorPeriodEntries > 0 && (
            <Fact term="Prior-period entries">{status.priorPeriodEntries}</Fact>
          )}
        </Facts>
        {status.failure && (
          <Alert tone="error" title="The last close failed">
            <p>{status.failure}</p>
          </Alert>
        )}
        {closable && <CloseDay day={report.day} onClosed={onClosed} />}
      </Panel>
      <LedgerCheck report={report} />
      <RevenuePanel report={report} />
      <div class={styles.summaryGrid}>
        <Panel title="Totals by fund" level={2}>
          <Breakdown values={report.totals.byFund} />
        </Panel>
        <Panel title="Totals by payment method">
          <Breakdown values={report.totals.byMethod} />
        </Panel>
        <Panel title="Totals by channel">
          <Breakdown values={report.totals.byChannel} />
        </Panel>
      </div>
      <Counts report={report} />
      <PriorPeriod report={report} />
    </div>
  )
}

function CloseDay({ day, onClosed }: { day: string; onClosed: (v: DayView) => void }) {
  const api = useApi()
  const form = useForm()
  const [confirming, setConfirming] = useState(false)
  const [result, setResult] = useState<DayView | null>(null)
  const close = () =>
    void form.submit(async () => {
      const v = await api.post<DayView & { closedNow: boolean }>(`/finance/days/${day}/close`)
      setConfirming(false)
      setResult(v)
      onClosed(v)
    })
  if (result?.status.status === 'failed') {
    return (
      <Alert tone="error" title="The close failed: the report disagrees with the ledger">
        <p>
          {result.status.failure ??
            'See the ledger check below; an exception was raised for finance.'}
        </p>
      </Alert>
    )
  }
  return (
    <div class={styles.closeBox}>
      <FormAlert error={form.error} />
      {!confirming && !result && (
        <Button onClick={() => setConfirming(true)}>Close this day</Button>
      )}
      {confirming && (
        <div class={styles.confirm} role="group" aria-labelledby="confirm-close">
          <p id="confirm-close">
            <strong>Close {formatLongDay(day)}?</strong> The report is checked against the ledger
            and the day is locked: later postings to it go to the next open day as prior-period
            adjustments. This cannot be undone.
          </p>
          <div class={styles.buttons}>
            <Button busy={form.busy} onClick={close}>
              Yes, close {formatShortDay(day)}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={form.busy}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </div>
  )
}

function LedgerCheck({ report }: { report: CloseReport }) {
  const { check } = report
  if (check.equal) {
    return (
      <Alert tone="success" title="The report equals the ledger">
        <p>
          Revenue by facility, channel, method and fund adds up to{' '}
          {formatCents(check.breakdownRevenueCents)}, the same as the ledger’s revenue accounts (
          {formatCents(check.ledgerRevenueCents)}). The day’s entries balance (trial balance{' '}
          {formatCents(check.trialBalanceCents)}).
        </p>
      </Alert>
    )
  }
  return (
    <Alert tone="error" title="The report does not equal the ledger">
      <p>
        Breakdown {formatCents(check.breakdownRevenueCents)}, ledger{' '}
        {formatCents(check.ledgerRevenueCents)}, trial balance{' '}
        {formatCents(check.trialBalanceCents)}.
      </p>
      {check.differences.length > 0 && (
        <TableScroller label="Ledger differences">
          <table class={t.table}>
            <caption class="visually-hidden">
              Accounts where the report and the ledger differ
            </caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col" class={t.num}>
                  Ledger
                </th>
                <th scope="col" class={t.num}>
                  Report
                </th>
                <th scope="col" class={t.num}>
                  Difference
                </th>
              </tr>
            </thead>
            <tbody>
              {check.differences.map((d) => (
                <tr key={d.account}>
                  <th scope="row" class={t.mono}>
                    {d.account}
                  </th>
                  <td class={t.num}>{formatCents(d.ledgerCents)}</td>
                  <td class={t.num}>{formatCents(d.breakdownCents)}</td>
                  <td class={t.num}>{formatCents(d.ledgerCents - d.breakdownCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Alert>
  )
}

function RevenuePanel({ report }: { report: CloseReport }) {
  const facilities = useMemo(() => {
    const totals = new Map<string, number>()
    for (const r of report.revenue) {
      totals.set(r.facility, (totals.get(r.facility) ?? 0) + r.cents)
    }
    return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => f)
  }, [report])
  const series = useMemo(
    () =>
      seriesOf(
        report.revenue,
        facilities,
        (r) => r.facility,
        (r) => label(r.channel),
      ),
    [report, facilities],
  )
  const rows = [...report.revenue].sort(
    (a, b) =>
      a.facility.localeCompare(b.facility) ||
      a.channel.localeCompare(b.channel) ||
      a.method.localeCompare(b.method) ||
      a.fund.localeCompare(b.fund),
  )
  return (
    <Panel
      title="Revenue by facility, channel, method and fund"
      description={`${formatCents(report.totals.revenueCents)} in ${report.revenue.length} ${report.revenue.length === 1 ? 'line' : 'lines'}.`}
      actions={
        <CsvButton path={`/finance/days/${report.day}`} filename={`close-${report.day}.csv`} />
      }
    >
      {rows.length === 0 ? (
        <p class={styles.muted}>No revenue was posted to this day.</p>
      ) : (
        <div class={styles.stack}>
          <RevenueChart
            title="Revenue by facility and channel"
            categoryLabel="Facility"
            categories={facilities}
            series={series}
            horizontal={facilities.length > 4}
            summary={`${formatCents(report.totals.revenueCents)} across ${facilities.length} ${facilities.length === 1 ? 'facility' : 'facilities'}; the most from ${facilities[0] ?? ''}.`}
          />
          <TableScroller label="Revenue lines">
            <table class={t.table}>
              <caption class="visually-hidden">
                Revenue by facility, channel, method and fund
              </caption>
              <thead>
                <tr>
                  <th scope="col">Facility</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Method</th>
                  <th scope="col">Fund</th>
                  <th scope="col">Account</th>
                  <th scope="col" class={t.num}>
                    Entries
                  </th>
                  <th scope="col" class={t.num}>
                    Revenue
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.account}|${r.channel}|${r.method}|${r.fund}`}>
                    <th scope="row">
                      {r.facility}
                      {r.facilityCode && r.facilityCode !== r.facility && (
                        <span class={styles.subtle}> {r.facilityCode}</span>
                      )}
                    </th>
                    <td>{label(r.channel)}</td>
                    <td>{label(r.method)}</td>
                    <td>{label(r.fund)}</td>
                    <td class={t.mono}>{r.account}</td>
                    <td class={t.num}>{r.entries.toLocaleString('en-US')}</td>
                    <td class={t.num}>{formatCents(r.cents)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={5}>
                    Total
                  </th>
                  <td class={t.num}>
                    {rows.reduce((s, r) => s + r.entries, 0).toLocaleString('en-US')}
                  </td>
                  <td class={t.num}>{formatCents(report.totals.revenueCents)}</td>
                </tr>
              </tfoot>
            </table>
          </TableScroller>
        </div>
      )}
    </Panel>
  )
}

function Breakdown({ values }: { values: Record<string, number> }) {
  const entries = Object.entries(values).sort((a, b) => b[1] - a[1])
  if (entries.length === 0) {
    return <p class={styles.muted}>None.</p>
  }
  return (
    <dl class={styles.breakdown}>
      {entries.map(([k, v]) => (
        <div key={k} class={styles.breakdownRow}>
          <dt>{label(k)}</dt>
          <dd>{formatCents(v)}</dd>
        </div>
      ))}
    </dl>
  )
}

function Counts({ report }: { report: CloseReport }) {
  const { counts, refunds, disputes } = report
  const sessions = Object.entries(counts.sessions)
  const permits = Object.entries(counts.permitCharges)
  const disputeStatuses = Object.entries(disputes.byStatus)
  return (
    <div class={styles.summaryGrid}>
      <Panel title="Activity">
        <dl class={styles.breakdown}>
          {sessions.length === 0 && (
            <div class={styles.breakdownRow}>
              <dt>Parking sessions</dt>
              <dd>0</dd>
            </div>
          )}
          {sessions.map(([channel, n]) => (
            <div key={channel} class={styles.breakdownRow}>
              <dt>Sessions, {label(channel).toLowerCase()}</dt>
              <dd>{n.toLocaleString('en-US')}</dd>
            </div>
          ))}
          {permits.map(([kind, c]) => (
            <div key={kind} class={styles.breakdownRow}>
              <dt>Permit charges, {label(kind).toLowerCase()}</dt>
              <dd>
                {c.count.toLocaleString('en-US')} · {formatCents(c.cents)}
              </dd>
            </div>
          ))}
          <div class={styles.breakdownRow}>
            <dt>Citations issued</dt>
            <dd>
              {counts.citations.count.toLocaleString('en-US')} ·{' '}
              {formatCents(counts.citations.fineCents)}
            </dd>
          </div>
        </dl>
      </Panel>
      <Panel title="Refunds and disputes">
        <dl class={styles.breakdown}>
          <div class={styles.breakdownRow}>
            <dt>Card refunds</dt>
            <dd>
              {refunds.card.count} · {formatCents(refunds.card.cents)}
            </dd>
          </div>
          <div class={styles.breakdownRow}>
            <dt>Parking refunds</dt>
            <dd>
              {refunds.parking.count} · {formatCents(refunds.parking.cents)}
            </dd>
          </div>
          <div class={styles.breakdownRow}>
            <dt>Disputes</dt>
            <dd>
              {disputes.count} · {formatCents(disputes.cents)}
            </dd>
          </div>
          {disputeStatuses.map(([s, n]) => (
            <div key={s} class={styles.breakdownRow}>
              <dt>Disputes {label(s).toLowerCase()}</dt>
              <dd>{n}</dd>
            </div>
          ))}
        </dl>
      </Panel>
    </div>
  )
}

function PriorPeriod({ report }: { report: CloseReport }) {
  return (
    <Panel
      title="Prior-period adjustments"
      description="Postings to days closed before they arrived, carried by this day."
    >
      {report.priorPeriod.length === 0 ? (
        <p class={styles.muted}>None.</p>
      ) : (
        <TableScroller label="Prior-period adjustments">
          <table class={t.table}>
            <caption class="visually-hidden">Prior-period adjustments carried by this day</caption>
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Belongs to</th>
                <th scope="col">Description</th>
                <th scope="col" class={t.num}>
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {report.priorPeriod.map((p) => (
                <tr key={p.entryId}>
                  <th scope="row" class={t.num}>
                    {p.entryId}
                  </th>
                  <td class={t.nowrap}>
                    <a href={`/finance/days/${p.occurredOn}`}>{formatShortDay(p.occurredOn)}</a>
                  </td>
                  <td>{p.description}</td>
                  <td class={t.num}>{formatCents(p.revenueCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Panel>
  )
}
