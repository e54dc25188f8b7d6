import { useState } from 'preact/hooks'
import { useApi } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatDateTime } from '../../lib/format.ts'
import type { Permit } from '../../lib/types.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import styles from './permits.module.css'

interface Props {
  permit: Permit
  /** The facility whose space is offered, by name. */
  place: string | null
  onChanged: (permit: Permit, message: string) => void
}

/** A space offered from the waitlist: take it (then pay) or let it go to the next in line. */
export function Offer({ permit, place, onChanged }: Props) {
  const api = useApi()
  const form = useForm()
  const [declining, setDeclining] = useState(false)
  const deadline = permit.waitlist?.offerExpiresAt ?? null

  const answer = (accept: boolean) =>
    form.submit(async () => {
      const next = await api.post<Permit>(`/permits/${permit.id}/offer`, { accept })
      onChanged(
        next,
        accept
          ? 'You accepted the space. Pay for the first term below to start the permit.'
          : 'You declined the space; it goes to the next in line.',
      )
    })

  return (
    <div class={styles.offer}>
      <p class={styles.offerText}>
        A space{place ? ` at ${place}` : ''} is yours if you accept it
        {deadline ? (
          <>
            {' '}
            by <strong>{formatDateTime(deadline)}</strong>
          </>
        ) : null}
        . After that it is offered to the next in line.
      </p>
      <FormAlert error={form.error} />
      {declining ? (
        <div class={styles.confirm} role="group" aria-label="Confirm declining">
          <p>Decline the space? Your application ends.</p>
          <Button variant="danger" busy={form.busy} onClick={() => void answer(false)}>
            Yes, decline the space
          </Button>
          <Button variant="quiet" onClick={() => setDeclining(false)}>
            Keep the offer
          </Button>
        </div>
      ) : (
        <div class={styles.actions}>
          <Button busy={form.busy} onClick={() => void answer(true)}>
            Accept the space
          </Button>
          <Button variant="secondary" onClick={() => setDeclining(true)}>
            Decline
          </Button>
        </div>
      )}
    </div>
  )
}
