import { useState } from 'preact/hooks'
import { HOME_STATE } from '../../../lib/enforcement.ts'
import { Button } from '../../../components/button/button.tsx'
import { PlateFields } from '../../../components/field/field.tsx'
import styles from './plate-choices.module.css'

export interface Choice {
  plate: string
  state: string | null
  /** Why the reader offers it: "matches a paid session", "O read as 0". */
  reasons?: string[]
}

interface Props {
  /** The plate the check is judged for now, if any. */
  current: { plate: string; state: string | null } | null
  choices: Choice[]
  /** Confirms or corrects the plate (the verdict is judged again). */
  onChoose: (plate: string, state: string) => Promise<void>
  busy: boolean
  error?: string | undefined
}

/**
 * What the reader saw, as one-tap chips: the plate it settled on (tap to confirm) and the others
 * it thought likely (tap to correct to one); or type it.
 */
export function PlateChoices({ current, choices, onChoose, busy, error }: Props) {
  const [plate, setPlate] = useState('')
  const [state, setState] = useState(current?.state ?? HOME_STATE)
  const [typing, setTyping] = useState(current === null)
  const seen = new Set<string>()
  const chips = [...(current ? [{ ...current, reasons: [] }] : []), ...choices].filter((c) => {
    const key = c.plate.toUpperCase()
    if (seen.has(key)) {
      return false
    }
    seen.add(key)
    return true
  })

  return (
    <section class={styles.choices} aria-labelledby="plate-choices">
      <h2 id="plate-choices" class={styles.title}>
        {current ? 'Is this the plate?' : 'Which plate is it?'}
      </h2>
      {chips.length > 0 && (
        <ul class={styles.chips}>
          {chips.map((c) => {
            const isCurrent = current !== null && c.plate === current.plate
            return (
              <li key={c.plate}>
                <button
                  type="button"
                  class={isCurrent ? `${styles.chip} ${styles.current}` : styles.chip}
                  disabled={busy}
                  onClick={() => void onChoose(c.plate, c.state ?? current?.state ?? state)}
                >
                  <span class={styles.plate}>{c.plate}</span>
                  <span class={styles.why}>
                    {isCurrent ? 'Confirm' : 'It is this one'}
                    {c.state ? ` · ${c.state}` : ''}
                  </span>
                  {c.reasons && c.reasons.length > 0 && (
                    <span class={styles.why}>{c.reasons[0]}</span>
                  )}
                </button>
              </li>
            )
          })}
        </ul>
      )}
      {typing ? (
        <form
          class={styles.type}
          aria-label="Type the plate"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            if (plate.trim()) {
              void onChoose(plate.trim().toUpperCase(), state).then(() => setPlate(''))
            }
          }}
        >
          <PlateFields
            labels={{ plate: 'Plate', state: 'State' }}
            plateChars={9}
            plate={plate}
            state={state}
            onPlate={setPlate}
            onState={setState}
            plateError={error}
          />
          <Button type="submit" variant="secondary" busy={busy}>
            Check this plate
          </Button>
        </form>
      ) : (
        <Button variant="quiet" onClick={() => setTyping(true)}>
          None of these: type the plate
        </Button>
      )}
    </section>
  )
}
