import { z } from 'zod'
import { defineJob } from './queue.ts'
import { stripeClient } from '../api/payments/stripe.ts'
import { runPermitJob } from '../api/permits/renewals.ts'

/** Hourly: permit renewal reminders and automatic renewals, expiries, lapsed waitlist offers. */
export const permitRenewals = defineJob({
  name: 'permit-renewals',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInMinutes: 30 },
  cron: '7 * * * *',
  async handle({ sql, config, log }) {
    const result = await runPermitJob(sql, {
      now: new Date(),
      timeZone: config.CITY_TIME_ZONE,
      stripe: stripeClient(config),
      offers: { businessDays: config.PERMIT_OFFER_BUSINESS_DAYS, timeZone: config.CITY_TIME_ZONE },
      baseUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, ''),
    })
    if (Object.values(result).some((n) => n > 0)) {
      log.info('permits', { ...result })
    }
  },
})
