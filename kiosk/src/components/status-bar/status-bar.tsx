import { useClock } from '../../lib/use-clock.ts'
import { useI18n } from '../../lib/i18n.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import styles from './status-bar.module.css'

interface Props {
  connection: ConnectionState
  /** Cash sales saved on this kiosk and not yet on the server. */
  waiting?: number
  timeZone?: string
}

/** The live clock, whether the pay station can reach the city's servers, and its unsent sales. */
export function StatusBar({ connection, waiting = 0, timeZone }: Props) {
  const now = useClock()
  const { t, f } = useI18n()
  return (
    <div class={styles.bar}>
      <div class={styles.clock}>
        <time class={styles.time} dateTime={now.toISOString()}>
          {f.clockTime(now, timeZone)}
        </time>
        <span class={styles.date}>{f.clockDate(now, timeZone)}</span>
      </div>
      <div class={styles.pills}>
        <p class={`${styles.connection} ${styles[connection.status] ?? ''}`} role="status">
          <span class={styles.dot} aria-hidden="true" />
          <span class="visually-hidden">{t.connectionPrefix}</span>
          {t.connection[connection.status]}
        </p>
        <p class={styles.queue} role="status" data-testid="sale-queue">
          {waiting > 0 && t.waiting(waiting)}
        </p>
      </div>
    </div>
  )
}
