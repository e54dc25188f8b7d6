import { useState } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import { closedReason, lookUpFacility, type KioskFacility } from '../../lib/facilities.ts'
import { Step } from '../step/step.tsx'
import styles from './zone-screen.module.css'

interface Props {
  onPick: (facility: KioskFacility) => void
  onCancel: () => void
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']

/** Another zone than the kiosk's own: its number on a keypad, looked up (or from the cache). */
export function ZoneScreen({ onPick, onCancel }: Props) {
  const { t, f } = useI18n()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const type = (next: string) => {
    const cleaned = next.replace(/\s/g, '')
    if (!/^\d*$/.test(cleaned)) {
      setError(t.zoneInvalid)
      return
    }
    setError(null)
    setCode(cleaned.slice(0, 6))
  }

  const find = async () => {
    if (!code) {
      setError(t.zoneEmpty)
      return
    }
    setBusy(true)
    setError(null)
    const found = await lookUpFacility(code)
    setBusy(false)
    if (!found.found) {
      setError(found.reason === 'not_found' ? t.zoneNotFound(code) : t.zoneOffline(code))
      return
    }
    const { facility } = found
    const reason = closedReason(facility, new Date())
    if (reason?.kind === 'gated') {
      setError(t.zoneGated(facility.name))
    } else if (reason?.kind === 'closed') {
      setError(t.zoneClosed(facility.name))
    } else if (reason?.kind === 'hours') {
      const tz = facility.tariff.timeZone
      setError(t.zoneClosedNow(facility.name, reason.opens && `${f.weekday(reason.opens, tz)} ${f.time(reason.opens, tz)}`))
    } else {
      onPick(facility)
    }
  }

  return (
    <Step
      title={t.zoneTitle}
      lede={t.zoneHint}
      onBack={onCancel}
      action={
        <button
          type="button"
          class="btn btn-primary"
          onClick={() => void find()}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {busy ? t.zoneFinding : t.zoneFind}
        </button>
      }
    >
      <div class={styles.layout}>
        <div class={styles.entry}>
          <label class={styles.label} for="zone-number">
            {t.zoneInput}
          </label>
          <input
            id="zone-number"
            class={styles.input}
            value={code}
            inputMode="none"
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby="zone-error"
            onInput={(e) => type(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                void find()
              }
            }}
          />
          <p id="zone-error" class={styles.error} role="alert">
            {error}
          </p>
        </div>
        <div class={styles.keypad} role="group" aria-label={t.zoneDigits}>
          {DIGITS.map((d) => (
            <button key={d} type="button" class={styles.key} onClick={() => type(code + d)}>
              {d}
            </button>
          ))}
          <button
            type="button"
            class={`${styles.key} ${styles.wide}`}
            onClick={() => type(code.slice(0, -1))}
          >
            <span aria-hidden="true">⌫ </span>
            {t.plateDelete}
          </button>
        </div>
      </div>
    </Step>
  )
}
