import { useResource } from '../../lib/use-api.ts'
import { formatDateTime } from '../../lib/format.ts'
import type { PermitType, PermitTypes, Waitlist } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { KIND_LABEL, permitHref } from './permits.ts'
import styles from './waitlists-page.module.css'

/**
 * The line for each permit type's counted spaces, facility by facility: how many are left, who
 * has been offered one and until when, then who waits, in order.
 */
export function WaitlistsPage() {
  const types = useResource<PermitTypes>('/permit-types')
  const counted = (types.data?.types ?? []).filter((type) =>
    type.facilities.some((f) => f.capacity !== null),
  )
  return (
    <Page
      title="Permit waitlists"
      eyebrow="Permits"
      lede="Permit types with a set number of spaces keep a line at each facility. A freed space is offered to the first in line, who has a few business days to accept it."
    >
      <p class={styles.back}>
        <a href="/staff/permits">← Permits</a>
      </p>
      {types.error && (
        <Alert tone="error" title="The permit types could not be loaded">
          {types.error.message}
        </Alert>
      )}
      {!types.data && types.loading && <Loading label="Loading the waitlists…" />}
      {types.data && counted.length === 0 && (
        <p>No permit type counts its spaces, so there are no waitlists.</p>
      )}
      <div class={styles.stack}>
        {counted.map((type) => (
          <TypeLines key={type.code} type={type} />
        ))}
      </div>
    </Page>
  )
}

function TypeLines({ type }: { type: PermitType }) {
  const places = type.facilities.filter((f) => f.capacity !== null)
  return (
    <Panel
      title={type.name}
      description={`${KIND_LABEL[type.kind] ?? type.kind} · ${type.code}${type.active ? '' : ' · no longer issued'}`}
    >
      <div class={styles.places}>
        {places.map((place) => (
          <Line key={place.code} type={type} place={place} />
        ))}
      </div>
    </Panel>
  )
}

function Line({ type, place }: { type: PermitType; place: PermitType['facilities'][number] }) {
  const line = useResource<Waitlist>(
    `/permit-types/${encodeURIComponent(type.code)}/waitlist?facility=${encodeURIComponent(place.code)}`,
  )
  const data = line.data
  const offers = data?.entries.filter((e) => e.status === 'offered').length ?? 0
  const waiting = data?.entries.filter((e) => e.status === 'waiting').length ?? 0
  const title = `${place.name} (${place.code})`
  return (
    <section class={styles.place} aria-label={`${type.name} at ${place.name}`}>
      <h3 class={styles.placeTitle}>{title}</h3>
      {line.error && (
        <Alert tone="error" title="This waitlist could not be loaded">
          {line.error.message}
        </Alert>
      )}
      {!data && line.loading && <Loading label="Loading the line…" />}
      {data && (
        <>
          <p class={styles.summary}>
            {spacesText(place.capacity, data.spacesLeft)} · {offers} offer{offers === 1 ? '' : 's'}{' '}
            open · {waiting} waiting
          </p>
          {data.entries.length === 0 ? (
            <p class={t.muted}>No one is waiting.</p>
          ) : (
            <TableScroller label={`Waitlist for ${type.name} at ${place.name}`}>
              <table class={t.table}>
                <caption class="visually-hidden">
                  Waitlist for {type.name} at {place.name}: offers, then those waiting in order
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Place in line</th>
                    <th scope="col">Permit</th>
                    <th scope="col">Applicant</th>
                    <th scope="col">Joined</th>
                    <th scope="col">Offer</th>
                  </tr>
                </thead>
                <tbody>
                  {data.entries.map((e) => (
                    <tr key={e.permit}>
                      <th scope="row">
                        {e.status === 'offered' ? 'Offered a space' : `${e.position ?? '—'}`}
                      </th>
                      <td class={t.mono}>
                        <a href={permitHref(e.permit)}>{e.number}</a>
                      </td>
                      <td>{e.customer}</td>
                      <td class={t.nowrap}>{formatDateTime(e.joinedAt)}</td>
                      <td>
                        {e.offerExpiresAt ? (
                          <strong>Accept by {formatDateTime(e.offerExpiresAt)}</strong>
                        ) : (
                          <span class={t.muted}>—</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </>
      )}
    </section>
  )
}

function spacesText(capacity: number | null, left: number | null): string {
  if (capacity === null || left === null) {
    return 'Spaces are not counted'
  }
  if (left < 0) {
    return `No space left: ${-left} more held than the ${capacity} there are`
  }
  return `${left} of ${capacity} space${capacity === 1 ? '' : 's'} left`
}
