// Enforcement in words for the handheld, the supervisor's pages and the public notice: the API's
// shapes (from its zod schemas, type-only), what a verdict or a status means, and its colour.
import type { z } from 'zod'
import type {
  AppealList,
  CitationList,
  CitationPaymentView,
  CitationView,
  ImmobilisationView,
  ReadList,
  ReadView,
  ScofflawList,
  StaffCitationView,
  ViolationList,
  WarningView,
} from '../../../api/enforcement/schemas.ts'

export type PlateCheck = z.infer<typeof ReadView>
export type Verdict = PlateCheck['verdict']
export type VerdictKind = Verdict['verdict']
export type Candidate = PlateCheck['candidates'][number]
export type RouteRead = z.infer<typeof ReadList>['reads'][number]
export type Violation = z.infer<typeof ViolationList>['violations'][number]
export type Citation = z.infer<typeof CitationView>
export type StaffCitation = z.infer<typeof StaffCitationView>
export type CitationRow = z.infer<typeof CitationList>['citations'][number]
export type Appeal = z.infer<typeof AppealList>['appeals'][number]
export type Scofflaw = z.infer<typeof ScofflawList>['plates'][number]
export type Immobilisation = z.infer<typeof ImmobilisationView>
export type Warned = z.infer<typeof WarningView>
export type CitationPayment = z.infer<typeof CitationPaymentView>

/**
 * The city's time zone, in which the day's route and the staff pages read: the server says which
 * when someone signs in (a citation's notice carries its own). Until then, the browser's.
 */
let cityZone = Intl.DateTimeFormat().resolvedOptions().timeZone
let clock = new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone: cityZone })

export function setCityTimeZone(timeZone: string): void {
  if (timeZone !== cityZone) {
    cityZone = timeZone
    clock = new Intl.DateTimeFormat('en-US', { timeStyle: 'short', timeZone })
  }
}

export function cityTimeZone(): string {
  return cityZone
}

/** A time of day on the city's clock: "11:04 AM". */
export function cityTime(value: string | Date): string {
  return clock.format(typeof value === 'string' ? new Date(value) : value)
}

/** The state a plate is assumed to be from until the ambassador says otherwise. */
export const HOME_STATE = 'NC'

/** The verdict card's colour: go (nothing to do), wait (watch it), act (cite), or none. */
export type Tone = 'go' | 'wait' | 'act' | 'none'

const TONE: Record<VerdictKind, Tone> = {
  paid: 'go',
  permit: 'go',
  outside_hours: 'go',
  grace: 'wait',
  chalked: 'wait',
  over_limit: 'act',
  violation: 'act',
  unknown: 'none',
}

const TITLE: Record<VerdictKind, string> = {
  paid: 'Paid',
  permit: 'Permit',
  outside_hours: 'Not enforced now',
  grace: 'In the grace period',
  chalked: 'Chalked: within the limit',
  over_limit: 'Over the time limit',
  violation: 'Violation',
  unknown: 'No verdict',
}

export function verdictTone(kind: string): Tone {
  return TONE[kind as VerdictKind] ?? 'none'
}

export function verdictTitle(kind: string): string {
  return TITLE[kind as VerdictKind] ?? kind
}

/** Marker colours on the route and live maps, one per tone. */
export const TONE_COLOUR: Record<Tone, string> = {
  go: '#00683a',
  wait: '#936f00',
  act: '#b50909',
  none: '#5c6670',
}

const STATUS: Record<string, string> = {
  open: 'Open',
  past_due: 'Past due',
  paid: 'Paid',
  voided: 'Voided',
  dismissed: 'Dismissed',
}

export function citationStatus(status: string): string {
  return STATUS[status] ?? status
}

/** A citation's status as a badge tone: settled, owing, or owing late. */
export function citationTone(status: string): 'live' | 'waiting' | 'ended' | 'late' {
  if (status === 'paid') {
    return 'live'
  }
  if (status === 'past_due') {
    return 'late'
  }
  return status === 'open' ? 'waiting' : 'ended'
}

const POSTING: Record<string, string> = {
  fine: 'Fine',
  late_fee: 'Late fee',
  payment: 'Payment',
  reduction: 'Reduced on appeal',
  void: 'Voided',
  dismissal: 'Dismissed',
  refund: 'Refund',
}

export function postingLabel(kind: string): string {
  return POSTING[kind] ?? kind
}

/** The notice's address: its number and plate are the key (as the API's payUrl has it). */
export function noticePath(number: string, plate: string): string {
  return `/citations/${encodeURIComponent(number)}?plate=${encodeURIComponent(plate)}`
}

/** A citation's photo, served to anyone holding the notice's number and plate. */
export function photoUrl(number: string, plate: string, photoId: number): string {
  return `/api/v1/citations/${encodeURIComponent(number)}/photos/${photoId}?plate=${encodeURIComponent(plate)}`
}

/** A v4 UUID for a handheld's own id; crypto.randomUUID exists only on secure origins. */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
