import { useMemo } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import { maximumStay, type KioskFacility } from '../../lib/facilities.ts'
import { durationChoices, priceFor } from '../../lib/pricing.ts'
import { useClock } from '../../lib/use-clock.ts'
import { Step } from '../step/step.tsx'
import styles from './time-screen.module.css'

interface Props {
  facility: KioskFacility
  minutes: number | null
  onChoose: (minutes: number) => void
  onNext: () => void
  onBack: () => void
  onStartOver: () => void
}

const MINUTE = 60_000

/**
 * How long, each choice priced from the zone's tariff (the cached one when offline) for a stay
 * from now, with its end in the zone's local time; the choice's price is announced as it changes.
 */
export function TimeScreen({ facility, minutes, onChoose, onNext, onBack, onStartOver }: Props) {
  const { t, f } = useI18n()
  const clock = useClock()
  const minute = Math.floor(clock.getTime() / MINUTE)
  const zone = facility.tariff.timeZone
  const choices = useMemo(() => {
    const now = new Date(minute * MINUTE)
    return durationChoices(facility).map((m) => ({
      minutes: m,
      cents: priceFor(facility, m, now),
      end: new Date(now.getTime() + m * MINUTE),
    }))
  }, [facility, minute])
  const today = f.day(new Date(minute * MINUTE), zone)
  // an end on another local day names its weekday: "until Fri 12:11 AM"
  const endText = (end: Date) =>
    f.day(end, zone) === today ? f.time(end, zone) : `${f.weekday(end, zone)} ${f.time(end, zone)}`
  const chosen = choices.find((c) => c.minutes === minutes && c.cents !== null) ?? null
  const max = maximumStay(facility)

  return (
    <Step
      step={2}
      title={t.timeTitle}
      lede={max !== null ? t.timeMax(f.duration(max)) : t.timeNoMax}
      onBack={onBack}
      onStartOver={onStartOver}
      action={
        <button type="button" class="btn btn-primary" onClick={onNext} disabled={chosen === null}>
          {t.toPayment} <span aria-hidden="true">→</span>
        </button>
      }
    >
      <div class={styles.choices} role="group" aria-label={t.timeChoices}>
        {choices.map((c) => (
          <button
            key={c.minutes}
            type="button"
            class={styles.choice}
            aria-pressed={c.minutes === minutes}
            disabled={c.cents === null}
            onClick={() => onChoose(c.minutes)}
          >
            <span class={styles.duration}>{f.duration(c.minutes)}</span>
            <span class={styles.price}>
              {c.cents === null ? t.timeNotSold : c.cents === 0 ? t.timeFree : f.money(c.cents)}
            </span>
            {c.cents !== null && <span class={styles.until}>{t.timeUntil(endText(c.end))}</span>}
          </button>
        ))}
      </div>
      <div class={styles.summary}>
        <p class={styles.total} aria-live="polite" aria-atomic="true" data-testid="live-quote">
          {chosen === null
            ? t.timeChoose
            : chosen.cents === 0
              ? t.timeSummaryFree(f.duration(chosen.minutes))
              : t.timeSummary(f.duration(chosen.minutes), f.money(chosen.cents ?? 0))}
        </p>
        {chosen && (
          <p class={styles.ends}>{t.timeEnds(f.time(chosen.end, zone), f.day(chosen.end, zone))}</p>
        )}
      </div>
    </Step>
  )
}
