import { useId, useMemo, useState } from 'preact/hooks'
import { useResource, type Resource } from '../../../lib/use-api.ts'
import { formatDateTime } from '../../../lib/format.ts'
import type { Permit, PermitSummary, Permits } from '../../../lib/types.ts'
import { Alert } from '../../../components/alert/alert.tsx'
import { Button, ButtonLink } from '../../../components/button/button.tsx'
import { Loading } from '../../../components/loading/loading.tsx'
import { Facts, Fact } from '../../../components/facts/facts.tsx'
import { PermitDocuments } from '../permit-documents/permit-documents.tsx'
import { KIND_LABEL, PLACEMENT_LABEL, REASON_LABEL, permitHref } from '../permits.ts'
import styles from './review-queue.module.css'

const PAGE = 20
/** The API answers a search with at most this many permits, newest first. */
const SEARCH_LIMIT = 200

/** Applications waiting for staff, oldest first: who applied, for what, why, and their proofs. */
export function ReviewQueue({ list, canDecide }: { list: Resource<Permits>; canDecide: boolean }) {
  const [shown, setShown] = useState(PAGE)
  const oldest = useMemo(
    () => [...(list.data?.permits ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [list.data],
  )

  if (list.error) {
    return (
      <Alert tone="error" title="The review queue could not be loaded">
        <p>{list.error.message}</p>
        <Button variant="secondary" size="small" onClick={list.reload}>
          Try again
        </Button>
      </Alert>
    )
  }
  if (!list.data) {
    return <Loading label="Loading the review queue…" />
  }
  if (oldest.length === 0) {
    return <p class={styles.empty}>No applications are waiting for review.</p>
  }
  return (
    <div class={styles.queue}>
      <p class={styles.count}>
        {oldest.length === 1
          ? '1 application is waiting. '
          : `${oldest.length} applications are waiting, oldest first. `}
        {canDecide
          ? 'Open one to approve or reject it.'
          : 'A supervisor or administrator decides them.'}
      </p>
      {oldest.length >= SEARCH_LIMIT && (
        <Alert tone="warning" title={`Only the ${SEARCH_LIMIT} newest applications are listed`}>
          Older ones are waiting too: use Search with the status “Waiting for review” and a permit
          type to find them.
        </Alert>
      )}
      <ol class={styles.list} aria-label="Applications waiting for review, oldest first">
        {oldest.slice(0, shown).map((p) => (
          <QueueItem key={p.id} summary={p} />
        ))}
      </ol>
      {shown < oldest.length && (
        <Button variant="secondary" onClick={() => setShown((n) => n + PAGE)}>
          Show {Math.min(PAGE, oldest.length - shown)} more
        </Button>
      )}
    </div>
  )
}

function QueueItem({ summary }: { summary: PermitSummary }) {
  const detail = useResource<Permit>(`/permits/${encodeURIComponent(summary.id)}`)
  const heading = useId()
  const p = detail.data
  return (
    <li class={styles.item}>
      <article aria-labelledby={heading}>
        <div class={styles.head}>
          <h3 id={heading} class={styles.title}>
            {summary.number} · {summary.type.name}
          </h3>
          <p class={styles.age}>
            Applied {formatDateTime(summary.createdAt)} · {waited(summary.createdAt)}
          </p>
        </div>
        <Facts>
          <Fact term="Applicant">
            <a href={`/customers/${summary.customer.id}`}>{summary.customer.name}</a>
          </Fact>
          <Fact term="Type">
            {KIND_LABEL[summary.type.kind] ?? summary.type.kind} · {summary.type.code}
          </Fact>
          {summary.address && <Fact term="Address">{summary.address}</Fact>}
          {summary.facility && <Fact term="Facility">{summary.facility}</Fact>}
          {p && <Fact term="Vehicles asked for">{plates(p)}</Fact>}
        </Facts>
        {detail.error && (
          <Alert tone="error" title="The application’s details could not be loaded">
            {detail.error.message}
          </Alert>
        )}
        {!p && detail.loading && <Loading label="Loading its eligibility and documents…" />}
        {p && (
          <div class={styles.body}>
            <div class={styles.eligibility}>
              <h4 class={styles.subhead}>Eligibility</h4>
              <p class={styles.reason}>
                {REASON_LABEL[p.eligibility.reason] ?? p.eligibility.reason}
                {p.eligibility.needsProof && ' · needs a proof'}
              </p>
              <p class={styles.message}>{p.eligibility.message}</p>
              {p.eligibility.premise?.placement && (
                <p class={styles.message}>
                  The city’s record places {p.eligibility.premise.address}{' '}
                  {PLACEMENT_LABEL[p.eligibility.premise.placement]}.
                </p>
              )}
            </div>
            <div>
              <h4 class={styles.subhead}>Documents</h4>
              <PermitDocuments permit={p} />
            </div>
          </div>
        )}
        <ButtonLink href={permitHref(summary.id)} variant="secondary" size="small">
          Review {summary.number}
        </ButtonLink>
      </article>
    </li>
  )
}

function plates(p: Permit): string {
  const list = p.vehicles.length > 0 ? p.vehicles.filter((v) => v.current) : p.requestedVehicles
  return list.length > 0 ? list.map((v) => `${v.printed} (${v.state})`).join(', ') : 'None'
}

/** How long an application has waited, in whole days. */
function waited(createdAt: string): string {
  const days = Math.floor((Date.now() - new Date(createdAt).getTime()) / 86_400_000)
  if (days <= 0) {
    return 'waiting since today'
  }
  return `waiting ${days} day${days === 1 ? '' : 's'}`
}
