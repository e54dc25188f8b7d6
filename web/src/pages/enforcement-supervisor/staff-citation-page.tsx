import { useEffect, useRef, useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type { StaffCitation } from '../../lib/enforcement.ts'
import { noticePath, photoUrl, postingLabel } from '../../lib/enforcement.ts'
import { formatCents, formatDate, formatDateTime, titleCase } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { ButtonLink } from '../../components/button/button.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { CitationStatus } from '../../components/citation-status/citation-status.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import { EnforcementNav } from './enforcement-nav/enforcement-nav.tsx'
import { VoidForm } from './void-form.tsx'
import styles from './enforcement.module.css'

/** One citation for staff: who, where, the photos, its ledger, its appeal, and voiding it. */
export function StaffCitationPage() {
  const { params } = useRoute()
  const number = (params.number ?? '').toUpperCase()
  const citation = useResource<StaffCitation>(
    `/enforcement/citations/${encodeURIComponent(number)}`,
  )
  const [changed, setChanged] = useState<StaffCitation | null>(null)
  const view = changed ?? citation.data
  const [notice, setNotice] = useState<string | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])

  if (citation.error?.status === 404) {
    return (
      <Page title="Citation not found" eyebrow="Enforcement" width="narrow">
        <p>There is no citation {number}.</p>
        <ButtonLink href="/supervisor/citations">All citations</ButtonLink>
      </Page>
    )
  }
  return (
    <Page title={`Citation ${number}`} eyebrow="Enforcement">
      <EnforcementNav />
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice} />
        </div>
      )}
      {citation.error && (
        <Alert tone="error" title="The citation could not be loaded">
          {citation.error.message}
        </Alert>
      )}
      {!view && citation.loading && <Loading />}
      {view && (
        <div class={styles.stack}>
          <Panel
            title="The citation"
            actions={
              <ButtonLink
                variant="secondary"
                size="small"
                href={noticePath(view.number, view.plate)}
              >
                Open the driver’s notice
              </ButtonLink>
            }
          >
            <Facts layout="grid">
              <Fact term="Status">
                <CitationStatus status={view.status} />
                {view.paidButTicketed && <span class={styles.flag}>Paid but ticketed</span>}
              </Fact>
              <Fact term="Vehicle">
                <PlateChip printed={view.plate} state={view.state} />
                {Object.keys(view.vehicle).length > 0 && (
                  <span class={styles.sub}>
                    {[view.vehicle.colour, view.vehicle.make, view.vehicle.model]
                      .filter(Boolean)
                      .join(' ')}
                  </span>
                )}
              </Fact>
              <Fact term="Violation">
                {view.violation.code}: {view.violation.description}
              </Fact>
              <Fact term="Fine · owed now">
                {formatCents(view.fineCents)} · <strong>{formatCents(view.balanceCents)}</strong>
              </Fact>
              <Fact term="Issued">
                {formatDateTime(view.issuedAt, view.timeZone)}
                <span class={styles.sub}>by {view.ambassador ?? 'a handheld device'}</span>
              </Fact>
              <Fact term="Due">{formatDate(view.dueOn)}</Fact>
              <Fact term="Where">
                {view.facility
                  ? `${view.facility.code} · ${view.facility.name}`
                  : 'No zone recorded'}
                {view.location && <span class={styles.sub}>{view.location}</span>}
                {view.lat !== null && view.lon !== null && (
                  <span class={styles.sub}>
                    GPS {view.lat.toFixed(5)}, {view.lon.toFixed(5)}
                  </span>
                )}
              </Fact>
              <Fact term="Owner">
                {view.customer ? (
                  <a href={`/customers/${view.customer.id}`}>{view.customer.name}</a>
                ) : (
                  'Not a known customer’s vehicle'
                )}
              </Fact>
              {view.voidReason && <Fact term="Voided because">{view.voidReason}</Fact>}
              {view.appeal && (
                <Fact term="Appeal">
                  {titleCase(view.appeal.status)}, filed {formatDate(view.appeal.filedAt)}
                  {view.appeal.status === 'pending' && (
                    <span class={styles.sub}>
                      <a href="/supervisor/appeals">In the appeals queue</a>
                    </span>
                  )}
                </Fact>
              )}
            </Facts>
          </Panel>

          {view.paidButTicketedDetail && (
            <Panel
              title="Paid but ticketed"
              description="Paid time or a permit covering this citation arrived after it was issued."
            >
              <ul>
                {Object.entries(view.paidButTicketedDetail).map(([k, v]) => (
                  <li key={k}>
                    {titleCase(k)}:{' '}
                    {typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v)}
                  </li>
                ))}
              </ul>
            </Panel>
          )}

          <Panel title="Photos">
            {view.photos.length === 0 ? (
              <p class={styles.none}>No photos were taken.</p>
            ) : (
              <ul class={styles.photos}>
                {view.photos.map((id, i) => (
                  <li key={id}>
                    <a href={photoUrl(view.number, view.plate, id)}>
                      <img
                        src={photoUrl(view.number, view.plate, id)}
                        alt={`Photo ${i + 1} of citation ${view.number}`}
                        loading="lazy"
                      />
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </Panel>

          <Panel title="Ledger" description="Every change to what is owed, oldest first.">
            <TableScroller label="Ledger of the citation">
              <table class={t.table}>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What</th>
                    <th scope="col" class={t.num}>
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.postings.map((p, i) => (
                    <tr key={`${p.kind}-${p.at}-${i}`}>
                      <td class={t.nowrap}>{formatDateTime(p.at, view.timeZone)}</td>
                      <td>{postingLabel(p.kind)}</td>
                      <td class={p.amountCents < 0 ? `${t.num} ${t.credit}` : t.num}>
                        {formatCents(p.amountCents)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>
                      Owed now
                    </th>
                    <td class={t.num}>{formatCents(view.balanceCents)}</td>
                  </tr>
                </tfoot>
              </table>
            </TableScroller>
          </Panel>

          {(view.status === 'open' || view.status === 'past_due') && (
            <VoidForm
              number={view.number}
              balanceCents={view.balanceCents}
              onDone={(voided) => {
                setChanged(voided)
                setNotice(`Citation ${voided.number} voided. ${voided.plate} owes nothing on it.`)
              }}
            />
          )}
        </div>
      )}
    </Page>
  )
}
