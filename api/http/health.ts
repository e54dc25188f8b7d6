import { z } from 'zod'
import { router } from './route.ts'

export const health = router('/health', 'Operations')

health.route(
  {
    method: 'get',
    path: '/',
    summary: 'Liveness and database reachability',
    access: ['public'],
    responses: {
      200: { description: 'Up', schema: z.object({ status: z.literal('ok'), db: z.literal('ok') }) },
      503: { description: 'Database unreachable', schema: z.object({ status: z.literal('degraded'), db: z.literal('down') }) },
    },
  },
  async (c) => {
    const { sql } = c.get('deps')
    try {
      await Promise.race([
        sql`select 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ])
      return c.json({ status: 'ok', db: 'ok' })
    } catch {
      return c.json({ status: 'degraded', db: 'down' }, 503)
    }
  },
)
