import type { ParkingSession } from '../../../lib/types.ts'
import { useResource } from '../../../lib/use-api.ts'
import { facilitySubtitle, facilityTitle, formatLocalTime } from '../../../lib/parking.ts'
import { Panel } from '../../../components/panel/panel.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Loading } from '../../../components/loading/loading.tsx'
import { PlateChip } from '../../../components/plate-chip/plate-chip.tsx'
import { TimeLeft } from '../../../components/time-left/time-left.tsx'
import styles from './my-parking.module.css'

/** My sessions running now, with the time left on each and its receipt for adding time. */
export function MyParking() {
  const current = useResource<{ sessions: ParkingSession[] }>('/sessions?current=true')
  const sessions = current.data?.sessions ?? []
  return (
    <Panel
      title="My parking"
      description="Parking paid for now, with the time left. Open a receipt to add time or stop early."
      actions={
        <Button variant="secondary" size="small" onClick={current.reload}>
          Refresh
        </Button>
      }
    >
      {current.error && (
        <Alert tone="error" title="Your parking could not be loaded">
          {current.error.message}
        </Alert>
      )}
      {!current.data && current.loading && <Loading label="Loading your parking…" />}
      {current.data && sessions.length === 0 && (
        <p class={styles.empty}>
          Nothing is running now. Paid parking shows here with its time left.
        </p>
      )}
      {sessions.length > 0 && (
        <ul class={styles.list} aria-label="Parking running now">
          {sessions.map((s) => (
            <li key={s.id} class={styles.item}>
              <PlateChip printed={s.platePrinted} state={s.state} />
              <span class={styles.where}>
                <span class={styles.title}>{facilityTitle(s.facility)}</span>
                <span class={styles.sub}>{facilitySubtitle(s.facility)}</span>
              </span>
              <span class={styles.time}>
                {s.phase === 'in_facility' ? (
                  <span class={styles.sub}>
                    In since {formatLocalTime(s.startsAt, s.facility.timeZone)}
                  </span>
                ) : (
                  s.endsAt && (
                    <>
                      <TimeLeft endsAt={s.endsAt} variant="words" />
                      <span class={styles.sub}>
                        Until {formatLocalTime(s.endsAt, s.facility.timeZone)}
                      </span>
                    </>
                  )
                )}
              </span>
              <a class={styles.link} href={s.receiptUrl}>
                Receipt
                <span class="visually-hidden">
                  {' '}
                  for {s.platePrinted} at {facilityTitle(s.facility)}
                </span>{' '}
                and add time
              </a>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  )
}
