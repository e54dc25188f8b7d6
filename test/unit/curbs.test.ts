import { describe, it, expect } from 'vitest'
import {
  bandRates,
  bufferLine,
  buildCurbFeed,
  canonicalJson,
  facesOf,
  lineLengthCm,
  metresToPolygon,
  policiesForTariff,
  polygonIntersectsBox,
  rateFor,
  selectZones,
  streetSides,
  uuidV5,
  type CurbZoneSource,
  type Position,
} from '../../api/facilities/curbs.ts'
import { CdsPolicy, CdsZone } from '../../api/facilities/curbs-schemas.ts'
import { tariffSchema, type Tariff } from '../../api/facilities/tariff.ts'

const NY = 'America/New_York'
const LAT = 35.7796
const LON = -78.6382
const M_PER_DEG_LAT = 111_195
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos(LAT * (Math.PI / 180))

/** A point dx metres east and dy metres north of downtown. */
const east = (dx: number, dy = 0): Position => [LON + dx / M_PER_DEG_LON, LAT + dy / M_PER_DEG_LAT]

// Independent of the code under test: even-odd ray casting and the shoelace formula.
function inside([x, y]: Position, ring: Position[]): boolean {
  let hit = false
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as Position
    const [x2, y2] = ring[i + 1] as Position
    if (y1 > y !== y2 > y && x < x1 + ((x2 - x1) * (y - y1)) / (y2 - y1)) {
      hit = !hit
    }
  }
  return hit
}
function area(ring: Position[]): number {
  let sum = 0
  for (let i = 0; i < ring.length - 1; i++) {
    const [x1, y1] = ring[i] as Position
    const [x2, y2] = ring[i + 1] as Position
    sum += x1 * y2 - x2 * y1
  }
  return sum / 2
}
function properlyCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o = (p: Position, q: Position, r: Position) =>
    (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0
}
function expectValidRing(ring: Position[]) {
  expect(ring.length).toBeGreaterThanOrEqual(4)
  expect(ring[ring.length - 1]).toEqual(ring[0])
  expect(area(ring)).toBeGreaterThan(0)
  const n = ring.length - 1
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) {
        continue
      }
      const crossed = properlyCross(
        ring[i] as Position,
        ring[i + 1] as Position,
        ring[j] as Position,
        ring[j + 1] as Position,
      )
      expect(crossed, `edges ${i} and ${j} cross`).toBe(false)
    }
  }
}
function along(line: Position[], steps = 10): Position[] {
  return line.slice(1).flatMap((b, i) => {
    const a = line[i] as Position
    return Array.from({ length: steps + 1 }, (_, k): Position => [
      a[0] + ((b[0] - a[0]) * k) / steps,
      a[1] + ((b[1] - a[1]) * k) / steps,
    ])
  })
}

const onStreet = (cents: number, maxStay: number): Tariff =>
  tariffSchema.parse({
    timeZone: NY,
    incrementMinutes: 15,
    bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '18:00', rates: [{ cents }] }],
    holidays: ['2026-07-03', '2026-12-25'],
    freeOnHolidays: true,
    minimumCents: cents,
    maximumStayMinutes: maxStay,
  })

describe('curb zone ids', () => {
  it('makes name-based UUIDs (v5) exactly as RFC 9562 does', () => {
    // Python's documented example: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    )
  })

  it('hashes the same content the same whatever the order of its keys', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: undefined, w: 'z' }] })).toBe(
      '{"a":[{"w":"z","y":2}],"b":1}',
    )
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
  })
})

describe('drawing a block face as a polygon', () => {
  it('widens a straight face into a closed counterclockwise strip around the line', () => {
    const line = [east(0, 0), east(0, 120)]
    const [ring] = bufferLine(line, 2)
    if (!ring) {
      throw new Error('no ring')
    }
    expectValidRing(ring)
    expect(ring).toHaveLength(5)
    for (const p of along(line)) {
      expect(inside(p, ring), `${p}`).toBe(true)
    }
    expect(inside(east(1.5, 60), ring)).toBe(true)
    expect(inside(east(-1.5, 60), ring)).toBe(true)
    expect(inside(east(2.5, 60), ring)).toBe(false)
    expect(inside(east(-2.5, 60), ring)).toBe(false)
    expect(inside(east(0, 121.5), ring)).toBe(true)
    expect(inside(east(0, 122.5), ring)).toBe(false)
  })

  it('follows a face round a corner with a mitred outline', () => {
    const line = [east(0, 0), east(0, 60), east(40, 80)]
    const [ring] = bufferLine(line, 2)
    if (!ring) {
      throw new Error('no ring')
    }
    expectValidRing(ring)
    expect(ring).toHaveLength(7)
    for (const p of along(line)) {
      expect(inside(p, ring), `${p}`).toBe(true)
    }
    // not the hull: the inside of the bend stays outside
    expect(inside(east(10, 50), ring)).toBe(false)
  })

  it('draws a face that doubles back on itself as the hull of its segments', () => {
    const line = [east(0, 0), east(0, 50), east(1, 0)]
    const [ring] = bufferLine(line, 2)
    if (!ring) {
      throw new Error('no ring')
    }
    expectValidRing(ring)
    for (const p of along(line)) {
      expect(inside(p, ring), `${p}`).toBe(true)
    }
  })

  it('draws a face of one repeated point as a small square', () => {
    const [ring] = bufferLine([east(0, 0), east(0, 0)], 2)
    if (!ring) {
      throw new Error('no ring')
    }
    expectValidRing(ring)
    expect(inside(east(0, 0), ring)).toBe(true)
  })

  it('measures faces, tells their side of the street, and reads only valid geometry', () => {
    expect(lineLengthCm([east(0, 0), east(0, 120)])).toBeCloseTo(12_000, -1)
    const west = [east(-7, 0), east(-7, 120)]
    const eastFace = [east(7, 0), east(7, 120)]
    expect(streetSides([west, eastFace])).toEqual(['W', 'E'])
    expect(
      streetSides([
        [east(0, 7), east(100, 7)],
        [east(100, -7), east(0, -7)],
      ]),
    ).toEqual(['N', 'S'])
    expect(streetSides([west])).toEqual([undefined])
    expect(facesOf({ type: 'MultiLineString', coordinates: [west, eastFace] })).toHaveLength(2)
    expect(facesOf({ type: 'Point', coordinates: east(0) })).toEqual([])
    expect(facesOf({ type: 'LineString', coordinates: [east(0)] })).toEqual([])
    expect(
      facesOf({ type: 'Polygon', coordinates: [[east(0), east(1), east(1, 1), east(0)]] }),
    ).toHaveLength(1)
    expect(facesOf(null)).toEqual([])
  })
})

describe('tariffs as CDS rates and policies', () => {
  it('prices a quarter-hour meter per hour, rounded up to whole quarter hours', () => {
    expect(rateFor(50, 15, 0)).toEqual({ rate: 200, rate_unit: 'hour', increment_amount: 50 })
    expect(rateFor(31, 15, 0)).toEqual({ rate: 124, rate_unit: 'hour', increment_amount: 31 })
    expect(rateFor(300, 60, 60)).toEqual({
      rate: 300,
      rate_unit: 'hour',
      increment_duration: 1,
      start_duration: 1,
    })
    expect(rateFor(0, 15, 0)).toEqual({ rate: 0, rate_unit: 'hour' })
  })

  it('falls back to smaller or larger units only when the hour is not whole', () => {
    // 90 minutes is no whole number of hours
    expect(rateFor(60, 15, 0, 90)).toEqual({
      rate: 4,
      rate_unit: 'minute',
      increment_duration: 15,
      end_duration: 90,
    })
    expect(rateFor(1, 24, 0)).toEqual({ rate: 60, rate_unit: 'day', increment_amount: 1 })
    expect(rateFor(5, 11, 0)).toEqual({ rate: 1, rate_unit: 'minute', increment_duration: 11 })
  })

  it('steps a garage from its first hour to later hours, as CDS start and end durations', () => {
    const band = {
      days: [0, 1, 2, 3, 4, 5, 6],
      from: '00:00',
      to: '24:00',
      rates: [{ minutes: 60, cents: 100 }, { cents: 150 }],
    }
    expect(bandRates(band, 30)).toEqual([
      { rate: 200, rate_unit: 'hour', increment_amount: 100, end_duration: 1 },
      { rate: 300, rate_unit: 'hour', increment_amount: 150, start_duration: 1 },
    ])
    expect(bandRates(band, 30, 60)).toEqual([
      { rate: 200, rate_unit: 'hour', increment_amount: 100, end_duration: 1 },
    ])
    expect(bandRates({ ...band, rates: [{ cents: 0 }] }, 30)).toBeUndefined()
  })

  it('turns an on-street tariff into free holidays, the metered band and free other hours', () => {
    const policies = policiesForTariff(onStreet(50, 120), 'open')
    const parking = { activity: 'parking', max_stay: 120, max_stay_unit: 'minute' }
    expect(policies).toEqual([
      {
        priority: 1,
        time_spans: [
          {
            start_date: Date.parse('2026-07-03T04:00:00Z'),
            end_date: Date.parse('2026-07-04T04:00:00Z'),
          },
          {
            start_date: Date.parse('2026-12-25T05:00:00Z'),
            end_date: Date.parse('2026-12-26T05:00:00Z'),
          },
        ],
        rules: [parking],
      },
      {
        priority: 2,
        time_spans: [
          {
            days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
            time_of_day_start: '08:00',
            time_of_day_end: '18:00',
          },
        ],
        rules: [{ ...parking, rate: [{ rate: 200, rate_unit: 'hour', increment_amount: 50 }] }],
      },
      { priority: 3, rules: [parking] },
    ])
  })

  it('gives an event its flat price and precedence, and a closed zone no parking', () => {
    const tariff = tariffSchema.parse({
      timeZone: NY,
      incrementMinutes: 30,
      bands: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 100 }] }],
      events: [
        {
          name: 'Festival',
          from: '2026-06-12T16:00:00-04:00',
          to: '2026-06-14T23:59:00-04:00',
          cents: 1000,
        },
      ],
    })
    const [event, band, rest] = policiesForTariff(tariff, 'open')
    expect(event).toEqual({
      priority: 1,
      time_spans: [
        {
          start_date: Date.parse('2026-06-12T20:00:00Z'),
          end_date: Date.parse('2026-06-15T03:59:00Z'),
        },
      ],
      rules: [
        {
          activity: 'parking',
          rate: [
            { rate: 1000, rate_unit: 'day', increment_duration: 1, end_duration: 1 },
            { rate: 0, rate_unit: 'day', start_duration: 1 },
          ],
        },
      ],
    })
    expect(band?.time_spans).toEqual([
      {
        days_of_week: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
        time_of_day_start: '00:00',
      },
    ])
    expect(rest).toEqual({ priority: 3, rules: [{ activity: 'parking' }] })
    expect(policiesForTariff(tariff, 'closed')).toEqual([
      { priority: 1, rules: [{ activity: 'no parking' }] },
    ])
  })
})

describe('the feed', () => {
  const created = new Date('2026-01-05T12:00:00Z')
  const zone = (
    code: string,
    dx: number,
    tariff: Tariff,
    extra: Partial<CurbZoneSource> = {},
  ): CurbZoneSource => ({
    code,
    name: `Block ${code}`,
    status: 'open',
    geometry: {
      type: 'MultiLineString',
      coordinates: [
        [east(dx - 7, 0), east(dx - 7, 120)],
        [east(dx + 7, 0), east(dx + 7, 120)],
      ],
    },
    tariff,
    createdAt: created,
    updatedAt: created,
    ...extra,
  })
  const sources = [
    zone('101', 0, onStreet(50, 120)),
    zone('102', 200, onStreet(50, 120), { createdAt: new Date('2026-02-01T00:00:00Z') }),
    zone('121', 400, onStreet(31, 180), { updatedAt: new Date('2026-03-01T00:00:00Z') }),
    zone('122', 600, onStreet(31, 180), { geometry: { type: 'Point', coordinates: east(600) } }),
    zone('123', 800, { ...onStreet(31, 180), timeZone: 'America/Chicago' }),
  ]
  const feed = buildCurbFeed(sources, NY)

  it('publishes a Curb Zone per block face, valid to the schema, sharing policies between equal tariffs', () => {
    expect(feed.zones.map((z) => [z.user_zone_id, z.street_side, z.name])).toEqual([
      ['101', 'W', 'Block 101 (west side)'],
      ['101', 'E', 'Block 101 (east side)'],
      ['102', 'W', 'Block 102 (west side)'],
      ['102', 'E', 'Block 102 (east side)'],
      ['121', 'W', 'Block 121 (west side)'],
      ['121', 'E', 'Block 121 (east side)'],
    ])
    for (const z of feed.zones) {
      CdsZone.parse(z)
    }
    for (const p of feed.policies) {
      CdsPolicy.parse(p)
    }
    const [a, b, c, , e] = feed.zones
    expect(a?.curb_policy_ids).toEqual(b?.curb_policy_ids)
    expect(a?.curb_policy_ids).toEqual(c?.curb_policy_ids)
    expect(a?.curb_policy_ids).not.toEqual(e?.curb_policy_ids)
    expect(feed.policies).toHaveLength(6)
    // the oldest zone a policy governs dates it
    expect(feed.policies.every((p) => p.published_date === created.getTime())).toBe(true)
    expect(feed.lastUpdated).toBe(Date.parse('2026-03-01T00:00:00Z'))
    expect(new Set(feed.zones.map((z) => z.curb_zone_id)).size).toBe(6)
  })

  it('keeps ids while the geometry stays, and gives a face a new id when it moves', () => {
    const again = buildCurbFeed(
      sources.map((s) => ({ ...s, name: `${s.name}!` })),
      NY,
    )
    expect(again.zones.map((z) => z.curb_zone_id)).toEqual(feed.zones.map((z) => z.curb_zone_id))
    const first = sources[0] as CurbZoneSource
    const moved = buildCurbFeed(
      [
        {
          ...first,
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [east(-7, 0), east(-7, 120)],
              [east(8, 0), east(8, 120)],
            ],
          },
        },
      ],
      NY,
    )
    expect(moved.zones[0]?.curb_zone_id).toBe(feed.zones[0]?.curb_zone_id)
    expect(moved.zones[1]?.curb_zone_id).not.toBe(feed.zones[1]?.curb_zone_id)
  })

  it('selects zones in a bounding box, or near a point nearest first, or valid at a time', () => {
    const box = {
      minLat: LAT - 0.001,
      maxLat: LAT + 0.0002,
      minLng: east(-20)[0],
      maxLng: east(-3)[0],
    }
    expect(selectZones(feed.zones, { box }).map((z) => z.name)).toEqual(['Block 101 (west side)'])
    const [px, py] = east(390, 60)
    const near = selectZones(feed.zones, { near: { lat: py, lng: px, radiusCm: 10_000 } })
    expect(near.map((z) => z.name)).toEqual(['Block 121 (west side)', 'Block 121 (east side)'])
    expect(selectZones(feed.zones, { near: { lat: py, lng: px, radiusCm: 50 } })).toEqual([])
    expect(selectZones(feed.zones, { time: Date.parse('2026-01-20T00:00:00Z') })).toHaveLength(4)
  })

  it('measures distance and box overlap against the polygon, not only its corners', () => {
    const square: Position[][] = [
      [east(0, 0), east(100, 0), east(100, 100), east(0, 100), east(0, 0)],
    ]
    expect(metresToPolygon(east(50, 50), square)).toBe(0)
    expect(metresToPolygon(east(50, 110), square)).toBeCloseTo(10, 1)
    // a box inside the square touches none of its corners
    const inner = {
      minLat: east(0, 40)[1],
      maxLat: east(0, 60)[1],
      minLng: east(40)[0],
      maxLng: east(60)[0],
    }
    expect(polygonIntersectsBox(square, inner)).toBe(true)
    // a thin box crossing the square's middle has no corner inside it either
    const across = {
      minLat: east(0, 49)[1],
      maxLat: east(0, 51)[1],
      minLng: east(-10)[0],
      maxLng: east(110)[0],
    }
    expect(polygonIntersectsBox(square, across)).toBe(true)
    const away = {
      minLat: east(0, 200)[1],
      maxLat: east(0, 300)[1],
      minLng: east(0)[0],
      maxLng: east(10)[0],
    }
    expect(polygonIntersectsBox(square, away)).toBe(false)
  })
})
