import postgres from 'postgres'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { startEmbedded, type EmbeddedDatabase } from '../../db/embedded.ts'

export interface Target {
  url: string
  drop: () => Promise<void>
}

/**
 * A fresh database of the bench's own, dropped at the end: on DATABASE_URL's server when set,
 * else on embedded PostgreSQL under .data/bench-pg.
 */
export async function openBenchDatabase(): Promise<Target> {
  let embedded: EmbeddedDatabase | undefined
  let adminUrl = process.env.DATABASE_URL
  if (!adminUrl) {
    embedded = await startEmbedded({ dataDir: path.resolve('.data/bench-pg'), port: 54500 })
    adminUrl = embedded.url('postgres')
  }
  const name = `curbline_bench_${randomBytes(5).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString()
  return {
    url,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
      await embedded?.stop()
    },
  }
}

