/*
  A facility's geometry as the map edits it: one part per line, outline or point, so each block
  face or outline can be edited, moved and removed on its own, and back again as the one GeoJSON
  geometry the facilities API stores. Coordinates are [longitude, latitude], as GeoJSON has them.
*/

export type Position = [number, number]

export type Part =
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'Point'; coordinates: Position }

/** What PATCH /facilities/{code} accepts as a geometry. */
export type SavedGeometry =
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

const position = (p: unknown): Position => {
  const [lon, lat] = Array.isArray(p) ? p : []
  return [Number(lon), Number(lat)]
}
const line = (l: unknown): Position[] => (Array.isArray(l) ? l.map(position) : [])
const rings = (r: unknown): Position[][] => (Array.isArray(r) ? r.map(line) : [])

/**
 * Splits a geometry (or a feature or collection of them) into parts; anything else gives none,
 * as does a part without real coordinates (a line of one point, a ring of two).
 */
export function partsOf(geometry: unknown): Part[] {
  return rawPartsOf(geometry).filter(usable)
}

function usable(part: Part): boolean {
  const fine = (p: Position) => Number.isFinite(p[0]) && Number.isFinite(p[1])
  switch (part.type) {
    case 'Point':
      return fine(part.coordinates)
    case 'LineString':
      return part.coordinates.length >= 2 && part.coordinates.every(fine)
    case 'Polygon':
      return (
        part.coordinates.length >= 1 &&
        part.coordinates.every((r) => r.length >= 4 && r.every(fine))
      )
  }
}

function rawPartsOf(geometry: unknown): Part[] {
  if (typeof geometry !== 'object' || geometry === null) {
    return []
  }
  const g = geometry as {
    type?: unknown
    coordinates?: unknown
    geometries?: unknown
    geometry?: unknown
    features?: unknown
  }
  const list = Array.isArray(g.coordinates) ? g.coordinates : []
  switch (g.type) {
    case 'Point':
      return [{ type: 'Point', coordinates: position(g.coordinates) }]
    case 'MultiPoint':
      return list.map((p) => ({ type: 'Point', coordinates: position(p) }))
    case 'LineString':
      return [{ type: 'LineString', coordinates: line(g.coordinates) }]
    case 'MultiLineString':
      return list.map((l) => ({ type: 'LineString', coordinates: line(l) }))
    case 'Polygon':
      return [{ type: 'Polygon', coordinates: rings(g.coordinates) }]
    case 'MultiPolygon':
      return list.map((p) => ({ type: 'Polygon', coordinates: rings(p) }))
    case 'GeometryCollection':
      return Array.isArray(g.geometries) ? g.geometries.flatMap(rawPartsOf) : []
    case 'Feature':
      return rawPartsOf(g.geometry)
    case 'FeatureCollection':
      return Array.isArray(g.features) ? g.features.flatMap(rawPartsOf) : []
    default:
      return []
  }
}

/** An on-street zone is its block faces (lines); everything else is its outline (polygons). */
export function drawsLines(kind: string): boolean {
  return kind === 'on_street_zone'
}

export type Combined = { ok: true; geometry: SavedGeometry | null } | { ok: false; message: string }

/** The parts as one geometry of the kind the facility is drawn as, or what stands in the way. */
export function combine(kind: string, parts: Part[]): Combined {
  const wanted = drawsLines(kind) ? 'LineString' : 'Polygon'
  const others = parts.filter((p) => p.type !== wanted)
  if (others.length > 0) {
    const what = drawsLines(kind)
      ? 'An on-street zone is drawn as its block faces (lines)'
      : 'A lot or garage is drawn as its outline (a polygon)'
    return { ok: false, message: `${what}: remove ${count(others.length, 'other shape')} to save.` }
  }
  if (parts.length === 0) {
    return { ok: true, geometry: null }
  }
  if (wanted === 'LineString') {
    const lines = parts.flatMap((p) => (p.type === 'LineString' ? [p.coordinates] : []))
    return {
      ok: true,
      geometry:
        lines.length === 1 && lines[0]
          ? { type: 'LineString', coordinates: lines[0] }
          : { type: 'MultiLineString', coordinates: lines },
    }
  }
  const polygons = parts.flatMap((p) => (p.type === 'Polygon' ? [p.coordinates] : []))
  return {
    ok: true,
    geometry:
      polygons.length === 1 && polygons[0]
        ? { type: 'Polygon', coordinates: polygons[0] }
        : { type: 'MultiPolygon', coordinates: polygons },
  }
}

/** A line for people: "2 block faces, 190 m of curb" or "1 outline, about 4,200 m²". */
export function describeParts(kind: string, parts: Part[]): string {
  if (parts.length === 0) {
    return 'Nothing drawn: this facility will not appear on the parking map.'
  }
  if (drawsLines(kind)) {
    const metres = parts.reduce(
      (sum, p) => sum + (p.type === 'LineString' ? lengthOf(p.coordinates) : 0),
      0,
    )
    return `${count(parts.length, 'block face')}, ${Math.round(metres).toLocaleString('en-US')} m of curb`
  }
  const area = parts.reduce((sum, p) => sum + (p.type === 'Polygon' ? areaOf(p.coordinates) : 0), 0)
  return `${count(parts.length, 'outline')}, about ${roundArea(area).toLocaleString('en-US')} m²`
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}

const EARTH_RADIUS = 6_371_008.8
const rad = (deg: number) => (deg * Math.PI) / 180

/** Metres along a line, by the haversine formula. */
export function lengthOf(coordinates: Position[]): number {
  let total = 0
  for (let i = 1; i < coordinates.length; i++) {
    const [lon1, lat1] = coordinates[i - 1] ?? [0, 0]
    const [lon2, lat2] = coordinates[i] ?? [0, 0]
    const a =
      Math.sin(rad(lat2 - lat1) / 2) ** 2 +
      Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2
    total += 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(a)))
  }
  return total
}

/** Square metres inside the outer ring less the holes; flat-earth, close enough for a block. */
function areaOf(polygon: Position[][]): number {
  return polygon.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * ringArea(ring), 0)
}

function ringArea(ring: Position[]): number {
  const lat0 = rad(ring[0]?.[1] ?? 0)
  const xy = ring.map(([lon, lat]) => [
    rad(lon) * Math.cos(lat0) * EARTH_RADIUS,
    rad(lat) * EARTH_RADIUS,
  ])
  let twice = 0
  for (let i = 0; i < xy.length; i++) {
    const [x1, y1] = xy[i] ?? [0, 0]
    const [x2, y2] = xy[(i + 1) % xy.length] ?? [0, 0]
    twice += (x1 ?? 0) * (y2 ?? 0) - (x2 ?? 0) * (y1 ?? 0)
  }
  return Math.abs(twice) / 2
}

function roundArea(m2: number): number {
  return m2 < 1000 ? Math.round(m2 / 10) * 10 : Math.round(m2 / 100) * 100
}
