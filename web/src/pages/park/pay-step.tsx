import { useEffect, useState } from 'preact/hooks'
import type { RefObject } from 'preact'
import { useLocation } from 'preact-iso'
import type {
  CardSession,
  ParkingFacility,
  ParkingQuote,
  UtilityAccount,
} from '../../lib/types.ts'
import type { LiveQuote } from '../../lib/use-live-quote.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents } from '../../lib/format.ts'
import { facilitySubtitle, facilityTitle, formatDuration } from '../../lib/parking.ts'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { QuoteSummary } from '../../components/quote-summary/quote-summary.tsx'
import {
  PaymentChoice,
  type PaymentPick,
} from '../../components/payment-choice/payment-choice.tsx'
import { CardPayment } from '../../components/card-payment/card-payment.tsx'
import { useCardsTaken } from '../../lib/use-cards.ts'

interface CardDue {
  payment: NonNullable<CardSession['payment']>
  receiptUrl: string
  amountCents: number
}
import styles from './park-page.module.css'

const LABELS = {
  facility: 'Zone',
  plate: 'Plate',
  state: 'State',
  minutes: 'Time',
  end: 'Time',
  utilityAccountId: 'Utility account',
  payment: 'Payment',
}

interface Props {
  heading: RefObject<HTMLHeadingElement | null>
  facility: ParkingFacility
  plate: string
  state: string
  minutes: number
  quote: LiveQuote<ParkingQuote>
  signedIn: boolean
  accounts: UtilityAccount[]
  accountsLoading: boolean
  accountsError: string | null
  next: string
  onBack: () => void
}

/** Check and pay: what is being bought, its live price, and how to pay for it. */
export function PayStep(props: Props) {
  const { heading, facility, quote, accounts } = props
  const { route } = useLocation()
  const purchase = usePurchase()
  const form = useForm()
  const usable = accounts.filter((a) => a.status === 'active')
  const cards = useCardsTaken()
  const [account, setAccount] = useState<PaymentPick | null>(
    usable.length === 1 ? (usable[0]?.id ?? null) : null,
  )
  // a card payment waiting for the driver's card: its Payment Element replaces the Pay button
  const [card, setCard] = useState<CardDue | null>(null)
  const [accountError, setAccountError] = useState<string | undefined>()

  // The accounts arrive after the step opens when the driver has just signed in.
  const onlyAccount = usable.length === 1 ? (usable[0]?.id ?? null) : null
  useEffect(() => {
    if (onlyAccount !== null) {
      setAccount((a) => a ?? onlyAccount)
    }
  }, [onlyAccount])

  const total = quote.data?.totalCents ?? null
  const pay = async () => {
    if (account === null) {
      setAccountError(cards ? 'Choose how to pay' : 'Choose the utility account to bill')
      form.fail('Choose how to pay')
      return
    }
    setAccountError(undefined)
    await form.submit(async () => {
      const { data, headers } = await purchase.pay<CardSession>(
        '/sessions',
        {
          facility: facility.code,
          plate: props.plate,
          state: props.state,
          minutes: props.minutes,
          payment:
            account === 'card'
              ? { method: 'card' }
              : { method: 'utility_account', utilityAccountId: account },
        },
      )
      purchase.done()
      if (data.payment?.publishableKey) {
        setCard({ payment: data.payment, receiptUrl: data.receiptUrl, amountCents: data.purchases.at(-1)?.amountCents ?? 0 })
        return
      }
      const extended = headers.get('x-session-extended') === 'true'
      route(`${data.receiptUrl}?paid=${extended ? 'extended' : 'started'}`)
    })
  }

  const canPay = (props.signedIn && usable.length > 0) || cards
  return (
    <>
      <h2 id="park-step-heading" ref={heading} tabIndex={-1} class={styles.stepHeading}>
        Check and pay
      </h2>
      <div class={styles.payLayout}>
        <div>
          <dl class={styles.summary}>
            <div>
              <dt>Where</dt>
              <dd>
                <strong>{facilityTitle(facility)}</strong>
                <span class={styles.summarySub}>{facilitySubtitle(facility)}</span>
              </dd>
            </div>
            <div>
              <dt>Vehicle</dt>
              <dd>
                <PlateChip printed={props.plate} state={props.state} />
              </dd>
            </div>
            <div>
              <dt>How long</dt>
              <dd>{formatDuration(props.minutes)}, starting when you pay</dd>
            </div>
          </dl>
          <QuoteSummary
            title="Price"
            quote={quote.data}
            error={quote.error}
            pending={quote.pending}
            timeZone={facility.timeZone}
          />
        </div>
        <div>
          <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
          {total === 0 && (
            <Alert tone="info" title="Parking here costs nothing for the time you chose">
              {canPay
                ? 'Nothing is charged; you still get a receipt.'
                : 'There is nothing to pay: parking here is free until then.'}
            </Alert>
          )}
          <PaymentChoice
            signedIn={props.signedIn}
            card={cards}
            accounts={accounts}
            loading={props.accountsLoading}
            loadError={props.accountsError}
            value={account}
            onValue={(id) => {
              setAccount(id)
              setAccountError(undefined)
            }}
            next={props.next}
            error={accountError}
          />
          {card && (
            <CardPayment
              paymentId={card.payment.id}
              clientSecret={card.payment.clientSecret}
              publishableKey={card.payment.publishableKey ?? ''}
              amountCents={card.amountCents}
              onPaid={() => route(`${card.receiptUrl}?paid=started`)}
            />
          )}
          <div class={styles.actions}>
            {canPay && !card && (
              <Button
                busy={form.busy}
                disabled={!quote.data || quote.error !== null}
                onClick={() => void pay()}
              >
                {total === null
                  ? 'Pay'
                  : total === 0
                    ? 'Get my receipt (no charge)'
                    : account === 'card'
                      ? `Continue to pay ${formatCents(total)} by card`
                      : `Pay ${formatCents(total)} on my utility bill`}
              </Button>
            )}
            <Button variant="quiet" onClick={props.onBack}>
              Back
            </Button>
          </div>
        </div>
      </div>
    </>
  )
}
