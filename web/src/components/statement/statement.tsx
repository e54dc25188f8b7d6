import { useEffect, useRef, useState } from 'preact/hooks'
import type { Statement as StatementData } from '../../lib/types.ts'
import { useApi, useResource } from '../../lib/use-api.ts'
import { messageOf } from '../../lib/api.ts'
import { formatCents, formatDate, isoDay, monthsAgo } from '../../lib/format.ts'
import { fundAccent, fundLabel, sortFunds } from '../../lib/funds.ts'
import { Panel } from '../panel/panel.tsx'
import { TextField } from '../field/field.tsx'
import { Button } from '../button/button.tsx'
import { Alert } from '../alert/alert.tsx'
import { Loading } from '../loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../table/table.tsx'
import styles from './statement.module.css'

interface Period {
  from: string
  to: string
}

interface Props {
  customerId: number
  /** Changes when something elsewhere on the page may have added lines. */
  refreshKey?: number
  /** Says whose statement it is, in the words of the person reading it. */
  description?: string
  /** The downloaded file's name before its dates. */
  filePrefix?: string
}

const DESCRIPTION =
  'Utility bills, parking charges and payments on one ledger. Charges add to the balance; payments and credits show with a minus sign.'

/** The customer's ledger lines, utility and parking side by side, for a chosen period. */
export function Statement({
  customerId,
  refreshKey = 0,
  description = DESCRIPTION,
  filePrefix = 'curbline-statement',
}: Props) {
  const api = useApi()
  const [period, setPeriod] = useState<Period>(() => ({
    from: isoDay(monthsAgo(12)),
    to: isoDay(new Date()),
  }))
  const [draft, setDraft] = useState<Period>(period)
  const [filterError, setFilterError] = useState<string | null>(null)
  const [downloading, setDownloading] = useState(false)
  const [downloadError, setDownloadError] = useState<string | null>(null)
  const query = `from=${period.from}&to=${period.to}`
  const path = `/customers/${customerId}/statement?${query}`
  const statement = useResource<StatementData>(path)

  const reload = statement.reload
  const firstKey = useRef(refreshKey)
  useEffect(() => {
    if (refreshKey !== firstKey.current) {
      reload()
    }
  }, [refreshKey, reload])

  const apply = (event: Event) => {
    event.preventDefault()
    if (!draft.from || !draft.to) {
      setFilterError('Choose both a start and an end date')
      return
    }
    if (draft.from > draft.to) {
      setFilterError('The start date must be on or before the end date')
      return
    }
    setFilterError(null)
    setPeriod(draft)
  }

  const download = async () => {
    setDownloading(true)
    setDownloadError(null)
    try {
      await api.download(path, 'text/csv', `${filePrefix}-${period.from}-to-${period.to}.csv`)
    } catch (err) {
      setDownloadError(messageOf(err))
    } finally {
      setDownloading(false)
    }
  }

  const data = statement.data
  return (
    <Panel
      title="Statement"
      description={description}
      actions={
        <Button variant="secondary" busy={downloading} onClick={() => void download()}>
          Download CSV
        </Button>
      }
    >
      <form class={styles.filters} onSubmit={apply} noValidate aria-label="Statement period">
        <TextField
          label="From"
          type="date"
          name="from"
          required
          value={draft.from}
          onValue={(from) => setDraft((d) => ({ ...d, from }))}
        />
        <TextField
          label="To"
          type="date"
          name="to"
          required
          value={draft.to}
          onValue={(to) => setDraft((d) => ({ ...d, to }))}
        />
        <div class={styles.apply}>
          <Button type="submit" variant="secondary">
            Show statement
          </Button>
        </div>
      </form>
      {filterError && <Alert tone="error" title={filterError} />}
      {downloadError && (
        <Alert tone="error" title={`The CSV could not be downloaded: ${downloadError}`} />
      )}
      {statement.error && (
        <Alert tone="error" title="The statement could not be loaded">
          <p>{statement.error.message}</p>
        </Alert>
      )}
      {!data && statement.loading && <Loading label="Loading the statement…" />}
      {data && <StatementTable data={data} />}
    </Panel>
  )
}

function StatementTable({ data }: { data: StatementData }) {
  const periodFunds = sortFunds(Object.keys(data.totals.byFund))
  const from = data.from ? formatDate(data.from) : 'the first entry'
  const to = data.to ? formatDate(data.to) : 'today'
  return (
    <>
      <TableScroller label="Statement lines">
        {/* Explicit roles keep the table a table for screen readers when a phone stacks its rows. */}
        <table class={cx(t.table, styles.table)} role="table">
          <caption>
            Statement from {from} to {to}. Amounts in US dollars.
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                Date
              </th>
              <th scope="col" role="columnheader">
                Description
              </th>
              <th scope="col" role="columnheader">
                Fund
              </th>
              <th scope="col" role="columnheader">
                Utility account
              </th>
              <th scope="col" role="columnheader" class={t.num}>
                Amount
              </th>
              <th scope="col" role="columnheader" class={t.num}>
                Balance
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            <tr role="row" class={cx(t.summaryRow, styles.summary)}>
              <td role="cell" class={cx(t.nowrap, styles.date)}>
                {data.from ? formatDate(data.from) : ''}
              </td>
              <th scope="row" role="rowheader" colSpan={4} class={styles.description}>
                Opening balance
              </th>
              <td role="cell" class={cx(t.num, styles.balance)}>
                {formatCents(data.openingBalance)}
              </td>
            </tr>
            {data.lines.length === 0 && (
              <tr role="row">
                <td role="cell" colSpan={6} class={t.muted}>
                  Nothing was billed, charged or paid in this period.
                </td>
              </tr>
            )}
            {data.lines.map((line) => (
              <tr role="row" key={line.postingId} class={styles.line}>
                <td role="cell" class={cx(t.nowrap, styles.date)}>
                  {formatDate(line.occurredAt)}
                </td>
                <td role="cell" class={styles.description}>
                  {line.description}
                </td>
                <td role="cell" class={styles.fundCell}>
                  <span class={styles.fund} style={fundAccent(line.fund)}>
                    {fundLabel(line.fund)}
                  </span>
                </td>
                <td
                  role="cell"
                  class={cx(
                    styles.account,
                    line.utilityAccountNumber ? t.mono : cx(t.muted, styles.noAccount),
                  )}
                >
                  {line.utilityAccountNumber ?? '—'}
                </td>
                <td role="cell" class={cx(t.num, styles.amount, line.amount < 0 && t.credit)}>
                  {formatCents(line.amount)}
                </td>
                <td role="cell" class={cx(t.num, styles.balance)}>
                  {formatCents(line.runningBalance)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot role="rowgroup">
            <tr role="row" class={styles.summary}>
              <td role="cell" class={cx(t.nowrap, styles.date)}>
                {data.to ? formatDate(data.to) : ''}
              </td>
              <th scope="row" role="rowheader" colSpan={4} class={styles.description}>
                Closing balance
              </th>
              <td role="cell" class={cx(t.num, styles.balance)}>
                {formatCents(data.closingBalance)}
              </td>
            </tr>
          </tfoot>
        </table>
      </TableScroller>
      {periodFunds.length > 0 && (
        <div class={styles.totals}>
          <h3 class={styles.totalsTitle}>Change in this period</h3>
          <dl class={styles.totalsList}>
            {periodFunds.map((fund) => (
              <div key={fund}>
                <dt>{fundLabel(fund)}</dt>
                <dd>{formatCents(data.totals.byFund[fund] ?? 0)}</dd>
              </div>
            ))}
            <div class={styles.totalsAll}>
              <dt>All funds</dt>
              <dd>{formatCents(data.totals.total)}</dd>
            </div>
          </dl>
        </div>
      )}
    </>
  )
}

function cx(...names: (string | false | undefined)[]): string {
  return names.filter(Boolean).join(' ')
}
