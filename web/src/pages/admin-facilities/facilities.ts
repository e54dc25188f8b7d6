import { useCallback } from 'preact/hooks'
import type { z } from 'zod'
import type {
  FacilityDetail,
  FacilityList,
  FacilityView,
} from '../../../../api/facilities/schemas.ts'
import { ApiError } from '../../lib/api.ts'
import { useApi } from '../../lib/use-api.ts'
import { formatCents } from '../../lib/format.ts'

export type Facility = z.infer<typeof FacilityView>
export type Facilities = z.infer<typeof FacilityList>
/** One facility with its whole tariff, from GET /facilities/{code}. */
export type FacilityWithTariff = z.infer<typeof FacilityDetail>
export type FacilityStatus = Facility['status']

export const KIND_LABEL: Record<string, string> = {
  on_street_zone: 'On-street zone',
  garage: 'Garage',
  surface_lot: 'Surface lot',
  airport_garage: 'Airport garage',
  airport_lot: 'Airport lot',
  cell_phone_lot: 'Airport cell-phone lot',
}

export const STATUS_LABEL: Record<FacilityStatus, string> = {
  open: 'Open',
  closed: 'Closed',
  event: 'Event',
}

/** Zones are known by the number on their signs, everything else by its name. */
export function titleOf(f: Pick<Facility, 'kind' | 'code' | 'name'>): string {
  return f.kind === 'on_street_zone' ? `Zone ${f.code}` : f.name
}

export function hourFrom(f: Facility): string {
  if (f.status === 'closed') {
    return 'Closed'
  }
  if (f.hourNowCents === null) {
    return 'Not sold'
  }
  return f.hourNowCents === 0 ? 'Free' : formatCents(f.hourNowCents)
}

/** The body PATCH /facilities/{code} takes; only what it names changes. */
export interface FacilityChange {
  name?: string
  status?: FacilityStatus
  capacity?: number | null
  geometry?: GeoJSON.Geometry | null
  hours?: Facility['hours']
  tariff?: unknown
}

/** PATCHes a facility as the signed-in administrator, with the CSRF token; a 401 ends the session. */
export function useFacilityUpdate(): (code: string, change: FacilityChange) => Promise<Facility> {
  const api = useApi()
  return useCallback(
    (code: string, change: FacilityChange) =>
      api.patch<Facility>(`/facilities/${encodeURIComponent(code)}`, change),
    [api],
  )
}

/**
 * A 400's details by the path of the field in the request body ('body.tariff.bands.0.to' becomes
 * 'tariff.bands.0.to'), so a message lands beside the one field it is about.
 */
export function fieldErrorsByPath(err: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) {
    return out
  }
  for (const d of err.details as unknown[]) {
    if (typeof d !== 'object' || d === null) {
      continue
    }
    const { field, message } = d as { field?: unknown; message?: unknown }
    if (typeof field === 'string' && typeof message === 'string') {
      out[field.replace(/^body\.?/, '')] ??= message
    }
  }
  return out
}
