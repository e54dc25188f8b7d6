import { z } from 'zod'
import { defineJob } from './queue.ts'
import { pruneSessions } from '../api/auth/sessions.ts'
import { pruneRateLimits } from '../api/auth/rate-limit.ts'

/** Drops expired sessions, old rate-limit windows and day-old idempotent replies. */
export const housekeeping = defineJob({
  name: 'housekeeping',
  data: z.object({}).passthrough(),
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInMinutes: 10 },
  cron: '17 * * * *',
  async handle({ sql, log }) {
    const sessions = await pruneSessions(sql)
    const windows = await pruneRateLimits(sql)
    const replies = await sql`
      delete from app.idempotent_request where created_at < now() - interval '1 day' returning 1`
    log.info('housekeeping', { sessions, windows, replies: replies.length })
  },
})
