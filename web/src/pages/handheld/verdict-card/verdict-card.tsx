import { useEffect, useRef } from 'preact/hooks'
import type { PlateCheck } from '../../../lib/enforcement.ts'
import { cityTime, verdictTitle, verdictTone } from '../../../lib/enforcement.ts'
import { formatCents, formatDate } from '../../../lib/format.ts'
import { PlateChip } from '../../../components/plate-chip/plate-chip.tsx'
import styles from './verdict-card.module.css'

const at = (iso: string | null | undefined) => (iso ? cityTime(new Date(iso)) : null)

/**
 * The answer to a plate check, big enough to read at arm's length in the sun: green when there
 * is nothing to do, amber to come back later, red to cite; then what else the plate carries
 * (scofflaw, a boot, unpaid citations, past warnings). Its heading takes focus when it arrives.
 */
export function VerdictCard({ check }: { check: PlateCheck }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus()
  }, [check.id, check.verdict.verdict, check.plate])
  const v = check.verdict
  const tone = verdictTone(v.verdict)
  const place = check.facility
    ? `${/^\d+$/.test(check.facility.code) ? `Zone ${check.facility.code}` : check.facility.name}${check.blockFace !== null ? `, block face ${check.blockFace + 1}` : ''}`
    : 'Place not known'
  return (
    <section class={`${styles.card} ${styles[tone]}`} aria-labelledby={`verdict-${check.id}`}>
      <p class={styles.where}>
        {place} · checked {at(check.readAt)}
      </p>
      <h2 id={`verdict-${check.id}`} ref={heading} tabIndex={-1} class={styles.title}>
        {verdictTitle(v.verdict)}
      </h2>
      {check.plate && (
        <p class={styles.plate}>
          <PlateChip printed={check.plate} state={check.state ?? '—'} />
        </p>
      )}
      <p class={styles.message}>{v.message}</p>
      <dl class={styles.facts}>
        {v.until && (
          <div>
            <dt>Paid until</dt>
            <dd>{at(v.until)}</dd>
          </div>
        )}
        {v.minutesLeft !== null && v.minutesLeft !== undefined && (
          <div>
            <dt>Minutes left</dt>
            <dd>{v.minutesLeft}</dd>
          </div>
        )}
        {v.firstSeenAt && (
          <div>
            <dt>First seen</dt>
            <dd>{at(v.firstSeenAt)}</dd>
          </div>
        )}
        {v.limitAt && (
          <div>
            <dt>Limit reached at</dt>
            <dd>{at(v.limitAt)}</dd>
          </div>
        )}
        {v.violation && (
          <div>
            <dt>Violation</dt>
            <dd>
              <strong>{v.violation.code}</strong> {v.violation.description} ·{' '}
              {formatCents(v.violation.fineCents)}
              {v.violation.warningEligible && (
                <span class={styles.tag}>First offence: a warning may be given</span>
              )}
            </dd>
          </div>
        )}
      </dl>
      <Flags check={check} />
    </section>
  )
}

function Flags({ check }: { check: PlateCheck }) {
  const v = check.verdict
  const warnings = v.warnings ?? []
  const unpaid = v.unpaidCitations ?? 0
  if (!v.scofflaw && !v.immobilised && unpaid === 0 && warnings.length === 0) {
    return null
  }
  return (
    <ul class={styles.flags} aria-label="About this plate">
      {v.immobilised && (
        <li class={styles.alarm}>
          {v.immobilised === 'boot'
            ? 'Booted: a boot is on this vehicle'
            : 'Tow ordered for this vehicle'}
        </li>
      )}
      {v.scofflaw && (
        <li class={styles.alarm}>Scofflaw: boot-eligible, with citations long past due</li>
      )}
      {unpaid > 0 && (
        <li>
          {unpaid} unpaid citation{unpaid === 1 ? '' : 's'}
        </li>
      )}
      {warnings.map((w) => (
        <li key={`${w.code}-${w.issuedAt}`}>
          Warned for {w.code} on {formatDate(w.issuedAt)}
        </li>
      ))}
    </ul>
  )
}
