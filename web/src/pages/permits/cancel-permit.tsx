import { useEffect, useRef, useState } from 'preact/hooks'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import type { Permit, PermitType } from '../../lib/types.ts'
import { TextField } from '../../components/field/field.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { refundPolicyText } from './permits.ts'
import styles from './permits.module.css'

interface Props {
  permit: Permit
  type: PermitType | null
  onChanged: (permit: Permit, message: string) => void
}

/** Cancel the permit (or withdraw the application), after saying what comes back. */
export function CancelPermit({ permit, type, onChanged }: Props) {
  const purchase = usePurchase()
  const form = useForm()
  const [confirming, setConfirming] = useState(false)
  const [reason, setReason] = useState('')
  const question = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    if (confirming) {
      question.current?.focus()
    }
  }, [confirming])
  const paid = permit.status === 'active'
  const policy = type
    ? refundPolicyText(type.refundPolicy)
    : 'Refunds follow the permit type’s policy.'
  const where =
    permit.payMethod === 'card'
      ? 'Card refunds go back to the card.'
      : 'Refunds are credited to the utility account that paid.'
  const consequence = paid
    ? `The permit and its visitor passes end at once. ${policy}${type?.refundPolicy === 'none' ? '' : ` ${where}`}`
    : 'Nothing has been charged, so nothing is refunded. The application ends.'

  const cancel = async () => {
    const ok = await form.submit(async () => {
      const { data } = await purchase.pay<Permit>(`/permits/${permit.id}/cancel`, {
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      })
      purchase.done()
      onChanged(
        data,
        paid ? `Permit ${data.number} is cancelled.` : `Application ${data.number} is withdrawn.`,
      )
    })
    if (!ok) {
      setConfirming(false)
    }
  }

  return (
    <Panel
      title={paid ? 'Cancel this permit' : 'Withdraw this application'}
      description={consequence}
    >
      <FormAlert error={form.error} />
      {confirming ? (
        <div class={styles.cancel} role="group" aria-label="Confirm cancelling">
          <p ref={question} tabIndex={-1} class={styles.question}>
            {paid
              ? `Cancel permit ${permit.number} now?`
              : `Withdraw application ${permit.number}?`}{' '}
            {consequence}
          </p>
          <TextField
            label="Why? (optional)"
            name="reason"
            maxLength={500}
            value={reason}
            onValue={setReason}
            hint="Moving away, sold the car… It helps the city plan."
          />
          <div class={styles.actions}>
            <Button variant="danger" busy={form.busy} onClick={() => void cancel()}>
              {paid ? `Yes, cancel permit ${permit.number}` : 'Yes, withdraw it'}
            </Button>
            <Button variant="quiet" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          {paid ? 'Cancel permit' : 'Withdraw application'}
        </Button>
      )}
    </Panel>
  )
}
