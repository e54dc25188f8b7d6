import { z } from 'zod'
import { defineJob } from './queue.ts'
import { queueExpiryReminders } from '../api/sessions/reminders.ts'

/** Every minute: parking sessions ending within ten minutes get their reminder in the outbox. */
export const sessionReminders = defineJob({
  name: 'session-reminders',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 10, expireInMinutes: 2 },
  cron: '* * * * *',
  async handle({ sql, config, log }) {
    const queued = await queueExpiryReminders(sql, {
      now: new Date(),
      baseUrl: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, ''),
    })
    if (queued > 0) {
      log.info('session reminders queued', { queued })
    }
  },
})
