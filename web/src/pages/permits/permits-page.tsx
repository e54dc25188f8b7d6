import { useResource } from '../../lib/use-api.ts'
import { formatCents, titleCase } from '../../lib/format.ts'
import type { PermitSummary, PermitType } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { StatusBadge } from './status-badge.tsx'
import { placeName, priceText, termText, whereText } from './permits.ts'
import styles from './permits.module.css'

/** My permits, newest first, and the kinds of permit the city issues, with a way to apply. */
export function PermitsPage() {
  const mine = useResource<{ permits: PermitSummary[] }>('/permits')
  const types = useResource<{ types: PermitType[] }>('/permit-types')
  return (
    <Page
      title="Permits"
      eyebrow="Parking permits"
      lede="Residential, garage and other parking permits: apply, pay on your utility bill or by card, and keep the vehicles on them up to date."
    >
      <div class={styles.stack}>
        <Panel
          title="My permits"
          description="Permits you hold or have applied for. Open one to pay, change its vehicles, give a visitor a pass or renew it."
          actions={<ButtonLink href="/permits/apply">Apply for a permit</ButtonLink>}
        >
          {mine.error && (
            <Alert tone="error" title="Your permits could not be loaded">
              <p>{mine.error.message}</p>
              <Button variant="secondary" size="small" onClick={mine.reload}>
                Try again
              </Button>
            </Alert>
          )}
          {!mine.data && mine.loading && <Loading label="Loading your permits…" />}
          {mine.data && mine.data.permits.length === 0 && (
            <p class={styles.empty}>
              You have no permits yet. Residents of a permit zone can park on its blocks beyond the
              posted time limit; the city’s record of your utility account says whether you live in
              one.
            </p>
          )}
          {mine.data && mine.data.permits.length > 0 && (
            <ul class={styles.cards} aria-label="My permits">
              {mine.data.permits.map((p) => (
                <PermitCard
                  key={p.id}
                  permit={p}
                  type={types.data?.types.find((t) => t.code === p.type.code)}
                />
              ))}
            </ul>
          )}
        </Panel>
        <Panel
          title="Permits the city issues"
          description="Prices are for a whole term; a first term that starts part-way is charged as the type says."
        >
          {types.error && (
            <Alert tone="error" title="Permit types could not be loaded">
              {types.error.message}
            </Alert>
          )}
          {!types.data && types.loading && <Loading label="Loading permit types…" />}
          {types.data && (
            <ul class={styles.types} aria-label="Permit types">
              {types.data.types.map((t) => (
                <TypeItem key={t.code} type={t} />
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </Page>
  )
}

function PermitCard({ permit: p, type }: { permit: PermitSummary; type?: PermitType }) {
  const headingId = `permit-${p.id}`
  return (
    <li class={styles.card} aria-labelledby={headingId}>
      <div class={styles.cardHead}>
        <h3 id={headingId} class={styles.cardTitle}>
          <a href={`/permits/${p.id}`}>
            <span class={styles.number}>{p.number}</span>
            <span class="visually-hidden">, </span>
            <span class={styles.cardType}>{p.type.name}</span>
          </a>
        </h3>
        <StatusBadge status={p.status} />
      </div>
      <dl class={styles.facts}>
        <div>
          <dt>Valid</dt>
          <dd>{p.startsOn && p.endsOn ? termText(p.startsOn, p.endsOn) : 'Not yet'}</dd>
        </div>
        {p.address && (
          <div>
            <dt>Household</dt>
            <dd>{p.address}</dd>
          </div>
        )}
        {p.facility && (
          <div>
            <dt>Place</dt>
            <dd>{placeName(p.facility, type)}</dd>
          </div>
        )}
        <div>
          <dt>Plates</dt>
          <dd>{p.plates.length > 0 ? p.plates.join(', ') : 'None on it now'}</dd>
        </div>
      </dl>
    </li>
  )
}

function TypeItem({ type: t }: { type: PermitType }) {
  const extras = [
    t.secondVehicleCents > 0 && t.maxVehicles > 1
      ? `each vehicle after the first ${formatCents(t.secondVehicleCents)} a term`
      : null,
    t.maxVehicles > 1 ? `up to ${t.maxVehicles} vehicles` : 'one vehicle',
    t.visitorPassesPerMonth > 0 ? `${t.visitorPassesPerMonth} visitor passes a month` : null,
    t.needsApproval ? 'approved by city staff' : null,
  ].filter((x): x is string => x !== null)
  return (
    <li class={styles.type}>
      <div class={styles.typeText}>
        <span class={styles.typeName}>{t.name}</span>
        <span class={styles.typeWhere}>{whereText(t)}</span>
        {t.description && <span class={styles.typeDescription}>{t.description}</span>}
        <span class={styles.typeExtras}>{titleCase(extras.join(' · '))}</span>
      </div>
      <span class={styles.typePrice}>{priceText(t)}</span>
      <a class={styles.typeApply} href={`/permits/apply?type=${encodeURIComponent(t.code)}`}>
        Apply<span class="visually-hidden">: {t.name}</span>
      </a>
    </li>
  )
}
