import { useRoute } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type { Customer } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { BalanceSummary } from '../../components/balance-summary/balance-summary.tsx'
import { Statement } from '../../components/statement/statement.tsx'
import {
  UtilityAccountCard,
  UtilityAccountList,
} from '../../components/utility-account-card/utility-account-card.tsx'
import { VehicleList } from '../../components/vehicle-list/vehicle-list.tsx'
import styles from './customer-page.module.css'

/** A customer's record as staff see it: the driver's My account, read-only. */
export function CustomerPage() {
  const { params } = useRoute()
  const id = /^\d+$/.test(params.id ?? '') ? Number(params.id) : null
  const customer = useResource<Customer>(id === null ? null : `/customers/${id}`)
  const data = customer.data

  if (id === null || customer.error?.status === 404) {
    return (
      <Page title="No such customer" width="narrow">
        <p>There is no customer with this number. Search for them by name or account instead.</p>
        <a href="/customers">Back to customer search</a>
      </Page>
    )
  }

  return (
    <Page
      title={data?.name ?? 'Customer'}
      eyebrow={data?.cisCustomerId ? `Customer ${data.cisCustomerId}` : 'Customer'}
      lede={data ? contact(data) : undefined}
    >
      <p class={styles.back}>
        <a href="/customers">← Customer search</a>
      </p>
      {customer.error && (
        <Alert tone="error" title="This customer could not be loaded">
          <p>{customer.error.message}</p>
          <Button variant="secondary" size="small" onClick={customer.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {!data && customer.loading && <Loading label="Loading the customer…" />}
      {data && (
        <div class={styles.stack}>
          <BalanceSummary balances={data.balances} />
          <Statement
            customerId={data.id}
            filePrefix={`curbline-statement-${data.cisCustomerId ?? data.id}`}
            description="Utility bills, parking charges and payments on one ledger. Charges add to what the customer owes; payments and credits show with a minus sign."
          />
          <div class={styles.columns}>
            <Panel title="Utility accounts" description="Accounts this customer holds or linked.">
              {data.utilityAccounts.length === 0 ? (
                <p class={styles.empty}>No utility accounts.</p>
              ) : (
                <UtilityAccountList label="Utility accounts of this customer">
                  {data.utilityAccounts.map((a) => (
                    <UtilityAccountCard key={a.id} account={a} relationshipLabel="Holds it as" />
                  ))}
                </UtilityAccountList>
              )}
            </Panel>
            <Panel title="Vehicles" description="Plates matched to permits and parking sessions.">
              {data.vehicles.length === 0 ? (
                <p class={styles.empty}>No vehicles on file.</p>
              ) : (
                <VehicleList vehicles={data.vehicles} label="Vehicles of this customer" />
              )}
              <p>
                <a href={`/staff/permits?tab=search&customer=${data.id}`}>This customer’s permits</a>
              </p>
            </Panel>
          </div>
        </div>
      )}
    </Page>
  )
}

function contact(c: Customer) {
  const parts = [c.email, c.phone].filter((p): p is string => Boolean(p))
  if (parts.length === 0) {
    return 'No email or phone on file'
  }
  return parts.map((part, i) => (
    <span key={part} class={styles.contact}>
      {i > 0 && ' · '}
      {part}
    </span>
  ))
}
