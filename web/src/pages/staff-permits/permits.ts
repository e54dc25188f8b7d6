import type { z } from 'zod'
import type { PermitListQuery } from '../../../../api/permits/schemas.ts'
import { API_BASE } from '../../lib/api.ts'
import { formatCents } from '../../lib/format.ts'

export type PermitStatus = NonNullable<z.infer<typeof PermitListQuery>['status']>

export const STATUS_LABEL: Record<PermitStatus, string> = {
  pending_review: 'Waiting for review',
  waitlisted: 'On the waitlist',
  awaiting_payment: 'Waiting for payment',
  active: 'Active',
  expired: 'Expired',
  cancelled: 'Cancelled',
  revoked: 'Revoked',
  rejected: 'Rejected',
}

export function statusLabel(status: string): string {
  return STATUS_LABEL[status as PermitStatus] ?? status
}

/** How a status reads at a glance: live, waiting on someone, or over. */
export function statusTone(status: string): 'live' | 'waiting' | 'ended' {
  if (status === 'active') {
    return 'live'
  }
  return ['pending_review', 'waitlisted', 'awaiting_payment'].includes(status) ? 'waiting' : 'ended'
}

/** Permits that are still running or on their way: a supervisor may revoke them. */
export const REVOCABLE = ['waitlisted', 'awaiting_payment', 'active']

export const KIND_LABEL: Record<string, string> = {
  residential: 'Residential',
  employee: 'Employee',
  monthly_garage: 'Monthly garage',
  airport_employee: 'Airport employee',
  contractor: 'Contractor',
  disability: 'Disability',
}

export const REASON_LABEL: Record<string, string> = {
  in_zone: 'Lives in the zone',
  not_in_zone: 'Lives outside the zone',
  no_active_service: 'No active utility service',
  address_not_in_record: 'Address not located in the city’s record',
  household_limit: 'Household limit reached',
  staff_review: 'Staff approve every permit of this type',
  open: 'Open to anyone',
}

export const PLACEMENT_LABEL: Record<string, string> = {
  inside: 'inside the zone',
  boundary: 'on the zone’s boundary',
  outside: 'outside the zone',
}

export const PERIOD_LABEL: Record<string, string> = {
  monthly: 'Monthly',
  semester: 'Semester (January–June, July–December)',
  annual: 'Annual',
}

const PER_PERIOD: Record<string, string> = {
  monthly: 'a month',
  semester: 'a semester',
  annual: 'a year',
}

export const CHARGE_KIND_LABEL: Record<string, string> = {
  term: 'First term',
  renewal: 'Renewal',
  vehicle_slot: 'Extra vehicle',
  refund: 'Refund',
}

export const METHOD_LABEL: Record<string, string> = {
  card: 'Card',
  utility_bill: 'Utility bill',
  free: 'No charge',
}

export const CHARGE_STATUS_LABEL: Record<string, string> = {
  pending: 'Pending',
  paid: 'Paid',
  failed: 'Failed',
  canceled: 'Cancelled',
}

/** "$40.00 a year", or "Free". */
export function priceText(priceCents: number, period: string): string {
  return priceCents === 0 ? 'Free' : `${formatCents(priceCents)} ${PER_PERIOD[period] ?? period}`
}

/** An uploaded proof, served as a download to its holder and staff (same-origin cookie). */
export function documentHref(permitId: string, documentId: number): string {
  return `${API_BASE}/permits/${encodeURIComponent(permitId)}/documents/${documentId}`
}

export const permitHref = (id: string) => `/staff/permits/${encodeURIComponent(id)}`

/** Who decides applications and revokes permits; finance staff only read. */
export const decides = (role: string | undefined) => role === 'supervisor' || role === 'admin'
