import { useId } from 'preact/hooks'
import type { Balances } from '../../lib/types.ts'
import { formatCents } from '../../lib/format.ts'
import { fundAccent, fundLabel, sortFunds } from '../../lib/funds.ts'
import styles from './balance-summary.module.css'

/** What the customer owes today, in total and per fund (utility services and parking). */
export function BalanceSummary({ balances }: { balances: Balances }) {
  const id = useId()
  const funds = sortFunds(
    Object.keys(balances.byFund).filter((f) => f === 'parking' || balances.byFund[f] !== 0),
  )
  if (!funds.includes('parking')) {
    funds.unshift('parking')
  }
  return (
    <section class={styles.summary} aria-labelledby={id}>
      <h2 id={id} class={styles.heading}>
        Balances
      </h2>
      <ul class={styles.cards} aria-label="Balance by fund">
        <li class={`${styles.card} ${styles.total}`}>
          <span class={styles.label}>Total balance</span>
          <span class={styles.amount}>{formatCents(balances.total)}</span>
          <span class={styles.note}>{describe(balances.total)}</span>
        </li>
        {funds.map((fund) => {
          const amount = balances.byFund[fund] ?? 0
          return (
            <li key={fund} class={styles.card} style={fundAccent(fund)}>
              <span class={styles.label}>{fundLabel(fund)}</span>
              <span class={styles.amount}>{formatCents(amount)}</span>
              <span class={styles.note}>{describe(amount)}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function describe(cents: number): string {
  if (cents > 0) {
    return 'Due'
  }
  if (cents < 0) {
    return 'In credit'
  }
  return 'Nothing due'
}
