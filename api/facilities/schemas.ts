import { z } from 'zod'
import { tariffSchema } from './tariff.ts'
import { hoursSchema } from './hours.ts'
import { isValidPlate, normaliseJurisdiction, normalisePlate } from '../customers/plates.ts'

/** The zone number on the signs, or a facility's code; any case. */
export const FacilityCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,19}$/, 'A zone number or facility code, e.g. 104 or G-CIVIC')

export const Instant = z.iso.datetime({ offset: true }).describe('ISO 8601 instant with its offset')

export const QuoteBody = z
  .object({
    facility: FacilityCode.describe('The zone number on the signs, or the facility code'),
    start: Instant.optional().describe('When the stay starts; now if omitted'),
    minutes: z.number().int().positive().max(366 * 24 * 60).optional().describe('How long'),
    end: Instant.optional().describe('Or when it ends'),
    lostTicket: z.boolean().optional().describe('A gated exit without a known entry'),
    plate: z
      .string()
      .max(20)
      .refine((p) => isValidPlate(normalisePlate(p)), 'A plate has 1 to 8 letters (A-Z) and digits')
      .optional()
      .describe('With state: price what buying for this plate would cost, an extension if it has time running here'),
    state: z
      .string()
      .refine((s) => normaliseJurisdiction(s) !== null, 'A 2-letter state or province code')
      .optional(),
  })
  .refine((b) => (b.minutes === undefined) !== (b.end === undefined) || b.lostTicket === true, {
    message: 'Give either minutes or end',
    path: ['minutes'],
  })
  .refine((b) => (b.plate === undefined) === (b.state === undefined), {
    message: 'A plate goes with its state',
    path: ['state'],
  })
export type QuoteBody = z.infer<typeof QuoteBody>

export const QuoteLine = z.object({
  kind: z.enum(['time', 'grace', 'event', 'minimum', 'lost_ticket']),
  description: z.string(),
  date: z.string().optional().describe('The local day a time line charges for'),
  minutes: z.number().int().optional(),
  cents: z.number().int(),
  uncappedCents: z.number().int().optional(),
  cappedBy: z.enum(['daily_max', 'weekly_max']).optional(),
})

export const QuoteView = z.object({
  facility: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  extending: z
    .object({ session: z.string(), paidUntil: z.string() })
    .nullable()
    .optional()
    .describe('Set when the plate has time running here: the price is of adding to it, from paidUntil'),
  start: z.string(),
  end: z.string(),
  minutes: z.number().int(),
  totalCents: z.number().int(),
  lines: z.array(QuoteLine),
})

export const FacilityView = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  geometry: z.record(z.string(), z.unknown()).nullable().describe('GeoJSON geometry'),
  capacity: z.number().int().nullable(),
  parked: z.number().int().describe('Cars parked now: paid sessions running and stays inside'),
  gated: z.boolean(),
  status: z.enum(['open', 'closed', 'event']),
  hours: hoursSchema.nullable().describe('Weekly opening hours, local time; null: always open'),
  openNow: z.boolean().describe('Open now by its status and hours'),
  opensAt: z.string().nullable().describe('When a facility closed by its hours opens next, e.g. "Monday 07:00"'),
  timeZone: z.string(),
  maximumStayMinutes: z.number().int().nullable(),
  hourNowCents: z
    .number()
    .int()
    .nullable()
    .describe('What an hour from now costs; null when closed or an hour is not sold'),
})
export const FacilityDetail = FacilityView.extend({
  tariff: z.record(z.string(), z.unknown()).describe(
    'The tariff as api/facilities/tariff.ts reads it, so a kiosk or the web can quote offline',
  ),
})

export const FacilityList = z.object({
  facilities: z.array(FacilityView),
  map: z.object({ tileUrl: z.string().describe('Tile URL template; empty: no tiles') }),
})

export const FacilityParams = z.object({
  code: FacilityCode,
})

/*
  GeoJSON geometry as RFC 7946 has it: positions [longitude, latitude] in range, a line of two
  positions or more, a polygon's rings closed with four positions or more.
*/
const Position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)], {
  error: 'a position is [longitude, latitude]',
})
const Line = z.array(Position).min(2, 'a line has two positions or more')
const Ring = z
  .array(Position)
  .min(4, 'a ring has four positions or more')
  .refine((r) => r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1], 'a ring ends where it starts')
const Polygon = z.array(Ring).min(1, 'a polygon has an outer ring')

/** An area: a permit zone's boundary, a lot's outline. */
export const AreaGeometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: Polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(Polygon).min(1) }),
  ])
  .describe('GeoJSON Polygon or MultiPolygon (RFC 7946): [longitude, latitude] positions')

const Geometry = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Point'), coordinates: Position }),
    z.object({ type: z.literal('LineString'), coordinates: Line }),
    z.object({ type: z.literal('MultiLineString'), coordinates: z.array(Line).min(1) }),
    z.object({ type: z.literal('Polygon'), coordinates: Polygon }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(Polygon).min(1) }),
  ])
  .describe('GeoJSON geometry (RFC 7946): [longitude, latitude] positions')

export const FacilityChangeBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['open', 'closed', 'event']).optional(),
    capacity: z.number().int().min(0).max(100_000).nullable().optional(),
    geometry: Geometry.nullable().optional(),
    hours: hoursSchema.nullable().optional().describe('Weekly opening hours; null: always open'),
    tariff: tariffSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Change at least one thing' })
