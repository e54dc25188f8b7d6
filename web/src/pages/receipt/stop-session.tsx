import { useEffect, useRef, useState } from 'preact/hooks'
import type { ParkingSession } from '../../lib/types.ts'
import { useApi } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatLocalTime } from '../../lib/parking.ts'
import { Panel } from '../../components/panel/panel.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import styles from './receipt-page.module.css'

interface Props {
  view: ParkingSession
  /** Whether the facility gives back unused time (its tariff's refundUnusedTime). */
  refunds: boolean
  onStopped: (view: ParkingSession, message: string) => void
}

/** Ends my own session now, after saying whether the unused time comes back. */
export function StopSession({ view, refunds, onStopped }: Props) {
  const api = useApi()
  const form = useForm()
  const [confirming, setConfirming] = useState(false)
  const question = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (confirming) {
      question.current?.focus()
    }
  }, [confirming])
  const refund = refunds
    ? 'The unused time is refunded to the utility account that paid for it.'
    : 'The unused time is not refunded, as at a meter.'

  const stop = async () => {
    const ok = await form.submit(async () => {
      const stopped = await api.post<ParkingSession>(`/sessions/${view.id}/stop`)
      const at = stopped.endsAt ? formatLocalTime(stopped.endsAt, view.facility.timeZone) : ''
      onStopped(stopped, `Parking stopped at ${at}.`)
    })
    if (!ok) {
      setConfirming(false)
    }
  }

  return (
    <div class={styles.noPrint}>
      <Panel
        title="Leaving early?"
        description={`Stop this parking session when you drive away. ${refund}`}
      >
        <FormAlert error={form.error} />
        {confirming ? (
          <div class={styles.confirm} role="group" aria-label="Confirm stopping">
            <p ref={question} tabIndex={-1}>
              Stop parking {view.platePrinted} now?
            </p>
            <Button variant="danger" busy={form.busy} onClick={() => void stop()}>
              Yes, stop now
            </Button>
            <Button variant="quiet" onClick={() => setConfirming(false)}>
              Keep parking
            </Button>
          </div>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)}>
            Stop now
          </Button>
        )}
      </Panel>
    </div>
  )
}
