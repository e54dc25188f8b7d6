import { readConfig, type Config } from './config.ts'
import { connect, type Sql } from '../db/connect.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { writeFinanceTimeZone } from './finance/close.ts'
import { log } from './http/log.ts'
import { startApi, type ApiServer } from './server.ts'
import { startWorkers, type Workers } from '../jobs/worker.ts'
import { seedDemoCity, DEMO_SIGN_INS } from '../db/seed/demo.ts'
import { closePlateReader } from './enforcement/reader.ts'

type Mode = 'all' | 'api' | 'jobs'

/**
 * `all` (npm start) runs everything in one process, on embedded PostgreSQL unless DATABASE_URL
 * is set. `api` and `jobs` are the production processes and need DATABASE_URL.
 */
export async function main(mode: Mode): Promise<void> {
  let config: Config
  try {
    config = readConfig()
  } catch (err) {
    console.error((err as Error).message)
    process.exit(2)
  }
  if (mode !== 'all' && !config.DATABASE_URL) {
    console.error(`npm run ${mode} runs against a managed database: set DATABASE_URL (npm start embeds one).`)
    process.exit(2)
  }

  let db: Database | undefined
  let sql: Sql | undefined
  let api: ApiServer | undefined
  let workers: Workers | undefined
  let stopping = false

  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) {
      return
    }
    stopping = true
    log.info('stopping', { signal })
    await Promise.all([
      api?.close().catch((e: Error) => log.error('api close failed', { err: e.message })),
      workers?.stop().catch((e: Error) => log.error('workers stop failed', { err: e.message })),
      closePlateReader().catch((e: Error) => log.error('plate reader stop failed', { err: e.message })),
    ])
    await sql?.end({ timeout: 5 }).catch(() => {})
    await db?.stop().catch((e: Error) => log.error('database stop failed', { err: e.message }))
    log.info('stopped')
    process.exit(exitCode)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))

  try {
    db = await openDatabase(config, (line) => log.debug('postgres', { line }))
    sql = connect(db.url, { max: config.DB_POOL_MAX, applicationName: `curbline-${mode}` })
    const applied = await migrate(sql, (line) => log.info(line))
    log.info('database ready', { embedded: db.embedded, migrationsApplied: applied })
    // business days are drawn in the city's time zone, by the posting trigger
    await writeFinanceTimeZone(sql, config.CITY_TIME_ZONE)

    let seeded = false
    if (mode === 'all' && config.SEED_DEMO) {
      const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from app.user_account`
      if (n === 0) {
        log.info('loading the demo city (first start only)')
        const summary = await seedDemoCity(sql, (line) => log.info(line))
        log.info('demo city loaded', { ...summary })
        seeded = true
      }
    }

    const deps = { sql, config }
    if (mode !== 'api') {
      workers = await startWorkers(db.url, { ...deps, log })
    }
    if (mode !== 'jobs') {
      api = await startApi(deps, { serveApps: mode === 'all' })
      const url = config.PUBLIC_URL ?? `http://localhost:${api.port}`
      const lines = [
        '',
        `  Curbline is running at ${url}`,
        `  API docs: ${url}/api/docs   Kiosk: ${url}/kiosk`,
        '',
      ]
      if (mode === 'all' && (seeded || config.SEED_DEMO)) {
        lines.push('  Demo sign-ins (email / password):')
        for (const s of DEMO_SIGN_INS) {
          lines.push(`    ${s.role.padEnd(11)} ${s.email.padEnd(28)} ${s.password}`)
        }
        lines.push('')
      }
      lines.push('  Press Ctrl-C to stop.', '')
      process.stdout.write(lines.join('\n') + '\n')
    } else {
      log.info('workers running')
    }
  } catch (err) {
    log.error('start failed', { err: (err as Error).message, stack: (err as Error).stack })
    await shutdown('startup-failure', 1)
  }
}

const mode = (process.argv[2] ?? 'all') as Mode
if (!['all', 'api', 'jobs'].includes(mode)) {
  console.error(`unknown mode ${mode}: use all, api or jobs`)
  process.exit(2)
}
void main(mode)
