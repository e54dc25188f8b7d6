import { useId } from 'preact/hooks'
import type { PermitType } from '../../lib/types.ts'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import { priceText, whereText } from './permits.ts'

interface Props {
  types: PermitType[]
  value: string | null
  onValue: (code: string) => void
}

/** The kinds of permit the city issues, one to choose, each with its price and where it holds. */
export function TypeChoice({ types, value, onValue }: Props) {
  const id = useId()
  return (
    <fieldset class={c.choices}>
      <legend class={c.legend}>Permit type</legend>
      <ul class={c.options}>
        {types.map((t) => (
          <li key={t.code}>
            <label class={c.option}>
              <input
                type="radio"
                name={`${id}-type`}
                value={t.code}
                checked={value === t.code}
                onChange={() => onValue(t.code)}
              />
              <span class={c.optionText}>
                <span class={c.optionName}>{t.name}</span>
                <span class={c.optionDetail}>
                  {whereText(t)}
                  {t.needsApproval ? ' · approved by city staff' : ''}
                </span>
              </span>
              <span class={c.optionPrice}>{priceText(t)}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}
