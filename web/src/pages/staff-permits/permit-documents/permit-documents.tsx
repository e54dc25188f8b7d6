import { formatDateTime } from '../../../lib/format.ts'
import type { Permit } from '../../../lib/types.ts'
import { documentHref } from '../permits.ts'
import styles from './permit-documents.module.css'

const KIND: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
}

/** The proofs an applicant uploaded, each a download link; says so when a proof is missing. */
export function PermitDocuments({ permit }: { permit: Permit }) {
  if (permit.documents.length === 0) {
    return (
      <p class={permit.eligibility.needsProof ? styles.missing : styles.none}>
        {permit.eligibility.needsProof
          ? 'No proof uploaded yet, though this application needs one.'
          : 'No documents uploaded.'}
      </p>
    )
  }
  return (
    <ul class={styles.list} aria-label={`Documents uploaded for ${permit.number}`}>
      {permit.documents.map((d) => (
        <li key={d.id}>
          <a href={documentHref(permit.id, d.id)} download={d.fileName}>
            {d.fileName}
          </a>{' '}
          <span class={styles.meta}>
            {KIND[d.contentType] ?? d.contentType} · uploaded {formatDateTime(d.uploadedAt)}
          </span>
        </li>
      ))}
    </ul>
  )
}
