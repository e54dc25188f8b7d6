import { z } from 'zod'
import { defineJob } from './queue.ts'
import { closePendingDays } from '../api/finance/close.ts'

/**
 * After midnight city time: closes yesterday, and any earlier day of the last month that has
 * entries and is still open (a missed run, or a day whose close failed and has been fixed).
 */
export const dailyClose = defineJob({
  name: 'daily-close',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInMinutes: 60 },
  cron: '30 0 * * *',
  async handle({ sql, config, log }) {
    const result = await closePendingDays(sql, { timeZone: config.CITY_TIME_ZONE })
    log.info('days closed', { ...result })
  },
})
