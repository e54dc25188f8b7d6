import Stripe from 'stripe'
import type { Config } from '../config.ts'
import { AppError } from '../http/errors.ts'

export const CARD_DISABLED =
  'Card payment is switched off here. Pay on your utility bill (signed in) or with cash at a kiosk'

const clients = new Map<string, Stripe>()

/**
 * The one Stripe client, or null when card payment is switched off (no STRIPE_SECRET_KEY). Its
 * HTTP goes through the global fetch, looked up at each request rather than when the client is
 * built, so that tests which intercept fetch (msw) see every call whenever they start.
 */
export function stripeClient(config: Pick<Config, 'STRIPE_SECRET_KEY'>): Stripe | null {
  const key = config.STRIPE_SECRET_KEY
  if (!key) {
    return null
  }
  let client = clients.get(key)
  if (!client) {
    client = new Stripe(key, {
      httpClient: Stripe.createFetchHttpClient((...args: Parameters<typeof fetch>) => fetch(...args)),
      maxNetworkRetries: 2,
      timeout: 20_000,
    })
    clients.set(key, client)
  }
  return client
}

/** The Stripe client, or the 503 that says card payment is switched off. */
export function requireStripe(config: Pick<Config, 'STRIPE_SECRET_KEY'>): Stripe {
  const client = stripeClient(config)
  if (!client) {
    throw new AppError('card_payments_disabled', CARD_DISABLED)
  }
  return client
}
