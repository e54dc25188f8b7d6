import { useNow } from '../../lib/use-now.ts'
import { formatClock, formatTimeLeft } from '../../lib/parking.ts'
import styles from './time-left.module.css'

interface Props {
  endsAt: string
  /** clock: a ticking H:MM:SS for a receipt; words: "1 hour 5 minutes left", to the minute. */
  variant?: 'clock' | 'words'
}

/**
 * The time left until endsAt, live. A timer is not read out as it ticks; its name says what it
 * counts, and the words variant updates once a minute for lists.
 */
export function TimeLeft({ endsAt, variant = 'clock' }: Props) {
  const now = useNow(variant === 'clock' ? 1000 : 15_000)
  const left = new Date(endsAt).getTime() - now.getTime()
  const low = left > 0 && left <= 10 * 60_000
  if (variant === 'words') {
    return (
      <span class={low ? `${styles.words} ${styles.low}` : styles.words}>
        {formatTimeLeft(left)}
      </span>
    )
  }
  return (
    <span
      class={
        low
          ? `${styles.clock} ${styles.low}`
          : left <= 0
            ? `${styles.clock} ${styles.over}`
            : styles.clock
      }
      role="timer"
      aria-label={formatTimeLeft(left)}
    >
      {left > 0 ? formatClock(left) : '0:00'}
    </span>
  )
}
