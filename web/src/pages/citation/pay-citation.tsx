import { useEffect, useState } from 'preact/hooks'
import type { Citation, CitationPayment } from '../../lib/enforcement.ts'
import { noticePath } from '../../lib/enforcement.ts'
import type { UtilityAccount } from '../../lib/types.ts'
import { useCardsTaken } from '../../lib/use-cards.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents } from '../../lib/format.ts'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { PaymentChoice, type PaymentPick } from '../../components/payment-choice/payment-choice.tsx'
import { CardPayment } from '../../components/card-payment/card-payment.tsx'

const LABELS = { utilityAccountId: 'Utility account', payment: 'Payment', method: 'Payment' }

type CardDue = NonNullable<CitationPayment['payment']>

interface Props {
  citation: Citation
  signedIn: boolean
  /** Only a driver has utility accounts to bill. */
  isDriver: boolean
  accounts: UtilityAccount[]
  accountsLoading: boolean
  accountsError: string | null
  /** Paid: the citation as it now is (null after a card: read it again), and what to say. */
  onPaid: (citation: Citation | null, message: string) => void
}

/**
 * Pays what is owed, all at once: on one of my utility accounts when signed in, or by card
 * through Stripe's Payment Element where cards are taken. One Idempotency-Key per attempt.
 */
export function PayCitation({
  citation,
  signedIn,
  isDriver,
  accounts,
  accountsLoading,
  accountsError,
  onPaid,
}: Props) {
  const purchase = usePurchase()
  const form = useForm()
  const cards = useCardsTaken()
  const usable = accounts.filter((a) => a.status === 'active')
  const only = usable.length === 1 ? (usable[0]?.id ?? null) : null
  const [pick, setPick] = useState<PaymentPick | null>(only)
  useEffect(() => {
    if (only !== null) {
      setPick((p) => p ?? only)
    }
  }, [only])
  const [pickError, setPickError] = useState<string | undefined>()
  const [card, setCard] = useState<CardDue | null>(null)
  const amount = citation.balanceCents

  const pay = async () => {
    if (pick === null) {
      setPickError(cards ? 'Choose how to pay' : 'Choose the utility account to bill')
      form.fail('Choose how to pay')
      return
    }
    setPickError(undefined)
    await form.submit(async () => {
      const { data } = await purchase.pay<CitationPayment>(
        `/citations/${encodeURIComponent(citation.number)}/payment`,
        {
          plate: citation.plate,
          payment:
            pick === 'card'
              ? { method: 'card' }
              : { method: 'utility_account', utilityAccountId: pick },
        },
      )
      purchase.done()
      if (data.payment) {
        if (!data.payment.publishableKey) {
          throw new Error('Card payment is not set up here: pay on your utility bill')
        }
        setCard(data.payment)
        return
      }
      onPaid(
        data.citation,
        `Paid ${formatCents(amount)} on your utility bill. Citation ${citation.number} is settled.`,
      )
    })
  }

  if (!cards && (!signedIn || !isDriver)) {
    return (
      <Alert tone="info" title="Pay on your utility bill">
        <p>
          Card payments are not taken online at the moment.{' '}
          {signedIn ? (
            'Sign in with a driver account that has a utility account linked to put it on your bill.'
          ) : (
            <>
              <a
                href={`/sign-in?next=${encodeURIComponent(noticePath(citation.number, citation.plate))}`}
              >
                Sign in
              </a>{' '}
              to put it on the bill of a utility account you have linked.
            </>
          )}
        </p>
      </Alert>
    )
  }
  return (
    <div>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <PaymentChoice
        signedIn={signedIn && isDriver}
        card={cards}
        accounts={accounts}
        loading={accountsLoading}
        loadError={accountsError}
        value={pick}
        onValue={(p) => {
          setPick(p)
          setPickError(undefined)
        }}
        next={noticePath(citation.number, citation.plate)}
        error={pickError}
      />
      {card && (
        <CardPayment
          paymentId={card.id}
          clientSecret={card.clientSecret}
          publishableKey={card.publishableKey ?? ''}
          amountCents={card.amountCents}
          onPaid={() =>
            onPaid(
              null,
              `Paid ${formatCents(card.amountCents)} by card. Citation ${citation.number} is settled.`,
            )
          }
        />
      )}
      {!card && (cards || usable.length > 0) && (
        <Button busy={form.busy} onClick={() => void pay()}>
          {pick === 'card'
            ? `Continue to pay ${formatCents(amount)} by card`
            : `Pay ${formatCents(amount)} on my utility bill`}
        </Button>
      )}
    </div>
  )
}
