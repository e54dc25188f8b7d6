import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { useSession } from '../../lib/use-session.ts'
import { useApi, useResource } from '../../lib/use-api.ts'
import { messageOf } from '../../lib/api.ts'
import type { Customer, Permit, PermitType } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { PermitStatus } from './permit-status.tsx'
import { PermitVehicles, VehicleHistory } from './permit-vehicles.tsx'
import { VisitorPasses } from './visitor-passes.tsx'
import { Renewal } from './renewal.tsx'
import { Charges } from './charges.tsx'
import { CancelPermit } from './cancel-permit.tsx'
import { LIVE } from './permits.ts'
import styles from './permits.module.css'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * One permit: its status and what happens next (review, the waitlist, payment), its vehicles
 * now and over time, visitor passes, renewal, charges, and cancelling it.
 */
export function PermitPage() {
  const { params } = useRoute()
  const id = params.id ?? ''
  const valid = UUID.test(id)
  const loaded = useResource<Permit>(valid ? `/permits/${id}` : null)
  // every change answers with the permit as it now is
  const [latest, setLatest] = useState<Permit | null>(null)
  const view = latest?.id === id ? latest : loaded.data

  if (!valid || loaded.error?.status === 404) {
    return (
      <Page title="Permit not found" width="narrow">
        <p>There is no permit of yours at this address.</p>
        <ButtonLink href="/permits">My permits</ButtonLink>
      </Page>
    )
  }
  return (
    <Page
      title={view ? `Permit ${view.number}` : 'Permit'}
      eyebrow={view ? view.type.name : 'Parking permits'}
    >
      {loaded.error && (
        <Alert tone="error" title="The permit could not be loaded">
          <p>{loaded.error.message}</p>
          <Button variant="secondary" size="small" onClick={loaded.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {!view && loaded.loading && <Loading label="Loading the permit…" />}
      {view && <PermitDetail view={view} onView={setLatest} />}
    </Page>
  )
}

function PermitDetail({ view, onView }: { view: Permit; onView: (p: Permit) => void }) {
  const { user } = useSession()
  const { query } = useLocation()
  const api = useApi()
  const customerId = user?.customerId ?? null
  const types = useResource<{ types: PermitType[] }>('/permit-types')
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)
  const type = types.data?.types.find((t) => t.code === view.type.code) ?? null
  const accounts = customer.data?.utilityAccounts ?? []
  // An object, so the same words twice still move focus to them.
  const [notice, setNotice] = useState<{ text: string; tone: 'success' | 'error' } | null>(() =>
    query.applied ? { text: appliedText(view), tone: 'success' } : null,
  )
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  // "Applied" is for this visit: a reload or a shared link shows the permit alone
  useEffect(() => {
    if (query.applied) {
      history.replaceState(history.state, '', `/permits/${view.id}`)
    }
  }, [query.applied, view.id])

  const changed = useCallback(
    async (next: Permit | null, message: string) => {
      try {
        onView(next ?? (await api.get<Permit>(`/permits/${view.id}`)))
        setNotice({ text: message, tone: 'success' })
      } catch (err) {
        setNotice({
          text: `${message} The page could not be refreshed: ${messageOf(err)}`,
          tone: 'error',
        })
      }
    },
    [api, onView, view.id],
  )
  const onChanged = (next: Permit | null, message: string) => void changed(next, message)

  const active = view.status === 'active'
  const hasPasses = (type?.visitorPassesPerMonth ?? 0) > 0 || view.passes.length > 0
  return (
    <div class={styles.stack}>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone={notice.tone} title={notice.text} />
        </div>
      )}
      <PermitStatus permit={view} type={type} accounts={accounts} onChanged={onChanged} />
      <div class={styles.columns}>
        {active && (
          <PermitVehicles
            permit={view}
            type={type}
            registered={customer.data?.vehicles ?? []}
            onChanged={onChanged}
          />
        )}
        {hasPasses && (active || view.passes.length > 0) && (
          <VisitorPasses permit={view} type={type} onChanged={onChanged} />
        )}
      </div>
      <div class={styles.columns}>
        {active && <Renewal permit={view} accounts={accounts} onChanged={onChanged} />}
        {LIVE.includes(view.status) && (
          <CancelPermit permit={view} type={type} onChanged={onChanged} />
        )}
      </div>
      {(view.charges.length > 0 || active) && <Charges permit={view} />}
      {view.vehicles.length > 0 && <VehicleHistory permit={view} />}
      <p>
        <a href="/permits">All my permits</a>
      </p>
    </div>
  )
}

function appliedText(p: Permit): string {
  switch (p.status) {
    case 'pending_review':
      return `Application ${p.number} sent: city staff review it next.`
    case 'waitlisted':
      return `Application ${p.number} sent: you are on the waitlist for a space.`
    case 'awaiting_payment':
      return `Application ${p.number} accepted: pay for the first term to start the permit.`
    default:
      return `Application ${p.number} sent.`
  }
}
