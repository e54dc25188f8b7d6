import { afterAll, expect } from 'vitest'
import { testApp, type TestApp } from '../support/app.ts'
import type { TestDatabase } from '../support/db.ts'
import {
  startStripeSimulator,
  TEST_PUBLISHABLE_KEY,
  TEST_SECRET_KEY,
  TEST_WEBHOOK_SECRET,
  type StripeSimulator,
} from './simulator.ts'

/** The Stripe keys the simulator answers to, for a server that takes cards. */
export const STRIPE_TEST_CONFIG = {
  STRIPE_SECRET_KEY: TEST_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  STRIPE_PUBLISHABLE_KEY: TEST_PUBLISHABLE_KEY,
}

export interface CardTestApp {
  t: TestApp
  stripe: StripeSimulator
  /** Stripe delivers a signed event about the object, as it is now; the webhook must take it. */
  deliver: (type: string, object: object) => Promise<Response>
  /** The PaymentIntent behind a payment. */
  intentOf: (paymentId: string) => Promise<string>
}

/** The app taking cards, the Stripe simulator behind it (closed after the file), and helpers. */
export function cardTestApp(db: TestDatabase): CardTestApp {
  const stripe = startStripeSimulator()
  afterAll(() => stripe.close())
  const t = testApp(db, STRIPE_TEST_CONFIG)
  return {
    t,
    stripe,
    async deliver(type, object) {
      const hook = stripe.webhook(type, object)
      const res = await t.request('/api/v1/payments/stripe/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': hook.signature },
        body: hook.body,
      })
      expect(res.status).toBe(200)
      return res
    },
    async intentOf(paymentId) {
      const [row] = await db.sql<{ pi: string }[]>`
        select stripe_payment_intent_id as pi from payments.payment where public_id = ${paymentId}`
      if (!row) {
        throw new Error(`no payment ${paymentId}`)
      }
      return row.pi
    },
  }
}
