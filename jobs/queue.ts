import PgBoss from 'pg-boss'
import type { ZodType } from 'zod'
import type { Sql, Tx } from '../db/connect.ts'
import type { Config } from '../api/config.ts'
import type { Logger } from '../api/http/log.ts'

export interface JobDeps {
  sql: Sql
  config: Config
  log: Logger
}

/** One queue: its payload schema, retry policy, optional schedule (city time) and handler. */
export interface JobDefinition<T> {
  name: string
  data: ZodType<T>
  queue: Omit<PgBoss.Queue, 'name'>
  /** cron in the city time zone */
  cron?: string
  handle: (deps: JobDeps, data: T, job: { id: string }) => Promise<void>
}

/** A queue as the worker sees it: the payload is parsed inside, so queues of any type mix. */
export interface Job {
  name: string
  queue: Omit<PgBoss.Queue, 'name'>
  cron?: string
  run: (deps: JobDeps, raw: unknown, job: { id: string }) => Promise<void>
}

export function defineJob<T>(definition: JobDefinition<T>): Job {
  return {
    name: definition.name,
    queue: definition.queue,
    cron: definition.cron,
    run: (deps, raw, job) => definition.handle(deps, definition.data.parse(raw ?? {}), job),
  }
}

export function createBoss(connectionString: string): PgBoss {
  return new PgBoss({ connectionString, schema: 'pgboss', application_name: 'curbline-jobs', max: 4 })
}

/**
 * Sends a job as part of the caller's transaction, so the job exists if and only if the change
 * that asked for it commits. pg-boss 10 answers null, not an error, for a queue it does not know.
 */
export async function sendInTransaction(
  boss: PgBoss,
  tx: Tx,
  name: string,
  data: object,
  options: PgBoss.SendOptions = {},
): Promise<string> {
  const db: PgBoss.Db = {
    executeSql: async (text, values) => ({
      rows: await tx.unsafe(text, values.map((v) => (v === undefined ? null : v))),
    }),
  }
  const id = await boss.send(name, data, { ...options, db })
  if (!id) {
    throw new Error(`pg-boss did not accept a job for queue ${name}; was the queue created?`)
  }
  return id
}
