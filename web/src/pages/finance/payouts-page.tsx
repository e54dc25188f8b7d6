import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { SelectField, TextField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { RECONCILIATION_TONE, label, query } from './finance.ts'
import type { PayoutList, Reconciliation } from './types.ts'
import styles from './finance.module.css'

const FILTERS: Record<Reconciliation | '', string> = {
  '': 'Every payout',
  mismatched: 'Mismatched',
  unreconciled: 'Not yet reconciled',
  matched: 'Matched',
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** Stripe's payouts to the bank, each reconciled item by item against Curbline's records. */
export function PayoutsPage() {
  const { query: q, route } = useLocation()
  const reconciliation =
    q.reconciliation && q.reconciliation in FILTERS ? (q.reconciliation as Reconciliation) : ''
  const from = DAY.test(q.from ?? '') ? (q.from as string) : ''
  const to = DAY.test(q.to ?? '') ? (q.to as string) : ''
  const filter = {
    reconciliation: reconciliation || undefined,
    from: from || undefined,
    to: to || undefined,
  }
  const list = useResource<PayoutList>(`/finance/payouts${query({ ...filter, limit: 200 })}`)
  const set = (patch: Partial<Record<'reconciliation' | 'from' | 'to', string>>) =>
    route(`/finance/payouts${query({ ...filter, ...patch })}`, true)
  const totals = list.data?.totals

  return (
    <Page
      title="Stripe payouts"
      eyebrow="Finance · reconciliation"
      lede="Each payout’s balance transactions are matched to Curbline’s payments, refunds, disputes and fees, and their net must equal what reached the bank. A job reconciles paid payouts every quarter hour."
    >
      <FinanceNav />
      <Panel
        title="Payouts"
        description={
          totals
            ? `${totals.count} ${totals.count === 1 ? 'payout' : 'payouts'}, ${formatCents(totals.amountCents)}` +
              Object.entries(totals.byStatus)
                .map(([s, n]) => ` · ${n} ${label(s).toLowerCase()}`)
                .join('')
            : 'Newest arrival first.'
        }
        actions={
          <CsvButton
            path={`/finance/payouts${query({ ...filter, limit: 1000 })}`}
            filename="stripe-payouts.csv"
          />
        }
      >
        <div class={styles.filters} role="group" aria-label="Filter the payouts">
          <SelectField
            label="Reconciliation"
            name="reconciliation"
            value={reconciliation}
            onValue={(v) => set({ reconciliation: v })}
          >
            {Object.entries(FILTERS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
          <TextField
            type="date"
            label="Arriving from"
            name="from"
            value={from}
            onValue={(v) => set({ from: v })}
          />
          <TextField
            type="date"
            label="Arriving up to"
            name="to"
            value={to}
            onValue={(v) => set({ to: v })}
          />
        </div>
        {list.error && (
          <Alert tone="error" title={`The payouts could not be loaded: ${list.error.message}`} />
        )}
        {!list.data && list.loading && <Loading label="Loading payouts…" />}
        {list.data && list.data.payouts.length === 0 && (
          <p class={styles.muted}>No payouts match.</p>
        )}
        {list.data && list.data.payouts.length > 0 && (
          <TableScroller label="Payouts">
            <table class={`${t.table} ${t.cards}`}>
              <caption class="visually-hidden">Stripe payouts, newest arrival first</caption>
              <thead>
                <tr>
                  <th scope="col">Payout</th>
                  <th scope="col">Arrives</th>
                  <th scope="col">Stripe status</th>
                  <th scope="col" class={t.num}>
                    Amount
                  </th>
                  <th scope="col" class={t.num}>
                    Items’ net
                  </th>
                  <th scope="col" class={t.num}>
                    Items
                  </th>
                  <th scope="col">Reconciliation</th>
                </tr>
              </thead>
              <tbody>
                {list.data.payouts.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" class={t.mono}>
                      <a href={`/finance/payouts/${p.id}`}>{p.id}</a>
                    </th>
                    <td data-label="Arrives" class={t.nowrap}>
                      {p.arrivalDate ? formatDate(p.arrivalDate) : '—'}
                    </td>
                    <td data-label="Stripe status">{label(p.status)}</td>
                    <td data-label="Amount" class={t.num}>
                      {formatCents(p.amountCents)}
                    </td>
                    <td data-label="Items’ net" class={t.num}>
                      {p.netTotalCents === null ? '—' : formatCents(p.netTotalCents)}
                    </td>
                    <td data-label="Items" class={t.num}>
                      {p.itemCount ?? '—'}
                      {p.unmatchedCount ? (
                        <span class={styles.bad}> ({p.unmatchedCount} unmatched)</span>
                      ) : null}
                    </td>
                    <td data-label="Reconciliation">
                      <StatusBadge tone={RECONCILIATION_TONE[p.reconciliation]}>
                        {label(p.reconciliation)}
                      </StatusBadge>
                      {p.reconciledAt && (
                        <span class={styles.subtle}>
                          {' '}
                          {formatDateTime(p.reconciledAt, cityTimeZone())}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </Panel>
    </Page>
  )
}
