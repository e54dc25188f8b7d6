import { citationStatus, citationTone } from '../../lib/enforcement.ts'
import { StatusBadge } from '../status-badge/status-badge.tsx'

/** A citation's status in words, coloured: paid, owing, past due, or ended (voided, dismissed). */
export function CitationStatus({ status }: { status: string }) {
  return <StatusBadge tone={citationTone(status)}>{citationStatus(status)}</StatusBadge>
}
