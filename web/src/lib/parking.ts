import type { ParkingFacility, QuoteLine, SessionPurchase } from './types.ts'
import { formatCents } from './format.ts'
import { normalisePlate } from '../../../api/customers/plates.ts'

// Words and times for parking: facility names, durations, local clock times, how a purchase was
// paid. Times are shown in the facility's own time zone, which is the one on its signs.

export const KIND_LABEL: Record<string, string> = {
  surface_lot: 'Surface lot',
  garage: 'Garage',
  on_street_zone: 'On-street zone',
  airport_garage: 'Airport garage',
  airport_lot: 'Airport lot',
  cell_phone_lot: 'Airport cell-phone lot',
}

type Named = Pick<ParkingFacility, 'code' | 'name' | 'kind'>

/** What the signs call it: "Zone 104" on the street, the facility's name elsewhere. */
export function facilityTitle(f: Named): string {
  return f.kind === 'on_street_zone' ? `Zone ${f.code}` : f.name
}

/** The line under the title: the block a zone covers, or a facility's code. */
export function facilitySubtitle(f: Named): string {
  return f.kind === 'on_street_zone' ? f.name : `Code ${f.code}`
}

/** What an hour from now costs, as the map and the zone card say it. */
export function priceNow(
  f: Pick<ParkingFacility, 'status' | 'hourNowCents' | 'openNow' | 'opensAt'>,
): string {
  if (f.status === 'closed') {
    return 'Closed'
  }
  if (!f.openNow) {
    return f.opensAt ? `Closed now · opens ${f.opensAt}` : 'Closed now'
  }
  if (f.hourNowCents === null) {
    return '—'
  }
  return f.hourNowCents === 0 ? 'Free now' : `${formatCents(f.hourNowCents)} an hour`
}

/** Live occupancy: cars parked now (paid sessions running, stays inside) against the spaces. */
export function occupancyText(f: Pick<ParkingFacility, 'parked' | 'capacity'>): string {
  if (f.capacity === null || f.capacity === 0) {
    return `${f.parked} parked`
  }
  const free = Math.max(0, f.capacity - f.parked)
  return `${free} of ${f.capacity} free`
}

export function limitText(maximumStayMinutes: number | null): string {
  return maximumStayMinutes === null ? 'No limit' : formatDuration(maximumStayMinutes)
}

/** 90 -> "1 hour 30 minutes", 120 -> "2 hours", 45 -> "45 minutes". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  const hours = h > 0 ? `${h} hour${h === 1 ? '' : 's'}` : ''
  const mins = m > 0 || h === 0 ? `${m} minute${m === 1 ? '' : 's'}` : ''
  return [hours, mins].filter(Boolean).join(' ')
}

/** 90 -> "1 h 30 min", for buttons. */
export function formatDurationShort(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) {
    return `${m} min`
  }
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}

const clocks = new Map<string, Intl.DateTimeFormat>()

function clock(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`
  let f = clocks.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
      ...(withDate ? { weekday: 'short', month: 'short', day: 'numeric' } : {}),
    })
    clocks.set(key, f)
  }
  return f
}

function localDay(at: Date, timeZone: string): string {
  return at.toLocaleDateString('en-CA', { timeZone })
}

/**
 * A clock time in the facility's zone: "4:35 PM EDT" today there, "Thu, Mar 5, 4:35 PM EDT" on
 * another day (or always, with withDate).
 */
export function formatLocalTime(
  iso: string,
  timeZone: string,
  options: { withDate?: boolean; now?: Date } = {},
): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) {
    return iso
  }
  const sameDay = localDay(at, timeZone) === localDay(options.now ?? new Date(), timeZone)
  return clock(timeZone, options.withDate === true || !sameDay).format(at)
}

/** A calendar day (YYYY-MM-DD, already local) as "Thu, Mar 5". */
export function formatLocalDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) {
    return day
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12))
  return d.toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  })
}

/** Milliseconds left as a clock: "1:05:09", "4:59". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

/** Milliseconds left in words, to the minute, for screen readers and short lists. */
export function formatTimeLeft(ms: number): string {
  if (ms <= 0) {
    return 'Time is up'
  }
  const minutes = Math.ceil(ms / 60_000)
  return `${formatDuration(minutes)} left`
}

/** A quote line as a person reads it: the day a time line charges for, and how long. */
export function quoteLineLabel(line: QuoteLine): string {
  if (line.kind === 'time' && line.date) {
    const length = line.minutes ? ` (${formatDuration(line.minutes)} charged)` : ''
    return `Parking on ${formatLocalDay(line.date)}${length}`
  }
  return line.description
}

export function quoteLineNote(line: QuoteLine): string | null {
  if (line.cappedBy && line.uncappedCents !== undefined) {
    const cap = line.cappedBy === 'daily_max' ? 'daily maximum' : 'weekly maximum'
    return `Capped at the ${cap}; ${formatCents(line.uncappedCents)} before the cap`
  }
  return null
}

const PURCHASE_KIND: Record<SessionPurchase['kind'], string> = {
  start: 'Parking',
  extend: 'Added time',
  exit: 'Paid at exit',
  refund: 'Refund of unused time',
}

export function purchaseKindLabel(kind: SessionPurchase['kind']): string {
  return PURCHASE_KIND[kind]
}

/** How a purchase was paid, the account masked as the API masks it. */
export function paymentLabel(p: Pick<SessionPurchase, 'method' | 'utilityAccount'>): string {
  switch (p.method) {
    case 'utility_account':
      return p.utilityAccount ? `Utility bill, account ${p.utilityAccount}` : 'Utility bill'
    case 'cash':
      return 'Cash at a pay station'
    case 'card':
      return 'Card'
    case 'free':
      return 'No charge'
  }
}

/** Plates compare as the API stores them: no spaces, dashes or dots, in capitals. */
export function samePlate(a: string, b: string): boolean {
  return normalisePlate(a) === normalisePlate(b)
}

/** A fresh Idempotency-Key for one purchase attempt (crypto.getRandomValues works over http too). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}
