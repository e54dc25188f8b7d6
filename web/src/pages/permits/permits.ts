// Permits in words and numbers for the driver's portal: what a status means, how a type is
// priced, and what another vehicle costs now.
import { localTime } from '../../../../api/facilities/local-time.ts'
import { formatCents, formatDate, isoDay } from '../../lib/format.ts'
import type { Paying, Permit, PermitType } from '../../lib/types.ts'

export type PermitCharge = Permit['charges'][number]
export type PermitVehicle = Permit['vehicles'][number]
export type VisitorPass = Permit['passes'][number]
/** A card payment to confirm in the browser, as the permit endpoints answer it. */
export type CardDue = NonNullable<Paying['payment']>

/** Statuses in which a permit is still alive: it can be changed, paid or cancelled. */
export const LIVE = ['pending_review', 'waitlisted', 'awaiting_payment', 'active']

const STATUS: Record<string, string> = {
  pending_review: 'Waiting for review',
  waitlisted: 'On the waitlist',
  awaiting_payment: 'Waiting for payment',
  active: 'Active',
  expired: 'Expired',
  cancelled: 'Cancelled',
  revoked: 'Revoked',
  rejected: 'Not approved',
}

export function statusText(status: string): string {
  return STATUS[status] ?? status
}

/** The badge colour of a status: good, waiting for something, or over. */
export function statusTone(status: string): 'good' | 'waiting' | 'ended' {
  if (status === 'active') {
    return 'good'
  }
  return LIVE.includes(status) ? 'waiting' : 'ended'
}

const PERIOD: Record<string, string> = {
  monthly: 'a month',
  semester: 'a half-year',
  annual: 'a year',
}

const PERIOD_NAME: Record<string, string> = {
  monthly: 'month',
  semester: 'half-year (January–June or July–December)',
  annual: 'year',
}

/** "$40.00 a year", "Free". */
export function priceText(type: Pick<PermitType, 'priceCents' | 'period'>): string {
  return type.priceCents === 0
    ? 'Free'
    : `${formatCents(type.priceCents)} ${PERIOD[type.period] ?? type.period}`
}

/** How the first term is charged, in a sentence. */
export function prorationText(type: Pick<PermitType, 'proration' | 'period'>): string {
  const period = PERIOD_NAME[type.period] ?? type.period
  switch (type.proration) {
    case 'daily':
      return `Terms follow the calendar ${period}; you pay only for the days left in the first one.`
    case 'monthly':
      return `Terms follow the calendar ${period}; you pay only for the months left in the first one.`
    default:
      return `Each term runs one ${period.split(' ')[0]} from the day it starts.`
  }
}

/** What cancelling gives back, as the type's refund policy says. */
export function refundPolicyText(policy: string): string {
  switch (policy) {
    case 'daily':
      return 'The unused days of what you paid are refunded.'
    case 'monthly':
      return 'The unused whole months of what you paid are refunded; the month you cancel in is not.'
    default:
      return 'Nothing is refunded when this kind of permit is cancelled.'
  }
}

/** Where a type is valid: its zone, or its facilities. */
export function whereText(type: Pick<PermitType, 'zone' | 'facilities'>): string {
  if (type.zone) {
    return type.zone.name
  }
  const [first, ...rest] = type.facilities
  if (!first) {
    return 'Nowhere yet'
  }
  return rest.length === 0 ? first.name : `Valid in ${type.facilities.length} zones and lots`
}

/** A facility code on a permit as its name, read from the permit's type. */
export function placeName(code: string | null, type: PermitType | null | undefined): string | null {
  if (code === null) {
    return null
  }
  return type?.facilities.find((f) => f.code === code)?.name ?? code
}

/** The places where a type counts spaces: the applicant picks one when there are several. */
export function countedPlaces(type: Pick<PermitType, 'facilities'>): PermitType['facilities'] {
  return type.facilities.filter((f) => f.capacity !== null)
}

/** "Nov 26, 2026 to Dec 31, 2026". */
export function termText(startsOn: string, endsOn: string): string {
  return `${formatDate(startsOn)} to ${formatDate(endsOn)}`
}

const CHARGE_KIND: Record<string, string> = {
  term: 'First term',
  renewal: 'Renewal',
  vehicle_slot: 'Another vehicle',
  refund: 'Refund',
}

export function chargeKindText(kind: string): string {
  return CHARGE_KIND[kind] ?? kind
}

export function chargeMethodText(method: string, account: Permit['utilityAccount']): string {
  switch (method) {
    case 'utility_bill':
      return account ? `Utility bill, account ${account.number}` : 'Utility bill'
    case 'card':
      return 'Card'
    case 'free':
      return 'No charge'
    default:
      return method
  }
}

const CHARGE_STATUS: Record<string, string> = {
  paid: 'Paid',
  pending: 'Pending',
  failed: 'Failed',
  canceled: 'Cancelled',
}

export function chargeStatusText(charge: Pick<PermitCharge, 'status' | 'kind'>): string {
  if (charge.kind === 'refund') {
    return charge.status === 'paid' ? 'Refunded' : 'Refund pending'
  }
  return CHARGE_STATUS[charge.status] ?? charge.status
}

export function placementText(placement: string | null): string {
  switch (placement) {
    case 'inside':
      return 'inside the zone'
    case 'boundary':
      return 'on the zone’s boundary (counts as inside)'
    case 'outside':
      return 'outside the zone'
    default:
      return 'not located in the city’s record'
  }
}

/** Today as the city's calendar day (a permit's days are the city's), or the browser's. */
export function today(timeZone?: string): string {
  return timeZone ? localTime(Date.now(), timeZone).date : isoDay(new Date())
}

