import type { Writable } from 'node:stream'
import type { Tx } from '../../db/connect.ts'
import type { RowError } from './formats.ts'

/** The first errors of a file (sorted by line, at most MAX_ERRORS) and how many there were. */
export interface FoundErrors {
  errors: RowError[]
  count: number
}

export const MAX_ERRORS = 100

export interface Applied {
  rowsApplied: number
  counts: Record<string, number>
}

export interface ApplyContext {
  importId: number
  timeZone: string
  log: (line: string) => void
}

/** What each kind of file does once the importer has read its rows into COPY text. */
export interface Feed {
  /** Creates the staging table and opens COPY into it. */
  stage(tx: Tx): Promise<Writable>
  /** Checks that need the whole file or the database: rows against each other and what exists. */
  validate(tx: Tx): Promise<FoundErrors>
  /** Writes the staged rows; runs only when validation found nothing. */
  apply(tx: Tx, context: ApplyContext): Promise<Applied>
}

type ErrorRow = RowError & { total: number }

/** Runs set-based checks (each answering line, field, message, total) and merges their errors. */
export async function collectErrors(
  queries: PromiseLike<readonly unknown[]>[],
): Promise<FoundErrors> {
  const errors: RowError[] = []
  let count = 0
  for (const query of queries) {
    const rows = (await query) as ErrorRow[]
    count += rows[0]?.total ?? 0
    for (const r of rows) {
      errors.push({ line: r.line, field: r.field, message: r.message })
    }
  }
  errors.sort((a, b) => a.line - b.line)
  return { errors: errors.slice(0, MAX_ERRORS), count }
}
