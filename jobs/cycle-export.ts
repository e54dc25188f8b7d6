import { z } from 'zod'
import { defineJob } from './queue.ts'
import { cityDay, ensureCalendar, exportDue } from '../api/finance/cycles.ts'

/**
 * Daily at 02:00 city time, after the day's close: keeps this year's and next year's calendar
 * filled, then exports every cycle that bills today (or on the date sent), each once. Progress
 * is each cycle's export status (GET /finance/cycle-exports?billingDate=...).
 */
export const cycleExport = defineJob({
  name: 'cycle-export',
  data: z.object({ billingDate: z.iso.date().optional() }).passthrough(),
  queue: {
    policy: 'singleton',
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    expireInMinutes: 60,
  },
  cron: '0 2 * * *',
  async handle({ sql, config, log }, data) {
    const today = cityDay(new Date(), config.CITY_TIME_ZONE)
    const added = await ensureCalendar(sql, today)
    const day = data.billingDate ?? today
    const exports = await exportDue(sql, day, (p) =>
      log.info('cycle exported', {
        day: p.day,
        of: p.cycles.length,
        done: p.done,
        failed: p.failed,
        cycle: p.current?.cycle ?? null,
        lines: p.current?.lineCount ?? null,
      }),
    )
    log.info('bill cycles exported', {
      day,
      calendarDatesAdded: added,
      cycles: exports.map((x) => x.cycle),
      lines: exports.reduce((s, x) => s + x.lineCount, 0),
    })
  },
})
