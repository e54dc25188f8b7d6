import { AppError } from '../http/errors.ts'
import { parseCsv } from '../cis/csv.ts'

/** A problem with one row of an uploaded file; line is the file's line (the header is 1). */
export interface RowError {
  line: number
  field: string
  message: string
}

export interface CsvRow {
  line: number
  values: Record<string, string>
}

export const MAX_ERRORS = 100

/**
 * Reads a small CIS file (RFC 4180, header first, columns in any order): every required column
 * must be there, optional ones may be left out, no other column is allowed, and each row has as
 * many fields as the header. Values are trimmed.
 */
export function readCsvTable(
  text: string,
  columns: { required: string[]; optional: string[] },
): { rows: CsvRow[]; errors: RowError[] } {
  const { records, problems } = parseCsv(text)
  const errors: RowError[] = problems.map((p) => ({
    line: p.line,
    field: 'row',
    message: p.message,
  }))
  const [header, ...body] = records
  if (!header) {
    throw new AppError('invalid', 'The file is empty: it needs a header row', {
      errorCount: 1,
      errors: [
        { line: 1, field: 'header', message: `Expected columns ${columns.required.join(', ')}` },
      ],
    })
  }
  const names = header.fields.map((f) => f.trim().toLowerCase())
  const known = [...columns.required, ...columns.optional]
  const headerErrors: RowError[] = [
    ...columns.required
      .filter((c) => !names.includes(c))
      .map((c) => ({ line: header.line, field: c, message: `The header has no ${c} column` })),
    ...names
      .filter((n) => !known.includes(n))
      .map((n) => ({
        line: header.line,
        field: n,
        message: `Unknown column ${n || '(empty)'}; the columns are ${known.join(', ')}`,
      })),
    ...names
      .filter((n, i) => names.indexOf(n) !== i)
      .map((n) => ({ line: header.line, field: n, message: `Column ${n} appears twice` })),
  ]
  if (headerErrors.length > 0) {
    throw rejectFile(headerErrors)
  }
  const rows: CsvRow[] = []
  for (const r of body) {
    if (r.fields.length !== names.length) {
      errors.push({
        line: r.line,
        field: 'row',
        message: `${r.fields.length} fields where the header has ${names.length}`,
      })
      continue
    }
    const values: Record<string, string> = {}
    names.forEach((n, i) => {
      values[n] = (r.fields[i] ?? '').trim()
    })
    for (const c of columns.optional) {
      values[c] ??= ''
    }
    rows.push({ line: r.line, values })
  }
  return { rows, errors }
}

/** The 400 for a file with errors: nothing of it was written. */
export function rejectFile(errors: RowError[]): AppError {
  const sorted = [...errors].sort((a, b) => a.line - b.line)
  return new AppError(
    'invalid',
    `The file has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported`,
    { errorCount: errors.length, errors: sorted.slice(0, MAX_ERRORS) },
  )
}

/** Dollars with two decimals, '-' for a credit, to cents; null when not written so. */
export function centsOf(value: string): number | null {
  const m = /^(-?)(\d{1,7})\.(\d{2})$/.exec(value)
  if (!m) {
    return null
  }
  const cents = Number(m[2]) * 100 + Number(m[3])
  return m[1] === '-' ? -cents : cents
}

/** A CIS id: 1 to 40 letters, digits, dots, dashes or underscores (as in api/cis/README.md). */
export const CIS_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/
