import type { ComponentChildren } from 'preact'
import styles from './status-badge.module.css'

export type StatusTone = 'live' | 'waiting' | 'late' | 'ended'

/** A status in words, coloured by its tone: live, waiting, late, or over. */
export function StatusBadge({ tone, children }: { tone: StatusTone; children: ComponentChildren }) {
  return <span class={`${styles.badge} ${styles[tone]}`}>{children}</span>
}
