import { tariffSchema, type Tariff } from '../../../api/facilities/tariff.ts'
import { hoursSchema, isOpenAt, nextOpeningAt, type Hours } from '../../../api/facilities/hours.ts'
import { kioskRequest } from './api.ts'

const CACHE_KEY = 'curbline.kiosk.facilities'

/** A facility or zone as the kiosk sells it, with the whole tariff to quote from offline. */
export interface KioskFacility {
  code: string
  name: string
  kind: string
  gated: boolean
  status: 'open' | 'closed' | 'event'
  maximumStayMinutes: number | null
  /** Opening hours (null: always open), so the kiosk tells open from closed offline too. */
  hours: Hours | null
  tariff: Tariff
  /** When the server last gave it to this kiosk. */
  fetchedAt: string
}

export type FacilityLookup =
  | { found: true; facility: KioskFacility; fromCache: boolean }
  | { found: false; reason: 'not_found' | 'offline' | 'server' }

interface FacilityDetail {
  code: string
  name: string
  kind: string
  gated: boolean
  status: 'open' | 'closed' | 'event'
  maximumStayMinutes: number | null
  hours: unknown
  tariff: unknown
}

/**
 * GET /facilities/{code}, kept in localStorage so the kiosk keeps pricing from it when the
 * server cannot be reached; a cached copy answers only then.
 */
export async function lookUpFacility(raw: string): Promise<FacilityLookup> {
  const code = raw.trim().toUpperCase()
  const res = await kioskRequest<FacilityDetail>(
    'GET',
    `/facilities/${encodeURIComponent(code)}`,
    null,
    {
      timeoutMs: 6_000,
    },
  )
  if (res.ok) {
    const parsed = tariffSchema.safeParse(res.body.tariff)
    if (parsed.success) {
      const facility: KioskFacility = {
        code: res.body.code,
        name: res.body.name,
        kind: res.body.kind,
        gated: res.body.gated,
        status: res.body.status,
        maximumStayMinutes: res.body.maximumStayMinutes,
        hours: hoursSchema.nullable().catch(null).parse(res.body.hours ?? null),
        tariff: parsed.data,
        fetchedAt: new Date().toISOString(),
      }
      remember(facility)
      return { found: true, facility, fromCache: false }
    }
  }
  if (res.status === 404 || res.status === 400) {
    return { found: false, reason: 'not_found' }
  }
  const cached = cachedFacility(code)
  if (cached) {
    return { found: true, facility: cached, fromCache: true }
  }
  return { found: false, reason: res.status === 0 ? 'offline' : 'server' }
}

export function cachedFacility(code: string): KioskFacility | null {
  const entry = readCache()[code.trim().toUpperCase()]
  if (!entry) {
    return null
  }
  const tariff = tariffSchema.safeParse(entry.tariff)
  return tariff.success ? { ...entry, tariff: tariff.data } : null
}

function remember(facility: KioskFacility): void {
  const cache = readCache()
  cache[facility.code] = facility
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(cache))
  } catch {
    // storage full: the kiosk still sells from what the server just said
  }
}

function readCache(): Record<string, KioskFacility | undefined> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(CACHE_KEY) ?? '{}')
    return typeof value === 'object' && value !== null
      ? (value as Record<string, KioskFacility>)
      : {}
  } catch {
    return {}
  }
}

/** What a stay may last here: the tariff's maximum stay, if any. */
export function maximumStay(facility: KioskFacility): number | null {
  return facility.tariff.maximumStayMinutes ?? facility.maximumStayMinutes ?? null
}

/** Why the kiosk cannot sell for a facility now, or null when it can: gates, closed, or hours. */
export function closedReason(
  facility: KioskFacility,
  now: Date,
): { kind: 'gated' } | { kind: 'closed' } | { kind: 'hours'; opens: Date | null } | null {
  if (facility.gated) {
    return { kind: 'gated' }
  }
  if (facility.status === 'closed') {
    return { kind: 'closed' }
  }
  const hours = facility.hours ?? null
  if (!isOpenAt(hours, facility.tariff.timeZone, now)) {
    return { kind: 'hours', opens: nextOpeningAt(hours, facility.tariff.timeZone, now) }
  }
  return null
}
