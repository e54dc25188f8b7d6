import { StatusBadge as Badge } from '../../../components/status-badge/status-badge.tsx'
import { statusLabel, statusTone } from '../permits.ts'

/** A permit's status in words, coloured by whether it is live, waiting or over. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone(status)}>{statusLabel(status)}</Badge>
}
