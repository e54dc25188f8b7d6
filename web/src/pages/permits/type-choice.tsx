import { useId } from 'preact/hooks'
import type { PermitType } from '../../lib/types.ts'
import { priceText, whereText } from './permits.ts'
import styles from './permits.module.css'

interface Props {
  types: PermitType[]
  value: string | null
  onValue: (code: string) => void
}

/** The kinds of permit the city issues, one to choose, each with its price and where it holds. */
export function TypeChoice({ types, value, onValue }: Props) {
  const id = useId()
  return (
    <fieldset class={styles.choices}>
      <legend class={styles.legend}>Permit type</legend>
      <ul class={styles.options}>
        {types.map((t) => (
          <li key={t.code}>
            <label class={styles.option}>
              <input
                type="radio"
                name={`${id}-type`}
                value={t.code}
                checked={value === t.code}
                onChange={() => onValue(t.code)}
              />
              <span class={styles.optionText}>
                <span class={styles.optionName}>{t.name}</span>
                <span class={styles.optionDetail}>
                  {whereText(t)}
                  {t.needsApproval ? ' · approved by city staff' : ''}
                </span>
              </span>
              <span class={styles.optionPrice}>{priceText(t)}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}
