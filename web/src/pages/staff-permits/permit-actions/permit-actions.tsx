import { useState } from 'preact/hooks'
import { useApi } from '../../../lib/use-api.ts'
import { useForm } from '../../../lib/use-form.ts'
import { usePurchase } from '../../../lib/use-purchase.ts'
import type { Permit, PermitType } from '../../../lib/types.ts'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import { CheckField, TextAreaField } from '../../../components/field/field.tsx'
import { statusLabel } from '../permits.ts'
import styles from './permit-actions.module.css'

/** What happened, for the page's live region, and the permit as the API now has it. */
export type Done = (permit: Permit, outcome: string) => void

const REVIEW_LABELS = { note: 'Note to the applicant', decision: 'Decision' }

/** Approve or reject an application under review; a rejection says why, for the applicant. */
export function ReviewForm({ permit, onDone }: { permit: Permit; onDone: Done }) {
  const api = useApi()
  const form = useForm()
  const [note, setNote] = useState('')
  const [deciding, setDeciding] = useState<'approve' | 'reject' | null>(null)

  const decide = async (decision: 'approve' | 'reject') => {
    const text = note.trim()
    if (decision === 'reject' && !text) {
      form.fail('Say why the application is rejected', {
        note: 'Required to reject: the applicant reads it',
      })
      return
    }
    setDeciding(decision)
    await form.submit(async () => {
      const decided = await api.post<Permit>(
        `/permits/${encodeURIComponent(permit.id)}/review`,
        text ? { decision, note: text } : { decision },
      )
      onDone(
        decided,
        decision === 'approve'
          ? `${permit.number} approved: it is now ${statusLabel(decided.status).toLowerCase()}.`
          : `${permit.number} rejected. The applicant sees your note.`,
      )
    })
    setDeciding(null)
  }

  return (
    <form
      aria-label="Review the application"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void decide('approve')
      }}
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={REVIEW_LABELS} />
      <TextAreaField
        label={REVIEW_LABELS.note}
        name="note"
        maxLength={1000}
        hint="Required to reject: say what is missing or why the permit cannot be issued. Optional when approving."
        value={note}
        onValue={setNote}
        error={form.fieldErrors.note}
      />
      <div class={styles.buttons}>
        <Button type="submit" busy={deciding === 'approve'} disabled={form.busy}>
          Approve
        </Button>
        <Button
          variant="danger"
          busy={deciding === 'reject'}
          disabled={form.busy}
          onClick={() => void decide('reject')}
        >
          Reject
        </Button>
      </div>
    </form>
  )
}

const REVOKE_LABELS = { reason: 'Reason for revoking', refund: 'Refund the unused part' }

const REFUND_HINT: Record<string, string> = {
  none: 'This permit type gives nothing back, so nothing would be refunded.',
  daily: 'Gives back the unused days of what was paid; today counts as used.',
  monthly: 'Gives back the unused whole months of what was paid.',
}

/**
 * Revoke a permit now, with the reason its holder is told. One Idempotency-Key per attempt: a
 * retry after a lost answer revokes (and refunds) once.
 */
export function RevokeForm({
  permit,
  type,
  onDone,
}: {
  permit: Permit
  type: PermitType | null
  onDone: Done
}) {
  const revoke = usePurchase()
  const form = useForm()
  const [reason, setReason] = useState('')
  const [refund, setRefund] = useState(false)
  const paid = permit.status === 'active'

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const text = reason.trim()
    if (text.length < 3) {
      form.fail('Say why the permit is revoked', {
        reason: 'Required, at least 3 characters: the holder is told',
      })
      return
    }
    await form.submit(async () => {
      const { data } = await revoke.pay<Permit>(
        `/permits/${encodeURIComponent(permit.id)}/revoke`,
        {
          reason: text,
          refund: paid && refund,
        },
      )
      revoke.done()
      const refunded = data.charges.some((c) => c.kind === 'refund')
      onDone(
        data,
        `${permit.number} revoked${refunded ? '; the unused part is refunded' : ''}. Its plates and visitor passes have ended.`,
      )
    })
  }

  return (
    <form aria-label="Revoke the permit" noValidate onSubmit={(e) => void onSubmit(e)}>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={REVOKE_LABELS} />
      <TextAreaField
        label={REVOKE_LABELS.reason}
        name="reason"
        required
        maxLength={500}
        hint="The holder is told this reason. The permit, its plates and its visitor passes end at once."
        value={reason}
        onValue={setReason}
        error={form.fieldErrors.reason}
      />
      {paid && (
        <CheckField
          label={REVOKE_LABELS.refund}
          name="refund"
          checked={refund}
          onChange={setRefund}
          hint={
            type
              ? (REFUND_HINT[type.refundPolicy] ?? 'As the permit type’s refund policy says.')
              : 'As the permit type’s refund policy says.'
          }
          error={form.fieldErrors.refund}
        />
      )}
      <Button type="submit" variant="danger" busy={form.busy}>
        Revoke permit
      </Button>
    </form>
  )
}
