import { useI18n } from '../../lib/i18n.ts'
import { closedReason, maximumStay } from '../../lib/facilities.ts'
import { priceFor } from '../../lib/pricing.ts'
import type { HomeFacility } from '../../lib/use-facility.ts'
import { useClock } from '../../lib/use-clock.ts'
import { Step } from '../step/step.tsx'
import styles from './start-screen.module.css'

interface Props {
  zone: HomeFacility
  onStart: () => void
  onChangeZone: () => void
}

/** The first screen: the zone this pay station stands in (or another), then Start. */
export function StartScreen({ zone, onStart, onChangeZone }: Props) {
  const { t, f } = useI18n()
  const opensText = (at: Date | null, timeZone: string) =>
    at === null ? null : `${f.weekday(at, timeZone)} ${f.time(at, timeZone)}`
  const now = useClock()
  const facility = zone.status === 'ready' ? zone.facility : null
  const reason = facility ? closedReason(facility, now) : null
  const blocked =
    facility === null || reason === null
      ? null
      : reason.kind === 'gated'
        ? t.zoneGated(facility.name)
        : reason.kind === 'closed'
          ? t.zoneClosed(facility.name)
          : t.zoneClosedNow(facility.name, opensText(reason.opens, facility.tariff.timeZone))
  const hour = facility ? priceFor(facility, 60, now) : null
  const max = facility ? maximumStay(facility) : null

  return (
    <Step title={t.startTitle} lede={t.startLede}>
      <div class={styles.layout}>
        <section class={styles.zone} aria-labelledby="zone-heading">
          <h2 id="zone-heading" class={styles.eyebrow}>
            {t.youAreIn}
          </h2>
          {facility ? (
            <>
              <p class={styles.code}>{t.zoneLabel(facility.code)}</p>
              <p class={styles.name}>{facility.name}</p>
              <ul class={styles.facts}>
                {max !== null && <li>{t.zoneMaxStay(f.duration(max))}</li>}
                {hour !== null && <li>{hour === 0 ? t.zoneFree : t.zoneHour(f.money(hour))}</li>}
              </ul>
              {blocked && (
                <p class={styles.problem} role="alert">
                  {blocked}
                </p>
              )}
            </>
          ) : (
            <p class={styles.message} role={zone.status === 'unavailable' ? 'alert' : undefined}>
              {zone.status === 'loading'
                ? t.zoneLoading
                : zone.status === 'unavailable'
                  ? t.zoneUnavailable
                  : t.zoneNone}
            </p>
          )}
          <button type="button" class={`btn btn-secondary ${styles.change}`} onClick={onChangeZone}>
            {t.changeZone}
          </button>
        </section>

        <div class={styles.actions}>
          <button
            type="button"
            class={`btn btn-primary ${styles.start}`}
            onClick={onStart}
            disabled={facility === null || blocked !== null}
          >
            {t.start}
            <span aria-hidden="true">→</span>
          </button>
        </div>
      </div>
    </Step>
  )
}
