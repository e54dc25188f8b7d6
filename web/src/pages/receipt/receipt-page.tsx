import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { useSession } from '../../lib/use-session.ts'
import { useResource } from '../../lib/use-api.ts'
import { useNow } from '../../lib/use-now.ts'
import type { Customer, FacilityDetail, ParkingSession } from '../../lib/types.ts'
import { facilitySubtitle, facilityTitle, formatLocalTime } from '../../lib/parking.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { QrCode } from '../../components/qr-code/qr-code.tsx'
import { TimeLeft } from '../../components/time-left/time-left.tsx'
import { Purchases } from './purchases.tsx'
import { AddTime } from './add-time.tsx'
import { StopSession } from './stop-session.tsx'
import styles from './receipt-page.module.css'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const PHASE: Record<ParkingSession['phase'], string> = {
  pending_payment: 'Waiting for payment',
  paid: 'Paid',
  in_facility: 'In the facility',
  expired: 'Time is up',
  stopped: 'Stopped early',
  cancelled: 'Cancelled',
}

/**
 * A parking receipt, public by its unguessable id (the QR code on it leads here from a phone):
 * what was bought, the time left, every purchase, and adding time or stopping early.
 */
export function ReceiptPage() {
  const { params } = useRoute()
  const id = params.id ?? ''
  const valid = UUID.test(id)
  const receipt = useResource<ParkingSession>(valid ? `/sessions/${id}` : null)
  // Adding time or stopping answers with the receipt as it now is.
  const [changed, setChanged] = useState<ParkingSession | null>(null)
  const view = changed?.id === id ? changed : receipt.data

  if (!valid || receipt.error?.status === 404) {
    return (
      <Page title="Receipt not found" width="narrow">
        <p>
          There is no parking receipt at this address. Check that the whole link was copied, or scan
          the QR code on the receipt again.
        </p>
        <ButtonLink href="/park">Pay for parking</ButtonLink>
      </Page>
    )
  }
  return (
    <Page title="Parking receipt" eyebrow={view ? facilityTitle(view.facility) : 'Parking'}>
      {receipt.error && (
        <Alert tone="error" title="The receipt could not be loaded">
          <p>{receipt.error.message}</p>
          <Button variant="secondary" size="small" onClick={receipt.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {!view && receipt.loading && <Loading label="Loading the receipt…" />}
      {view && <Receipt view={view} onChanged={setChanged} />}
    </Page>
  )
}

function Receipt({
  view,
  onChanged,
}: {
  view: ParkingSession
  onChanged: (v: ParkingSession) => void
}) {
  const session = useSession()
  const { query } = useLocation()
  const now = useNow(1000)
  const tz = view.facility.timeZone
  const customerId = session.user?.customerId ?? null
  const detail = useResource<FacilityDetail>(
    `/facilities/${encodeURIComponent(view.facility.code)}`,
  )
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)
  const mine = useResource<{ sessions: ParkingSession[] }>(
    customerId === null ? null : '/sessions?current=true',
  )
  const isMine = mine.data?.sessions.some((s) => s.id === view.id) ?? false

  const ends = view.endsAt ? new Date(view.endsAt) : null
  const running = view.phase === 'paid' && ends !== null && ends > now
  const phase = view.phase === 'paid' && !running ? 'expired' : view.phase
  // An object, so the same words twice (30 minutes added again) still move focus to them.
  const [notice, setNotice] = useState<{ text: string } | null>(() => {
    const text = paidNotice(query.paid, view)
    return text === null ? null : { text }
  })
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  // The "just paid" banner is for this visit: a reload or a shared link shows the receipt alone.
  useEffect(() => {
    if (query.paid) {
      history.replaceState(history.state, '', view.receiptUrl)
    }
  }, [query.paid, view.receiptUrl])

  const changed = (next: ParkingSession, message: string) => {
    onChanged(next)
    setNotice({ text: message })
    mine.reload()
  }

  return (
    <>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      <div class={styles.toolbar}>
        <Button variant="secondary" onClick={() => window.print()}>
          Print receipt
        </Button>
        {session.user?.role === 'driver' && (
          <ButtonLink variant="quiet" href="/">
            My parking
          </ButtonLink>
        )}
      </div>
      <div class={styles.layout}>
        <article class={styles.receipt} aria-labelledby="receipt-status">
          <p class={styles.issuer}>
            City parking receipt · Curbline, City Department of Customer Services
          </p>
          <div class={styles.status}>
            <p id="receipt-status" class={`${styles.phase} ${styles[phase] ?? ''}`}>
              {PHASE[phase]}
            </p>
            {running && view.endsAt && (
              <div class={styles.left}>
                <span class={styles.countdown}>
                  <span class={styles.leftLabel}>Time left</span>
                  <TimeLeft endsAt={view.endsAt} />
                </span>
                <span class={styles.until}>
                  Paid until <strong>{formatLocalTime(view.endsAt, tz, { now })}</strong>
                </span>
              </div>
            )}
          </div>
          <dl class={styles.facts}>
            <div>
              <dt>Where</dt>
              <dd>
                <strong>{facilityTitle(view.facility)}</strong>
                <span class={styles.sub}>{facilitySubtitle(view.facility)}</span>
              </dd>
            </div>
            <div>
              <dt>Vehicle</dt>
              <dd>
                <PlateChip printed={view.platePrinted} state={view.state} />
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatLocalTime(view.startsAt, tz, { withDate: true })}</dd>
            </div>
            {view.endsAt && (
              <div>
                <dt>{view.phase === 'stopped' ? 'Stopped' : running ? 'Ends' : 'Ended'}</dt>
                <dd>{formatLocalTime(view.endsAt, tz, { withDate: true })}</dd>
              </div>
            )}
            {running && view.latestEndsAt && (
              <div>
                <dt>Time limit</dt>
                <dd>
                  Can be extended to {formatLocalTime(view.latestEndsAt, tz, { withDate: true })} at
                  the latest
                </dd>
              </div>
            )}
            {view.ticket && (
              <div>
                <dt>Ticket</dt>
                <dd>{view.ticket}</dd>
              </div>
            )}
            <div>
              <dt>Receipt</dt>
              <dd class={styles.receiptId}>{view.id}</dd>
            </div>
          </dl>
          <Purchases view={view} />
        </article>
        <aside class={styles.qr} aria-labelledby="receipt-qr">
          <h2 id="receipt-qr" class={styles.qrTitle}>
            {running ? 'Add time from your phone' : 'This receipt on your phone'}
          </h2>
          <QrCode
            value={location.origin + view.receiptUrl}
            label="QR code that opens this receipt, to add time from a phone"
          />
          <p class={styles.qrText}>
            {running
              ? 'Scan the code to open this receipt on your phone and add time before it runs out.'
              : 'Scan the code to open this receipt on your phone.'}
          </p>
          <p class={styles.url}>{location.origin + view.receiptUrl}</p>
        </aside>
      </div>
      {running && (
        <AddTime
          key={view.endsAt}
          view={view}
          tariff={detail.data?.tariff ?? null}
          tariffError={detail.error?.message ?? null}
          signedIn={session.user !== null}
          accounts={customer.data?.utilityAccounts ?? []}
          accountsLoading={customerId !== null && customer.loading && !customer.data}
          accountsError={customer.error?.message ?? null}
          onExtended={changed}
        />
      )}
      {running && isMine && (
        <StopSession
          view={view}
          refunds={detail.data?.tariff.refundUnusedTime ?? false}
          onStopped={changed}
        />
      )}
      {!running && view.phase !== 'in_facility' && (
        <div class={styles.again}>
          <ButtonLink
            href={`/park?zone=${encodeURIComponent(view.facility.code)}&plate=${encodeURIComponent(view.platePrinted)}&state=${encodeURIComponent(view.state)}`}
          >
            Park here again
          </ButtonLink>
        </div>
      )}
    </>
  )
}

function paidNotice(paid: string | undefined, view: ParkingSession): string | null {
  const until = view.endsAt ? formatLocalTime(view.endsAt, view.facility.timeZone) : null
  if (paid === 'started') {
    return until ? `Paid. You are parked until ${until}.` : 'Paid.'
  }
  if (paid === 'extended') {
    return until
      ? `Paid. ${view.platePrinted} already had time here, so it was added: you are parked until ${until}.`
      : 'Paid, and added to the time already running.'
  }
  return null
}
