import { z } from 'zod'

/*
  The Open Mobility Foundation's Curb Data Specification 1.0, Curbs API: the objects and fields
  Curbline publishes, named as the spec names them (curbs/README.md, general-information.md).
*/

export const CDS_VERSION = '1.0'
export const CDS_MEDIA_TYPE = 'application/vnd.cds+json;version=1.0'

const Uuid = z.uuid()
const Timestamp = z.number().int().describe('Milliseconds since the UNIX epoch')
const UnitOfTime = z.enum(['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'])

export const CdsPolygon = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(z.tuple([z.number(), z.number()])).min(4)).min(1),
  })
  .describe('GeoJSON Polygon (RFC 7946), [longitude, latitude], exterior ring counterclockwise')
export type CdsPolygon = z.infer<typeof CdsPolygon>

export const StreetSide = z.enum(['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'])
export type StreetSide = z.infer<typeof StreetSide>

export const CdsZone = z.object({
  curb_zone_id: Uuid.describe('UUID v5 of the zone code, face and published geometry'),
  geometry: CdsPolygon.optional().describe('Left out when include_geometry=false'),
  curb_policy_ids: z.array(Uuid).describe('The policies that together regulate this zone'),
  published_date: Timestamp,
  last_updated_date: Timestamp,
  start_date: Timestamp,
  name: z.string(),
  user_zone_id: z.string().describe('The zone number on the signs, to pay by'),
  street_side: StreetSide.optional().describe('Which side of the street this block face is on'),
  length: z.number().int().positive().optional().describe('Length of the block face, centimetres'),
})
export type CdsZone = z.infer<typeof CdsZone>

export const CdsRate = z.object({
  rate: z.number().int().nonnegative().describe('Cents per rate_unit'),
  rate_unit: UnitOfTime,
  increment_duration: z.number().int().positive().optional(),
  increment_amount: z.number().int().positive().optional(),
  start_duration: z.number().int().positive().optional(),
  end_duration: z.number().int().positive().optional(),
})
export type CdsRate = z.infer<typeof CdsRate>

export const CdsActivity = z.enum([
  'parking',
  'no parking',
  'loading',
  'no loading',
  'unloading',
  'no unloading',
  'stopping',
  'no stopping',
  'travel',
  'no travel',
])

export const CdsRule = z.object({
  activity: CdsActivity,
  max_stay: z.number().int().positive().optional(),
  max_stay_unit: UnitOfTime.optional(),
  rate: z.array(CdsRate).optional().describe('Left out when the rule costs nothing'),
})
export type CdsRule = z.infer<typeof CdsRule>

export const DayOfWeek = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)

export const CdsTimeSpan = z.object({
  start_date: Timestamp.optional(),
  end_date: Timestamp.optional(),
  days_of_week: z.array(DayOfWeek).optional(),
  time_of_day_start: TimeOfDay.optional(),
  time_of_day_end: TimeOfDay.optional().describe('Left out: until midnight'),
})
export type CdsTimeSpan = z.infer<typeof CdsTimeSpan>

export const CdsPolicy = z.object({
  curb_policy_id: Uuid.describe('UUID v5 of the whole policy: the same id is the same policy'),
  published_date: Timestamp,
  priority: z
    .number()
    .int()
    .positive()
    .describe('The lowest number applies where policies overlap'),
  time_spans: z.array(CdsTimeSpan).optional().describe('Left out: at all times'),
  rules: z.array(CdsRule).min(1),
})
export type CdsPolicy = z.infer<typeof CdsPolicy>

function envelope<T extends z.ZodType>(data: T) {
  return z.object({
    version: z.literal(CDS_VERSION),
    time_zone: z.string().describe('The IANA time zone of every local time in the policies'),
    last_updated: Timestamp.describe('When any on-street zone last changed'),
    currency: z.literal('USD'),
    data,
  })
}

export const CdsZonesResponse = envelope(z.object({ zones: z.array(CdsZone) }))
export const CdsZoneResponse = envelope(CdsZone)
export const CdsPoliciesResponse = envelope(z.object({ policies: z.array(CdsPolicy) }))
export const CdsPolicyResponse = envelope(CdsPolicy)

/* Query parameters arrive as strings; each is checked whole so a typo is a 400, never a guess. */

const decimal = (what: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, `${what} as a decimal number`)
    .transform(Number)
    .pipe(z.number().min(min).max(max))

const Latitude = decimal('A latitude in degrees', -90, 90)
const Longitude = decimal('A longitude in degrees', -180, 180)
const QueryTimestamp = z
  .string()
  .regex(/^\d{1,15}$/, 'A timestamp: milliseconds since the UNIX epoch')
  .transform(Number)
const QueryBoolean = z.enum(['true', 'false'])

const BBOX = ['min_lat', 'min_lng', 'max_lat', 'max_lng'] as const
const NEAR = ['lat', 'lng', 'radius'] as const

export const CurbZonesQuery = z
  .object({
    area: Uuid.optional().describe('Only zones within this Curb Area (Curbline publishes none)'),
    min_lat: Latitude.optional().describe('Bounding box: give all four of min/max lat/lng'),
    min_lng: Longitude.optional(),
    max_lat: Latitude.optional(),
    max_lng: Longitude.optional(),
    lat: Latitude.optional().describe('Near a point: give lat, lng and radius together'),
    lng: Longitude.optional(),
    radius: z
      .string()
      .regex(/^\d{1,10}$/, 'A radius in whole centimetres')
      .transform(Number)
      .pipe(z.number().int().positive().max(4_000_000_000))
      .optional()
      .describe('Centimetres; zones come nearest first'),
    include_geometry: QueryBoolean.default('true').transform((v) => v === 'true'),
    time: QueryTimestamp.optional().describe('Only zones valid at this time'),
  })
  .superRefine((q, ctx) => {
    const given = (names: readonly (keyof typeof q)[]) => names.filter((n) => q[n] !== undefined)
    const bbox = given(BBOX)
    const near = given(NEAR)
    for (const [group, names, what] of [
      [bbox, BBOX, 'A bounding box needs min_lat, min_lng, max_lat and max_lng'],
      [near, NEAR, 'A search near a point needs lat, lng and radius'],
    ] as const) {
      if (group.length > 0 && group.length < names.length) {
        for (const missing of names.filter((n) => !group.includes(n))) {
          ctx.addIssue({ code: 'custom', message: what, path: [missing] })
        }
      }
    }
    if (bbox.length > 0 && near.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'Give a bounding box or a point and radius, not both',
        path: ['lat'],
      })
    }
    if (q.min_lat !== undefined && q.max_lat !== undefined && q.min_lat > q.max_lat) {
      ctx.addIssue({ code: 'custom', message: 'min_lat is at most max_lat', path: ['min_lat'] })
    }
    if (q.min_lng !== undefined && q.max_lng !== undefined && q.min_lng > q.max_lng) {
      ctx.addIssue({ code: 'custom', message: 'min_lng is at most max_lng', path: ['min_lng'] })
    }
  })
export type CurbZonesQuery = z.infer<typeof CurbZonesQuery>

export const CurbZoneParams = z.object({ curb_zone_id: Uuid.describe('A curb_zone_id') })

export const CurbZoneQuery = z.object({
  time: QueryTimestamp.optional().describe('404 unless the zone is valid at this time'),
  show_historic: QueryBoolean.optional().describe(
    'Accepted; Curbline keeps no retired zones, so it changes nothing',
  ),
})

export const CurbPoliciesQuery = z.object({
  ids: z
    .string()
    .transform((s) => s.split(',').map((id) => id.trim()))
    .pipe(z.array(Uuid).min(1))
    .optional()
    .describe('Comma-separated curb_policy_ids: only these'),
})

export const CurbPolicyParams = z.object({ curb_policy_id: Uuid.describe('A curb_policy_id') })
