import type PgBoss from 'pg-boss'
import { createBoss, type Job, type JobDeps } from './queue.ts'
import { housekeeping } from './housekeeping.ts'
import { sessionReminders } from './session-reminders.ts'
import { stripeEventReplay } from './stripe-event-replay.ts'
import { permitRenewals } from './permit-renewals.ts'
import { citationEscalation } from './citation-escalation.ts'
import { paidButTicketedCheck } from './paid-but-ticketed.ts'
import { payoutReconciliation } from './payout-reconciliation.ts'
import { dailyClose } from './daily-close.ts'
import { cycleExport } from './cycle-export.ts'
import { startBalanceRollup, type Loop } from './balance-rollup.ts'

/** Every queue Curbline runs. Each is created at boot, before anything can send to it. */
export const JOBS: Job[] = [
  housekeeping,
  sessionReminders,
  stripeEventReplay,
  permitRenewals,
  citationEscalation,
  paidButTicketedCheck,
  payoutReconciliation,
  dailyClose,
  cycleExport,
]

export interface Workers {
  boss: PgBoss
  stop: () => Promise<void>
}

/** Starts pg-boss (which migrates its own schema), creates every queue and works them. */
export async function startWorkers(
  url: string,
  deps: JobDeps,
  options: { work?: boolean } = {},
): Promise<Workers> {
  const boss = createBoss(url)
  let stopping = false
  // on Ctrl-C the terminal signals PostgreSQL too, so lost connections while stopping are expected
  boss.on('error', (err) =>
    (stopping ? deps.log.debug : deps.log.error)('pg-boss error', { err: err.message }),
  )
  await boss.start()
  for (const job of JOBS) {
    await boss.createQueue(job.name, { name: job.name, ...job.queue })
    if (job.cron) {
      await boss.schedule(job.name, job.cron, {}, { tz: deps.config.CITY_TIME_ZONE })
    }
    if (options.work !== false) {
      await boss.work<unknown>(job.name, async (jobs) => {
        for (const j of jobs) {
          const log = deps.log.child({ job: job.name, jobId: j.id })
          log.info('job started')
          await job.run({ ...deps, log }, j.data, { id: j.id })
          log.info('job finished')
        }
      })
    }
  }
  const rollup: Loop | undefined = options.work === false ? undefined : startBalanceRollup(deps)
  return {
    boss,
    stop: async () => {
      stopping = true
      await rollup?.stop()
      await boss.stop({ graceful: true, timeout: 10_000, wait: true })
    },
  }
}
