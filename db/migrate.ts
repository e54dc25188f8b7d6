import { readdir, readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Sql } from './connect.ts'

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

// Any constant works; it only has to be the same for every Curbline process.
const MIGRATION_LOCK = 4_207_311_001

export interface Migration {
  version: number
  name: string
  file: string
  checksum: string
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file)
    if (!match?.[1] || !match[2]) {
      throw new Error(`migration file ${file} is not named NNNN_name.sql`)
    }
    const text = await readFile(path.join(dir, file), 'utf8')
    migrations.push({
      version: Number(match[1]),
      name: match[2],
      file: path.join(dir, file),
      checksum: createHash('sha256').update(text).digest('hex'),
    })
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migrations must be numbered 0001, 0002, ... without gaps; found ${m.version}`)
    }
  })
  return migrations
}

/**
 * Applies every migration not yet recorded, each in its own transaction. A session-level advisory
 * lock makes a second process that starts at the same moment wait, then find nothing to do.
 */
export async function migrate(sql: Sql, log: (line: string) => void = () => {}): Promise<number> {
  const migrations = await listMigrations()
  return sql.reserve().then(async (conn) => {
    try {
      await conn`select pg_advisory_lock(${MIGRATION_LOCK})`
      await conn`
        create table if not exists public.schema_migrations (
          version int primary key,
          name text not null,
          checksum text not null,
          applied_at timestamptz not null default now()
        )`
      const applied = await conn<{ version: number; checksum: string; name: string }[]>`
        select version, checksum, name from public.schema_migrations order by version`
      const done = new Map(applied.map((a) => [a.version, a]))
      let count = 0
      for (const m of migrations) {
        const prior = done.get(m.version)
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(
              `migration ${m.version}_${m.name} changed after it was applied; migrations are forward only`,
            )
          }
          continue
        }
        const text = await readFile(m.file, 'utf8')
        // a reserved connection has no begin(): the transaction is spelled out
        await conn`begin`
        try {
          await conn.unsafe(text)
          await conn`
            insert into public.schema_migrations (version, name, checksum)
            values (${m.version}, ${m.name}, ${m.checksum})`
          await conn`commit`
        } catch (err) {
          await conn`rollback`
          throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, {
            cause: err,
          })
        }
        log(`migrated ${String(m.version).padStart(4, '0')}_${m.name}`)
        count++
      }
      return count
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {})
      conn.release()
    }
  })
}
