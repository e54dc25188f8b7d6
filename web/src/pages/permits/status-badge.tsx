import { statusText, statusTone } from './permits.ts'
import styles from './permits.module.css'

/** A permit's status in words, coloured for whether it is in force, waiting, or over. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span class={`${styles.badge} ${styles[statusTone(status)] ?? ''}`}>{statusText(status)}</span>
  )
}
