import type { JobDeps } from './queue.ts'
import { rollUpBalances } from '../api/ledger/rollup.ts'

export interface Loop {
  stop: () => Promise<void>
}

/**
 * Rolls up ledger balances every LEDGER_ROLLUP_MS. A loop, not a pg-boss queue: it runs every
 * second, which cron cannot schedule, and a missed turn costs nothing but a slightly longer read.
 * Several jobs processes may run it; the database lets one roll up at a time.
 */
export function startBalanceRollup({ sql, config, log }: JobDeps): Loop {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const turn = async () => {
    try {
      await rollUpBalances(sql)
    } catch (err) {
      if (!stopped) {
        log.error('balance roll-up failed', { err: err instanceof Error ? err.message : String(err) })
      }
    }
    if (!stopped) {
      timer = setTimeout(() => (running = turn()), config.LEDGER_ROLLUP_MS)
    }
  }
  running = turn()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
