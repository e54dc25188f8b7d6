import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Db } from '../../db/connect.ts'
import type { Facility } from './facilities.ts'
import { zonedInstant } from './local-time.ts'
import { tariffSchema, type Tariff } from './tariff.ts'
import type {
  CdsPolicy,
  CdsPolygon,
  CdsRate,
  CdsRule,
  CdsTimeSpan,
  CdsZone,
  StreetSide,
} from './curbs-schemas.ts'

/*
  On-street zones as CDS Curb Zones (one per block face: CDS zones never span a street) and their
  tariffs as Curb Policies. Lots and garages are off-street, which CDS does not model. README.md
  lists the mapping decisions.
*/

export type Position = [number, number]
type XY = [number, number]

/** Half the width of the strip a block face is drawn as: a parking lane either side of it. */
export const CURB_HALF_WIDTH_M = 2

const EARTH_RADIUS_M = 6_371_008.8
const RAD = Math.PI / 180

/* UUID v5 (RFC 9562 section 5.5): SHA-1 of a namespace and a name, so an id is a pure function
   of what it names. */

export const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8'

export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16)
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6)
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8)
  const hex = bytes.toString('hex')
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-')
}

/** The namespace of every Curbline CDS id. */
export const CURBS_NAMESPACE = uuidV5('urn:curbline:cds:curbs', NAMESPACE_URL)

/** JSON with object keys sorted and undefined left out, so equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/* Geometry, on a local flat plane in metres: exact enough over a block. */

interface Plane {
  lon0: number
  lat0: number
  kx: number
  ky: number
}

function planeAt([lon, lat]: Position): Plane {
  const ky = EARTH_RADIUS_M * RAD
  return { lon0: lon, lat0: lat, kx: ky * Math.cos(lat * RAD), ky }
}

const toXY = (p: Plane, [lon, lat]: Position): XY => [(lon - p.lon0) * p.kx, (lat - p.lat0) * p.ky]
const round7 = (x: number) => Math.round(x * 1e7) / 1e7
const toPosition = (p: Plane, [x, y]: XY): Position => [
  round7(p.lon0 + x / p.kx),
  round7(p.lat0 + y / p.ky),
]

const sub = (a: XY, b: XY): XY => [a[0] - b[0], a[1] - b[1]]
const add = (a: XY, b: XY): XY => [a[0] + b[0], a[1] + b[1]]
const scale = (a: XY, k: number): XY => [a[0] * k, a[1] * k]
const dot = (a: XY, b: XY) => a[0] * b[0] + a[1] * b[1]
const cross = (a: XY, b: XY) => a[0] * b[1] - a[1] * b[0]
const norm = (a: XY) => Math.hypot(a[0], a[1])
const unit = (a: XY): XY => scale(a, 1 / norm(a))
const leftOf = (d: XY): XY => [-d[1], d[0]]

function at<T>(list: readonly T[], i: number): T {
  const v = list[i]
  if (v === undefined) {
    throw new RangeError(`index ${i} outside a list of ${list.length}`)
  }
  return v
}

/**
 * A face as a closed counterclockwise ring (RFC 7946) around the line, halfWidth to each side and
 * past each end, mitred at bends; the convex hull of its segments where that would cross itself.
 */
export function bufferLine(line: readonly Position[], halfWidth = CURB_HALF_WIDTH_M): Position[][] {
  const plane = planeAt(at(line, 0))
  const points = line
    .map((p) => toXY(plane, p))
    .filter((p, i, all) => i === 0 || norm(sub(p, at(all, i - 1))) > 1e-6)
  let ring: XY[]
  if (points.length < 2) {
    const [x, y] = at(points, 0)
    const w = halfWidth
    ring = [
      [x - w, y - w],
      [x + w, y - w],
      [x + w, y + w],
      [x - w, y + w],
    ]
  } else {
    ring = offsetOutline(points, halfWidth)
    if (!isSimple(ring)) {
      ring = convexHull(segmentCorners(points, halfWidth))
    }
  }
  if (signedArea(ring) < 0) {
    ring.reverse()
  }
  const positions = ring.map((p) => toPosition(plane, p))
  return [[...positions, at(positions, 0)]]
}

function offsetOutline(points: XY[], w: number): XY[] {
  const dirs = points.slice(1).map((p, i) => unit(sub(p, at(points, i))))
  const first = at(dirs, 0)
  const last = at(dirs, dirs.length - 1)
  const side = (sign: 1 | -1): XY[] => {
    const out: XY[] = [add(at(points, 0), add(scale(first, -w), scale(leftOf(first), sign * w)))]
    for (let i = 1; i < points.length - 1; i++) {
      const before = leftOf(at(dirs, i - 1))
      const after = leftOf(at(dirs, i))
      const sum = add(before, after)
      const cos = norm(sum) / 2
      if (cos < 0.3) {
        out.push(
          add(at(points, i), scale(before, sign * w)),
          add(at(points, i), scale(after, sign * w)),
        )
      } else {
        out.push(add(at(points, i), scale(unit(sum), (sign * w) / cos)))
      }
    }
    out.push(add(at(points, points.length - 1), add(scale(last, w), scale(leftOf(last), sign * w))))
    return out
  }
  return [...side(-1), ...side(1).reverse()]
}

function segmentCorners(points: XY[], w: number): XY[] {
  const corners: XY[] = []
  for (let i = 1; i < points.length; i++) {
    const a = at(points, i - 1)
    const b = at(points, i)
    const d = scale(unit(sub(b, a)), w)
    const n = leftOf(d)
    for (const p of [sub(a, d), add(b, d)]) {
      corners.push(add(p, n), sub(p, n))
    }
  }
  return corners
}

/** Andrew's monotone chain; counterclockwise, without the closing point. */
function convexHull(points: XY[]): XY[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const half = (list: XY[]) => {
    const out: XY[] = []
    for (const p of list) {
      while (
        out.length >= 2 &&
        cross(
          sub(at(out, out.length - 1), at(out, out.length - 2)),
          sub(p, at(out, out.length - 2)),
        ) <= 0
      ) {
        out.pop()
      }
      out.push(p)
    }
    out.pop()
    return out
  }
  return [...half(sorted), ...half([...sorted].reverse())]
}

function signedArea(ring: XY[]): number {
  let sum = 0
  for (let i = 0; i < ring.length; i++) {
    sum += cross(at(ring, i), at(ring, (i + 1) % ring.length))
  }
  return sum / 2
}

function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const o1 = cross(sub(b, a), sub(c, a))
  const o2 = cross(sub(b, a), sub(d, a))
  const o3 = cross(sub(d, c), sub(a, c))
  const o4 = cross(sub(d, c), sub(b, c))
  if (o1 * o2 < 0 && o3 * o4 < 0) {
    return true
  }
  const onSegment = (p: XY, q: XY, r: XY) =>
    Math.min(p[0], q[0]) <= r[0] &&
    r[0] <= Math.max(p[0], q[0]) &&
    Math.min(p[1], q[1]) <= r[1] &&
    r[1] <= Math.max(p[1], q[1])
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  )
}

/** True when no two edges of the (unclosed) ring meet other than neighbours at their corner. */
function isSimple(ring: XY[]): boolean {
  const n = ring.length
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) {
        continue
      }
      if (segmentsCross(at(ring, i), at(ring, (i + 1) % n), at(ring, j), at(ring, (j + 1) % n))) {
        return false
      }
    }
  }
  return true
}

/** Whether a point lies inside a closed ring (even-odd rule), in degrees. */
export function pointInRing([x, y]: Position, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = at(ring, i)
    const [xj, yj] = at(ring, j)
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside
    }
  }
  return inside
}

function inPolygon(p: Position, polygon: readonly Position[][]): boolean {
  const [outer, ...holes] = polygon
  return outer !== undefined && pointInRing(p, outer) && !holes.some((h) => pointInRing(p, h))
}

export interface BoundingBox {
  minLat: number
  minLng: number
  maxLat: number
  maxLng: number
}

/** Whether a polygon and a bounding box share any point (ST_Intersects, as CDS defines it). */
export function polygonIntersectsBox(polygon: readonly Position[][], box: BoundingBox): boolean {
  const inBox = ([lng, lat]: Position) =>
    box.minLng <= lng && lng <= box.maxLng && box.minLat <= lat && lat <= box.maxLat
  if (polygon.some((ring) => ring.some(inBox))) {
    return true
  }
  const corners: Position[] = [
    [box.minLng, box.minLat],
    [box.maxLng, box.minLat],
    [box.maxLng, box.maxLat],
    [box.minLng, box.maxLat],
  ]
  if (corners.some((c) => inPolygon(c, polygon))) {
    return true
  }
  const boxEdges = corners.map((c, i) => [c, at(corners, (i + 1) % 4)] as const)
  return polygon.some((ring) =>
    ring.slice(1).some((b, i) => {
      const a = at(ring, i)
      return boxEdges.some(([c, d]) => segmentsCross(a, b, c, d))
    }),
  )
}

/** Metres from a point to a polygon: 0 inside it, else to its nearest edge. */
export function metresToPolygon(point: Position, polygon: readonly Position[][]): number {
  if (inPolygon(point, polygon)) {
    return 0
  }
  const plane = planeAt(point)
  let best = Infinity
  for (const ring of polygon) {
    for (let i = 1; i < ring.length; i++) {
      const a = toXY(plane, at(ring, i - 1))
      const b = toXY(plane, at(ring, i))
      const ab = sub(b, a)
      const len2 = dot(ab, ab)
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -dot(a, ab) / len2))
      best = Math.min(best, norm(add(a, scale(ab, t))))
    }
  }
  return best
}

/** Length of a line along the ground, in whole centimetres. */
export function lineLengthCm(line: readonly Position[]): number {
  let metres = 0
  for (let i = 1; i < line.length; i++) {
    const [lon1, lat1] = at(line, i - 1)
    const [lon2, lat2] = at(line, i)
    const h =
      Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 +
      Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon2 - lon1) * RAD) / 2) ** 2
    metres += 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h))
  }
  return Math.round(metres * 100)
}

const COMPASS: StreetSide[] = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW']

/**
 * Each face's side of its street: the compass point (to 45°) from the middle of the zone's faces
 * towards it. None for a zone of one face, or a face within a metre of the middle.
 */
export function streetSides(faces: readonly (readonly Position[])[]): (StreetSide | undefined)[] {
  if (faces.length < 2) {
    return faces.map(() => undefined)
  }
  const plane = planeAt(at(at(faces, 0), 0))
  const lines = faces.map((f) => f.map((p) => toXY(plane, p)))
  const middles = lines.map((l) => scale(add(at(l, 0), at(l, l.length - 1)), 0.5))
  const centre = scale(middles.reduce(add, [0, 0]), 1 / middles.length)
  return lines.map((l, i) => {
    const along = sub(at(l, l.length - 1), at(l, 0))
    if (norm(along) === 0) {
      return undefined
    }
    const n = leftOf(unit(along))
    const offset = dot(sub(at(middles, i), centre), n)
    if (Math.abs(offset) < 1) {
      return undefined
    }
    const [x, y] = scale(n, Math.sign(offset))
    const bearing = (Math.atan2(x, y) / RAD + 360) % 360
    return COMPASS[Math.round(bearing / 45) % 8]
  })
}

/* A zone's stored geometry, read strictly: a face that is not a valid line or ring is no face. */

const StoredPosition = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], z.number())
  .transform(([lon, lat]): Position => [lon, lat])
const StoredLine = z.array(StoredPosition).min(2)
const StoredRing = z
  .array(StoredPosition)
  .min(4)
  .refine((r) => {
    const [a, b] = [r[0], r[r.length - 1]]
    return a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1]
  }, 'a closed ring')
const StoredPolygon = z.array(StoredRing).min(1)
const StoredGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('LineString'), coordinates: StoredLine }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(StoredLine).min(1) }),
  z.object({ type: z.literal('Polygon'), coordinates: StoredPolygon }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(StoredPolygon).min(1) }),
  z.object({ type: z.literal('Point'), coordinates: StoredPosition }),
])

export type Face = { line: Position[] } | { polygon: Position[][] }

/** The block faces of a zone: its lines, or polygons drawn as such. A point or nothing has none. */
export function facesOf(geometry: unknown): Face[] {
  const parsed = StoredGeometry.safeParse(geometry)
  if (!parsed.success) {
    return []
  }
  const g = parsed.data
  switch (g.type) {
    case 'LineString':
      return [{ line: g.coordinates }]
    case 'MultiLineString':
      return g.coordinates.map((line) => ({ line }))
    case 'Polygon':
      return [{ polygon: g.coordinates }]
    case 'MultiPolygon':
      return g.coordinates.map((polygon) => ({ polygon }))
    case 'Point':
      return []
  }
}

/* Policies from a tariff. */

export type PolicyContent = Omit<CdsPolicy, 'curb_policy_id' | 'published_date'>

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

// The hour first, the unit parking prices are read in; see rateFor.
const UNITS = [
  ['hour', 60],
  ['minute', 1],
  ['day', 1440],
  ['week', 10080],
] as const

/**
 * A rate step (`cents` per `increment` minutes, parked minutes [start, end)) in the first CDS unit
 * where price and bounds are whole; increment_amount then charges exactly Curbline's whole
 * increments. With no such unit up to a week, per minute rounded to a cent, sold by the increment.
 */
export function rateFor(cents: number, increment: number, start: number, end?: number): CdsRate {
  for (const [unit, size] of UNITS) {
    const whole =
      (cents * size) % increment === 0 &&
      start % size === 0 &&
      (end === undefined || end % size === 0)
    if (whole) {
      const soldWhole = increment % size === 0
      return {
        rate: (cents * size) / increment,
        rate_unit: unit,
        ...(soldWhole ? { increment_duration: increment / size } : {}),
        ...(!soldWhole && cents > 0 ? { increment_amount: cents } : {}),
        ...(start > 0 ? { start_duration: start / size } : {}),
        ...(end !== undefined ? { end_duration: end / size } : {}),
      }
    }
  }
  return {
    rate: cents > 0 ? Math.max(1, Math.round(cents / increment)) : 0,
    rate_unit: 'minute',
    increment_duration: increment,
    ...(start > 0 ? { start_duration: start } : {}),
    ...(end !== undefined ? { end_duration: end } : {}),
  }
}

/** A band's rate steps as CDS rates, leaving out steps a stay cannot reach under the time limit. */
export function bandRates(
  band: Tariff['bands'][number],
  increment: number,
  maxStay?: number,
): CdsRate[] | undefined {
  const rates: CdsRate[] = []
  let start = 0
  for (const step of band.rates) {
    if (maxStay !== undefined && start >= maxStay) {
      break
    }
    const end = step.minutes === undefined ? undefined : start + step.minutes
    rates.push(rateFor(step.cents, increment, start, end))
    start = end ?? start
  }
  return rates.every((r) => r.rate === 0) ? undefined : rates
}

function parking(tariff: Tariff, rate?: CdsRate[]): CdsRule {
  return {
    activity: 'parking',
    ...(tariff.maximumStayMinutes !== undefined
      ? { max_stay: tariff.maximumStayMinutes, max_stay_unit: 'minute' as const }
      : {}),
    ...(rate ? { rate } : {}),
  }
}

/** The flat event price: any stay that starts pays it once, whatever its length. */
function flatRate(cents: number, maxStay?: number): CdsRate[] | undefined {
  if (cents === 0) {
    return undefined
  }
  const first: CdsRate = { rate: cents, rate_unit: 'day', increment_duration: 1, end_duration: 1 }
  return maxStay !== undefined && maxStay <= 1440
    ? [first]
    : [first, { rate: 0, rate_unit: 'day', start_duration: 1 }]
}

function localTimeSpan(band: Tariff['bands'][number]): CdsTimeSpan {
  return {
    days_of_week: [...new Set(band.days)].sort((a, b) => a - b).map((d) => at(DAYS, d)),
    time_of_day_start: band.from,
    ...(band.to === '24:00' ? {} : { time_of_day_end: band.to }),
  }
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/**
 * A tariff as policies in the engine's precedence: events, free holidays, bands in order (first
 * match wins), free otherwise; the time limit in every rule, as the engine holds every stay to it.
 */
export function policiesForTariff(tariff: Tariff, status: Facility['status']): PolicyContent[] {
  if (status === 'closed') {
    return [{ priority: 1, rules: [{ activity: 'no parking' }] }]
  }
  const maxStay = tariff.maximumStayMinutes
  const policies: Omit<PolicyContent, 'priority'>[] = []
  for (const event of tariff.events) {
    policies.push({
      time_spans: [{ start_date: Date.parse(event.from), end_date: Date.parse(event.to) }],
      rules: [parking(tariff, flatRate(event.cents, maxStay))],
    })
  }
  const holidays = tariff.freeOnHolidays ? [...new Set(tariff.holidays)].sort() : []
  if (holidays.length > 0) {
    policies.push({
      time_spans: holidays.map((date) => ({
        start_date: zonedInstant(date, 0, tariff.timeZone),
        end_date: zonedInstant(nextDate(date), 0, tariff.timeZone),
      })),
      rules: [parking(tariff)],
    })
  }
  for (const band of tariff.bands) {
    policies.push({
      time_spans: [localTimeSpan(band)],
      rules: [parking(tariff, bandRates(band, tariff.incrementMinutes, maxStay))],
    })
  }
  policies.push({ rules: [parking(tariff)] })
  return policies.map((p, i) => ({ priority: i + 1, ...p }))
}

/* The feed: every published zone and policy, built whole so ids never depend on a filter. */

export interface CurbZoneSource {
  code: string
  name: string
  status: Facility['status']
  geometry: unknown
  tariff: Tariff
  createdAt: Date
  updatedAt: Date
}

export interface CurbFeed {
  timeZone: string
  /** When any on-street zone last changed, ms. */
  lastUpdated: number
  zones: CdsZone[]
  policies: CdsPolicy[]
}

const SIDE_NAMES: Record<StreetSide, string> = {
  N: 'north',
  NE: 'northeast',
  E: 'east',
  SE: 'southeast',
  S: 'south',
  SW: 'southwest',
  W: 'west',
  NW: 'northwest',
}

/**
 * Zones without a line or polygon, or whose tariff keeps another time zone than the feed's, are
 * left out. A policy is dated by the oldest zone it governs and its id hashes all of it.
 */
export function buildCurbFeed(
  sources: readonly CurbZoneSource[],
  timeZone: string,
  now = Date.now(),
): CurbFeed {
  const published = new Map<string, { content: PolicyContent; since: number }>()
  const planned = sources
    .map((s) => ({ s, faces: facesOf(s.geometry) }))
    .filter(({ s, faces }) => s.tariff.timeZone === timeZone && faces.length > 0)
    .map(({ s, faces }) => {
      const keys = policiesForTariff(s.tariff, s.status).map((content) => {
        const key = canonicalJson(content)
        const seen = published.get(key)
        const since = s.createdAt.getTime()
        if (!seen || since < seen.since) {
          published.set(key, { content, since })
        }
        return key
      })
      return { source: s, faces, keys }
    })
  const ids = new Map<string, CdsPolicy>()
  for (const [key, { content, since }] of published) {
    const body = { published_date: since, ...content }
    ids.set(key, {
      curb_policy_id: uuidV5(`policy:${canonicalJson(body)}`, CURBS_NAMESPACE),
      ...body,
    })
  }
  const zones: CdsZone[] = []
  for (const { source, faces, keys } of planned) {
    const lines = faces.flatMap((f) => ('line' in f ? [f.line] : []))
    const sides = streetSides(lines)
    const policyIds = keys.map((k) => {
      const policy = ids.get(k)
      if (!policy) {
        throw new Error('a zone refers to a policy the feed did not build')
      }
      return policy.curb_policy_id
    })
    let lineIndex = 0
    faces.forEach((face, i) => {
      const side = 'line' in face ? sides[lineIndex++] : undefined
      const polygon = 'line' in face ? bufferLine(face.line) : face.polygon
      const geometry: CdsPolygon = { type: 'Polygon', coordinates: polygon }
      const name = side
        ? `${source.name} (${SIDE_NAMES[side]} side)`
        : faces.length > 1
          ? `${source.name} (${i + 1} of ${faces.length})`
          : source.name
      zones.push({
        curb_zone_id: uuidV5(`zone:${source.code}:${i}:${canonicalJson(polygon)}`, CURBS_NAMESPACE),
        geometry,
        curb_policy_ids: policyIds,
        published_date: source.createdAt.getTime(),
        last_updated_date: source.updatedAt.getTime(),
        start_date: source.createdAt.getTime(),
        name,
        user_zone_id: source.code,
        ...(side ? { street_side: side } : {}),
        ...('line' in face ? { length: lineLengthCm(face.line) } : {}),
      })
    })
  }
  const policies = [...ids.values()]
  const lastUpdated = Math.max(...sources.map((s) => s.updatedAt.getTime()))
  return {
    timeZone,
    lastUpdated: Number.isFinite(lastUpdated) ? lastUpdated : now,
    zones,
    policies,
  }
}

export interface ZoneFilter {
  box?: BoundingBox
  near?: { lat: number; lng: number; radiusCm: number }
  /** Only zones valid at this time, ms. */
  time?: number
}

/** The zones a query asks for: in a box, or within a radius nearest first, valid at a time. */
export function selectZones(zones: readonly CdsZone[], filter: ZoneFilter): CdsZone[] {
  const { box, near, time } = filter
  const valid = zones.filter((z) => time === undefined || z.start_date <= time)
  if (box) {
    return valid.filter(
      (z) => z.geometry !== undefined && polygonIntersectsBox(z.geometry.coordinates, box),
    )
  }
  if (near) {
    return valid
      .flatMap((z) => {
        const metres = z.geometry
          ? metresToPolygon([near.lng, near.lat], z.geometry.coordinates)
          : Infinity
        return metres * 100 <= near.radiusCm ? [{ z, metres }] : []
      })
      .sort((a, b) => a.metres - b.metres)
      .map(({ z }) => z)
  }
  return valid
}

interface ZoneRow {
  code: string
  name: string
  status: Facility['status']
  geometry: unknown
  tariff: unknown
  created_at: Date
  updated_at: Date
}

/** The whole CDS feed of the city's on-street zones, in zone-number order. */
export async function curbFeed(sql: Db, timeZone: string): Promise<CurbFeed> {
  const rows = await sql<ZoneRow[]>`
    select code, name, status, geometry, tariff, created_at, updated_at
      from parking.facility
     where kind = 'on_street_zone'
     order by length(code), code`
  const sources = rows.map((r) => ({
    code: r.code,
    name: r.name,
    status: r.status,
    geometry: r.geometry,
    tariff: tariffSchema.parse(r.tariff),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }))
  return buildCurbFeed(sources, timeZone)
}
