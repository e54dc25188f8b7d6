import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import type { Citation } from '../../lib/enforcement.ts'
import { noticePath, photoUrl, postingLabel } from '../../lib/enforcement.ts'
import type { Customer } from '../../lib/types.ts'
import { formatCents, formatDate, formatDateTime, titleCase } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { QrCode } from '../../components/qr-code/qr-code.tsx'
import { CitationStatus } from '../../components/citation-status/citation-status.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import { LookupForm } from './lookup-form.tsx'
import { PayCitation } from './pay-citation.tsx'
import { AppealForm } from './appeal-form.tsx'
import styles from './citation-page.module.css'

/**
 * A parking citation's notice, by its number and plate (the QR code on the paper notice leads
 * here): what is owed and why, where and when, the photos, and paying or appealing it without
 * signing in. Prints as the notice itself.
 */
export function CitationPage() {
  const { params } = useRoute()
  const { query } = useLocation()
  const number = (params.number ?? '').toUpperCase()
  const plate = query.plate ?? ''
  const citation = useResource<Citation>(
    plate ? `/citations/${encodeURIComponent(number)}?plate=${encodeURIComponent(plate)}` : null,
  )
  const [changed, setChanged] = useState<Citation | null>(null)
  const view = changed ?? citation.data

  if (!plate || citation.error?.status === 404 || citation.error?.status === 400) {
    return (
      <Page title={`Citation ${number}`} eyebrow="Parking citation" width="narrow">
        {plate ? (
          <Alert tone="error" title="No citation has that number and plate">
            Check both against the notice: the number starts with C (or H), and the plate is the
            vehicle’s.
          </Alert>
        ) : (
          <p>Enter the plate of the vehicle on the notice to see the citation.</p>
        )}
        <LookupForm number={number} plate={plate} />
      </Page>
    )
  }
  return (
    <Page title={`Parking citation ${number}`} eyebrow="Parking citation">
      {citation.error && (
        <Alert tone="error" title="The citation could not be loaded">
          <p>{citation.error.message}</p>
          <Button variant="secondary" size="small" onClick={citation.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {!view && citation.loading && <Loading label="Loading the citation…" />}
      {view && (
        <Notice
          view={view}
          onChanged={(next) => {
            setChanged(next)
          }}
          reload={() => {
            setChanged(null)
            citation.reload()
          }}
        />
      )}
    </Page>
  )
}

function Notice({
  view,
  onChanged,
  reload,
}: {
  view: Citation
  onChanged: (c: Citation) => void
  reload: () => void
}) {
  const session = useSession()
  const customerId = session.user?.role === 'driver' ? session.user.customerId : null
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)
  const [notice, setNotice] = useState<{ text: string } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  const owing = view.balanceCents > 0 && (view.status === 'open' || view.status === 'past_due')
  const appealable =
    view.status !== 'voided' && view.status !== 'dismissed' && view.appeal?.status !== 'pending'
  const address = location.origin + noticePath(view.number, view.plate)
  const vehicle = [view.vehicle.colour, view.vehicle.make, view.vehicle.model]
    .filter(Boolean)
    .join(' ')

  return (
    <>
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      <div class={styles.toolbar}>
        <Button variant="secondary" onClick={() => window.print()}>
          Print notice
        </Button>
      </div>
      <div class={styles.layout}>
        <article class={styles.sheet} aria-labelledby="citation-due">
          <p class={styles.issuer}>
            Notice of parking violation · City Department of Customer Services, Parking Enforcement
          </p>
          <div class={styles.head}>
            <div>
              <p class={styles.label}>Citation number</p>
              <p class={styles.number}>{view.number}</p>
            </div>
            <CitationStatus status={view.status} />
          </div>
          <div class={`${styles.due} ${owing ? styles.owing : ''}`}>
            <p id="citation-due" class={styles.label}>
              {owing ? 'Amount due' : 'Balance'}
            </p>
            <p class={styles.amount}>{formatCents(view.balanceCents)}</p>
            {owing && (
              <p class={styles.by}>
                {view.status === 'past_due'
                  ? `Past due since ${formatDate(view.dueOn)}: late fees have been added.`
                  : `Pay or appeal by ${formatDate(view.dueOn)}. Late fees are added after that.`}
              </p>
            )}
          </div>
          <Facts layout="grid">
            <Fact term="Violation">
              <strong>{view.violation.description}</strong>
              <span class={styles.sub}>
                Code {view.violation.code} · fine {formatCents(view.fineCents)}
              </span>
            </Fact>
            <Fact term="Vehicle">
              <PlateChip printed={view.plate} state={view.state} />
              {vehicle && <span class={styles.sub}>{vehicle}</span>}
            </Fact>
            <Fact term="Issued">{formatDateTime(view.issuedAt, view.timeZone)}</Fact>
            <Fact term="Place">
              {view.facility
                ? /^\d+$/.test(view.facility.code)
                  ? `Zone ${view.facility.code}, ${view.facility.name}`
                  : view.facility.name
                : 'See the location below'}
              {view.location && <span class={styles.sub}>{view.location}</span>}
              {view.lat !== null && view.lon !== null && (
                <span class={styles.sub}>
                  GPS {view.lat.toFixed(5)}, {view.lon.toFixed(5)}
                </span>
              )}
            </Fact>
            <Fact term="Due date">{formatDate(view.dueOn)}</Fact>
          </Facts>
          {view.paidButTicketed && (
            <Alert tone="info" title="Paid time covering this citation was found">
              A supervisor reviews it; you do not need to appeal for that reason.
            </Alert>
          )}
          {view.appeal && (
            <section class={styles.appeal} aria-labelledby="appeal-status">
              <h2 id="appeal-status" class={styles.sectionTitle}>
                Appeal:{' '}
                {view.appeal.status === 'pending'
                  ? 'waiting for a decision'
                  : titleCase(view.appeal.status)}
              </h2>
              <p class={styles.sub}>Filed {formatDate(view.appeal.filedAt)}</p>
              {view.appeal.reducedToCents !== null && (
                <p>Reduced to {formatCents(view.appeal.reducedToCents)}.</p>
              )}
              {view.appeal.letter && <p class={styles.letter}>{view.appeal.letter}</p>}
            </section>
          )}
          {view.photos.length > 0 && (
            <section aria-labelledby="citation-photos">
              <h2 id="citation-photos" class={styles.sectionTitle}>
                Photos
              </h2>
              <ul class={styles.photos}>
                {view.photos.map((id, i) => (
                  <li key={id}>
                    <a href={photoUrl(view.number, view.plate, id)}>
                      <img
                        src={photoUrl(view.number, view.plate, id)}
                        alt={`Photo ${i + 1} of ${view.photos.length} taken for citation ${view.number}`}
                      />
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="citation-history">
            <h2 id="citation-history" class={styles.sectionTitle}>
              History
            </h2>
            <table class={styles.history}>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">What</th>
                  <th scope="col" class={styles.num}>
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.postings.map((p, i) => (
                  <tr key={`${p.kind}-${i}`}>
                    <td>{formatDate(p.at)}</td>
                    <td>{postingLabel(p.kind)}</td>
                    <td class={styles.num}>{formatCents(p.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </article>
        <aside class={styles.qr} aria-labelledby="citation-qr">
          <h2 id="citation-qr" class={styles.qrTitle}>
            Pay or appeal online
          </h2>
          <QrCode
            value={address}
            label="QR code that opens this citation, to pay or appeal it from a phone"
          />
          <p class={styles.qrText}>
            Scan the code, or go to the address below and enter the number and plate.
          </p>
          <p class={styles.url}>{address}</p>
        </aside>
      </div>
      {owing && (
        <section class={styles.action} aria-labelledby="pay-title">
          <h2 id="pay-title">Pay {formatCents(view.balanceCents)}</h2>
          <PayCitation
            citation={view}
            signedIn={session.user !== null}
            isDriver={session.user?.role === 'driver'}
            accounts={customer.data?.utilityAccounts ?? []}
            accountsLoading={customerId !== null && customer.loading && !customer.data}
            accountsError={customer.error?.message ?? null}
            onPaid={(paid, message) => {
              if (paid) {
                onChanged(paid)
              } else {
                reload()
              }
              setNotice({ text: message })
            }}
          />
        </section>
      )}
      {appealable && (
        <section class={styles.action} aria-labelledby="appeal-title">
          <h2 id="appeal-title">Appeal this citation</h2>
          <AppealForm
            citation={view}
            defaultEmail={session.user?.role === 'driver' ? session.user.email : ''}
            onFiled={(filed) => {
              onChanged(filed)
              setNotice({
                text: 'Your appeal is filed. A supervisor decides it and writes to you.',
              })
            }}
          />
        </section>
      )}
    </>
  )
}
