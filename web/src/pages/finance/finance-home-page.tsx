import { useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import { formatCents } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { SelectField } from '../../components/field/field.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { RevenueChart, seriesOf } from './revenue-chart/revenue-chart.tsx'
import {
  DAY_LABEL,
  DAY_TONE,
  addDays,
  addMonths,
  cityToday,
  formatLongDay,
  formatMonth,
  formatShortDay,
  label,
  monthBounds,
  query,
} from './finance.ts'
import {
  EXCEPTION_KINDS,
  type DayStatus,
  type FinanceException,
  type RevenuePoint,
} from './types.ts'
import styles from './finance.module.css'

interface Tool {
  href: string
  title: string
  description: string
}

const TOOLS: Tool[] = [
  {
    href: '/finance/exceptions',
    title: 'Exceptions',
    description:
      'Payouts, cash and bill-cycle lines that did not reconcile: assign them, and resolve each with a note and an adjusting entry.',
  },
  {
    href: '/finance/payouts',
    title: 'Stripe payouts',
    description:
      'Each payout matched item by item to Curbline’s payments, refunds, disputes and fees.',
  },
  {
    href: '/finance/cash',
    title: 'Kiosk and gate cash',
    description: 'Expected cash per machine, collections counted against it, and bank deposits.',
  },
  {
    href: '/finance/cycles',
    title: 'Bill cycles and GL export',
    description:
      'Utility bill-cycle files for the CIS, their acknowledgements, CIS payments, and the GL journal.',
  },
  {
    href: '/cis-imports',
    title: 'CIS imports',
    description: 'Import the utility’s customers and bills files, and review recent imports.',
  },
  {
    href: '/customers',
    title: 'Customers',
    description:
      'Find a customer by name, email, account number or plate, and read their balances and statement.',
  },
  {
    href: '/staff/permits',
    title: 'Permits',
    description: 'Permit search by plate, customer or address.',
  },
  {
    href: '/api/docs',
    title: 'API documentation',
    description: 'Every endpoint, with the shapes of its requests and replies.',
  },
]

/** Finance's home: the month's closes, the last 30 days' revenue, and what awaits in the queue. */
export function FinanceHomePage() {
  const { user } = useSession()
  const { query: q, route } = useLocation()
  const today = cityToday()
  const month = /^\d{4}-\d{2}$/.test(q.month ?? '') ? (q.month as string) : today.slice(0, 7)
  const firstName = user?.displayName.split(' ')[0]
  return (
    <Page
      title="Finance home"
      eyebrow="Finance"
      lede="Close each business day, reconcile card payouts and kiosk cash, post parking charges to utility bill cycles, and work through exceptions."
    >
      <FinanceNav />
      {firstName && <p class={styles.greeting}>Welcome back, {firstName}.</p>}
      <div class={styles.stack}>
        <ExceptionsSummary />
        <CloseCalendar
          month={month}
          today={today}
          onMonth={(m) => route(`/finance${query({ month: m })}`)}
        />
        <RevenuePanel today={today} />
        <Panel title="Finance tools">
          <ul class={styles.tools}>
            {TOOLS.map((tool) => (
              <li key={tool.href}>
                <a class={styles.tool} href={tool.href}>
                  <span class={styles.toolTitle}>{tool.title}</span>
                  <span class={styles.toolText}>{tool.description}</span>
                </a>
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </Page>
  )
}

function ExceptionsSummary() {
  const open = useResource<{ exceptions: FinanceException[] }>(
    '/finance/exceptions?status=open&limit=1000',
  )
  if (open.error) {
    return (
      <Alert tone="error" title={`The exceptions could not be loaded: ${open.error.message}`} />
    )
  }
  if (!open.data) {
    return <Loading label="Loading exceptions…" />
  }
  const list = open.data.exceptions
  const byKind = new Map<string, number>()
  for (const x of list) {
    byKind.set(x.kind, (byKind.get(x.kind) ?? 0) + 1)
  }
  const unowned = list.filter((x) => x.ownerId === null).length
  return (
    <section
      class={list.length > 0 ? `${styles.callout} ${styles.calloutWarn}` : styles.callout}
      aria-labelledby="open-exceptions"
    >
      <h2 id="open-exceptions" class={styles.calloutTitle}>
        {list.length === 0
          ? 'No open exceptions'
          : `${list.length} open ${list.length === 1 ? 'exception' : 'exceptions'}`}
        {unowned > 0 && <span class={styles.calloutSub}> · {unowned} without an owner</span>}
      </h2>
      {list.length > 0 && (
        <ul class={styles.kindCounts}>
          {[...byKind.entries()].map(([kind, n]) => (
            <li key={kind}>
              <a href={`/finance/exceptions${query({ kind })}`}>
                {EXCEPTION_KINDS[kind as keyof typeof EXCEPTION_KINDS] ?? label(kind)}: {n}
              </a>
            </li>
          ))}
        </ul>
      )}
      <a class={styles.calloutLink} href="/finance/exceptions">
        Open the exceptions queue
      </a>
    </section>
  )
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

function CloseCalendar({
  month,
  today,
  onMonth,
}: {
  month: string
  today: string
  onMonth: (m: string) => void
}) {
  const { from, to } = monthBounds(month)
  const days = useResource<{ days: DayStatus[] }>(`/finance/days${query({ from, to })}`)
  const byDay = new Map((days.data?.days ?? []).map((d) => [d.day, d]))
  const weeks = useMemo(() => calendarWeeks(from, to), [from, to])
  const closed = days.data?.days.filter((d) => d.status === 'closed').length ?? 0
  const failed = days.data?.days.filter((d) => d.status === 'failed').length ?? 0
  const pastOpen = days.data?.days.filter((d) => d.status === 'open' && d.day < today).length ?? 0
  const revenue = days.data?.days.reduce((s, d) => s + d.revenueCents, 0) ?? 0
  return (
    <Panel
      title="Closes"
      description="Each business day with its close status and revenue. Open a day for its report."
      actions={
        <CsvButton path={`/finance/days${query({ from, to })}`} filename={`closes-${month}.csv`} />
      }
    >
      <div class={styles.monthBar}>
        <button
          type="button"
          class={styles.monthButton}
          onClick={() => onMonth(addMonths(month, -1))}
        >
          <span aria-hidden="true">← </span>Previous month
        </button>
        <h3 class={styles.monthTitle} aria-live="polite">
          {formatMonth(month)}
        </h3>
        <button
          type="button"
          class={styles.monthButton}
          onClick={() => onMonth(addMonths(month, 1))}
          disabled={month >= today.slice(0, 7)}
        >
          Next month<span aria-hidden="true"> →</span>
        </button>
      </div>
      {days.error && (
        <Alert tone="error" title={`The closes could not be loaded: ${days.error.message}`} />
      )}
      {!days.data && days.loading && <Loading label="Loading the month’s closes…" />}
      {days.data && (
        <>
          <p class={styles.monthSummary}>
            {closed} closed{failed > 0 ? `, ${failed} failed` : ''}
            {pastOpen > 0
              ? `, ${pastOpen} past ${pastOpen === 1 ? 'day' : 'days'} still open`
              : ''}{' '}
            · {formatCents(revenue)} revenue this month
          </p>
          <div class={styles.calendarScroll}>
            <table class={styles.calendar}>
              <caption class="visually-hidden">Closes in {formatMonth(month)}</caption>
              <thead>
                <tr>
                  {WEEKDAYS.map((d) => (
                    <th key={d} scope="col">
                      <abbr title={d}>{d.slice(0, 3)}</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((week, w) => (
                  <tr key={w}>
                    {week.map((day, i) => {
                      if (!day) {
                        return <td key={i} class={styles.blank} />
                      }
                      const d = byDay.get(day)
                      const future = day > today
                      return (
                        <td
                          key={day}
                          class={day === today ? `${styles.day} ${styles.today}` : styles.day}
                        >
                          {future || !d ? (
                            <span class={styles.dayNumber}>{Number(day.slice(8))}</span>
                          ) : (
                            <a class={styles.dayLink} href={`/finance/days/${day}`}>
                              <span class="visually-hidden">{formatLongDay(day)}: </span>
                              <span class={styles.dayNumber} aria-hidden="true">
                                {Number(day.slice(8))}
                              </span>
                              <StatusBadge tone={DAY_TONE[d.status]}>
                                {day === today && d.status === 'open'
                                  ? 'Today'
                                  : DAY_LABEL[d.status]}
                              </StatusBadge>
                              <span class={styles.dayRevenue}>{formatCents(d.revenueCents)}</span>
                              {d.priorPeriodEntries > 0 && (
                                <span class={styles.dayNote}>
                                  {d.priorPeriodEntries} prior-period
                                </span>
                              )}
                            </a>
                          )}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Panel>
  )
}

/** The month's days in weeks from Sunday, with nulls before the first and after the last. */
function calendarWeeks(from: string, to: string): (string | null)[][] {
  const first = new Date(`${from}T00:00:00Z`).getUTCDay()
  const cells: (string | null)[] = Array.from({ length: first }, () => null)
  for (let d = from; d <= to; d = addDays(d, 1)) {
    cells.push(d)
  }
  while (cells.length % 7 !== 0) {
    cells.push(null)
  }
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) {
    weeks.push(cells.slice(i, i + 7))
  }
  return weeks
}

function RevenuePanel({ today }: { today: string }) {
  const from = addDays(today, -29)
  const path = `/finance/revenue${query({ from, to: today })}`
  const revenue = useResource<{ points: RevenuePoint[] }>(path)
  const days = useMemo(() => Array.from({ length: 30 }, (_, i) => addDays(from, i)), [from])
  const labels = useMemo(() => days.map(formatShortDay), [days])
  const all = revenue.data?.points
  const funds = useMemo(() => [...new Set((all ?? []).map((p) => p.fund))].sort(), [all])
  // Parking's own revenue first: utility bill runs would dwarf it on the same scale.
  const [chosen, setFund] = useState<string | null>(null)
  const fund = chosen ?? (funds.includes('parking') ? 'parking' : '')
  const points = useMemo(
    () => (all ?? []).filter((p) => fund === '' || p.fund === fund),
    [all, fund],
  )
  const byFacility = useMemo(
    () =>
      seriesOf(
        points,
        days,
        (p) => p.day,
        (p) => p.facility,
      ),
    [points, days],
  )
  const byChannel = useMemo(
    () =>
      seriesOf(
        points,
        days,
        (p) => p.day,
        (p) => label(p.channel),
      ),
    [points, days],
  )
  const total = points.reduce((s, p) => s + p.cents, 0)
  return (
    <Panel
      title="Revenue, last 30 days"
      description={`${formatShortDay(from)} to ${formatShortDay(today)}: closed days from their closes, open days from the ledger as it stands.`}
      actions={<CsvButton path={path} filename={`revenue-${from}-to-${today}.csv`} />}
    >
      {revenue.error && (
        <Alert tone="error" title={`The revenue could not be loaded: ${revenue.error.message}`} />
      )}
      {!revenue.data && revenue.loading && <Loading label="Loading revenue…" />}
      {funds.length > 1 && (
        <div class={styles.filters}>
          <SelectField label="Fund" name="fund" value={fund} onValue={setFund}>
            <option value="">All funds</option>
            {funds.map((f) => (
              <option key={f} value={f}>
                {label(f)}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {revenue.data && points.length === 0 && (
        <p class={styles.muted}>No revenue in the last 30 days.</p>
      )}
      {revenue.data && points.length > 0 && (
        <div class={styles.charts}>
          <RevenueChart
            title="Revenue by facility"
            categoryLabel="Day"
            categories={labels}
            series={byFacility}
            summary={`${formatCents(total)} over 30 days across ${byFacility.length} ${byFacility.length === 1 ? 'facility' : 'facilities'}${byFacility[0] ? `; most from ${byFacility[0].name}` : ''}.`}
          />
          <RevenueChart
            title="Revenue by channel"
            categoryLabel="Day"
            categories={labels}
            series={byChannel}
            summary={`${formatCents(total)} over 30 days through ${byChannel.map((s) => s.name.toLowerCase()).join(', ')}.`}
          />
        </div>
      )}
    </Panel>
  )
}
