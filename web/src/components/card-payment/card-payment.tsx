import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi } from '../../lib/use-api.ts'
import { messageOf } from '../../lib/api.ts'
import { formatCents } from '../../lib/format.ts'
import { loadStripe, type StripeElements, type StripeJs } from '../../lib/stripe-js.ts'
import { Button } from '../button/button.tsx'
import { Alert } from '../alert/alert.tsx'
import { Loading } from '../loading/loading.tsx'
import styles from './card-payment.module.css'

interface Props {
  paymentId: string
  clientSecret: string
  publishableKey: string
  amountCents: number
  /** Stripe has said the payment succeeded (the server asked it). */
  onPaid: () => void
}

interface PaymentState {
  status: 'requires_payment' | 'processing' | 'succeeded' | 'failed' | 'canceled'
  failure: string | null
}

/**
 * Stripe's Payment Element for one payment. The card is confirmed with Stripe in the browser;
 * the page then asks Curbline, which asks Stripe, until the payment has succeeded: the time is
 * granted from Stripe's word, never this page's.
 */
export function CardPayment({ paymentId, clientSecret, publishableKey, amountCents, onPaid }: Props) {
  const api = useApi()
  const mountAt = useRef<HTMLDivElement>(null)
  const stripe = useRef<{ js: StripeJs; elements: StripeElements } | null>(null)
  const [ready, setReady] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [waiting, setWaiting] = useState(false)

  useEffect(() => {
    let live = true
    let mounted: { destroy: () => void } | null = null
    loadStripe(publishableKey)
      .then((js) => {
        if (!live || !mountAt.current) {
          return
        }
        const elements = js.elements({ clientSecret })
        const element = elements.create('payment')
        element.mount(mountAt.current)
        mounted = element
        stripe.current = { js, elements }
        setReady(true)
      })
      .catch((err: unknown) => live && setError(messageOf(err)))
    return () => {
      live = false
      mounted?.destroy()
    }
  }, [clientSecret, publishableKey])

  // once the card is confirmed: ask until Stripe's answer is in (the server retrieves it)
  useEffect(() => {
    if (!waiting) {
      return
    }
    let live = true
    const ask = async () => {
      try {
        const payment = await api.get<PaymentState>(`/payments/${paymentId}`)
        if (!live) {
          return
        }
        if (payment.status === 'succeeded') {
          onPaid()
          return
        }
        if (payment.status === 'failed' || payment.status === 'canceled') {
          setWaiting(false)
          setError(payment.failure ?? 'The card payment did not go through')
          return
        }
      } catch (err) {
        if (live) {
          setError(messageOf(err))
        }
      }
      if (live) {
        timer = setTimeout(() => void ask(), 1500)
      }
    }
    let timer = setTimeout(() => void ask(), 300)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [waiting, paymentId, api, onPaid])

  const confirm = async () => {
    if (!stripe.current) {
      return
    }
    setBusy(true)
    setError(null)
    const result = await stripe.current.js.confirmPayment({
      elements: stripe.current.elements,
      redirect: 'if_required',
      confirmParams: { return_url: location.href },
    })
    setBusy(false)
    if (result.error) {
      setError(result.error.message ?? 'The card payment did not go through')
      return
    }
    setWaiting(true)
  }

  return (
    <section class={styles.card} aria-label="Card payment">
      {error && <Alert tone="error" title={error} />}
      {!ready && !error && <Loading label="Loading the card form from Stripe…" />}
      <div ref={mountAt} class={styles.element} />
      {waiting ? (
        <p role="status" class={styles.waiting}>
          Waiting for your card issuer to confirm the payment…
        </p>
      ) : (
        <Button busy={busy} disabled={!ready} onClick={() => void confirm()}>
          Pay {formatCents(amountCents)} by card
        </Button>
      )}
    </section>
  )
}
