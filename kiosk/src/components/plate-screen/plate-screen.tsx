import { useState } from 'preact/hooks'
import { checkPlate, normalisePlate, US_JURISDICTIONS } from '../../../../api/customers/plates.ts'
import { useI18n } from '../../lib/i18n.ts'
import { Step } from '../step/step.tsx'
import styles from './plate-screen.module.css'

interface Props {
  plate: string
  state: string
  onChange: (plate: string, state: string) => void
  onNext: () => void
  onBack: () => void
}

const ROWS = ['1234567890', 'QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM']
const NEARBY = ['NC', 'SC', 'VA', 'TN', 'GA']
const MAX_LENGTH = 8

/** The plate on an on-screen keyboard (spaces and dashes are not part of it) and its state. */
export function PlateScreen({ plate, state, onChange, onNext, onBack }: Props) {
  const { t } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const [choosingState, setChoosingState] = useState(false)

  /** Takes what was typed, without separators; returns the plate as it now stands. */
  const type = (raw: string): string => {
    const next = normalisePlate(raw)
    if (!/^[A-Z0-9]*$/.test(next)) {
      setError(t.plateChars)
      return plate
    }
    if (next.length > MAX_LENGTH) {
      setError(t.plateTooLong)
      onChange(next.slice(0, MAX_LENGTH), state)
      return next.slice(0, MAX_LENGTH)
    }
    setError(null)
    onChange(next, state)
    return next
  }

  const next = () => {
    if (!plate) {
      setError(t.plateEmpty)
      return
    }
    const checked = checkPlate(plate, state)
    if (!checked.ok) {
      setError(t.plateInvalid)
      return
    }
    onNext()
  }

  const chooseState = (code: string) => {
    onChange(plate, code)
    setChoosingState(false)
  }

  return (
    <Step
      key={choosingState ? 'state' : 'plate'}
      step={1}
      title={choosingState ? t.stateTitle : t.plateTitle}
      onBack={choosingState ? () => setChoosingState(false) : onBack}
      action={
        !choosingState && (
          <button type="button" class="btn btn-primary" onClick={next}>
            {t.next} <span aria-hidden="true">→</span>
          </button>
        )
      }
    >
      {choosingState ? (
        <div class={styles.states}>
          {[
            { title: t.stateNearby, list: NEARBY },
            { title: t.stateAll, list: [...US_JURISDICTIONS].sort() },
          ].map((group) => (
            <div key={group.title} role="group" aria-label={group.title}>
              <p class={styles.groupTitle} aria-hidden="true">
                {group.title}
              </p>
              <div class={styles.stateGrid}>
                {group.list.map((code) => (
                  <button
                    key={code}
                    type="button"
                    class={styles.stateKey}
                    aria-pressed={code === state}
                    onClick={() => chooseState(code)}
                  >
                    {code}
                  </button>
                ))}
              </div>
            </div>
          ))}
        </div>
      ) : (
        <>
          <div class={styles.entry}>
            <div class={styles.plateField}>
              <label class={styles.label} for="plate-number">
                {t.plateLabel}
              </label>
              <input
                id="plate-number"
                class={styles.input}
                value={plate}
                inputMode="none"
                autoComplete="off"
                autoCapitalize="characters"
                spellcheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby="plate-hint plate-error"
                onInput={(e) => {
                  e.currentTarget.value = type(e.currentTarget.value)
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    next()
                  }
                }}
              />
              <p id="plate-hint" class={styles.hint}>
                {t.plateHint}
              </p>
            </div>
            <div class={styles.stateField}>
              <p class={styles.label} id="state-label">
                {t.stateLabel}
              </p>
              <p class={styles.stateValue} id="state-value">
                {state}
              </p>
              <button
                type="button"
                class="btn btn-secondary"
                aria-describedby="state-label state-value"
                onClick={() => setChoosingState(true)}
              >
                {t.stateChange}
              </button>
            </div>
          </div>
          <p id="plate-error" class={styles.error} role="alert">
            {error}
          </p>
          <div class={styles.keyboard} role="group" aria-label={t.plateKeyboard}>
            {ROWS.map((row, i) => (
              <div key={row} class={styles.row}>
                {[...row].map((ch) => (
                  <button
                    key={ch}
                    type="button"
                    class={styles.key}
                    onClick={() => type(plate + ch)}
                  >
                    {ch}
                  </button>
                ))}
                {i === ROWS.length - 1 && (
                  <>
                    <button
                      type="button"
                      class={`${styles.key} ${styles.wide}`}
                      onClick={() => type(plate.slice(0, -1))}
                    >
                      <span aria-hidden="true">⌫ </span>
                      {t.plateDelete}
                    </button>
                    <button
                      type="button"
                      class={`${styles.key} ${styles.wide}`}
                      onClick={() => type('')}
                    >
                      {t.plateClear}
                    </button>
                  </>
                )}
              </div>
            ))}
          </div>
        </>
      )}
    </Step>
  )
}
