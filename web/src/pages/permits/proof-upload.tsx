import { useState } from 'preact/hooks'
import { API_BASE } from '../../lib/api.ts'
import { useApi } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatDateTime } from '../../lib/format.ts'
import type { Permit } from '../../lib/types.ts'
import { FileField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import styles from './permits.module.css'

const TYPES = ['application/pdf', 'image/jpeg', 'image/png']
const MAX_BYTES = 5 * 1024 * 1024

interface Props {
  permit: Permit
  onChanged: (permit: Permit, message: string) => void
}

/** Proofs for staff: a lease, deed or bill (residence), or a badge or letter (employment). */
export function ProofUpload({ permit, onChanged }: Props) {
  const api = useApi()
  const form = useForm()
  const [file, setFile] = useState<File | null>(null)
  const [key, setKey] = useState(0)
  const residence = permit.eligibility.needsProof

  const upload = async (event: Event) => {
    event.preventDefault()
    if (!file) {
      form.fail('Choose a file to upload', { file: 'Choose a PDF, JPEG or PNG file' })
      return
    }
    if (!TYPES.includes(file.type)) {
      form.fail('That file cannot be sent', { file: 'Upload a PDF, JPEG or PNG file' })
      return
    }
    if (file.size > MAX_BYTES) {
      form.fail('That file cannot be sent', { file: 'A document is at most 5 MB' })
      return
    }
    const ok = await form.submit(async () => {
      // the body is the file itself; ?name= gives its name
      const path = `/permits/${encodeURIComponent(permit.id)}/documents?name=${encodeURIComponent(file.name)}`
      const next = await api.postRaw<Permit>(path, file, file.type)
      onChanged(next, `${file.name} was sent to city staff.`)
    })
    if (ok) {
      setFile(null)
      setKey((k) => k + 1)
    }
  }

  return (
    <div class={styles.proof}>
      {permit.documents.length > 0 && (
        <ul class={styles.documents} aria-label="Documents sent">
          {permit.documents.map((d) => (
            <li key={d.id}>
              <a href={`${API_BASE}/permits/${permit.id}/documents/${d.id}`} download={d.fileName}>
                {d.fileName}
              </a>
              <span class={styles.sub}>Sent {formatDateTime(d.uploadedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={upload} noValidate aria-label="Send a proof">
        <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={{ file: 'File' }} />
        <FileField
          key={key}
          label={residence ? 'Proof of residence' : 'Proof for city staff'}
          name="file"
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          hint={
            residence
              ? 'A lease, deed or recent bill showing your name and the address: PDF, JPEG or PNG, up to 5 MB.'
              : 'What shows you may hold this permit (a staff badge, a letter): PDF, JPEG or PNG, up to 5 MB.'
          }
          required
          onFile={setFile}
          error={form.fieldErrors.file}
        />
        <Button type="submit" variant="secondary" busy={form.busy}>
          Send to city staff
        </Button>
      </form>
    </div>
  )
}
