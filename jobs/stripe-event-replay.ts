import { z } from 'zod'
import { defineJob } from './queue.ts'
import { stripeClient } from '../api/payments/stripe.ts'
import { replayUndelivered } from '../api/payments/webhook.ts'

/** Every quarter hour: Stripe events that never reached the webhook are taken from Stripe itself. */
export const stripeEventReplay = defineJob({
  name: 'stripe-event-replay',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInMinutes: 10 },
  cron: '*/15 * * * *',
  async handle({ sql, config, log }) {
    const stripe = stripeClient(config)
    if (!stripe) {
      return
    }
    const taken = await replayUndelivered(sql, stripe)
    if (taken > 0) {
      log.info('undelivered Stripe events taken', { taken })
    }
  },
})
