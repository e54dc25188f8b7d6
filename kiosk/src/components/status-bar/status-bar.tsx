import { useClock } from '../../lib/use-clock.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import styles from './status-bar.module.css'

const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' })
const dateFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
})

const LABELS: Record<ConnectionState['status'], string> = {
  checking: 'Checking connection',
  online: 'Online',
  degraded: 'Service trouble',
  offline: 'Offline',
}

/** The live clock and whether the pay station can reach the city's servers. */
export function StatusBar({ connection }: { connection: ConnectionState }) {
  const now = useClock()
  return (
    <div class={styles.bar}>
      <div class={styles.clock}>
        <time class={styles.time} dateTime={now.toISOString()}>
          {timeFormat.format(now)}
        </time>
        <span class={styles.date}>{dateFormat.format(now)}</span>
      </div>
      <p class={`${styles.connection} ${styles[connection.status] ?? ''}`} role="status">
        <span class={styles.dot} aria-hidden="true" />
        <span class="visually-hidden">Connection: </span>
        {LABELS[connection.status]}
      </p>
    </div>
  )
}
