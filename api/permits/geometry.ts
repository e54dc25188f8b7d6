/*
  Whether a premise lies in a permit zone, from the premise's location in the CIS and the zone's
  GeoJSON boundary. Pure, so the admin map and the API agree. A point on the boundary line (a
  house on the street that bounds the zone) is inside: residents on both sides of a boundary
  street may park on it, which is how cities draw these zones.
*/

export type Position = [number, number] | number[]
export type Area =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

export type Placement = 'inside' | 'boundary' | 'outside'

/** Where a point lies relative to the area: holes are outside, their edges boundary. */
export function placeOf(area: Area, lon: number, lat: number): Placement {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates
  let found: Placement = 'outside'
  for (const rings of polygons) {
    const p = placeInPolygon(rings, lon, lat)
    if (p === 'inside') {
      return 'inside'
    }
    if (p === 'boundary') {
      found = 'boundary'
    }
  }
  return found
}

export function contains(area: Area, lon: number, lat: number): boolean {
  return placeOf(area, lon, lat) !== 'outside'
}

function placeInPolygon(rings: Position[][], lon: number, lat: number): Placement {
  const [outer, ...holes] = rings
  if (!outer) {
    return 'outside'
  }
  const o = placeInRing(outer, lon, lat)
  if (o !== 'inside') {
    return o
  }
  for (const hole of holes) {
    const h = placeInRing(hole, lon, lat)
    if (h === 'boundary') {
      return 'boundary'
    }
    if (h === 'inside') {
      return 'outside'
    }
  }
  return 'inside'
}

// About 1 cm at these latitudes: a premise geocoded onto the line is on it.
const EPSILON = 1e-7

/** Ray casting, with a point on an edge (within EPSILON degrees) reported as boundary. */
function placeInRing(ring: Position[], x: number, y: number): Placement {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (onSegment(x, y, xi, yi, xj, yj)) {
      return 'boundary'
    }
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside
    }
  }
  return inside ? 'inside' : 'outside'
}

function onSegment(x: number, y: number, x1: number, y1: number, x2: number, y2: number): boolean {
  const dx = x2 - x1
  const dy = y2 - y1
  const length2 = dx * dx + dy * dy
  if (length2 === 0) {
    return Math.hypot(x - x1, y - y1) <= EPSILON
  }
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length2))
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)) <= EPSILON
}
