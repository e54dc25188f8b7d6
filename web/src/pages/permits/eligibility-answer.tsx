import { useId } from 'preact/hooks'
import type { ApiError } from '../../lib/api.ts'
import type { Eligibility, PermitType, UtilityAccount } from '../../lib/types.ts'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import { placementText } from './permits.ts'
import styles from './permits.module.css'

interface Props {
  type: PermitType
  answer: Eligibility | null
  loading: boolean
  error: ApiError | null
  /** The driver's utility accounts: with several, they choose which is their home. */
  accounts: UtilityAccount[]
  accountId: number | null
  onAccount: (id: number) => void
}

/**
 * May I hold this permit: the city's answer from its own record, in words, with the utility
 * account and the address it went by, and what to do when the answer is no.
 */
export function EligibilityAnswer({
  type,
  answer,
  loading,
  error,
  accounts,
  accountId,
  onAccount,
}: Props) {
  const id = useId()
  const residential = type.kind === 'residential'
  return (
    <>
      {residential && accounts.length > 1 && (
        <fieldset class={c.choices}>
          <legend class={c.legend}>Which utility account is at your home?</legend>
          <ul class={c.options}>
            {accounts.map((a) => (
              <li key={a.id}>
                <label class={c.option}>
                  <input
                    type="radio"
                    name={`${id}-account`}
                    checked={accountId === a.id}
                    onChange={() => onAccount(a.id)}
                  />
                  <span class={c.optionText}>
                    <span class={c.optionName}>Account {a.accountNumber}</span>
                    <span class={c.optionDetail}>
                      {a.premise.address}, {a.premise.city}
                      {a.status === 'active' ? '' : ` · ${a.status}`}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      <div aria-live="polite" aria-busy={loading}>
        {loading && !answer && <Loading label="Checking the city’s record…" />}
        {error && (
          <Alert tone="error" title="The city’s record could not be checked">
            {error.message}
          </Alert>
        )}
        {answer && <Answer type={type} answer={answer} />}
      </div>
    </>
  )
}

function Answer({ type, answer }: { type: PermitType; answer: Eligibility }) {
  const tone = !answer.eligible ? 'no' : answer.review ? 'review' : 'yes'
  const title =
    tone === 'yes'
      ? 'You can hold this permit'
      : tone === 'review'
        ? answer.needsProof
          ? 'City staff decide, with a proof of residence from you'
          : 'City staff decide on this permit'
        : 'You cannot hold this permit'
  return (
    <div class={`${styles.answer} ${styles[tone]}`}>
      <p class={styles.answerTitle}>{title}</p>
      <p class={styles.answerMessage}>{sentence(answer.message)}</p>
      {(answer.account || answer.premise) && (
        <dl class={styles.answerFacts}>
          {answer.account && (
            <div>
              <dt>Utility account</dt>
              <dd>{answer.account.number}</dd>
            </div>
          )}
          {answer.premise && (
            <div>
              <dt>Address</dt>
              <dd>
                {answer.premise.address}
                {type.zone && (
                  <span class={styles.sub}>{placementText(answer.premise.placement)}</span>
                )}
              </dd>
            </div>
          )}
        </dl>
      )}
      {help(type, answer) && <p class={styles.answerHelp}>{help(type, answer)}</p>}
    </div>
  )
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

function help(type: PermitType, answer: Eligibility): string | null {
  switch (answer.reason) {
    case 'not_in_zone':
      return `If you have moved into ${type.zone?.name ?? 'the zone'}, link the utility account at your new home in My account, then check again.`
    case 'no_active_service':
      return 'Call customer services to restart service at the address, or link the account that has it in My account.'
    case 'household_limit':
      return 'A household may hold only so many of these permits. Cancel one you no longer need to apply for another.'
    case 'address_not_in_record':
      return 'Apply now; your permit’s page then asks for the proof (a lease, deed or recent bill, as a PDF or photo).'
    case 'staff_review':
      return 'Apply now; you pay once your application is approved.'
    default:
      return null
  }
}
