import { useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { CheckField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { RECONCILIATION_TONE, label, query } from './finance.ts'
import type { PayoutDetail, PayoutItem, ReconciliationResult } from './types.ts'
import styles from './finance.module.css'

/** One payout: its items, what each matched in Curbline, and a reconcile-now button. */
export function PayoutPage() {
  const id = useRoute().params.id ?? ''
  const [problemsOnly, setProblemsOnly] = useState(false)
  const detail = useResource<PayoutDetail>(
    `/finance/payouts/${encodeURIComponent(id)}${query({ problems: problemsOnly ? 'true' : undefined, limit: 5000 })}`,
  )
  const p = detail.data
  return (
    <Page title={`Payout ${id}`} eyebrow="Finance · Stripe payouts">
      <FinanceNav />
      <p>
        <a href="/finance/payouts">
          <span aria-hidden="true">← </span>All payouts
        </a>
      </p>
      {detail.error && (
        <Alert tone="error" title={`The payout could not be loaded: ${detail.error.message}`} />
      )}
      {!p && detail.loading && <Loading label="Loading the payout…" />}
      {p && (
        <div class={styles.stack}>
          <Panel title="Reconciliation">
            <Facts>
              <Fact term="Status">
                <StatusBadge tone={RECONCILIATION_TONE[p.reconciliation]}>
                  {label(p.reconciliation)}
                </StatusBadge>
              </Fact>
              <Fact term="Amount">{formatCents(p.amountCents)}</Fact>
              <Fact term="Items’ net">
                {p.netTotalCents === null ? '—' : formatCents(p.netTotalCents)}
              </Fact>
              <Fact term="Difference">
                {p.netTotalCents === null ? (
                  '—'
                ) : (
                  <span class={p.netTotalCents === p.amountCents ? styles.good : styles.bad}>
                    {formatCents(p.amountCents - p.netTotalCents)}
                  </span>
                )}
              </Fact>
              <Fact term="Items">{p.itemCount ?? '—'}</Fact>
              <Fact term="Unmatched">{p.unmatchedCount ?? '—'}</Fact>
              <Fact term="Arrives">{p.arrivalDate ? formatDate(p.arrivalDate) : '—'}</Fact>
              <Fact term="Stripe status">{label(p.status)}</Fact>
              <Fact term="Reconciled">
                {p.reconciledAt ? formatDateTime(p.reconciledAt, cityTimeZone()) : 'Not yet'}
              </Fact>
            </Facts>
            <ReconcileNow id={p.id} disabled={p.status !== 'paid'} onDone={detail.reload} />
          </Panel>
          <Panel
            title="Items"
            description="Stripe’s balance transactions in this payout; those that did not match come first."
            actions={
              <CsvButton
                path={`/finance/payouts/${encodeURIComponent(p.id)}`}
                filename={`payout-${p.id}.csv`}
              />
            }
          >
            <CheckField
              name="problems"
              label="Only the items that did not match"
              checked={problemsOnly}
              onChange={setProblemsOnly}
            />
            <Items items={p.items} />
          </Panel>
        </div>
      )}
    </Page>
  )
}

function ReconcileNow({
  id,
  disabled,
  onDone,
}: {
  id: string
  disabled: boolean
  onDone: () => void
}) {
  const api = useApi()
  const form = useForm()
  const [result, setResult] = useState<ReconciliationResult | null>(null)
  const run = () =>
    void form.submit(async () => {
      const r = await api.post<ReconciliationResult>(
        `/finance/payouts/${encodeURIComponent(id)}/reconcile`,
      )
      setResult(r)
      onDone()
    })
  return (
    <div class={styles.closeBox}>
      <Button variant="secondary" busy={form.busy} disabled={disabled} onClick={run}>
        Reconcile now
      </Button>
      {disabled && <p class={styles.muted}>Only a paid payout can be reconciled.</p>}
      <FormAlert error={form.error} />
      {result && (
        <Alert
          tone={result.status === 'matched' ? 'success' : 'warning'}
          title={
            result.status === 'matched'
              ? `Matched: ${result.itemCount} items net to ${formatCents(result.netTotalCents)}, the payout’s amount.`
              : `Mismatched: ${result.unmatchedCount} of ${result.itemCount} items did not match; net ${formatCents(result.netTotalCents)} against ${formatCents(result.payoutAmountCents)}.`
          }
        >
          {result.feesPostedCents !== 0 && (
            <p>Stripe fees posted by the reconciliation: {formatCents(result.feesPostedCents)}.</p>
          )}
        </Alert>
      )}
    </div>
  )
}

function Items({ items }: { items: PayoutItem[] }) {
  if (items.length === 0) {
    return <p class={styles.muted}>No items to show.</p>
  }
  return (
    <TableScroller label="Payout items">
      <table class={`${t.table} ${t.cards}`}>
        <caption class="visually-hidden">
          Balance transactions in the payout and what each matched
        </caption>
        <thead>
          <tr>
            <th scope="col">Balance transaction</th>
            <th scope="col">Type</th>
            <th scope="col" class={t.num}>
              Amount
            </th>
            <th scope="col" class={t.num}>
              Fee
            </th>
            <th scope="col" class={t.num}>
              Net
            </th>
            <th scope="col">Matched</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.balanceTransaction}>
              <th scope="row" class={t.mono}>
                {i.balanceTransaction}
                {i.source && <span class={styles.subtle}> {i.source}</span>}
              </th>
              <td data-label="Type">{label(i.type)}</td>
              <td data-label="Amount" class={t.num}>
                {formatCents(i.amountCents)}
              </td>
              <td data-label="Fee" class={t.num}>
                {formatCents(i.feeCents)}
              </td>
              <td data-label="Net" class={t.num}>
                {formatCents(i.netCents)}
              </td>
              <td data-label="Matched">
                {i.matched ? (
                  <span class={styles.good}>
                    {label(i.matched.kind)}
                    {i.matched.purpose
                      ? ` for a ${label(i.matched.purpose).toLowerCase()}`
                      : ''}{' '}
                    <span class={t.mono}>{i.matched.id}</span>
                  </span>
                ) : (
                  <span class={styles.bad}>Not matched</span>
                )}
                {i.problem && <span class={`${styles.bad} ${styles.block}`}>{i.problem}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}
