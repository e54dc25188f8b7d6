import { useState } from 'preact/hooks'
import { useApi } from '../../../lib/use-api.ts'
import { useForm } from '../../../lib/use-form.ts'
import { parseDollars } from '../../../lib/format.ts'
import type { UtilityAccount } from '../../../lib/types.ts'
import { TextField, FieldRow } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'

const LABELS = {
  accountNumber: 'Utility account number',
  zip: 'Service ZIP code',
  lastBillAmountCents: 'Last bill amount',
}

interface Props {
  customerId: number
  onLinked: () => void
}

/** Proves a driver holds a utility account: its number, service ZIP and last bill's total. */
export function LinkAccountForm({ customerId, onLinked }: Props) {
  const api = useApi()
  const form = useForm()
  const [accountNumber, setAccountNumber] = useState('')
  const [zip, setZip] = useState('')
  const [amount, setAmount] = useState('')

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const number = accountNumber.replace(/[\s-]/g, '')
    const cents = parseDollars(amount)
    const problems: Record<string, string> = {}
    if (!/^\d{10}$/.test(number)) {
      problems.accountNumber = 'Enter the 10-digit account number from your bill'
    }
    if (!/^\d{5}$/.test(zip.trim())) {
      problems.zip = 'Enter the 5-digit ZIP code of the service address'
    }
    if (cents === null) {
      problems.lastBillAmountCents = 'Enter the amount in dollars and cents, like 84.17'
    }
    if (cents === null || Object.keys(problems).length > 0) {
      form.fail('Check the account details', problems)
      return
    }
    const ok = await form.submit(async () => {
      const linked = await api.post<UtilityAccount>(`/customers/${customerId}/utility-accounts`, {
        accountNumber: number,
        zip: zip.trim(),
        lastBillAmountCents: cents,
      })
      return `Account ${linked.accountNumber ?? number} is now linked to your sign-in.`
    })
    if (ok) {
      setAccountNumber('')
      setZip('')
      setAmount('')
      onLinked()
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Link a utility account">
      <p>
        You will find these on any recent utility bill. The last bill amount shows the account is
        yours.
      </p>
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={LABELS}
      />
      <TextField
        label={LABELS.accountNumber}
        name="accountNumber"
        inputMode="numeric"
        autoComplete="off"
        required
        chars={12}
        hint="10 digits, printed at the top of your bill."
        value={accountNumber}
        onValue={setAccountNumber}
        error={form.fieldErrors.accountNumber}
      />
      <FieldRow>
        <TextField
          label={LABELS.zip}
          name="zip"
          inputMode="numeric"
          autoComplete="postal-code"
          required
          maxLength={5}
          chars={6}
          value={zip}
          onValue={setZip}
          error={form.fieldErrors.zip}
        />
        <TextField
          label={LABELS.lastBillAmountCents}
          name="lastBillAmount"
          inputMode="decimal"
          autoComplete="off"
          required
          prefix="$"
          chars={10}
          value={amount}
          onValue={setAmount}
          error={form.fieldErrors.lastBillAmountCents}
        />
      </FieldRow>
      <Button type="submit" busy={form.busy}>
        Link account
      </Button>
    </form>
  )
}
