import { inject, afterAll } from 'vitest'
import postgres from 'postgres'
import { randomBytes } from 'node:crypto'
import { connect, type Sql } from '../../db/connect.ts'
import { readConfig, type Config } from '../../api/config.ts'

export interface TestDatabase {
  sql: Sql
  url: string
  name: string
  config: Config
}

/**
 * A fresh database for this test file, cloned from the migrated template, dropped afterwards.
 * Call it once at the top of a file: `const db = await testDatabase()`.
 */
export async function testDatabase(options: { max?: number } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl')
  const template = inject('templateDatabase')
  const name = `curbline_t_${randomBytes(6).toString('hex')}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name} template ${template}`)
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  const url = u.toString()
  const sql = connect(url, { max: options.max ?? 5, applicationName: 'curbline-test' })
  const config = readConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url })
  afterAll(async () => {
    await sql.end({ timeout: 5 })
    const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} })
    await dropper.unsafe(`drop database if exists ${name} with (force)`)
    await dropper.end()
  })
  return { sql, url, name, config }
}
