import type { TestProject } from 'vitest/node'
import postgres from 'postgres'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { readFile, rm } from 'node:fs/promises'
import { startEmbedded, type EmbeddedDatabase } from '../../db/embedded.ts'
import { listMigrations, migrate } from '../../db/migrate.ts'
import { connect } from '../../db/connect.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string
    templateDatabase: string
  }
}

let embedded: EmbeddedDatabase | undefined
let privateDir: string | undefined

/**
 * One PostgreSQL for the run (DATABASE_URL's server, or an embedded one beside a running
 * npm start) and one migrated template database; each test file clones its own from it.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    // a second test run at the same time gets a cluster of its own, removed afterwards
    const shared = path.resolve('.data/test-pg')
    privateDir = (await clusterRunning(shared)) ? path.resolve(`.data/test-pg-${process.pid}`) : undefined
    embedded = await startEmbedded({ dataDir: privateDir ?? shared, port: 54400 })
    adminUrl = embedded.url('postgres')
  }
  const migrations = await listMigrations()
  const hash = createHash('sha256')
  for (const m of migrations) {
    hash.update(await readFile(m.file))
  }
  const templateDatabase = `curbline_tpl_${hash.digest('hex').slice(0, 12)}`

  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${templateDatabase}`
    if (!found) {
      await admin.unsafe(`create database ${templateDatabase}_building`).catch(async () => {
        await admin.unsafe(`drop database ${templateDatabase}_building with (force)`)
        await admin.unsafe(`create database ${templateDatabase}_building`)
      })
      const sql = connect(withDatabase(adminUrl, `${templateDatabase}_building`), { max: 1 })
      await migrate(sql)
      await sql.end()
      await admin.unsafe(`alter database ${templateDatabase}_building rename to ${templateDatabase}`)
    }
  } finally {
    await admin.end()
  }
  project.provide('adminUrl', adminUrl)
  project.provide('templateDatabase', templateDatabase)

  return async () => {
    await embedded?.stop()
    if (privateDir) {
      await rm(privateDir, { recursive: true, force: true })
    }
  }
}

async function clusterRunning(dataDir: string): Promise<boolean> {
  let pid: number
  try {
    pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
  } catch {
    return false
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // the postgres user's process exists but is not ours to signal
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}
