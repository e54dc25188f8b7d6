import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import styles from './fields.module.css'

interface TextAreaProps {
  label: string
  name: string
  value: string
  onValue: (value: string) => void
  required?: boolean
  hint?: string
  error?: string
  rows?: number
  maxLength?: number
}

/** A labelled multi-line answer, with its hint and error tied to it as the other fields are. */
export function TextAreaField(props: TextAreaProps) {
  const { label, name, value, onValue, required, hint, error, rows = 3, maxLength } = props
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? `${styles.field} ${styles.invalid}` : styles.field}>
      <label class={styles.label} for={id}>
        {label}
        {!required && <span class={styles.optional}> (optional)</span>}
      </label>
      {hint && (
        <p class={styles.hint} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class={styles.error} id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <textarea
        id={id}
        name={name}
        class={styles.textarea}
        rows={rows}
        maxLength={maxLength}
        required={required}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  )
}

interface CheckProps {
  label: ComponentChildren
  name: string
  checked: boolean
  onChange: (checked: boolean) => void
  hint?: string
  error?: string
  disabled?: boolean
}

/** A checkbox with its label beside it and a hint underneath. */
export function CheckField({ label, name, checked, onChange, hint, error, disabled }: CheckProps) {
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? `${styles.check} ${styles.invalid}` : styles.check}>
      <input
        id={id}
        name={name}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.currentTarget.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class={styles.checkHint}>
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class={`${styles.checkHint} ${styles.error}`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
    </div>
  )
}

interface Choice<T extends string> {
  value: T
  label: string
  hint?: string
}

interface RadioProps<T extends string> {
  legend: string
  name: string
  value: T
  onValue: (value: T) => void
  choices: readonly Choice<T>[]
  hint?: string
  error?: string
}

/** One answer from a few, each explained in words under its label. */
export function RadioGroup<T extends string>(props: RadioProps<T>) {
  const { legend, name, value, onValue, choices, hint, error } = props
  const id = useId()
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <fieldset
      class={error ? `${styles.radios} ${styles.invalid}` : styles.radios}
      aria-describedby={described || undefined}
    >
      <legend class={styles.label}>{legend}</legend>
      {hint && (
        <p class={styles.hint} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class={styles.error} id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      {choices.map((c) => (
        <div key={c.value} class={styles.check}>
          <input
            id={`${id}-${c.value}`}
            type="radio"
            name={name}
            value={c.value}
            checked={value === c.value}
            onChange={() => onValue(c.value)}
            aria-describedby={c.hint ? `${id}-${c.value}-hint` : undefined}
          />
          <label for={`${id}-${c.value}`}>{c.label}</label>
          {c.hint && (
            <p id={`${id}-${c.value}-hint`} class={styles.checkHint}>
              {c.hint}
            </p>
          )}
        </div>
      ))}
    </fieldset>
  )
}
