import type { ComponentChildren } from 'preact'
import type { UtilityAccount } from '../../lib/types.ts'
import { formatCents, formatDate, titleCase } from '../../lib/format.ts'
import { fundLabel } from '../../lib/funds.ts'
import { Facts, Fact } from '../facts/facts.tsx'
import styles from './utility-account-card.module.css'

const RELATIONSHIP: Record<string, string> = {
  primary: 'Account holder',
  co_holder: 'Co-holder',
  linked: 'Linked online',
}

/** A list of utility account cards, named for screen readers. */
export function UtilityAccountList({
  label,
  children,
}: {
  label: string
  children: ComponentChildren
}) {
  return (
    <ul class={styles.list} aria-label={label}>
      {children}
    </ul>
  )
}

interface CardProps {
  account: UtilityAccount
  /** Names the holder's relationship: "Your role" to a driver, "Holds it as" to staff. */
  relationshipLabel?: string
  /** Controls under the card, e.g. unlinking. */
  children?: ComponentChildren
}

/** One utility account: number, status, premise, bill cycle, last bill and services. */
export function UtilityAccountCard({
  account: a,
  relationshipLabel = 'Your role',
  children,
}: CardProps) {
  const headingId = `ua-${a.id}`
  return (
    <li class={styles.card} aria-labelledby={headingId}>
      <div class={styles.cardHead}>
        <h3 id={headingId} class={styles.number}>
          <span class="visually-hidden">Utility account </span>
          {a.accountNumber}
        </h3>
        <span class={`${styles.status} ${a.status === 'active' ? styles.active : ''}`}>
          {titleCase(a.status)}
        </span>
      </div>
      <p class={styles.address}>
        {a.premise.address}
        <br />
        {a.premise.city}, {a.premise.state} {a.premise.zip}
      </p>
      <Facts>
        <Fact term="Bill cycle">{a.billCycle}</Fact>
        <Fact term={relationshipLabel}>
          {RELATIONSHIP[a.relationship] ?? titleCase(a.relationship)}
        </Fact>
        <Fact term="Last bill">
          {a.lastBill
            ? `${formatCents(a.lastBill.amount)} on ${formatDate(a.lastBill.billDate)}`
            : 'No bills yet'}
        </Fact>
      </Facts>
      {a.services.length > 0 && (
        <ul class={styles.services} aria-label={`Services on account ${a.accountNumber}`}>
          {a.services.map((s) => (
            <li key={s}>{fundLabel(s)}</li>
          ))}
        </ul>
      )}
      {children && <div class={styles.actions}>{children}</div>}
    </li>
  )
}
