import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Writable } from 'node:stream'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { createCsvParser } from './csv.ts'
import { readHeader, type CisFileKind, type RowError, type RowReader } from './formats.ts'
import { MAX_ERRORS, type Feed } from './feed.ts'
import { customerFeed } from './customer-feed.ts'
import { billFeed } from './bill-feed.ts'

const FEEDS: Record<CisFileKind, Feed> = { customers: customerFeed, bills: billFeed }

// One import at a time: two files touching the same accounts must not interleave.
const IMPORT_LOCK = 4_207_311_002

/** The file's text or bytes: a whole string, chunks as they arrive, or generated pieces. */
export type ImportSource = string | AsyncIterable<Uint8Array | string> | Iterable<string>

export interface ImportOptions {
  fileName: string
  importedBy?: number | null
  /** Bills post at noon on their bill date in the city's time zone. */
  timeZone?: string
  log?: (line: string) => void
}

export interface CisImport {
  id: number
  kind: CisFileKind | null
  fileName: string
  sha256: string
  status: 'applied' | 'rejected'
  rowsTotal: number
  rowsApplied: number
  errorCount: number
  errors: RowError[]
  counts: Record<string, number>
  importedBy: number | null
  createdAt: Date
  durationMs: number
}

interface ImportRow {
  id: number
  kind: CisFileKind | null
  file_name: string
  sha256: string
  status: 'applied' | 'rejected'
  rows_total: number
  rows_applied: number
  error_count: number
  errors: RowError[]
  counts: Record<string, number>
  imported_by: number | null
  created_at: Date
  duration_ms: number
}

class Rejected extends Error {
  constructor(readonly errors: RowError[], readonly count: number) {
    super('rejected')
  }
}

/**
 * Imports one CIS feed file (customers or bills, told by its header). The whole file is read,
 * checked row by row and then as a whole before anything is written; a file with any bad row
 * changes nothing and is recorded as rejected with its first errors. Importing the same file
 * again changes nothing.
 */
export async function importCisFile(
  sql: Db,
  source: ImportSource,
  options: ImportOptions,
): Promise<CisImport> {
  const started = performance.now()
  const log = options.log ?? (() => {})
  const hash = createHash('sha256')
  const errors: RowError[] = []
  let errorCount = 0
  const report = (e: RowError) => {
    errorCount++
    if (errors.length < MAX_ERRORS) {
      errors.push(e)
    }
  }
  let kind: CisFileKind | null = null
  let rowsTotal = 0
  const elapsed = () => Math.round(performance.now() - started)

  try {
    return await inTransaction(sql, async (tx) => {
      await tx`select pg_advisory_xact_lock(${IMPORT_LOCK})`
      // the checks, upserts and postings sort and hash whole files (millions of bill lines at city
      // scale); in memory they run several times faster
      await tx`set local work_mem = '1GB'`
      await tx`set local maintenance_work_mem = '1GB'`
      // estimates over freshly staged millions of rows make JIT compile for seconds to save less
      await tx`set local jit = off`
      // staging tables of millions of rows live in temp buffers; the setting can only change
      // before a session's first temporary table, so a session that has had one keeps its own
      await tx`
        do $$ begin
          perform set_config('temp_buffers', '1GB', true);
        exception when others then null;
        end $$`
      let reader: RowReader | null = null
      let sawHeader = false
      let pending: string[] = []
      const parser = createCsvParser(
        ({ line, fields }) => {
          if (!sawHeader) {
            sawHeader = true
            const header = readHeader(fields)
            kind = header.kind
            if ('errors' in header) {
              header.errors.forEach(report)
            } else {
              reader = header.read
            }
            return
          }
          rowsTotal++
          // good rows are staged even when others are bad, so the whole-file checks can run too
          const copyLine = reader?.(fields, line, report) ?? null
          if (copyLine !== null) {
            pending.push(copyLine)
          }
        },
        ({ line, message }) => {
          if (!sawHeader) {
            sawHeader = true
          } else {
            rowsTotal++
          }
          report({ line, field: 'row', message })
        },
      )

      let copy: Writable | null = null
      const flush = async () => {
        if (kind === null || reader === null) {
          pending = []
          return
        }
        copy ??= await FEEDS[kind].stage(tx)
        if (pending.length > 0) {
          const ok = copy.write(pending.join(''))
          pending = []
          if (!ok) {
            await once(copy, 'drain')
          }
        }
      }

      try {
        const decoder = new TextDecoder('utf-8', { fatal: true })
        let readable = true
        for await (const chunk of typeof source === 'string' ? [source] : source) {
          hash.update(chunk)
          if (!readable) {
            continue
          }
          try {
            const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
            parser.write(text)
          } catch (err) {
            if (!(err instanceof TypeError)) {
              throw err
            }
            readable = false
            report({ line: rowsTotal + 2, field: 'file', message: 'the file is not UTF-8 text' })
          }
          await flush()
        }
        if (readable) {
          try {
            parser.write(decoder.decode())
          } catch {
            const message = 'the file ends inside a character'
            report({ line: rowsTotal + 2, field: 'file', message })
          }
          parser.end()
        }
        if (!sawHeader) {
          const message = 'the file is empty; the first row names the columns'
          report({ line: 1, field: 'header', message })
        }
        await flush()
        if (kind !== null && reader !== null) {
          // a header and no rows still gets its (empty) staging table
          copy ??= await FEEDS[kind].stage(tx)
        }
      } catch (err) {
        // a source that fails half way (an upload cut off) must not leave COPY open
        const open = copy as Writable | null
        open?.destroy(err as Error)
        throw err
      }
      const staged = copy as Writable | null
      if (staged) {
        staged.end()
        await finished(staged)
      }
      log(`${options.fileName}: read ${rowsTotal} rows (${kind ?? 'unknown'}) in ${elapsed()} ms`)
      if (kind === null || !staged) {
        throw new Rejected(sortErrors(errors), errorCount)
      }
      const feed = FEEDS[kind]
      const found = await feed.validate(tx)
      log(`${options.fileName}: checked in ${elapsed()} ms`)
      if (errorCount > 0 || found.count > 0) {
        throw new Rejected(
          sortErrors([...errors, ...found.errors]).slice(0, MAX_ERRORS),
          errorCount + found.count,
        )
      }
      const [record]: [{ id: number }?] = await tx`
        insert into cis.import
          (kind, file_name, sha256, status, rows_total, rows_applied, imported_by)
        values (${kind}, ${options.fileName}, ${hash.digest('hex')}, 'applied', ${rowsTotal}, 0,
                ${options.importedBy ?? null})
        returning id`
      if (!record) {
        throw new Error('import insert returned nothing')
      }
      const result = await feed.apply(tx, {
        importId: record.id,
        timeZone: options.timeZone ?? 'America/New_York',
        log: (line) => log(`${options.fileName}: ${line} (${elapsed()} ms)`),
      })
      const [row]: [ImportRow?] = await tx`
        update cis.import
           set rows_applied = ${result.rowsApplied}, counts = ${tx.json(result.counts)},
               duration_ms = ${elapsed()}
         where id = ${record.id}
        returning ${IMPORT_COLUMNS(tx)}`
      if (!row) {
        throw new Error('import update returned nothing')
      }
      log(`${options.fileName}: applied in ${elapsed()} ms`)
      return importView(row)
    })
  } catch (err) {
    if (!(err instanceof Rejected)) {
      throw err
    }
    const [row]: [ImportRow?] = await sql`
      insert into cis.import
        (kind, file_name, sha256, status, rows_total, rows_applied, error_count, errors,
         imported_by, duration_ms)
      values (${kind}, ${options.fileName}, ${hash.digest('hex')}, 'rejected', ${rowsTotal}, 0,
              ${err.count}, ${sql.json(err.errors as never)}, ${options.importedBy ?? null},
              ${elapsed()})
      returning ${IMPORT_COLUMNS(sql)}`
    if (!row) {
      throw new Error('import insert returned nothing')
    }
    log(`${options.fileName}: rejected with ${err.count} error(s)`)
    throw rejection(importView(row))
  }
}

function sortErrors(errors: RowError[]): RowError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.field.localeCompare(b.field))
}

/** The 4xx a rejected file answers with; details carry the import record and its first errors. */
export function rejection(record: CisImport): AppError {
  return new AppError(
    'invalid',
    `${record.fileName} has ${record.errorCount} error(s); nothing from it was imported`,
    {
      importId: record.id,
      kind: record.kind,
      errorCount: record.errorCount,
      errors: record.errors,
    },
  )
}

export async function listImports(sql: Db, limit = 50): Promise<CisImport[]> {
  const rows = await sql<ImportRow[]>`
    select ${IMPORT_COLUMNS(sql)} from cis.import order by id desc limit ${limit}`
  return rows.map(importView)
}

export async function getImport(sql: Db, id: number): Promise<CisImport> {
  const [row]: [ImportRow?] = await sql`
    select ${IMPORT_COLUMNS(sql)} from cis.import where id = ${id}`
  if (!row) {
    throw new AppError('not_found', 'Import not found')
  }
  return importView(row)
}

const IMPORT_COLUMNS = (sql: Db) => sql`
  id, kind, file_name, sha256, status, rows_total, rows_applied, error_count, errors, counts,
  imported_by, created_at, duration_ms`

function importView(r: ImportRow): CisImport {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    sha256: r.sha256,
    status: r.status,
    rowsTotal: r.rows_total,
    rowsApplied: r.rows_applied,
    errorCount: r.error_count,
    errors: r.errors,
    counts: r.counts,
    importedBy: r.imported_by,
    createdAt: r.created_at,
    durationMs: r.duration_ms,
  }
}
