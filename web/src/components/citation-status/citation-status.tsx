import { citationStatus, citationTone } from '../../lib/enforcement.ts'
import styles from './citation-status.module.css'

/** A citation's status in words, coloured: paid, owing, past due, or ended (voided, dismissed). */
export function CitationStatus({ status }: { status: string }) {
  return (
    <span class={`${styles.badge} ${styles[citationTone(status)]}`}>{citationStatus(status)}</span>
  )
}
