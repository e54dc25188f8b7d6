/** One record of a CSV file: its fields and the line of the file it starts on (1-based). */
export interface CsvRecord {
  line: number
  fields: string[]
}

export interface CsvProblem {
  line: number
  message: string
}

export interface CsvParser {
  /** Feeds the next piece of text; records complete in it are handed to onRecord at once. */
  write(text: string): void
  /** The input is over: hands on the last record and reports an unterminated quote. */
  end(): void
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13

/**
 * A streaming RFC 4180 parser: comma separated, fields optionally in double quotes with "" for a
 * quote, records ended by CRLF or LF (a quoted field may hold either). Text may arrive in pieces
 * cut anywhere. A malformed record (a stray quote, text after a closing quote) is reported to
 * onProblem with its line and skipped, so one file yields every problem in one pass.
 */
export function createCsvParser(
  onRecord: (record: CsvRecord) => void,
  onProblem: (problem: CsvProblem) => void,
): CsvParser {
  let fields: string[] = []
  let field = ''
  let inQuotes = false
  // a quote just closed; the next character must end the field or be a second quote
  let afterQuote = false
  let fieldStarted = false
  let line = 1
  let recordLine = 1
  let broken: string | null = null
  let pendingCr = false
  let first = true

  const endField = () => {
    fields.push(field)
    field = ''
    afterQuote = false
    fieldStarted = false
  }

  const endRecord = () => {
    endField()
    if (broken !== null) {
      onProblem({ line: recordLine, message: broken })
    } else if (!(fields.length === 1 && fields[0] === '')) {
      onRecord({ line: recordLine, fields })
    }
    fields = []
    broken = null
  }

  return {
    write(text) {
      let i = 0
      if (first && text.length > 0) {
        first = false
        if (text.charCodeAt(0) === 0xfeff) {
          i = 1
        }
      }
      const n = text.length
      while (i < n) {
        if (pendingCr) {
          pendingCr = false
          if (text.charCodeAt(i) === LF) {
            i++
            continue
          }
        }
        if (inQuotes) {
          const q = text.indexOf('"', i)
          if (q === -1) {
            const chunk = text.slice(i)
            field += chunk
            line += countNewlines(chunk)
            i = n
            continue
          }
          const chunk = text.slice(i, q)
          field += chunk
          line += countNewlines(chunk)
          inQuotes = false
          afterQuote = true
          i = q + 1
          continue
        }
        const c = text.charCodeAt(i)
        if (c === COMMA) {
          endField()
          i++
        } else if (c === LF || c === CR) {
          endRecord()
          line++
          recordLine = line
          pendingCr = c === CR
          i++
        } else if (c === QUOTE) {
          if (afterQuote) {
            // "" inside a quoted field
            field += '"'
            inQuotes = true
            afterQuote = false
          } else if (!fieldStarted) {
            inQuotes = true
            fieldStarted = true
          } else {
            broken ??=
              'a double quote inside an unquoted field; quote the whole field and double the quote'
            field += '"'
          }
          i++
        } else {
          if (afterQuote) {
            broken ??= 'text after the closing quote of a field'
          }
          // take the plain run up to the next special character in one slice
          let j = i + 1
          while (j < n) {
            const d = text.charCodeAt(j)
            if (d === COMMA || d === LF || d === CR || d === QUOTE) {
              break
            }
            j++
          }
          field += text.slice(i, j)
          fieldStarted = true
          i = j
        }
      }
    },
    end() {
      if (inQuotes) {
        broken ??= 'a quoted field is not closed before the end of the file'
        inQuotes = false
      }
      if (fields.length > 0 || field !== '' || fieldStarted || broken !== null) {
        endRecord()
      }
    },
  }
}

// Inside quotes only LF counts as a line break; a bare CR there is kept as data.
function countNewlines(text: string): number {
  let count = 0
  let at = text.indexOf('\n')
  while (at !== -1) {
    count++
    at = text.indexOf('\n', at + 1)
  }
  return count
}

/** Parses a whole text; for small files and tests. */
export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = []
  const problems: CsvProblem[] = []
  const parser = createCsvParser(
    (r) => records.push(r),
    (p) => problems.push(p),
  )
  parser.write(text)
  parser.end()
  return { records, problems }
}

/** Quotes a field when it has to be (comma, quote, CR or LF), for files Curbline writes. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) {
    return ''
  }
  const s = String(value)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvField).join(',') + '\n'
}
