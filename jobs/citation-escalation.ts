import { z } from 'zod'
import { defineJob } from './queue.ts'
import { escalate } from '../api/enforcement/escalation.ts'

/** Daily, after midnight city time: late fees, past-due citations and the scofflaw list. */
export const citationEscalation = defineJob({
  name: 'citation-escalation',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInMinutes: 60 },
  cron: '15 0 * * *',
  async handle({ sql, config, log }) {
    const result = await escalate(sql, new Date(), config.CITY_TIME_ZONE)
    log.info('citations escalated', { ...result })
  },
})
