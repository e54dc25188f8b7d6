import { z } from 'zod'
import { defineJob } from './queue.ts'
import { stripeClient } from '../api/payments/stripe.ts'
import { paidButTicketed } from '../api/enforcement/escalation.ts'

/** Every five minutes: citations that paid time arriving later (offline kiosks, gates) covers. */
export const paidButTicketedCheck = defineJob({
  name: 'paid-but-ticketed',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, expireInMinutes: 10 },
  cron: '*/5 * * * *',
  async handle({ sql, config, log }) {
    const found = await paidButTicketed(sql, stripeClient(config), { now: new Date(), policy: config.PAID_BUT_TICKETED })
    if (found > 0) {
      log.info('paid but ticketed', { found, policy: config.PAID_BUT_TICKETED })
    }
  },
})
