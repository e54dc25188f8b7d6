const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

/** Integer cents as US dollars: 4512 -> "$45.12", -2000 -> "−$20.00" (a true minus sign). */
export function formatCents(cents: number): string {
  const text = usd.format(Math.abs(cents) / 100)
  return cents < 0 ? `\u2212${text}` : text
}

/**
 * Dollars typed by a person ("45.12", "$1,204", "7.5") as integer cents, or null when it is not
 * an amount. Parsed from the text so 0.1 + 0.2 never enters into it.
 */
export function parseDollars(text: string): number | null {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (!m?.[1]) {
    return null
  }
  const dollars = Number(m[1].replace(/,/g, ''))
  const cents = Number((m[2] ?? '').padEnd(2, '0'))
  const total = dollars * 100 + cents
  return Number.isSafeInteger(total) ? total : null
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' })
const dateTimeFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' })

/** A date or timestamp for people; plain YYYY-MM-DD dates are read as calendar days, not UTC. */
export function formatDate(value: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (day) {
    return dateFormat.format(new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])))
  }
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : dateFormat.format(d)
}

/** A timestamp for people, in a named time zone (the city's) when given, else the browser's. */
export function formatDateTime(value: string, timeZone?: string): string {
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) {
    return value
  }
  return timeZone
    ? new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d)
    : dateTimeFormat.format(d)
}

/** A local calendar day as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function monthsAgo(months: number, from = new Date()): Date {
  const d = new Date(from.getFullYear(), from.getMonth() - months, from.getDate())
  return d
}

export function titleCase(text: string): string {
  const spaced = text.replace(/_/g, ' ')
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}
