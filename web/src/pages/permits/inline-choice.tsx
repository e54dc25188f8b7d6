import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import styles from './permits.module.css'

interface Props<T extends string> {
  legend: string
  value: T
  onValue: (value: T) => void
  choices: readonly { value: T; label: string }[]
  /** What follows the answers in the fieldset, e.g. the field the second one asks for. */
  children?: ComponentChildren
}

/** One of a few short answers, side by side: "Today" or "Another day". */
export function InlineChoice<T extends string>(props: Props<T>) {
  const { legend, value, onValue, choices, children } = props
  const name = useId()
  return (
    <fieldset class={c.choices}>
      <legend class={c.legend}>{legend}</legend>
      <div class={styles.inline}>
        {choices.map((choice) => (
          <label key={choice.value} class={styles.check}>
            <input
              type="radio"
              name={name}
              checked={value === choice.value}
              onChange={() => onValue(choice.value)}
            />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
      {children}
    </fieldset>
  )
}
