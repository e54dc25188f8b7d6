import { useCallback, useState } from 'preact/hooks'
import { useSession } from '../../lib/use-session.ts'
import { useResource } from '../../lib/use-api.ts'
import type { Customer } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { BalanceSummary } from '../../components/balance-summary/balance-summary.tsx'
import { UtilityAccounts } from './utility-accounts/utility-accounts.tsx'
import { Vehicles } from './vehicles/vehicles.tsx'
import { ParkingBalance } from './parking-balance/parking-balance.tsx'
import { Statement } from '../../components/statement/statement.tsx'
import styles from './account-page.module.css'

/** A driver's own record: balances, the combined statement, then accounts and vehicles. */
export function AccountPage() {
  const { user } = useSession()
  const customerId = user?.customerId ?? null
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)
  // Linking an account or changing a vehicle can change balances and statement lines.
  const [changes, setChanges] = useState(0)
  const reload = customer.reload
  const changed = useCallback(() => {
    reload()
    setChanges((n) => n + 1)
  }, [reload])

  if (customerId === null) {
    return (
      <Page title="My account">
        <Alert tone="warning" title="This sign-in has no customer record">
          Call customer services to have your account connected.
        </Alert>
      </Page>
    )
  }

  const data = customer.data
  return (
    <Page
      title="My account"
      eyebrow={data?.cisCustomerId ? `Customer ${data.cisCustomerId}` : 'Driver account'}
      lede={
        data
          ? `${data.name}: your utility accounts, vehicles and everything you owe the city, in one place.`
          : undefined
      }
    >
      {customer.error && (
        <Alert tone="error" title="Your account could not be loaded">
          <p>{customer.error.message}</p>
          <Button variant="secondary" size="small" onClick={reload}>
            Try again
          </Button>
        </Alert>
      )}
      {!data && customer.loading && <Loading label="Loading your account…" />}
      {data && (
        <div class={styles.stack}>
          <BalanceSummary balances={data.balances} />
          <ParkingBalance onPaid={changed} />
          <Statement
            customerId={data.id}
            refreshKey={changes}
            description="Utility bills, parking charges and payments on one ledger. Charges add to what you owe; payments and credits show with a minus sign."
          />
          <div class={styles.columns}>
            <UtilityAccounts
              customerId={data.id}
              accounts={data.utilityAccounts}
              onChanged={changed}
            />
            <Vehicles
              customerId={data.id}
              vehicles={data.vehicles}
              defaultState={data.utilityAccounts[0]?.premise.state ?? ''}
              onChanged={changed}
            />
          </div>
        </div>
      )}
    </Page>
  )
}
