import { cityTimeZone } from '../../lib/enforcement.ts'
import type { StatusTone } from '../../components/status-badge/status-badge.tsx'
import type { DayStatusName, ExportStatus, Reconciliation } from './types.ts'

/** Today's business day, YYYY-MM-DD on the city's calendar. */
export function cityToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: cityTimeZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now)
}

/** A calendar day moved by n days (n may be negative), as YYYY-MM-DD; no time zone involved. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The first and last days of the month holding day ('2026-11'). */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 + n, 1))
  return d.toISOString().slice(0, 7)
}

const monthName = new Intl.DateTimeFormat('en-US', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})
const dayName = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
})
const shortDay = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})

export const formatMonth = (month: string) => monthName.format(new Date(`${month}-01T00:00:00Z`))
export const formatLongDay = (day: string) => dayName.format(new Date(`${day}T00:00:00Z`))
export const formatShortDay = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`))

export const DAY_TONE: Record<DayStatusName, StatusTone> = {
  closed: 'live',
  open: 'waiting',
  failed: 'late',
}

export const DAY_LABEL: Record<DayStatusName, string> = {
  closed: 'Closed',
  open: 'Open',
  failed: 'Failed',
}

export const RECONCILIATION_TONE: Record<Reconciliation, StatusTone> = {
  matched: 'live',
  unreconciled: 'waiting',
  mismatched: 'late',
}

export const EXPORT_TONE: Record<ExportStatus, StatusTone> = {
  done: 'live',
  running: 'waiting',
  failed: 'late',
}

const ACRONYMS = new Set(['cis', 'ivr', 'gl', 'ach'])

/** 'kiosk' -> 'Kiosk', 'utility_bill' -> 'Utility bill', 'cis_bill_run' -> 'CIS bill run'. */
export function label(code: string): string {
  const words = code.split('_').map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
  const spaced = words.join(' ')
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** Query strings from the parts that are set. */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, String(v))
    }
  }
  const text = q.toString()
  return text ? `?${text}` : ''
}
