import { useEffect, useRef, useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import type { Permit, PermitTypes } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { Facts, Fact } from '../../components/facts/facts.tsx'
import { StatusBadge } from './status-badge/status-badge.tsx'
import { PermitDocuments } from './permit-documents/permit-documents.tsx'
import { ReviewForm, RevokeForm } from './permit-actions/permit-actions.tsx'
import {
  CHARGE_KIND_LABEL,
  CHARGE_STATUS_LABEL,
  KIND_LABEL,
  METHOD_LABEL,
  PLACEMENT_LABEL,
  REASON_LABEL,
  REVOCABLE,
  decides,
  priceText,
} from './permits.ts'
import styles from './staff-permit-page.module.css'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * One permit as staff see it: status, holder, type, the eligibility answer, vehicles over time,
 * visitor passes, charges and proofs; supervisors decide an application or revoke a permit here.
 */
export function StaffPermitPage() {
  const { params } = useRoute()
  const id = UUID.test(params.id ?? '') ? (params.id ?? '') : null
  const resource = useResource<Permit>(id === null ? null : `/permits/${id}`)
  const types = useResource<PermitTypes>('/permit-types')
  const { user } = useSession()
  // The permit as the last decision left it, until a reload brings the same from the server.
  const [decided, setDecided] = useState<Permit | null>(null)
  const [outcome, setOutcome] = useState<string | null>(null)
  const live = useRef<HTMLDivElement>(null)
  // Going from one permit to another keeps this page mounted: show nothing of the last one.
  const loaded = resource.data?.id === id ? resource.data : null
  const permit = decided?.id === id ? decided : loaded

  useEffect(() => setOutcome(null), [id])
  useEffect(() => {
    if (outcome) {
      live.current?.focus()
    }
  }, [outcome])

  if (id === null || resource.error?.status === 404) {
    return (
      <Page title="No such permit" eyebrow="Permits" width="narrow">
        <p>There is no permit at this address. Search for it by plate, customer or address.</p>
        <a href="/staff/permits?tab=search">Search permits</a>
      </Page>
    )
  }
  if (resource.error) {
    return (
      <Page title="Permit" eyebrow="Permits">
        <Alert tone="error" title="The permit could not be loaded">
          <p>{resource.error.message}</p>
          <Button variant="secondary" size="small" onClick={resource.reload}>
            Try again
          </Button>
        </Alert>
      </Page>
    )
  }
  if (!permit) {
    return <Loading label="Loading the permit…" />
  }

  const type = types.data?.types.find((x) => x.code === permit.type.code) ?? null
  const canDecide = decides(user?.role)
  const onDone = (next: Permit, message: string) => {
    setDecided(next)
    setOutcome(message)
  }

  return (
    <Page
      title={`Permit ${permit.number}`}
      eyebrow="Permits"
      lede={`${permit.type.name} · ${permit.customer.name}`}
    >
      <p class={styles.back}>
        <a href="/staff/permits">← Permits</a>
      </p>
      {/* Decisions are announced here; it stays in the page so screen readers hear each one. */}
      <div ref={live} aria-live="polite" tabIndex={-1} class={styles.live}>
        {outcome && <Alert tone="success" title={outcome} />}
      </div>
      <div class={styles.stack}>
        <Panel title="Summary">
          <Facts>
            <Fact term="Status">
              <StatusBadge status={permit.status} />
            </Fact>
            <Fact term="Holder">
              <a href={`/customers/${permit.customer.id}`}>{permit.customer.name}</a>
            </Fact>
            <Fact term="Type">
              {permit.type.name} ({KIND_LABEL[permit.type.kind] ?? permit.type.kind},{' '}
              {permit.type.code})
            </Fact>
            {type && <Fact term="Price">{priceText(type.priceCents, type.period)}</Fact>}
            <Fact term="Term">
              {permit.startsOn && permit.endsOn
                ? `${formatDate(permit.startsOn)} – ${formatDate(permit.endsOn)}`
                : 'Not started'}
            </Fact>
            {permit.address && <Fact term="Household address">{permit.address}</Fact>}
            {permit.facility && <Fact term="Space held at">{permit.facility}</Fact>}
            {permit.utilityAccount && (
              <Fact term="Utility account">{permit.utilityAccount.number}</Fact>
            )}
            <Fact term="Paid by">
              {permit.payMethod ? (METHOD_LABEL[permit.payMethod] ?? permit.payMethod) : '—'}
              {permit.savedCard ? ' (card saved)' : ''}
            </Fact>
            <Fact term="Renews automatically">{permit.autoRenew ? 'Yes' : 'No'}</Fact>
            <Fact term="Applied">{formatDateTime(permit.createdAt, permit.timeZone)}</Fact>
          </Facts>
          {permit.waitlist && (
            <p class={styles.note}>
              Waitlist:{' '}
              {permit.waitlist.status === 'offered' && permit.waitlist.offerExpiresAt
                ? `offered a space, to be accepted by ${formatDateTime(permit.waitlist.offerExpiresAt, permit.timeZone)}.`
                : permit.waitlist.position !== null
                  ? `number ${permit.waitlist.position} in line.`
                  : `${permit.waitlist.status}.`}
            </p>
          )}
          {permit.firstTerm && (
            <p class={styles.note}>
              First term to pay: {formatDate(permit.firstTerm.startsOn)} –{' '}
              {formatDate(permit.firstTerm.endsOn)}, {formatCents(permit.firstTerm.priceCents)}.
            </p>
          )}
          {permit.renewal && (
            <p class={styles.note}>
              Renewal for {formatDate(permit.renewal.startsOn)} –{' '}
              {formatDate(permit.renewal.endsOn)} ({formatCents(permit.renewal.priceCents)}){' '}
              {permit.renewal.open ? 'is open now' : `opens ${formatDate(permit.renewal.opensOn)}`}.
            </p>
          )}
          {permit.reviewNote && (
            <p class={styles.note}>
              <strong>Review note:</strong> {permit.reviewNote}
            </p>
          )}
          {permit.revokedReason && (
            <p class={styles.note}>
              <strong>Revoked because:</strong> {permit.revokedReason}
            </p>
          )}
        </Panel>

        {permit.status === 'pending_review' && (
          <Panel
            title="Decide the application"
            description="Approved, it waits for a space or for the applicant to pay. Rejected, it ends, and the applicant reads your note."
          >
            {canDecide ? (
              <ReviewForm permit={permit} onDone={onDone} />
            ) : (
              <p class={styles.muted}>A supervisor or administrator decides applications.</p>
            )}
          </Panel>
        )}
        {REVOCABLE.includes(permit.status) && canDecide && (
          <Panel
            title="Revoke the permit"
            description="For a permit that must end now, e.g. one obtained with false information."
          >
            <RevokeForm permit={permit} type={type} onDone={onDone} />
          </Panel>
        )}

        <div class={styles.columns}>
          <Panel
            title="Eligibility"
            description="The answer from the city’s record when they applied."
          >
            <p class={styles.reason}>
              {permit.eligibility.eligible ? 'Eligible' : 'Not eligible'}:{' '}
              {REASON_LABEL[permit.eligibility.reason] ?? permit.eligibility.reason}
            </p>
            <p>{permit.eligibility.message}</p>
            <Facts>
              <Fact term="Staff review">{permit.eligibility.review ? 'Needed' : 'Not needed'}</Fact>
              <Fact term="Proof">{permit.eligibility.needsProof ? 'Needed' : 'Not needed'}</Fact>
              {permit.eligibility.account && (
                <Fact term="Account checked">{permit.eligibility.account.number}</Fact>
              )}
              {permit.eligibility.premise && (
                <Fact term="Premise">
                  {permit.eligibility.premise.address}
                  {permit.eligibility.premise.placement
                    ? `, ${PLACEMENT_LABEL[permit.eligibility.premise.placement] ?? permit.eligibility.premise.placement}`
                    : ', not located'}
                </Fact>
              )}
            </Facts>
          </Panel>
          <Panel title="Documents" description="Proofs the applicant uploaded.">
            <PermitDocuments permit={permit} />
          </Panel>
        </div>

        <Panel
          title="Vehicles"
          description="Every plate on the permit, now and before, with when it was on it."
        >
          <Vehicles permit={permit} />
        </Panel>

        <Panel
          title="Visitor passes"
          description={
            permit.passesLeftThisMonth !== null
              ? `${permit.passesLeftThisMonth} left this month.`
              : undefined
          }
        >
          {permit.passes.length === 0 ? (
            <p class={styles.muted}>No visitor passes.</p>
          ) : (
            <TableScroller label="Visitor passes">
              <table class={t.table}>
                <caption class="visually-hidden">Visitor passes, by day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Plate</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {permit.passes.map((p) => (
                    <tr key={p.id}>
                      <th scope="row">{formatDate(p.validOn)}</th>
                      <td class={t.mono}>
                        {p.printed} ({p.state})
                      </td>
                      <td>{p.cancelled ? 'Cancelled' : 'Issued'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </Panel>

        <Panel title="Charges" description="What the permit was charged and refunded, by term.">
          {permit.charges.length === 0 ? (
            <p class={styles.muted}>Nothing charged yet.</p>
          ) : (
            <TableScroller label="Charges">
              <table class={t.table}>
                <caption class="visually-hidden">Charges</caption>
                <thead>
                  <tr>
                    <th scope="col">For</th>
                    <th scope="col">Term</th>
                    <th scope="col" class={t.num}>
                      Amount
                    </th>
                    <th scope="col">Paid by</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {permit.charges.map((c, i) => (
                    <tr key={i}>
                      <th scope="row">{CHARGE_KIND_LABEL[c.kind] ?? c.kind}</th>
                      <td class={t.nowrap}>
                        {formatDate(c.termStartsOn)} – {formatDate(c.termEndsOn)}
                      </td>
                      <td class={`${t.num} ${c.kind === 'refund' ? t.credit : ''}`}>
                        {formatCents(c.kind === 'refund' ? -c.amountCents : c.amountCents)}
                      </td>
                      <td>{METHOD_LABEL[c.method] ?? c.method}</td>
                      <td>
                        {CHARGE_STATUS_LABEL[c.status] ?? c.status}
                        {c.failure ? `: ${c.failure}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </Panel>
      </div>
    </Page>
  )
}

function Vehicles({ permit }: { permit: Permit }) {
  if (permit.vehicles.length === 0) {
    const asked = permit.requestedVehicles
    return (
      <p class={styles.muted}>
        No plates are on the permit yet
        {asked.length > 0
          ? `; asked for at application: ${asked.map((v) => `${v.printed} (${v.state})`).join(', ')}.`
          : '.'}
      </p>
    )
  }
  const ordered = [...permit.vehicles].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.from.localeCompare(a.from),
  )
  return (
    <TableScroller label="Vehicles on the permit">
      <table class={t.table}>
        <caption class="visually-hidden">Vehicles on the permit, current first</caption>
        <thead>
          <tr>
            <th scope="col">Plate</th>
            <th scope="col">On the permit from</th>
            <th scope="col">Until</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((v) => (
            <tr key={v.id}>
              <th scope="row" class={t.mono}>
                {v.printed} ({v.state})
              </th>
              <td>{formatDateTime(v.from, permit.timeZone)}</td>
              <td>{v.until ? formatDateTime(v.until, permit.timeZone) : 'No end'}</td>
              <td>
                {v.current ? 'On the permit' : new Date(v.from) > new Date() ? 'Later' : 'Off'}
                {v.temporary ? ' · rental or loaner' : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}
