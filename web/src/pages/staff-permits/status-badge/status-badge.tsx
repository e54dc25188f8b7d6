import { statusLabel, statusTone } from '../permits.ts'
import styles from './status-badge.module.css'

/** A permit's status in words, coloured by whether it is live, waiting or over. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`${styles.badge} ${styles[statusTone(status)]}`}>{statusLabel(status)}</span>
}
