import { useId } from 'preact/hooks'
import type { UtilityAccount } from '../../lib/types.ts'
import { titleCase } from '../../lib/format.ts'
import { Alert } from '../alert/alert.tsx'
import { Loading } from '../loading/loading.tsx'
import styles from './payment-choice.module.css'

/** How a purchase is paid: one of my utility accounts by id, or a card. */
export type PaymentPick = number | 'card'

interface Props {
  signedIn: boolean
  /** Cards are taken here (GET /payments/options); the option is left out when they are not. */
  card: boolean
  /** The signed-in driver's utility accounts. */
  accounts: UtilityAccount[]
  loading: boolean
  loadError: string | null
  value: PaymentPick | null
  onValue: (pick: PaymentPick) => void
  /** Where sign-in returns to, with the choices made so far. */
  next: string
  error?: string
}

/**
 * How to pay: on one of my linked utility accounts, or by card where cards are taken. Signed
 * out, it says why the utility bill needs a sign-in and links to it, coming back with the
 * choices kept.
 */
export function PaymentChoice({
  signedIn,
  card,
  accounts,
  loading,
  loadError,
  value,
  onValue,
  next,
  error,
}: Props) {
  const id = useId()
  const signIn = `/sign-in?next=${encodeURIComponent(next)}`
  const register = `/register?next=${encodeURIComponent(next)}`
  return (
    <fieldset
      class={error ? `${styles.choice} ${styles.invalid}` : styles.choice}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend class={styles.legend}>How would you like to pay?</legend>
      {error && (
        <p class={styles.error} id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {!signedIn && (
        <div class={styles.signedOut}>
          <p>
            <strong>On your utility bill:</strong> sign in to put parking on the bill of a utility
            account you have linked. You will come back here with your zone, plate and time kept.
          </p>
          <p class={styles.links}>
            <a href={signIn}>Sign in to pay on your utility bill</a>
            <span aria-hidden="true"> · </span>
            <a href={register}>Create a driver account</a>
          </p>
        </div>
      )}
      {loading && <Loading label="Loading your utility accounts…" />}
      {loadError && (
        <Alert tone="error" title="Your utility accounts could not be loaded">
          {loadError}
        </Alert>
      )}
      {signedIn && !loading && !loadError && accounts.length === 0 && (
        <Alert tone="info" title="No utility account is linked to your sign-in">
          <p>
            To put parking on your utility bill,{' '}
            <a href="/account">link a utility account in My account</a> first.
          </p>
        </Alert>
      )}
      <ul class={styles.options}>
        {accounts.map((a) => {
          const usable = a.status === 'active'
          return (
            <li key={a.id}>
              <label class={usable ? styles.option : `${styles.option} ${styles.off}`}>
                <input
                  type="radio"
                  name={`${id}-method`}
                  value={String(a.id)}
                  checked={value === a.id}
                  disabled={!usable}
                  onChange={() => onValue(a.id)}
                />
                <span class={styles.text}>
                  <span class={styles.name}>
                    On my utility bill, account ending {a.accountNumber.slice(-4)}
                  </span>
                  <span class={styles.detail}>
                    {a.premise.address}, {a.premise.city}
                    {usable
                      ? ` · billed with cycle ${a.billCycle}`
                      : ` · ${titleCase(a.status)}: cannot be billed`}
                  </span>
                </span>
              </label>
            </li>
          )
        })}
        {card && (
          <li>
            <label class={styles.option}>
              <input
                type="radio"
                name={`${id}-method`}
                value="card"
                checked={value === 'card'}
                onChange={() => onValue('card')}
              />
              <span class={styles.text}>
                <span class={styles.name}>Credit or debit card</span>
                <span class={styles.detail}>Entered securely with Stripe, the city’s card processor</span>
              </span>
            </label>
          </li>
        )}
      </ul>
    </fieldset>
  )
}
