import { WEEKDAYS } from '../rates-editor/quote-preview.tsx'
import styles from '../rates-editor/rates-editor.module.css'

// Signs read Monday to Sunday; tariffs and hours number days from Sunday = 0.
const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0]

interface Props {
  /** 0 = Sunday … 6 = Saturday. */
  days: number[]
  onChange: (days: number[]) => void
  error?: string
}

/** The weekdays a band of rates or an opening applies on, as checkboxes Monday to Sunday. */
export function DayPicker({ days, onChange, error }: Props) {
  const toggle = (day: number, on: boolean) =>
    onChange(on ? [...days, day].sort() : days.filter((d) => d !== day))
  return (
    <fieldset class={error ? `${styles.days} ${styles.invalid}` : styles.days}>
      <legend>Days</legend>
      {error && <p class={styles.error}>{error}</p>}
      <div class={styles.dayList}>
        {DAY_ORDER.map((d) => (
          <label key={d} class={styles.day}>
            <input
              type="checkbox"
              checked={days.includes(d)}
              onChange={(e) => toggle(d, e.currentTarget.checked)}
            />
            <span aria-hidden="true">{WEEKDAYS[d]?.slice(0, 3)}</span>
            <span class="visually-hidden">{WEEKDAYS[d]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
