import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { seedFacilities } from '../../../db/seed/facilities.ts'
import {
  CdsPoliciesResponse,
  CdsPolicyResponse,
  CdsZoneResponse,
  CdsZonesResponse,
  type CdsPolicy,
  type CdsZone,
} from '../../../api/facilities/curbs-schemas.ts'

const db = await testDatabase()
const t = testApp(db)
await seedFacilities(db.sql)

const CDS = 'application/vnd.cds+json;version=1.0'
type Position = [number, number]

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await t.request(`/api/v1/curbs${path}`, { headers })
  return { res, body: await res.json() }
}
const zones = async (query = ''): Promise<CdsZone[]> =>
  (await get(`/zones${query}`)).body.data.zones
const policiesOf = async (zone: CdsZone): Promise<CdsPolicy[]> =>
  (await get(`/policies?ids=${zone.curb_policy_ids.join(',')}`)).body.data.policies
const faceOf = (all: CdsZone[], code: string, side: string) => {
  const zone = all.find((z) => z.user_zone_id === code && z.street_side === side)
  if (!zone) {
    throw new Error(`no ${side} face of zone ${code}`)
  }
  return zone
}

// Independent of the code under test: even-odd ray casting.
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

describe('GET /api/v1/curbs/zones', () => {
  it('answers in the CDS envelope and media type, a Curb Zone per block face of the 40 zones', async () => {
    const { res, body } = await get('/zones')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(CDS)
    expect(() => CdsZonesResponse.parse(body)).not.toThrow()
    expect(body).toMatchObject({ version: '1.0', time_zone: 'America/New_York', currency: 'USD' })
    const [row] = await db.sql<{ at: Date }[]>`
      select max(updated_at) as at from parking.facility where kind = 'on_street_zone'`
    expect(body.last_updated).toBe(row?.at.getTime())
    const all: CdsZone[] = body.data.zones
    expect(all).toHaveLength(80)
    expect(new Set(all.map((z) => z.user_zone_id)).size).toBe(40)
    expect(all.every((z) => z.user_zone_id >= '101' && z.user_zone_id <= '140')).toBe(true)
    expect(faceOf(all, '101', 'W')).toMatchObject({
      name: 'Fayetteville St, Hargett St to Martin St (west side)',
      length: expect.any(Number),
    })
    expect(new Set(all.map((z) => z.curb_zone_id)).size).toBe(80)
  })

  it('keeps every id across calls, and a zone id across a rename', async () => {
    const first = await zones()
    const again = await zones()
    expect(again.map((z) => z.curb_zone_id)).toEqual(first.map((z) => z.curb_zone_id))
    expect((await get('/policies')).body).toEqual((await get('/policies')).body)
    await db.sql`update parking.facility set name = 'Renamed block', updated_at = now() where code = '140'`
    const renamed = await zones()
    expect(renamed.map((z) => z.curb_zone_id)).toEqual(first.map((z) => z.curb_zone_id))
    expect(faceOf(renamed, '140', 'E').name).toBe('Renamed block (east side)')
  })

  it('draws each face as a closed polygon of at least four points around its line', async () => {
    const rows = await db.sql<{ code: string; geometry: { coordinates: Position[][] } }[]>`
      select code, geometry from parking.facility where kind = 'on_street_zone'`
    const all = await zones()
    for (const { code, geometry } of rows) {
      const faces = all.filter((z) => z.user_zone_id === code)
      expect(faces.map((z) => z.street_side)).toEqual(['W', 'E'])
      geometry.coordinates.forEach((line, i) => {
        const ring = faces[i]?.geometry?.coordinates[0] ?? []
        expect(faces[i]?.geometry?.type).toBe('Polygon')
        expect(ring.length).toBeGreaterThanOrEqual(4)
        expect(ring[ring.length - 1]).toEqual(ring[0])
        for (const point of line) {
          expect(inside(point, ring), `zone ${code} face ${i} at ${point}`).toBe(true)
        }
        // the other face, across the street, lies outside
        for (const point of geometry.coordinates[1 - i] ?? []) {
          expect(inside(point, ring)).toBe(false)
        }
      })
    }
  })

  it('filters by bounding box, by a point and radius nearest first, by time, and can leave out geometry', async () => {
    const all = await zones()
    const west101 = faceOf(all, '101', 'W')
    const ring = west101.geometry?.coordinates[0] ?? []
    const lngs = ring.map(([lng]) => lng)
    const lats = ring.map(([, lat]) => lat)
    const [minLng, maxLng, minLat, maxLat] = [
      Math.min(...lngs),
      Math.max(...lngs),
      Math.min(...lats),
      Math.max(...lats),
    ]
    const inBox = await zones(
      `?min_lat=${minLat}&min_lng=${minLng}&max_lat=${maxLat}&max_lng=${(minLng + maxLng) / 2}`,
    )
    expect(inBox.map((z) => z.curb_zone_id)).toEqual([west101.curb_zone_id])

    const [lng, lat] = [(minLng + maxLng) / 2 - 0.00005, (minLat + maxLat) / 2]
    const near = await zones(`?lat=${lat}&lng=${lng}&radius=3000`)
    expect(near.map((z) => [z.user_zone_id, z.street_side])).toEqual([
      ['101', 'W'],
      ['101', 'E'],
    ])
    const wider = await zones(`?lat=${lat}&lng=${lng}&radius=20000`)
    expect(wider.length).toBeGreaterThan(2)
    expect(wider.slice(0, 2)).toEqual(near)

    const created = Math.min(...all.map((z) => z.start_date))
    expect(await zones(`?time=${created - 1}`)).toEqual([])
    expect(await zones(`?time=${Date.now()}`)).toHaveLength(80)

    const bare = await zones('?include_geometry=false')
    expect(bare).toHaveLength(80)
    expect(bare.every((z) => !('geometry' in z))).toBe(true)
  })

  it('answers 400 in Curbline’s error shape for a malformed or incomplete filter', async () => {
    for (const [query, field] of [
      ['?min_lat=35.7&min_lng=-78.7&max_lat=35.8', 'query.max_lng'],
      ['?min_lat=35.9&min_lng=-78.7&max_lat=35.8&max_lng=-78.6', 'query.min_lat'],
      ['?min_lat=north&min_lng=-78.7&max_lat=35.8&max_lng=-78.6', 'query.min_lat'],
      ['?min_lat=95&min_lng=-78.7&max_lat=96&max_lng=-78.6', 'query.min_lat'],
      ['?lat=35.78&lng=-78.64', 'query.radius'],
      ['?lat=35.78&lng=-78.64&radius=-5', 'query.radius'],
      [
        '?lat=35.78&lng=-78.64&radius=100&min_lat=35.7&min_lng=-78.7&max_lat=35.8&max_lng=-78.6',
        'query.lat',
      ],
      ['?include_geometry=no', 'query.include_geometry'],
      ['?time=yesterday', 'query.time'],
      ['?area=downtown', 'query.area'],
    ] as const) {
      const { res, body } = await get(`/zones${query}`)
      expect(res.status, query).toBe(400)
      expect(body.error.code).toBe('invalid')
      expect(
        body.error.details.map((d: { field: string }) => d.field),
        query,
      ).toContain(field)
    }
    const area = await get('/zones?area=7d8a5885-e949-4ac9-afb7-fa4d43b68530')
    expect(area.res.status).toBe(404)
  })

  it('answers 406 to an Accept header that admits no CDS 1.0 reply, and serves those that do', async () => {
    for (const accept of [
      CDS,
      'application/vnd.cds+json;version=1.0.1',
      'application/json',
      '*/*',
      'text/html, */*;q=0.1',
    ]) {
      const { res } = await get('/zones?include_geometry=false', { accept })
      expect(res.status, accept).toBe(200)
      expect(res.headers.get('content-type')).toBe(CDS)
    }
    for (const accept of [
      'application/vnd.cds+json;version=1.1',
      'text/html',
      'application/json;q=0',
    ]) {
      const { res, body } = await get('/zones', { accept })
      expect(res.status, accept).toBe(406)
      expect(body.error).toMatchObject({ code: 'not_acceptable', details: { supported: [CDS] } })
    }
  })
})

describe('GET /api/v1/curbs/zones/{curb_zone_id}', () => {
  it('fetches one zone by its id, in the envelope', async () => {
    const zone = faceOf(await zones(), '121', 'E')
    const { res, body } = await get(`/zones/${zone.curb_zone_id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(CDS)
    expect(() => CdsZoneResponse.parse(body)).not.toThrow()
    expect(body.data).toEqual(zone)
    const before = await get(`/zones/${zone.curb_zone_id}?time=${zone.start_date - 1}`)
    expect(before.res.status).toBe(404)
  })

  it('answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
    const missing = await get('/zones/7d8a5885-e949-4ac9-afb7-fa4d43b68530')
    expect(missing.res.status).toBe(404)
    expect(missing.body.error).toMatchObject({
      code: 'not_found',
      message: 'Curb zone 7d8a5885-e949-4ac9-afb7-fa4d43b68530 not found',
    })
    const malformed = await get('/zones/101')
    expect(malformed.res.status).toBe(400)
    expect(malformed.body.error.details[0]).toMatchObject({ field: 'params.curb_zone_id' })
  })

  it('gives a face a new id when its geometry moves, and the old id is gone', async () => {
    const before = await zones()
    await db.sql`
      update parking.facility
         set geometry = jsonb_set(geometry, '{coordinates,1,0,0}', to_jsonb((geometry #>> '{coordinates,1,0,0}')::float8 + 0.00001)),
             updated_at = now()
       where code = '139'`
    const after = await zones()
    expect(faceOf(after, '139', 'W').curb_zone_id).toBe(faceOf(before, '139', 'W').curb_zone_id)
    const old = faceOf(before, '139', 'E').curb_zone_id
    expect(faceOf(after, '139', 'E').curb_zone_id).not.toBe(old)
    expect((await get(`/zones/${old}`)).res.status).toBe(404)
  })
})

describe('GET /api/v1/curbs/policies', () => {
  const parking = (maxStay: number) => ({
    activity: 'parking',
    max_stay: maxStay,
    max_stay_unit: 'minute',
  })
  const band = {
    days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    time_of_day_start: '08:00',
    time_of_day_end: '18:00',
  }

  it('derives a core zone’s policies from its tariff: free holidays, $2.00 an hour 8–6 Mon–Sat, free otherwise, 2 hours', async () => {
    const all = await zones()
    const zone = faceOf(all, '101', 'W')
    const [holidays, metered, otherwise, ...more] = await policiesOf(zone)
    expect(more).toEqual([])
    expect(holidays).toMatchObject({ priority: 1, rules: [parking(120)] })
    expect(holidays?.time_spans).toHaveLength(12)
    expect(holidays?.time_spans?.[0]).toEqual({
      start_date: Date.parse('2026-01-01T05:00:00Z'),
      end_date: Date.parse('2026-01-02T05:00:00Z'),
    })
    expect(metered).toMatchObject({
      priority: 2,
      time_spans: [band],
      rules: [{ ...parking(120), rate: [{ rate: 200, rate_unit: 'hour', increment_amount: 50 }] }],
    })
    expect(otherwise).toMatchObject({ priority: 3, rules: [parking(120)] })
    expect(otherwise?.time_spans).toBeUndefined()
    // every core zone, both faces, shares the same three policies
    const core = all.filter((z) => z.user_zone_id <= '120')
    expect(core.every((z) => z.curb_policy_ids.join() === zone.curb_policy_ids.join())).toBe(true)
  })

  it('derives a fringe zone’s: $1.25 an hour in quarter hours at 31 cents, 3 hours', async () => {
    const all = await zones()
    const fringe = faceOf(all, '121', 'W')
    const core = faceOf(all, '101', 'W')
    const [, metered, otherwise] = await policiesOf(fringe)
    expect(metered).toMatchObject({
      time_spans: [band],
      rules: [{ ...parking(180), rate: [{ rate: 124, rate_unit: 'hour', increment_amount: 31 }] }],
    })
    expect(otherwise).toMatchObject({ rules: [parking(180)] })
    expect(fringe.curb_policy_ids.some((id) => core.curb_policy_ids.includes(id))).toBe(false)
  })

  it('lists every policy a zone refers to, each fetchable by id, and no others', async () => {
    const { res, body } = await get('/policies')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(CDS)
    expect(() => CdsPoliciesResponse.parse(body)).not.toThrow()
    const listed = new Set(body.data.policies.map((p: CdsPolicy) => p.curb_policy_id))
    const referred = new Set((await zones()).flatMap((z) => z.curb_policy_ids))
    expect(listed).toEqual(referred)
    const [first] = body.data.policies as CdsPolicy[]
    const one = await get(`/policies/${first?.curb_policy_id}`)
    expect(one.res.status).toBe(200)
    expect(() => CdsPolicyResponse.parse(one.body)).not.toThrow()
    expect(one.body.data).toEqual(first)
  })

  it('answers 404 for an unknown policy and 400 for ids that are not UUIDs', async () => {
    expect((await get('/policies/cd0996d7-3765-4f0b-a72e-7caf7cf3fe21')).res.status).toBe(404)
    expect((await get('/policies/first')).res.status).toBe(400)
    const bad = await get('/policies?ids=cd0996d7-3765-4f0b-a72e-7caf7cf3fe21,nope')
    expect(bad.res.status).toBe(400)
    expect(bad.body.error.details[0].field).toBe('query.ids.1')
    const none = await get('/policies?ids=cd0996d7-3765-4f0b-a72e-7caf7cf3fe21')
    expect(none.body.data.policies).toEqual([])
  })

  it('publishes a closed zone as no parking, and a changed tariff as new policies', async () => {
    await db.sql`update parking.facility set status = 'closed', updated_at = now() where code = '138'`
    const admin = await t.userWithRole('admin')
    const patched = await t.request('/api/v1/facilities/137', {
      method: 'PATCH',
      as: admin,
      json: {
        tariff: {
          timeZone: 'America/New_York',
          incrementMinutes: 30,
          bands: [
            {
              days: [1, 2, 3, 4, 5],
              from: '07:00',
              to: '19:00',
              rates: [{ minutes: 60, cents: 100 }, { cents: 200 }],
            },
          ],
        },
      },
    })
    expect(patched.status).toBe(200)
    const all = await zones()
    const [closed] = await policiesOf(faceOf(all, '138', 'E'))
    expect(closed).toMatchObject({ priority: 1, rules: [{ activity: 'no parking' }] })
    expect(faceOf(all, '138', 'E').curb_policy_ids).toHaveLength(1)
    const [metered, otherwise] = await policiesOf(faceOf(all, '137', 'W'))
    expect(metered).toMatchObject({
      priority: 1,
      time_spans: [
        {
          days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri'],
          time_of_day_start: '07:00',
          time_of_day_end: '19:00',
        },
      ],
      rules: [
        {
          activity: 'parking',
          rate: [
            { rate: 200, rate_unit: 'hour', increment_amount: 100, end_duration: 1 },
            { rate: 400, rate_unit: 'hour', increment_amount: 200, start_duration: 1 },
          ],
        },
      ],
    })
    expect(otherwise).toEqual(
      expect.objectContaining({ priority: 2, rules: [{ activity: 'parking' }] }),
    )
  })
})

describe('the OpenAPI document', () => {
  it('describes the CDS routes with their response schemas and parameters', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    const zonesOp = doc.paths['/api/v1/curbs/zones'].get
    expect(zonesOp.tags).toEqual(['Curb Data Specification'])
    expect(zonesOp.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'min_lat',
        'min_lng',
        'max_lat',
        'max_lng',
        'lat',
        'lng',
        'radius',
        'include_geometry',
        'time',
      ]),
    )
    const schema = zonesOp.responses['200'].content['application/json'].schema
    expect(schema.properties.data.properties.zones.items.required).toEqual(
      expect.arrayContaining([
        'curb_zone_id',
        'curb_policy_ids',
        'published_date',
        'last_updated_date',
        'start_date',
      ]),
    )
    expect(doc.paths['/api/v1/curbs/zones/{curb_zone_id}'].get.parameters[0]).toMatchObject({
      name: 'curb_zone_id',
      in: 'path',
    })
    expect(doc.paths['/api/v1/curbs/policies/{curb_policy_id}'].get).toBeDefined()
  })
})
