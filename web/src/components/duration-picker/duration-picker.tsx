import { useId } from 'preact/hooks'
import { formatDuration, formatDurationShort } from '../../lib/parking.ts'
import styles from './duration-picker.module.css'

interface Props {
  legend: string
  minutes: number
  onMinutes: (minutes: number) => void
  /** The stepper's step and the shortest choice: the tariff's increment. */
  step: number
  /** The longest choice: the time limit, or what is left of it. */
  max: number
  /** Says where the maximum comes from, e.g. "Zone 104 has a 2-hour limit". */
  hint?: string
}

const PRESETS = [15, 30, 60, 120, 180, 240, 480, 720]

/** The common lengths a meter sells, that fit this place's increment and limit, and the limit. */
export function presetsFor(step: number, max: number): number[] {
  const fitting = PRESETS.filter((m) => m >= step && m <= max && m % step === 0)
  const picks =
    fitting.length > 5 ? fitting.filter((m) => m !== 15 && m !== 180 && m !== 720) : fitting
  const longest = Math.floor(max / step) * step
  if (longest >= step && !picks.includes(longest) && longest <= 24 * 60) {
    picks.push(longest)
  }
  return picks
}

/** How long to park: a button per common length, and a stepper by the tariff's increment. */
export function DurationPicker({ legend, minutes, onMinutes, step, max, hint }: Props) {
  const id = useId()
  const presets = presetsFor(step, max)
  const longest = Math.floor(max / step) * step
  const set = (m: number) => onMinutes(Math.min(longest, Math.max(step, m)))
  return (
    <fieldset class={styles.picker} aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend class={styles.legend}>{legend}</legend>
      {hint && (
        <p class={styles.hint} id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class={styles.presets}>
        {presets.map((m) => (
          <button
            key={m}
            type="button"
            class={styles.preset}
            aria-pressed={m === minutes}
            aria-label={formatDuration(m)}
            onClick={() => set(m)}
          >
            {formatDurationShort(m)}
          </button>
        ))}
      </div>
      <div class={styles.stepper}>
        <button
          type="button"
          class={styles.step}
          aria-label={`${formatDuration(step)} less`}
          disabled={minutes <= step}
          onClick={() => set(minutes - step)}
        >
          <span aria-hidden="true">−</span>
        </button>
        <output class={styles.value} id={`${id}-value`} aria-live="polite" aria-label="Time chosen">
          {formatDuration(minutes)}
        </output>
        <button
          type="button"
          class={styles.step}
          aria-label={`${formatDuration(step)} more`}
          disabled={minutes + step > longest}
          onClick={() => set(minutes + step)}
        >
          <span aria-hidden="true">+</span>
        </button>
      </div>
    </fieldset>
  )
}
