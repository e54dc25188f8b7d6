import { router } from '../http/route.ts'
import { AppError } from '../http/errors.ts'
import { facilityByCode, listFacilities, updateFacility, type Facility } from './facilities.ts'
import { quote, quoteExtension, TariffError } from './tariff.ts'
import { normaliseJurisdiction, normalisePlate } from '../customers/plates.ts'
import { endOf, priced, runningSession, type Span } from '../sessions/sessions.ts'
import { occupancyNow } from '../sessions/occupancy.ts'
import { isOpenAt, nextOpening } from './hours.ts'
import {
  FacilityChangeBody,
  FacilityDetail,
  FacilityList,
  FacilityParams,
  FacilityView,
  QuoteBody,
  QuoteView,
} from './schemas.ts'

export const quotes = router('/quotes', 'Parking')

quotes.route(
  {
    method: 'post',
    path: '/',
    summary: 'What a stay at a facility or zone costs, itemised',
    description:
      'Give the zone number or facility code and either minutes or an end; start defaults to ' +
      'now. Prices follow the facility tariff in its own time zone, DST included. A stay over ' +
      'the maximum stay or purchase, or ending before it starts, answers 400 naming the rule.',
    access: ['public'],
    body: QuoteBody,
    responses: {
      200: { description: 'The quote', schema: QuoteView },
      400: { description: 'Bad input, or a stay the tariff does not allow' },
      404: { description: 'No such facility or zone' },
      409: { description: 'The facility is closed' },
    },
  },
  async (c, { body }) => {
    const { sql } = c.get('deps')
    const facility = await facilityByCode(sql, body.facility)
    if (facility.status === 'closed') {
      throw new AppError('conflict', `${facility.name} is closed`, { facility: facility.code })
    }
    const start = body.start ? new Date(body.start) : new Date()
    const span: Span = body.end ? { end: new Date(body.end) } : { minutes: body.minutes ?? 0 }
    const plate =
      body.plate && body.state
        ? { plate: normalisePlate(body.plate), state: normaliseJurisdiction(body.state) ?? body.state }
        : null
    const running = plate && !body.lostTicket ? await runningSession(sql, facility.id, plate, start) : null
    if (running) {
      const end = endOf(span, running.ends_at)
      const q = priced(() => quoteExtension(facility.tariff, running.starts_at, running.ends_at, end))
      return c.json({
        facility: { code: facility.code, name: facility.name, kind: facility.kind },
        extending: { session: running.public_id, paidUntil: running.ends_at.toISOString() },
        start: running.ends_at.toISOString(),
        end: end.toISOString(),
        ...q,
      })
    }
    const end = endOf(span, start)
    const q = priced(() => quote(facility.tariff, start, end, { lostTicket: body.lostTicket }))
    return c.json({
      facility: { code: facility.code, name: facility.name, kind: facility.kind },
      extending: null,
      start: start.toISOString(),
      end: end.toISOString(),
      ...q,
    })
  },
)


export const facilities = router('/facilities', 'Parking')

facilities.route(
  {
    method: 'get',
    path: '/',
    summary: 'Every lot, garage, on-street zone and Airport facility, with its price now',
    description: 'With each one what an hour from now costs, and the map tile URL to draw them on.',
    access: ['public'],
    responses: { 200: { description: 'The facilities by kind and code', schema: FacilityList } },
  },
  async (c) => {
    const { sql, config } = c.get('deps')
    const now = new Date()
    const [all, parked] = await Promise.all([listFacilities(sql), occupancyNow(sql, now)])
    return c.json({
      facilities: all.map((f) => facilityView(f, now, parked.get(f.id) ?? 0)),
      map: { tileUrl: config.MAP_TILE_URL },
    })
  },
)

facilities.route(
  {
    method: 'get',
    path: '/:code',
    summary: 'One facility or zone with its whole tariff',
    description:
      'The tariff is public: kiosks cache it to keep selling while offline, and the web quotes ' +
      'extensions with it.',
    access: ['public'],
    params: FacilityParams,
    responses: {
      200: { description: 'The facility', schema: FacilityDetail },
      404: { description: 'No such facility or zone' },
    },
  },
  async (c, { params }) => {
    const { sql } = c.get('deps')
    const now = new Date()
    const [facility, parked] = await Promise.all([facilityByCode(sql, params.code), occupancyNow(sql, now)])
    return c.json({ ...facilityView(facility, now, parked.get(facility.id) ?? 0), tariff: facility.tariff })
  },
)

facilities.route(
  {
    method: 'patch',
    path: '/:code',
    summary: "Change a facility's name, status, capacity, geometry or tariff",
    description:
      'Only what the body names changes. A tariff is checked whole by the tariff engine; a bad ' +
      'one answers 400 naming the field. Every change is audited with before and after.',
    access: ['admin'],
    params: FacilityParams,
    body: FacilityChangeBody,
    responses: {
      200: { description: 'The facility as changed, with its tariff', schema: FacilityDetail },
      400: { description: 'Bad input' },
      404: { description: 'No such facility or zone' },
    },
  },
  async (c, { params, body, principal }) => {
    const { sql } = c.get('deps')
    const updated = await updateFacility(sql, params.code, body, principal, c.get('requestId'))
    const now = new Date()
    const parked = await occupancyNow(sql, now)
    return c.json({ ...facilityView(updated, now, parked.get(updated.id) ?? 0), tariff: updated.tariff })
  },
)

function facilityView(f: Facility, now: Date, parked: number) {
  const { tariff, ...rest } = f
  const inHours = isOpenAt(f.hours, tariff.timeZone, now)
  return {
    ...rest,
    parked,
    openNow: f.status !== 'closed' && inHours,
    opensAt: f.status !== 'closed' && !inHours ? nextOpening(f.hours, tariff.timeZone, now) : null,
    timeZone: tariff.timeZone,
    maximumStayMinutes: tariff.maximumStayMinutes ?? null,
    hourNowCents: f.status === 'closed' ? null : hourFrom(f, now),
  }
}

function hourFrom(f: Facility, now: Date): number | null {
  try {
    return quote(f.tariff, now, new Date(now.getTime() + 3_600_000)).totalCents
  } catch (err) {
    if (err instanceof TariffError) {
      return null
    }
    throw err
  }
}
