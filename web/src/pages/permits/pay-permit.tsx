import { useEffect, useState } from 'preact/hooks'
import type { Paying, Permit, UtilityAccount } from '../../lib/types.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useCardsTaken } from '../../lib/use-cards.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, formatDate } from '../../lib/format.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { PaymentChoice, type PaymentPick } from '../../components/payment-choice/payment-choice.tsx'
import { CardPayment } from '../../components/card-payment/card-payment.tsx'
import type { CardDue } from './permits.ts'
import styles from './permits.module.css'

const LABELS = { utilityAccountId: 'Utility account', payment: 'Payment', method: 'Payment' }

interface Props {
  permit: Permit
  /** POST here: the permit's /payment (first term) or /renewal. */
  path: string
  amountCents: number
  /** What is bought, for the button: "the first term", "the next term". */
  what: string
  accounts: UtilityAccount[]
  /** The permit is paid (or renewed): its new state, and what to tell the driver. */
  onPaid: (permit: Permit | null, message: string) => void
}

/**
 * Pay for a permit's term: on one of my utility accounts (the one the permit went by is
 * chosen first), or by card through Stripe's Payment Element where cards are taken.
 */
export function PayPermit({ permit, path, amountCents, what, accounts, onPaid }: Props) {
  const purchase = usePurchase()
  const form = useForm()
  const cards = useCardsTaken()
  const usable = accounts.filter((a) => a.status === 'active')
  const preferred =
    usable.find((a) => a.id === permit.utilityAccount?.id)?.id ??
    (usable.length === 1 ? (usable[0]?.id ?? null) : null)
  const [pick, setPick] = useState<PaymentPick | null>(preferred)
  // the accounts may arrive after the permit
  useEffect(() => {
    if (preferred !== null) {
      setPick((p) => p ?? preferred)
    }
  }, [preferred])
  const [pickError, setPickError] = useState<string | undefined>()
  const [card, setCard] = useState<CardDue | null>(null)
  const free = amountCents === 0

  const pay = async () => {
    if (pick === null && !free) {
      setPickError(cards ? 'Choose how to pay' : 'Choose the utility account to bill')
      form.fail('Choose how to pay')
      return
    }
    setPickError(undefined)
    await form.submit(async () => {
      const payment =
        pick === 'card'
          ? { method: 'card' }
          : pick === null
            ? { method: 'utility_account' }
            : { method: 'utility_account', utilityAccountId: pick }
      const { data } = await purchase.pay<Paying>(path, { payment })
      purchase.done()
      if (data.payment) {
        if (!data.payment.publishableKey) {
          throw new Error('Card payment is not set up here: pay on your utility bill')
        }
        setCard(data.payment)
        return
      }
      onPaid(data.permit, paidMessage(data.permit, amountCents, what))
    })
  }

  return (
    <div class={styles.pay}>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      {!free && (
        <PaymentChoice
          signedIn
          card={cards}
          accounts={accounts}
          loading={false}
          loadError={null}
          value={pick}
          onValue={(p) => {
            setPick(p)
            setPickError(undefined)
          }}
          next={`/permits/${permit.id}`}
          error={pickError}
        />
      )}
      {card && (
        <CardPayment
          paymentId={card.id}
          clientSecret={card.clientSecret}
          publishableKey={card.publishableKey ?? ''}
          amountCents={amountCents}
          onPaid={() => onPaid(null, `Paid ${formatCents(amountCents)} by card for ${what}.`)}
        />
      )}
      {!card && (free || usable.length > 0 || cards) && (
        <div class={styles.actions}>
          <Button busy={form.busy} onClick={() => void pay()}>
            {free
              ? `Start ${what} (no charge)`
              : pick === 'card'
                ? `Continue to pay ${formatCents(amountCents)} by card`
                : `Pay ${formatCents(amountCents)} on my utility bill`}
          </Button>
        </div>
      )}
    </div>
  )
}

function paidMessage(permit: Permit, amountCents: number, what: string): string {
  const through = permit.endsOn ? ` It is valid through ${formatDate(permit.endsOn)}.` : ''
  return amountCents === 0
    ? `Permit ${permit.number} is active.${through}`
    : `Paid ${formatCents(amountCents)} on your utility bill for ${what}.${through}`
}
