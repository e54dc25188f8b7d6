import { useEffect, useRef, useState } from 'preact/hooks'
import type { StaffCitation } from '../../lib/enforcement.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents } from '../../lib/format.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { TextAreaField } from '../../components/field/field.tsx'
import styles from './enforcement.module.css'

interface Props {
  number: string
  balanceCents: number
  onDone: (voided: StaffCitation) => void
  onCancel?: () => void
  /** Opened by a button: focus moves to the form's heading. */
  focusOnOpen?: boolean
}

const LABELS = { reason: 'Reason for voiding' }

/**
 * Voids an unpaid citation with the reason (audited; its fine and fees are reversed). One
 * Idempotency-Key per attempt, so a retry after a lost answer voids once.
 */
export function VoidForm({ number, balanceCents, onDone, onCancel, focusOnOpen = false }: Props) {
  const send = usePurchase()
  const form = useForm()
  const [reason, setReason] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (focusOnOpen) {
      heading.current?.focus()
    }
  }, [number, focusOnOpen])

  const submit = async (e: Event) => {
    e.preventDefault()
    const text = reason.trim()
    if (text.length < 3) {
      form.fail('Say why the citation is voided', {
        reason: 'Required, at least 3 characters: it is kept in the audit log',
      })
      return
    }
    await form.submit(async () => {
      const { data } = await send.pay<StaffCitation>(
        `/enforcement/citations/${encodeURIComponent(number)}/void`,
        {
          reason: text,
        },
      )
      send.done()
      onDone(data)
    })
  }

  return (
    <form
      class={styles.voidForm}
      aria-label={`Void citation ${number}`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h3 ref={heading} tabIndex={-1}>
        Void citation {number}
      </h3>
      <p>
        The {formatCents(balanceCents)} owed is reversed on the ledger and the driver owes nothing
        on it. The reason is kept in the audit log.
      </p>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <TextAreaField
        label={LABELS.reason}
        name="reason"
        required
        maxLength={500}
        hint="For example: the meter was out of order, or the sign was missing."
        value={reason}
        onValue={setReason}
        error={form.fieldErrors.reason}
      />
      <div class={styles.buttons}>
        <Button type="submit" variant="danger" busy={form.busy}>
          Void citation
        </Button>
        {onCancel && (
          <Button variant="quiet" onClick={onCancel} disabled={form.busy}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  )
}
