import type { Context } from 'hono'
import type { AppEnv } from '../http/context.ts'
import { AppError, notFound } from '../http/errors.ts'
import { router } from '../http/route.ts'
import { curbFeed, selectZones, type CurbFeed } from './curbs.ts'
import {
  CDS_MEDIA_TYPE,
  CDS_VERSION,
  CdsPoliciesResponse,
  CdsPolicyResponse,
  CdsZoneResponse,
  CdsZonesResponse,
  CurbPoliciesQuery,
  CurbPolicyParams,
  CurbZoneParams,
  CurbZoneQuery,
  CurbZonesQuery,
} from './curbs-schemas.ts'

/*
  The Curb Data Specification's Curbs API (public, read-only). Replies are the spec's envelope
  with Content-Type application/vnd.cds+json;version=1.0; the errors keep Curbline's own shape.
*/
export const curbs = router('/curbs', 'Curb Data Specification')

const ACCEPT_NOTE =
  `Answers ${CDS_MEDIA_TYPE}. An Accept header that admits neither it (any 1.0.x version), ` +
  'application/json (as the spec’s own OpenAPI declares) nor a wildcard answers 406.'

const NOT_ACCEPTABLE = { description: 'The Accept header admits no CDS 1.0 reply' }

curbs.route(
  {
    method: 'get',
    path: '/zones',
    summary: 'Curb Zones: every block face of every on-street zone',
    description:
      'Each face of a pay-by-zone block is a Curb Zone, its line drawn as a polygon a parking ' +
      'lane wide, with the zone number as user_zone_id. Filter by a bounding box (min_lat, ' +
      'min_lng, max_lat, max_lng) or a point and radius in centimetres (lat, lng, radius; ' +
      'nearest first), and by time. ' +
      ACCEPT_NOTE,
    access: ['public'],
    query: CurbZonesQuery,
    responses: {
      200: {
        description: 'The zones, in zone-number order unless near a point',
        schema: CdsZonesResponse,
      },
      400: { description: 'A malformed or incomplete filter' },
      404: { description: 'An area was named: Curbline publishes no Curb Areas' },
      406: NOT_ACCEPTABLE,
    },
  },
  async (c, { query }) => {
    negotiate(c)
    if (query.area !== undefined) {
      throw notFound(`Curb area ${query.area} (Curbline publishes no curb areas)`)
    }
    const feed = await feedFor(c)
    const box =
      query.min_lat !== undefined &&
      query.min_lng !== undefined &&
      query.max_lat !== undefined &&
      query.max_lng !== undefined
        ? {
            minLat: query.min_lat,
            minLng: query.min_lng,
            maxLat: query.max_lat,
            maxLng: query.max_lng,
          }
        : undefined
    const near =
      query.lat !== undefined && query.lng !== undefined && query.radius !== undefined
        ? { lat: query.lat, lng: query.lng, radiusCm: query.radius }
        : undefined
    const zones = selectZones(feed.zones, { box, near, time: query.time })
    const shown = query.include_geometry ? zones : zones.map(({ geometry: _, ...rest }) => rest)
    return cds(c, feed, { zones: shown })
  },
)

curbs.route(
  {
    method: 'get',
    path: '/zones/:curb_zone_id',
    summary: 'One Curb Zone',
    description: `Ids stay the same while a face's geometry does. ${ACCEPT_NOTE}`,
    access: ['public'],
    params: CurbZoneParams,
    query: CurbZoneQuery,
    responses: {
      200: { description: 'The zone', schema: CdsZoneResponse },
      400: { description: 'Not a UUID, or a malformed time' },
      404: { description: 'No such zone, or not valid at the time asked' },
      406: NOT_ACCEPTABLE,
    },
  },
  async (c, { params, query }) => {
    negotiate(c)
    const feed = await feedFor(c)
    const id = params.curb_zone_id.toLowerCase()
    const zone = feed.zones.find((z) => z.curb_zone_id === id)
    if (!zone || (query.time !== undefined && zone.start_date > query.time)) {
      throw notFound(`Curb zone ${params.curb_zone_id}`)
    }
    return cds(c, feed, zone)
  },
)

curbs.route(
  {
    method: 'get',
    path: '/policies',
    summary:
      'Curb Policies: what the on-street tariffs allow, when, for how long and at what price',
    description:
      'Derived from each zone’s tariff: event prices, free holidays, each priced band and free ' +
      'parking at other times, in order of precedence; zones with the same tariff share them. ' +
      ACCEPT_NOTE,
    access: ['public'],
    query: CurbPoliciesQuery,
    responses: {
      200: { description: 'The policies', schema: CdsPoliciesResponse },
      400: { description: 'An id that is not a UUID' },
      406: NOT_ACCEPTABLE,
    },
  },
  async (c, { query }) => {
    negotiate(c)
    const feed = await feedFor(c)
    const wanted = query.ids ? new Set(query.ids.map((id) => id.toLowerCase())) : undefined
    const policies = wanted
      ? feed.policies.filter((p) => wanted.has(p.curb_policy_id))
      : feed.policies
    return cds(c, feed, { policies })
  },
)

curbs.route(
  {
    method: 'get',
    path: '/policies/:curb_policy_id',
    summary: 'One Curb Policy',
    description: `A policy id always means the identical policy. ${ACCEPT_NOTE}`,
    access: ['public'],
    params: CurbPolicyParams,
    responses: {
      200: { description: 'The policy', schema: CdsPolicyResponse },
      400: { description: 'Not a UUID' },
      404: { description: 'No zone has this policy now' },
      406: NOT_ACCEPTABLE,
    },
  },
  async (c, { params }) => {
    negotiate(c)
    const feed = await feedFor(c)
    const id = params.curb_policy_id.toLowerCase()
    const policy = feed.policies.find((p) => p.curb_policy_id === id)
    if (!policy) {
      throw notFound(`Curb policy ${params.curb_policy_id}`)
    }
    return cds(c, feed, policy)
  },
)

function feedFor(c: Context<AppEnv>): Promise<CurbFeed> {
  const { sql, config } = c.get('deps')
  return curbFeed(sql, config.CITY_TIME_ZONE)
}

function cds(c: Context<AppEnv>, feed: CurbFeed, data: unknown): Response {
  const body = {
    version: CDS_VERSION,
    time_zone: feed.timeZone,
    last_updated: feed.lastUpdated,
    currency: 'USD',
    data,
  }
  return c.body(JSON.stringify(body), 200, { 'Content-Type': CDS_MEDIA_TYPE, Vary: 'Accept' })
}

/**
 * CDS versioning: a request whose Accept header admits no reply we can give is refused with 406.
 * Admitted: the CDS media type at version 1.0 or 1.0.x (or without a version), application/json
 * and wildcards, unless given q=0.
 */
function negotiate(c: Context<AppEnv>): void {
  const accept = c.req.header('accept')
  if (acceptsCds(accept)) {
    return
  }
  throw new AppError(
    'not_acceptable',
    `This endpoint answers ${CDS_MEDIA_TYPE}; the Accept header asks for ${accept ?? 'nothing'}`,
    { accept: accept ?? null, supported: [CDS_MEDIA_TYPE] },
  )
}

function acceptsCds(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') {
    return true
  }
  return accept.split(',').some((range) => {
    const [type = '', ...parts] = range.split(';').map((s) => s.trim().toLowerCase())
    const params = new Map(
      parts.map((p) => {
        const eq = p.indexOf('=')
        return eq < 0
          ? [p, '']
          : [
              p.slice(0, eq).trim(),
              p
                .slice(eq + 1)
                .trim()
                .replace(/^"|"$/g, ''),
            ]
      }),
    )
    const q = params.get('q')
    if (q !== undefined && Number(q) === 0) {
      return false
    }
    if (type === 'application/vnd.cds+json') {
      const version = params.get('version')
      return version === undefined || /^1\.0(\.\d+)?$/.test(version)
    }
    return type === '*/*' || type === 'application/*' || type === 'application/json'
  })
}
