import { copyText } from '../../db/copy-text.ts'

/** The two kinds of CIS feed file, told apart by their header row. See api/cis/README.md. */
export type CisFileKind = 'customers' | 'bills'

export interface RowError {
  line: number
  field: string
  message: string
}

export const UTILITY_SERVICES = [
  'electric',
  'water',
  'sewer',
  'gas',
  'solid_waste',
  'stormwater',
  'fire',
] as const
export type UtilityService = (typeof UTILITY_SERVICES)[number]

/** A value for COPY's text format, or why the field is not acceptable. */
type Parsed = string | { error: string }

interface Column {
  name: string
  required: boolean
  parse: (value: string) => Parsed
}

const NULL = '\\N'

const text =
  (max: number) =>
  (v: string): Parsed =>
    v.length > max ? { error: `longer than ${max} characters` } : copyText(v)

const id = (v: string): Parsed =>
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(v)
    ? v
    : { error: 'use 1 to 40 letters, digits, dots, dashes or underscores' }

const oneOf =
  (values: readonly string[]) =>
  (v: string): Parsed =>
    values.includes(v) ? v : { error: `must be one of ${values.join(', ')}` }

const accountNumber = (v: string): Parsed =>
  /^\d{10}$/.test(v) ? v : { error: 'an account number is 10 digits' }

const billCycle = (v: string): Parsed =>
  /^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 21
    ? v
    : { error: 'a bill cycle is 1 to 21' }

const checkDate = (v: string): Parsed => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v)
  if (!m) {
    return { error: 'write dates as YYYY-MM-DD' }
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  if (y < 1900 || y > 2100 || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    return { error: `${v} is not a date` }
  }
  return v
}

// Feed files repeat a few hundred dates millions of times; checking each once is enough.
const knownDates = new Map<string, Parsed>()
const date = (v: string): Parsed => {
  let parsed = knownDates.get(v)
  if (parsed === undefined) {
    parsed = checkDate(v)
    if (knownDates.size > 50_000) {
      knownDates.clear()
    }
    knownDates.set(v, parsed)
  }
  return parsed
}

const coordinate =
  (limit: number) =>
  (v: string): Parsed =>
    /^-?\d{1,3}(\.\d{1,8})?$/.test(v) && Math.abs(Number(v)) <= limit
      ? v
      : { error: `a coordinate in decimal degrees between -${limit} and ${limit}` }

const email = (v: string): Parsed =>
  v.length <= 254 && /^[^\s@",]+@[^\s@",]+\.[^\s@",]+$/.test(v)
    ? v.toLowerCase()
    : { error: 'not an email address' }

const zip = (v: string): Parsed =>
  /^\d{5}(-\d{4})?$/.test(v) ? v.slice(0, 5) : { error: 'a ZIP code is 5 digits (or ZIP+4)' }

const state = (v: string): Parsed =>
  /^[A-Z]{2}$/.test(v) ? v : { error: 'a state is 2 capital letters' }

/** Bill line amounts: dollars with two decimals, negative for credits; up to $9,999,999.99. */
const amount = (v: string): Parsed => {
  const m = /^(-?)(\d{1,7})\.(\d{2})$/.exec(v)
  if (!m) {
    return { error: 'write amounts as dollars with two decimals, e.g. 123.45 or -10.00' }
  }
  const cents = Number(m[2]) * 100 + Number(m[3])
  return String(m[1] === '-' ? -cents : cents)
}

const CUSTOMER_COLUMNS: Column[] = [
  { name: 'cis_customer_id', required: true, parse: id },
  { name: 'customer_name', required: true, parse: text(200) },
  { name: 'email', required: false, parse: email },
  { name: 'phone', required: false, parse: text(40) },
  { name: 'mailing_address', required: false, parse: text(300) },
  { name: 'premise_id', required: true, parse: id },
  { name: 'service_address', required: true, parse: text(200) },
  { name: 'city', required: true, parse: text(100) },
  { name: 'state', required: true, parse: state },
  { name: 'zip', required: true, parse: zip },
  { name: 'lat', required: false, parse: coordinate(90) },
  { name: 'lon', required: false, parse: coordinate(180) },
  { name: 'account_number', required: true, parse: accountNumber },
  { name: 'bill_cycle', required: true, parse: billCycle },
  { name: 'account_status', required: true, parse: oneOf(['active', 'inactive', 'closed']) },
  { name: 'opened_on', required: true, parse: date },
  { name: 'closed_on', required: false, parse: date },
  { name: 'relationship', required: false, parse: oneOf(['primary', 'co_holder']) },
  { name: 'agreement_id', required: false, parse: id },
  { name: 'service', required: false, parse: oneOf(UTILITY_SERVICES) },
  { name: 'agreement_status', required: false, parse: oneOf(['active', 'pending', 'stopped']) },
  { name: 'start_on', required: false, parse: date },
  { name: 'end_on', required: false, parse: date },
]

const CUSTOMER_INDEX = new Map(CUSTOMER_COLUMNS.map((c, i) => [c.name, i]))

const BILL_COLUMNS: Column[] = [
  { name: 'bill_id', required: true, parse: id },
  { name: 'account_number', required: true, parse: accountNumber },
  { name: 'bill_date', required: true, parse: date },
  { name: 'bill_cycle', required: true, parse: billCycle },
  { name: 'service', required: true, parse: oneOf(UTILITY_SERVICES) },
  { name: 'amount', required: true, parse: amount },
]

export const COLUMNS: Record<CisFileKind, readonly string[]> = {
  customers: CUSTOMER_COLUMNS.map((c) => c.name),
  bills: BILL_COLUMNS.map((c) => c.name),
}

/** Reads one data row into a line of COPY text (line number first), or reports its errors. */
export type RowReader = (
  fields: string[],
  line: number,
  report: (error: RowError) => void,
) => string | null

/**
 * Works out the kind of file from its header row and returns the reader for its rows. Columns
 * may come in any order; unknown, repeated or missing columns are errors on line 1.
 */
export function readHeader(
  header: string[],
): { kind: CisFileKind; read: RowReader } | { kind: CisFileKind | null; errors: RowError[] } {
  const names = header.map((h) => h.trim().toLowerCase())
  const kind: CisFileKind | null = names.includes('bill_id')
    ? 'bills'
    : names.includes('cis_customer_id')
      ? 'customers'
      : null
  if (kind === null) {
    return {
      kind,
      errors: [
        {
          line: 1,
          field: 'header',
          message:
            'the first row must name the columns of a customer file (cis_customer_id, ...) ' +
            'or a bill file (bill_id, ...); see api/cis/README.md',
        },
      ],
    }
  }
  const columns = kind === 'bills' ? BILL_COLUMNS : CUSTOMER_COLUMNS
  const errors: RowError[] = []
  names.forEach((name, i) => {
    if (!columns.some((c) => c.name === name)) {
      errors.push({
        line: 1,
        field: name || `column ${i + 1}`,
        message: `not a column of a ${kind} file`,
      })
    } else if (names.indexOf(name) !== i) {
      errors.push({ line: 1, field: name, message: 'the column appears twice' })
    }
  })
  for (const c of columns) {
    if (!names.includes(c.name)) {
      errors.push({ line: 1, field: c.name, message: `a ${kind} file needs this column` })
    }
  }
  if (errors.length > 0) {
    return { kind, errors }
  }
  const positions = columns.map((c) => names.indexOf(c.name))
  const check = kind === 'customers' ? checkCustomerRow : () => null
  const read: RowReader = (fields, line, report) => {
    if (fields.length !== names.length) {
      report({
        line,
        field: 'row',
        message: `has ${fields.length} fields; the header has ${names.length}`,
      })
      return null
    }
    const values: string[] = [String(line)]
    let ok = true
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i] as Column
      const raw = (fields[positions[i] as number] as string).trim()
      if (raw === '') {
        if (column.required) {
          report({ line, field: column.name, message: 'is required' })
          ok = false
        }
        values.push(NULL)
        continue
      }
      const parsed = column.parse(raw)
      if (typeof parsed === 'string') {
        values.push(parsed)
      } else {
        report({ line, field: column.name, message: parsed.error })
        ok = false
      }
    }
    if (!ok) {
      return null
    }
    const problem = check(values)
    if (problem) {
      report({ line, ...problem })
      return null
    }
    return values.join('\t') + '\n'
  }
  return { kind, read }
}

// values[0] is the line number; customer columns follow in CUSTOMER_COLUMNS order.
function checkCustomerRow(values: string[]): { field: string; message: string } | null {
  const v = (name: string) => {
    const value = values[1 + (CUSTOMER_INDEX.get(name) ?? -2)]
    return value === NULL ? null : (value ?? null)
  }
  if ((v('lat') === null) !== (v('lon') === null)) {
    const field = v('lat') === null ? 'lat' : 'lon'
    return { field, message: 'give both lat and lon, or neither' }
  }
  const closed = v('closed_on')
  const opened = v('opened_on')
  if (closed !== null && opened !== null && closed < opened) {
    return { field: 'closed_on', message: 'is before opened_on' }
  }
  const agreement = ['agreement_id', 'service', 'agreement_status', 'start_on'] as const
  const given = agreement.filter((name) => v(name) !== null)
  if (given.length > 0 && given.length < agreement.length) {
    const missing = agreement.find((name) => v(name) === null) ?? 'agreement_id'
    return {
      field: missing,
      message: 'a service agreement needs agreement_id, service, agreement_status and start_on',
    }
  }
  if (given.length === 0 && v('end_on') !== null) {
    return { field: 'end_on', message: 'there is no service agreement on this row' }
  }
  const start = v('start_on')
  const end = v('end_on')
  if (start !== null && end !== null && end < start) {
    return { field: 'end_on', message: 'is before start_on' }
  }
  return null
}

