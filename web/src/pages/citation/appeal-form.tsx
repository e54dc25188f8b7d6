import { useState } from 'preact/hooks'
import type { Citation } from '../../lib/enforcement.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { TextAreaField, TextField } from '../../components/field/field.tsx'
import styles from './citation-page.module.css'

const LABELS = { reason: 'What happened', email: 'Email for the decision', photos: 'Photos' }
const MAX_PHOTOS = 6
const MAX_BYTES = 6 * 1024 * 1024

/**
 * An appeal, by anyone holding the notice: the reason, an email for the decision letter, and
 * photos (a receipt, the signs). A supervisor decides; one appeal waits at a time.
 */
export function AppealForm({
  citation,
  defaultEmail,
  onFiled,
}: {
  citation: Citation
  defaultEmail: string
  onFiled: (c: Citation) => void
}) {
  const send = usePurchase()
  const form = useForm()
  const [reason, setReason] = useState('')
  const [email, setEmail] = useState(defaultEmail)
  const [photos, setPhotos] = useState<{ name: string; data: string }[]>([])
  const [photoError, setPhotoError] = useState<string | undefined>()

  const addPhotos = async (files: FileList | null) => {
    setPhotoError(undefined)
    const picked = [...(files ?? [])]
    for (const file of picked) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type)) {
        setPhotoError(`${file.name} is not a JPEG, PNG or WebP photo`)
        continue
      }
      if (file.size > MAX_BYTES) {
        setPhotoError(`${file.name} is larger than 6 MB`)
        continue
      }
      const data = await dataUrlOf(file)
      setPhotos((list) => [...list, { name: file.name, data }].slice(0, MAX_PHOTOS))
    }
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    if (reason.trim().length < 10) {
      form.fail('Say what happened', { reason: 'In a sentence or more (at least 10 characters)' })
      return
    }
    await form.submit(async () => {
      const { data } = await send.pay<Citation>(
        `/citations/${encodeURIComponent(citation.number)}/appeals`,
        {
          plate: citation.plate,
          reason: reason.trim(),
          ...(email.trim() ? { email: email.trim() } : {}),
          photos: photos.map((p) => p.data),
        },
      )
      send.done()
      onFiled(data)
    })
  }

  return (
    <form aria-label="Appeal this citation" noValidate onSubmit={(e) => void submit(e)}>
      <p>
        If you believe the citation is wrong (you had paid, the signs were unclear, the meter was
        broken), say why. A supervisor reads it with the records of that day and writes to you. You
        may still pay while you wait; anything paid beyond the decision is returned.
      </p>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <TextAreaField
        label={LABELS.reason}
        name="reason"
        required
        rows={5}
        maxLength={4000}
        value={reason}
        onValue={setReason}
        error={form.fieldErrors.reason}
      />
      <TextField
        label={LABELS.email}
        name="email"
        type="email"
        autoComplete="email"
        hint="The decision letter is sent here."
        value={email}
        onValue={setEmail}
        error={form.fieldErrors.email}
      />
      <div class={styles.field}>
        <label class={styles.fieldLabel} for="appeal-photos">
          Photos <span class={styles.optional}>(optional)</span>
        </label>
        <p class={styles.hint} id="appeal-photos-hint">
          A receipt, the signs, the meter: up to {MAX_PHOTOS} JPEG, PNG or WebP photos of 6 MB or
          less.
        </p>
        {photoError && (
          <p class={styles.error} id="appeal-photos-error">
            <span class="visually-hidden">Error: </span>
            {photoError}
          </p>
        )}
        <input
          id="appeal-photos"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          multiple
          aria-describedby={
            photoError ? 'appeal-photos-hint appeal-photos-error' : 'appeal-photos-hint'
          }
          onChange={(e) => {
            void addPhotos(e.currentTarget.files)
            e.currentTarget.value = ''
          }}
        />
        {photos.length > 0 && (
          <ul class={styles.picked}>
            {photos.map((p, i) => (
              <li key={`${p.name}-${i}`}>
                {p.name}{' '}
                <Button
                  variant="quiet"
                  size="small"
                  onClick={() => setPhotos((l) => l.filter((_, j) => j !== i))}
                >
                  Remove {p.name}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <Button type="submit" busy={form.busy}>
        Send the appeal
      </Button>
    </form>
  )
}

function dataUrlOf(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('The photo could not be read'))
    reader.readAsDataURL(file)
  })
}
