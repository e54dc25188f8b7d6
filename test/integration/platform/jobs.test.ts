import { describe, it, expect, afterAll } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { startWorkers, JOBS } from '../../../jobs/worker.ts'
import { sendInTransaction } from '../../../jobs/queue.ts'
import { createLogger } from '../../../api/http/log.ts'
import { registerDriver } from '../../../api/auth/users.ts'
import { postEntry } from '../../../api/ledger/post.ts'

const db = await testDatabase()
const workers = await startWorkers(db.url, { sql: db.sql, config: db.config, log: createLogger() })
afterAll(() => workers.stop())

async function waitFor(name: string, id: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const job = await workers.boss.getJobById(name, id)
    if (job && ['completed', 'failed'].includes(job.state)) {
      return job.state
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`job ${id} did not finish`)
}

describe('job workers', () => {
  it('roll up ledger balances every LEDGER_ROLLUP_MS', async () => {
    await postEntry(db.sql, {
      key: 'rollup-job-test',
      source: 'test',
      description: 'Kiosk sale',
      occurredAt: new Date(),
      lines: [
        { account: 'cash:kiosk', amount: 250 },
        { account: 'revenue:parking', amount: -250 },
      ],
    })
    const [start] = await db.sql<{ at: Date }[]>`select now() as at`
    let turns = 0
    for (let i = 0; i < 50 && turns < 2; i++) {
      await new Promise((r) => setTimeout(r, 100))
      const [row] = await db.sql<{ rolled: boolean }[]>`
        select rolled_at > ${start?.at ?? new Date()} as rolled from ledger.balance_watermark`
      turns += row?.rolled ? 1 : 0
    }
    expect(turns).toBe(2)
    // the rolled-up balance is exactly the postings below the watermark; a transaction still
    // running anywhere on the server holds the watermark back, so the sale may or may not be in
    const [kiosk] = await db.sql<{ rolled: number; below: number }[]>`
      select coalesce((select b.balance from ledger.account_balance b where b.account_id = a.id), 0)
               as rolled,
             coalesce((select sum(p.amount) from ledger.posting p, ledger.balance_watermark w
                        where p.account_id = a.id and p.tx < w.watermark), 0)::bigint as below
        from ledger.account a where a.code = 'cash:kiosk'`
    expect(kiosk?.rolled).toBe(kiosk?.below)
  })

  it('creates every queue at boot', async () => {
    for (const job of JOBS) {
      expect(await workers.boss.getQueue(job.name)).not.toBeNull()
    }
  })

  it('runs housekeeping, which drops expired sessions', async () => {
    const user = await registerDriver(db.sql, { email: 'old@example.com', name: 'Old', password: 'long enough pw' })
    await db.sql`
      insert into app.session (token_hash, user_id, csrf_token, expires_at)
      values ('expired-hash', ${user.id}, 'x', now() - interval '1 hour'),
             ('live-hash', ${user.id}, 'y', now() + interval '1 hour')`
    const id = await workers.boss.send('housekeeping', {})
    expect(id).toBeTruthy()
    expect(await waitFor('housekeeping', id ?? '')).toBe('completed')
    const left = await db.sql<{ token_hash: string }[]>`select token_hash from app.session order by 1`
    expect(left.map((s) => s.token_hash)).toEqual(['live-hash'])
  })

  it('enqueues inside a transaction only if the transaction commits', async () => {
    let rolledBackId = ''
    await db.sql
      .begin(async (tx) => {
        rolledBackId = await sendInTransaction(workers.boss, tx, 'housekeeping', { reason: 'rollback' })
        throw new Error('abandon')
      })
      .catch(() => {})
    expect(rolledBackId).not.toBe('')
    expect(await workers.boss.getJobById('housekeeping', rolledBackId)).toBeNull()

    let committedId = ''
    await db.sql.begin(async (tx) => {
      committedId = await sendInTransaction(workers.boss, tx, 'housekeeping', { reason: 'commit' })
    })
    expect(await workers.boss.getJobById('housekeeping', committedId)).not.toBeNull()
  })
})
