import { z } from 'zod'
import { defineJob } from './queue.ts'
import { stripeClient } from '../api/payments/stripe.ts'
import { reconcilePayout, unreconciledPayouts } from '../api/finance/payouts.ts'

/*
  Every quarter hour: each paid payout not yet reconciled (its payout.paid webhook has posted Dr
  bank, Cr clearing) is matched item by item. A payout that fails to reconcile (Stripe down) is
  tried again next time; one already reconciled is left for finance to re-run on demand.
*/
export const payoutReconciliation = defineJob({
  name: 'payout-reconciliation',
  data: z.object({ payout: z.string().optional() }).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 120, retryBackoff: true, expireInMinutes: 30 },
  cron: '*/15 * * * *',
  async handle({ sql, config, log }, data) {
    const stripe = stripeClient(config)
    if (!stripe) {
      return
    }
    const payouts = data.payout ? [data.payout] : await unreconciledPayouts(sql)
    for (const id of payouts) {
      try {
        const result = await reconcilePayout(sql, stripe, id)
        log.info('payout reconciled', { payout: id, status: result.status, items: result.itemCount })
      } catch (err) {
        log.warn('payout not reconciled', { payout: id, err: (err as Error).message })
      }
    }
  },
})
