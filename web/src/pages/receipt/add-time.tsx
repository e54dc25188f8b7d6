import { useEffect, useState } from 'preact/hooks'
import type {
  CardSession,
  ExtensionQuote,
  ParkingSession,
  UtilityAccount,
} from '../../lib/types.ts'
import type { Tariff } from '../../../../api/facilities/tariff.ts'
import { useLiveQuote } from '../../lib/use-live-quote.ts'
import { useApi } from '../../lib/use-api.ts'
import { useCardsTaken } from '../../lib/use-cards.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents } from '../../lib/format.ts'
import { formatDuration, formatLocalTime } from '../../lib/parking.ts'
import { Panel } from '../../components/panel/panel.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { DurationPicker } from '../../components/duration-picker/duration-picker.tsx'
import { QuoteSummary } from '../../components/quote-summary/quote-summary.tsx'
import {
  PaymentChoice,
  type PaymentPick,
} from '../../components/payment-choice/payment-choice.tsx'
import { CardPayment } from '../../components/card-payment/card-payment.tsx'
import styles from './receipt-page.module.css'

/** The most added online at once where the facility sets no limit. */
const ONLINE_MAXIMUM_MINUTES = 24 * 60

const LABELS = {
  minutes: 'Time',
  end: 'Time',
  utilityAccountId: 'Utility account',
  payment: 'Payment',
}

interface Props {
  view: ParkingSession
  tariff: Tariff | null
  tariffError: string | null
  signedIn: boolean
  accounts: UtilityAccount[]
  accountsLoading: boolean
  accountsError: string | null
  onExtended: (view: ParkingSession, message: string) => void
}

/**
 * Add time to a running session, priced live as a continuation of the stay (no new first hour),
 * never past the maximum stay, paid on the driver's utility bill.
 */
export function AddTime(props: Props) {
  const { view, tariff } = props
  const tz = view.facility.timeZone
  const paidUntil = view.endsAt ?? view.startsAt
  const room = view.latestEndsAt
    ? Math.floor((Date.parse(view.latestEndsAt) - Date.parse(paidUntil)) / 60_000)
    : ONLINE_MAXIMUM_MINUTES
  const max = Math.min(room, ONLINE_MAXIMUM_MINUTES)
  const step = tariff?.incrementMinutes ?? null
  const canAdd = step !== null && max >= step
  const [minutes, setMinutes] = useState(30)
  useEffect(() => {
    if (step !== null && max >= step) {
      const longest = Math.floor(max / step) * step
      setMinutes((m) => Math.min(longest, Math.max(step, Math.ceil(m / step) * step)))
    }
  }, [step, max])

  const quote = useLiveQuote<ExtensionQuote>(
    canAdd ? `/sessions/${view.id}/extensions/quote` : null,
    canAdd ? { minutes } : null,
  )
  const purchase = usePurchase()
  const api = useApi()
  const form = useForm()
  const usable = props.accounts.filter((a) => a.status === 'active')
  const onlyAccount = usable.length === 1 ? (usable[0]?.id ?? null) : null
  const [account, setAccount] = useState<PaymentPick | null>(onlyAccount)
  const cards = useCardsTaken()
  const [card, setCard] = useState<{ id: string; clientSecret: string; publishableKey: string; amountCents: number } | null>(null)
  const [accountError, setAccountError] = useState<string | undefined>()
  useEffect(() => {
    if (onlyAccount !== null) {
      setAccount((a) => a ?? onlyAccount)
    }
  }, [onlyAccount])

  const pay = async () => {
    if (account === null) {
      setAccountError(cards ? 'Choose how to pay' : 'Choose the utility account to bill')
      form.fail('Choose how to pay')
      return
    }
    setAccountError(undefined)
    await form.submit(async () => {
      const { data } = await purchase.pay<CardSession>(
        `/sessions/${view.id}/extensions`,
        {
          minutes,
          payment:
            account === 'card' ? { method: 'card' } : { method: 'utility_account', utilityAccountId: account },
        },
      )
      purchase.done()
      if (data.payment?.publishableKey) {
        setCard({
          id: data.payment.id,
          clientSecret: data.payment.clientSecret,
          publishableKey: data.payment.publishableKey,
          amountCents: data.purchases.at(-1)?.amountCents ?? 0,
        })
        return
      }
      const until = data.endsAt ? formatLocalTime(data.endsAt, tz) : ''
      props.onExtended(data, `Added ${formatDuration(minutes)}. You are parked until ${until}.`)
    })
  }

  const limit = view.latestEndsAt
    ? `Parking here can be extended to ${formatLocalTime(view.latestEndsAt, tz)} at the latest (the time limit).`
    : `No time limit here; you can add up to ${formatDuration(ONLINE_MAXIMUM_MINUTES)} at a time.`
  const total = quote.data?.totalCents ?? null
  const canPay = (props.signedIn && usable.length > 0) || cards
  const paidByCard = async () => {
    const data = await api.get<ParkingSession>(`/sessions/${view.id}`)
    setCard(null)
    const until = data.endsAt ? formatLocalTime(data.endsAt, tz) : ''
    props.onExtended(data, `Added ${formatDuration(minutes)}. You are parked until ${until}.`)
  }
  return (
    <div class={styles.noPrint}>
      <Panel title="Add time" description={limit}>
        {props.tariffError && (
          <Alert tone="error" title="Prices for adding time could not be loaded">
            {props.tariffError}
          </Alert>
        )}
        {step === null && !props.tariffError && <Loading label="Loading prices…" />}
        {step !== null && !canAdd && (
          <Alert tone="info" title="This stay has reached the time limit">
            It cannot be extended: move the vehicle by{' '}
            {formatLocalTime(view.latestEndsAt ?? paidUntil, tz)}.
          </Alert>
        )}
        {step !== null && canAdd && (
          <div class={styles.addLayout}>
            <div>
              <DurationPicker
                legend="Time to add"
                minutes={minutes}
                onMinutes={setMinutes}
                step={step}
                max={max}
                hint={`Up to ${formatDuration(Math.floor(max / step) * step)} more.`}
              />
              <QuoteSummary
                title="Price to add time"
                quote={quote.data ? { ...quote.data, end: quote.data.to } : null}
                error={quote.error}
                pending={quote.pending}
                timeZone={tz}
                endLabel="New end"
              />
            </div>
            <div>
              <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
              <PaymentChoice
                signedIn={props.signedIn}
                card={cards}
                accounts={props.accounts}
                loading={props.accountsLoading}
                loadError={props.accountsError}
                value={account}
                onValue={(pick) => {
                  setAccount(pick)
                  setAccountError(undefined)
                }}
                next={view.receiptUrl}
                error={accountError}
              />
              {card && (
                <CardPayment
                  paymentId={card.id}
                  clientSecret={card.clientSecret}
                  publishableKey={card.publishableKey}
                  amountCents={card.amountCents}
                  onPaid={() => void paidByCard()}
                />
              )}
              {canPay && !card && (
                <Button
                  busy={form.busy}
                  disabled={!quote.data || quote.error !== null}
                  onClick={() => void pay()}
                >
                  {total === null
                    ? 'Add time'
                    : total === 0
                      ? `Add ${formatDuration(minutes)} (no charge)`
                      : account === 'card'
                        ? `Continue to add ${formatDuration(minutes)} by card`
                        : `Add ${formatDuration(minutes)} for ${formatCents(total)}`}
                </Button>
              )}
            </div>
          </div>
        )}
      </Panel>
    </div>
  )
}
