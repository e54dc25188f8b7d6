import { describe, it, expect, inject, afterAll } from 'vitest'
import postgres from 'postgres'
import { randomBytes } from 'node:crypto'
import { connect } from '../../../db/connect.ts'
import { listMigrations, migrate } from '../../../db/migrate.ts'

const adminUrl = inject('adminUrl')
const name = `curbline_m_${randomBytes(5).toString('hex')}`
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
await admin.unsafe(`create database ${name}`)
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString()

afterAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
})

describe('migrations', () => {
  it('applies each migration exactly once when two processes start at the same moment', async () => {
    const a = connect(url, { max: 2 })
    const b = connect(url, { max: 2 })
    try {
      const [first, second] = await Promise.all([migrate(a), migrate(b)])
      const expected = (await listMigrations()).length
      expect(first + second).toBe(expected)
      const rows = await a<{ version: number }[]>`select version from public.schema_migrations order by version`
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: expected }, (_, i) => i + 1))
      expect(await migrate(a)).toBe(0)
    } finally {
      await a.end()
      await b.end()
    }
  })
})
