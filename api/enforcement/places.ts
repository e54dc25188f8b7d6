import type { Db } from '../../db/connect.ts'
import { placeOf, type Area } from '../permits/geometry.ts'

/*
  Where a car stands, from the handheld's GPS: in a lot's outline, or beside one block face of an
  on-street zone. Phones are good to 5-20 m in a street, so a car within 25 m of a block face's
  line is on it; the nearest face wins.
*/

export const BLOCK_FACE_METRES = 25

export interface Place {
  facilityId: number
  code: string
  blockFace: number | null
  metres: number
}

interface FacilityShape {
  id: number
  code: string
  geometry: { type: string; coordinates: unknown } | null
}

/** Metres between two nearby points (equirectangular: exact enough across a city). */
function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const k = Math.PI / 180
  const x = (lon2 - lon1) * k * Math.cos(((lat1 + lat2) / 2) * k)
  const y = (lat2 - lat1) * k
  return Math.hypot(x, y) * 6_371_000
}

function toSegment(lat: number, lon: number, a: number[], b: number[]): number {
  // work in a local flat frame in metres around the point
  const k = Math.PI / 180
  const cos = Math.cos(lat * k)
  const px = 0
  const py = 0
  const ax = (a[0]! - lon) * k * cos * 6_371_000
  const ay = (a[1]! - lat) * k * 6_371_000
  const bx = (b[0]! - lon) * k * cos * 6_371_000
  const by = (b[1]! - lat) * k * 6_371_000
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2))
  return Math.hypot(ax + t * dx - px, ay + t * dy - py)
}

function toLine(lat: number, lon: number, line: number[][]): number {
  let best = Infinity
  for (let i = 1; i < line.length; i++) {
    best = Math.min(best, toSegment(lat, lon, line[i - 1]!, line[i]!))
  }
  return line.length === 1 ? metres(lat, lon, line[0]![1]!, line[0]![0]!) : best
}

/** The place a point is in or beside, nearest first; null when it is in none. */
export function placeAt(facilities: FacilityShape[], lat: number, lon: number): Place | null {
  let best: Place | null = null
  for (const f of facilities) {
    const g = f.geometry
    if (!g) {
      continue
    }
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      if (placeOf(g as Area, lon, lat) !== 'outside') {
        return { facilityId: f.id, code: f.code, blockFace: null, metres: 0 }
      }
      continue
    }
    const lines =
      g.type === 'MultiLineString' ? (g.coordinates as number[][][]) : g.type === 'LineString' ? [g.coordinates as number[][]] : []
    lines.forEach((line, i) => {
      const d = toLine(lat, lon, line)
      if (d <= BLOCK_FACE_METRES && (!best || d < best.metres)) {
        best = { facilityId: f.id, code: f.code, blockFace: i, metres: d }
      }
    })
  }
  return best
}

const shapesByDatabase = new WeakMap<Db['notify'], { at: number; shapes: FacilityShape[] }>()

/** Every facility's shape, remembered for a minute: geometry changes a few times a year. */
export async function facilityShapes(sql: Db): Promise<FacilityShape[]> {
  const hit = shapesByDatabase.get(sql.notify)
  if (hit && hit.at > Date.now() - 60_000) {
    return hit.shapes
  }
  const shapes = await sql<FacilityShape[]>`select id, code, geometry from parking.facility where geometry is not null`
  shapesByDatabase.set(sql.notify, { at: Date.now(), shapes })
  return shapes
}
