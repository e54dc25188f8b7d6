import { useEffect, useRef, useState } from 'preact/hooks'
import { useI18n, type Messages } from '../../lib/i18n.ts'
import type { KioskFacility } from '../../lib/facilities.ts'
import { priceFor } from '../../lib/pricing.ts'
import type { Receipt } from '../../lib/receipt.ts'
import { newSaleId, ruleOf } from '../../lib/sales.ts'
import type { SaleDraft, SellResult } from '../../lib/use-sales.ts'
import type { ApiError } from '../../lib/api.ts'
import { Step } from '../step/step.tsx'
import { cancelCard, cardOutcome, sessionAfterCard, startCard } from '../../lib/card.ts'
import styles from './pay-screen.module.css'

interface Props {
  facility: KioskFacility
  plate: string
  state: string
  minutes: number
  sell: (draft: SaleDraft) => Promise<SellResult>
  onPaid: (receipt: Receipt) => void
  onBack: () => void
  onStartOver: () => void
  /** True while cash is in the acceptor or a payment is under way: no idle reset then. */
  onHold: (hold: boolean) => void
  /** The device token, when this kiosk's card reader can take the payment (online, cards on). */
  cardToken: string | null
}

type CardState =
  | { phase: 'starting' }
  | { phase: 'present'; paymentId: string; sessionId: string }
  | { phase: 'cancelling'; paymentId: string }
  | null

const NOTES = [100, 500, 1000, 2000]
const COINS = [5, 10, 25, 100]
/** The server may price a sale differently (an extension); ask it again at most this often. */
const PRICE_RETRIES = 3

type Notice = { tone: 'info' | 'error'; text: string } | null

/**
 * Cash, or a card on the kiosk's reader where it has one and the kiosk is online. The cash
 * buttons stand in for the cash acceptor; once the cash covers the price the sale goes through,
 * online or into the queue. A card payment is the server's: the kiosk asks how it went, and can
 * cancel it at the reader.
 */
export function PayScreen({
  facility,
  plate,
  state,
  minutes,
  sell,
  onPaid,
  onBack,
  onStartOver,
  onHold,
  cardToken,
}: Props) {
  const { t, f } = useI18n()
  // Refs, not state, decide: two taps before a re-render must not sell twice or lose a coin.
  const saleId = useRef(newSaleId())
  const cash = useRef(0)
  const busy = useRef(false)
  const [due, setDue] = useState(() => priceFor(facility, minutes, new Date()))
  const [inserted, setInserted] = useState(0)
  const [processing, setProcessing] = useState(false)
  const [notice, setNotice] = useState<Notice>(null)
  const [end] = useState(() => new Date(Date.now() + minutes * 60_000))

  const [card, setCard] = useState<CardState>(null)
  const hold = inserted > 0 || processing || card !== null
  useEffect(() => {
    onHold(hold)
  }, [hold, onHold])
  useEffect(() => () => onHold(false), [onHold])

  const process = async (paidIn: number, amount: number, tries = 0): Promise<void> => {
    busy.current = true
    setProcessing(true)
    setNotice(null)
    const result = await sell({
      saleId: saleId.current,
      facility,
      plate,
      state,
      minutes,
      amountCents: amount,
    })
    switch (result.kind) {
      case 'paid':
        onPaid({
          kind: 'paid',
          session: result.session,
          extended: result.extended,
          amountCents: amount,
          changeCents: paidIn - amount,
        })
        return
      case 'saved':
        onPaid({ kind: 'saved', sale: result.sale, changeCents: paidIn - amount })
        return
      case 'price':
        setDue(result.quotedCents)
        setNotice({ tone: 'info', text: t.priceChanged(f.money(result.quotedCents)) })
        if (paidIn >= result.quotedCents && tries < PRICE_RETRIES) {
          await process(paidIn, result.quotedCents, tries + 1)
          return
        }
        busy.current = false
        setProcessing(false)
        return
      case 'refused':
        setNotice({
          tone: 'error',
          text: `${t.refused(reasonOf(result.status, result.error, t))} ${paidIn > 0 ? t.refusedReturned(f.money(paidIn)) : ''}`,
        })
        cash.current = 0
        setInserted(0)
        saleId.current = newSaleId()
        busy.current = false
        setProcessing(false)
        return
    }
  }

  const payByCard = async () => {
    if (busy.current || cardToken === null || due === null || cash.current > 0) {
      return
    }
    busy.current = true
    setNotice(null)
    setCard({ phase: 'starting' })
    const started = await startCard(cardToken, { facility: facility.code, plate, state, minutes })
    if (!started.ok) {
      busy.current = false
      setCard(null)
      setNotice({ tone: 'error', text: t.cardRefused(started.error.message) })
      return
    }
    const { session, paymentId } = started.started
    if (paymentId === '') {
      onPaid({ kind: 'paid', session, extended: false, amountCents: 0, changeCents: 0 })
      return
    }
    setCard({ phase: 'present', paymentId, sessionId: session.id })
  }

  // while the reader waits for the card: ask the server (which asks Stripe) how it went
  const presentFor = card?.phase === 'present' ? card : null
  useEffect(() => {
    if (!presentFor || cardToken === null) {
      return
    }
    let live = true
    const ask = async () => {
      const { outcome, failure } = await cardOutcome(cardToken, presentFor.paymentId)
      if (!live) {
        return
      }
      if (outcome === 'succeeded') {
        const session = await sessionAfterCard(cardToken, presentFor.sessionId)
        if (live && session) {
          onPaid({ kind: 'paid', session, extended: false, amountCents: due ?? 0, changeCents: 0 })
          return
        }
      } else if (outcome === 'failed' || outcome === 'canceled') {
        busy.current = false
        setCard(null)
        setNotice({ tone: 'error', text: outcome === 'failed' ? t.cardDeclined(failure ?? '') : t.cardCancelled })
        return
      }
      timer = setTimeout(() => void ask(), 1500)
    }
    let timer = setTimeout(() => void ask(), 800)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [presentFor?.paymentId, cardToken])

  const cancelCardPayment = async () => {
    if (card?.phase !== 'present' || cardToken === null) {
      return
    }
    const paymentId = card.paymentId
    setCard({ phase: 'cancelling', paymentId })
    await cancelCard(cardToken, paymentId)
    busy.current = false
    setCard(null)
    setNotice({ tone: 'info', text: t.cardCancelled })
  }

  const insert = (cents: number) => {
    if (busy.current || due === null) {
      return
    }
    const total = cash.current + cents
    cash.current = total
    setInserted(total)
    setNotice(null)
    if (total >= due) {
      void process(total, due)
    }
  }

  const cancel = () => {
    if (busy.current) {
      return
    }
    setNotice({ tone: 'info', text: t.cashReturned(f.money(cash.current)) })
    cash.current = 0
    setInserted(0)
  }

  const zone = facility.tariff.timeZone
  const remaining = due === null ? 0 : Math.max(0, due - inserted)
  const change = due === null ? 0 : Math.max(0, inserted - due)
  const status = processing
    ? t.processing
    : due === null
      ? t.timeNotSold
      : due === 0
        ? t.freeNow
        : inserted >= due
          ? t.paidEnough(f.money(change))
          : t.insertMore(f.money(remaining))

  return (
    <Step
      step={3}
      title={t.payTitle}
      onBack={hold ? undefined : onBack}
      onStartOver={hold ? undefined : onStartOver}
      action={
        inserted > 0 && !processing ? (
          <button type="button" class="btn btn-secondary" onClick={cancel}>
            {t.cancelPayment}
          </button>
        ) : due === 0 ? (
          <button
            type="button"
            class="btn btn-primary"
            disabled={processing || card !== null}
            onClick={() => {
              if (!busy.current) {
                void process(0, 0)
              }
            }}
          >
            {t.getReceipt}
          </button>
        ) : null
      }
    >
      <div class={styles.layout}>
        <div class={styles.left}>
          <dl class={styles.summary}>
            <div>
              <dt>{t.summaryZone}</dt>
              <dd>
                {t.zoneLabel(facility.code)} · {facility.name}
              </dd>
            </div>
            <div>
              <dt>{t.summaryPlate}</dt>
              <dd>
                <span class={styles.plate}>{plate}</span> ({state})
              </dd>
            </div>
            <div>
              <dt>{t.summaryTime}</dt>
              <dd>{f.duration(minutes)}</dd>
            </div>
            <div>
              <dt>{t.summaryUntil}</dt>
              <dd>
                {f.time(end, zone)}, {f.day(end, zone)}
              </dd>
            </div>
            <div class={styles.due}>
              <dt>{t.amountDue}</dt>
              <dd data-testid="amount-due">{due === null ? '—' : f.money(due)}</dd>
            </div>
          </dl>

          <div class={styles.methods} role="group" aria-labelledby="methods-title">
            <p id="methods-title" class={styles.methodsTitle}>
              {t.methods}
            </p>
            <button
              type="button"
              class={`${styles.method} ${styles.cash}`}
              aria-pressed="true"
              aria-describedby="cash-note"
            >
              <span class={styles.methodName}>{t.methodCash}</span>
              <span id="cash-note" class={styles.methodNote}>
                {t.methodCashNote}
              </span>
            </button>
            {cardToken !== null && due !== null && due > 0 && (
              <button
                type="button"
                class={`${styles.method} ${styles.cardMethod}`}
                aria-describedby="card-note"
                disabled={processing || inserted > 0 || card !== null}
                onClick={() => void payByCard()}
              >
                <span class={styles.methodName}>{t.methodCard}</span>
                <span id="card-note" class={styles.methodNote}>
                  {t.methodCardNote}
                </span>
              </button>
            )}
          </div>
          {card !== null && (
            <div class={styles.cardWait} role="status">
              <p class={styles.cardTitle}>
                {card.phase === 'starting' ? t.cardStarting : t.cardPresent}
              </p>
              {card.phase !== 'starting' && <p>{t.cardPresentNote}</p>}
              {card.phase === 'present' && (
                <button type="button" class="btn btn-secondary" onClick={() => void cancelCardPayment()}>
                  {t.cardCancel}
                </button>
              )}
            </div>
          )}
        </div>

        <section class={styles.acceptor} aria-labelledby="acceptor-title">
          <h2 id="acceptor-title" class={styles.acceptorTitle}>
            {t.acceptorTitle}
          </h2>
          <p class={styles.acceptorNote}>{t.acceptorNote}</p>
          {due !== null && due > 0 && (
            <>
              <div class={styles.money}>
                {NOTES.map((c) => (
                  <button
                    key={c}
                    type="button"
                    class={`${styles.cashKey} ${styles.note}`}
                    disabled={processing || card !== null}
                    onClick={() => insert(c)}
                  >
                    {t.note(f.cash(c))}
                  </button>
                ))}
                {COINS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    class={`${styles.cashKey} ${styles.coin}`}
                    disabled={processing || card !== null}
                    onClick={() => insert(c)}
                  >
                    {t.coin(f.cash(c))}
                  </button>
                ))}
              </div>
              <dl class={styles.totals}>
                <div>
                  <dt>{t.amountDue}</dt>
                  <dd>{f.money(due)}</dd>
                </div>
                <div>
                  <dt>{t.inserted}</dt>
                  <dd data-testid="inserted">{f.money(inserted)}</dd>
                </div>
                <div>
                  <dt>{inserted > due ? t.change : t.stillToPay}</dt>
                  <dd>{f.money(inserted > due ? change : remaining)}</dd>
                </div>
              </dl>
            </>
          )}
          <p class={styles.status} role="status" aria-live="polite">
            {status}
          </p>
          {notice && (
            <p class={notice.tone === 'error' ? styles.error : styles.info} role="alert">
              {notice.text}
            </p>
          )}
        </section>
      </div>
    </Step>
  )
}

function reasonOf(status: number, error: ApiError, t: Messages): string {
  if (status === 401) {
    return t.refusedToken
  }
  const rule = ruleOf(error)
  if (rule === 'stay_too_long' || rule === 'over_maximum_purchase') {
    return t.refusedStayTooLong
  }
  // A gated facility's refusal names the facility field; a closed one names the facility.
  if (status === 409 && Array.isArray(error.details)) {
    return t.refusedGated
  }
  if (status === 409 && typeof error.details === 'object' && error.details !== null) {
    return t.refusedClosed
  }
  return error.message
}
