import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { seedFacilities } from '../../../db/seed/facilities.ts'

const db = await testDatabase()
const t = testApp(db)
await seedFacilities(db.sql)

const post = (json: unknown) => t.request('/api/v1/quotes', { method: 'POST', json })

describe('POST /api/v1/quotes', () => {
  it('quotes an on-street zone by the number on its signs, for anyone', async () => {
    // a Tuesday, 10 am in the city
    const res = await post({ facility: '104', start: '2026-05-05T10:00:00-04:00', minutes: 45 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      facility: { code: '104', kind: 'on_street_zone' },
      start: '2026-05-05T14:00:00.000Z',
      end: '2026-05-05T14:45:00.000Z',
      minutes: 45,
      totalCents: 150,
      lines: [{ kind: 'time', date: '2026-05-05', minutes: 45, cents: 150 }],
    })
  })

  it('quotes an Airport stay to an end, with the daily maximum, and a lost ticket', async () => {
    const stay = { facility: 'air-st', start: '2026-05-04T10:00:00-04:00', end: '2026-05-06T10:00:00-04:00' }
    const res = await post(stay)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.totalCents).toBe(3 * 2400)
    expect(body.lines.map((l: { cappedBy?: string }) => l.cappedBy)).toEqual(['daily_max', 'daily_max', 'daily_max'])
    const lost = await post({ facility: 'AIR-ST', lostTicket: true })
    expect(await lost.json()).toMatchObject({ totalCents: 6000, lines: [{ kind: 'lost_ticket' }] })
  })

  it('quotes a downtown garage by the half hour: $2.00 the first hour, $3.00 an hour after', async () => {
    const res = await post({ facility: 'G-CIVIC', start: '2026-05-05T10:00:00-04:00', minutes: 90 })
    expect((await res.json()).totalCents).toBe(200 + 150)
  })

  it('answers 400 naming the rule for a stay over the time limit or ending before it starts', async () => {
    const long = await post({ facility: '104', start: '2026-05-05T10:00:00-04:00', minutes: 150 })
    expect(long.status).toBe(400)
    expect(await long.json()).toMatchObject({
      error: {
        code: 'invalid',
        message: 'The maximum stay here is 2 hours',
        details: [{ field: 'body.minutes', rule: 'stay_too_long' }],
      },
    })
    const backwards = await post({
      facility: '104',
      start: '2026-05-05T10:00:00-04:00',
      end: '2026-05-05T09:00:00-04:00',
    })
    expect(backwards.status).toBe(400)
    expect((await backwards.json()).error.details[0]).toMatchObject({ field: 'body.end' })
  })

  it('answers 400 for malformed input and 404 for a zone that does not exist', async () => {
    for (const bad of [
      { facility: '104' },
      { facility: '104', minutes: 30, end: '2026-05-05T10:00:00-04:00' },
      { facility: '104', minutes: -5 },
      { facility: '104', minutes: 30, start: 'tomorrow' },
      { facility: 'no such zone!', minutes: 30 },
    ]) {
      const res = await post(bad)
      expect(res.status, JSON.stringify(bad)).toBe(400)
      expect((await res.json()).error.code).toBe('invalid')
    }
    const missing = await post({ facility: '999', minutes: 30 })
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.message).toBe('Parking facility or zone 999 not found')
  })

  it('refuses a closed facility with 409', async () => {
    await db.sql`update parking.facility set status = 'closed' where code = 'L-DEPOT'`
    const res = await post({ facility: 'L-DEPOT', minutes: 30 })
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toBe('Depot Street Lot is closed')
  })
})

describe('GET /api/v1/facilities', () => {
  it('lists every facility with its status, time zone and time limit', async () => {
    const res = await t.request('/api/v1/facilities')
    expect(res.status).toBe(200)
    const { facilities } = await res.json()
    expect(facilities).toHaveLength(50)
    const zone = facilities.find((f: { code: string }) => f.code === '101')
    expect(zone).toMatchObject({
      kind: 'on_street_zone',
      timeZone: 'America/New_York',
      maximumStayMinutes: 120,
      status: 'open',
      geometry: { type: 'MultiLineString' },
    })
    // an hour from now: free on evenings, Sundays and holidays, else four quarter hours at most
    expect([0, 50, 100, 150, 200]).toContain(zone.hourNowCents)
    await db.sql`update parking.facility set status = 'closed' where code = '102'`
    const again = await (await t.request('/api/v1/facilities')).json()
    expect(again.facilities.find((f: { code: string }) => f.code === '102').hourNowCents).toBeNull()
  })
})

describe('PATCH /api/v1/facilities/{code}', () => {
  it('lets an administrator set the rates and status, audited with before and after', async () => {
    const admin = await t.userWithRole('admin')
    const res = await t.request('/api/v1/facilities/105', {
      method: 'PATCH',
      as: admin,
      json: {
        status: 'event',
        tariff: {
          timeZone: 'America/New_York',
          incrementMinutes: 15,
          bands: [{ days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00', rates: [{ cents: 75 }] }],
          maximumStayMinutes: 120,
        },
      },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ code: '105', status: 'event', maximumStayMinutes: 120 })
    const quoted = await post({ facility: '105', start: '2026-05-05T19:00:00-04:00', minutes: 30 })
    expect((await quoted.json()).totalCents).toBe(150)
    const [audit] = await db.sql`
      select action, entity_id, before->>'status' as was, after->>'status' as now,
             after->'tariff'->'bands'->0->>'to' as band_to
        from app.audit_log where entity = 'parking_facility' order by id desc limit 1`
    expect(audit).toEqual({ action: 'facility.update', entity_id: '105', was: 'open', now: 'event', band_to: '20:00' })
  })

  it('refuses a tariff the engine cannot price, naming the field, and changes nothing', async () => {
    const admin = await t.userWithRole('admin')
    const res = await t.request('/api/v1/facilities/106', {
      method: 'PATCH',
      as: admin,
      json: {
        tariff: {
          timeZone: 'America/New_York',
          incrementMinutes: 15,
          bands: [{ days: [1], from: '18:00', to: '08:00', rates: [{ cents: 75 }] }],
        },
      },
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'body.tariff.bands.0.to' })]),
    )
    const [row] = await db.sql`select tariff->'bands'->0->>'to' as band_to from parking.facility where code = '106'`
    expect(row?.band_to).toBe('18:00')
    const empty = await t.request('/api/v1/facilities/106', { method: 'PATCH', as: admin, json: {} })
    expect(empty.status).toBe(400)
    const missing = await t.request('/api/v1/facilities/999', { method: 'PATCH', as: admin, json: { status: 'closed' } })
    expect(missing.status).toBe(404)
  })
})

describe('GET /api/v1/facilities/:code', () => {
  it('gives one facility with its whole tariff, for kiosks to quote offline', async () => {
    const res = await t.request('/api/v1/facilities/104')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({ code: '104', parked: 0, tariff: { timeZone: 'America/New_York', incrementMinutes: 15 } })
    expect((await t.request('/api/v1/facilities/NOPE')).status).toBe(404)
  })
})

describe('PATCH geometry', () => {
  it('takes GeoJSON as RFC 7946 has it, and refuses lines of one point, open rings and bad positions', async () => {
    const admin = await t.userWithRole('admin')
    const patch = (geometry: unknown) =>
      t.request('/api/v1/facilities/L-RIVER', { method: 'PATCH', as: admin, json: { geometry } })
    const ring = [[-78.64, 35.77], [-78.63, 35.77], [-78.63, 35.78], [-78.64, 35.77]]
    const ok = await patch({ type: 'Polygon', coordinates: [ring] })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ geometry: { type: 'Polygon' }, tariff: { timeZone: 'America/New_York' } })
    for (const bad of [
      { type: 'LineString', coordinates: [[-78.64, 35.77]] },
      { type: 'Polygon', coordinates: [ring.slice(0, 3).concat([[-78.6, 35.7]])] },
      { type: 'Point', coordinates: [35.77, -278.64] },
      { type: 'Circle', coordinates: [[0, 0]] },
    ]) {
      const res = await patch(bad)
      expect([bad.type, res.status]).toEqual([bad.type, 400])
      expect((await res.json()).error.details[0].field).toMatch(/^body\.geometry/)
    }
  })
})

describe('opening hours on facilities', () => {
  it('lists a lot’s hours and whether it is open now, and takes new hours from an administrator', async () => {
    const { facilities } = await (await t.request('/api/v1/facilities')).json()
    const library = facilities.find((f: { code: string }) => f.code === 'L-LIBRARY')
    expect(library.hours).toEqual([
      { days: [1, 2, 3, 4, 5, 6], from: '07:00', to: '22:00' },
      { days: [0], from: '10:00', to: '18:00' },
    ])
    expect(typeof library.openNow).toBe('boolean')
    expect(library.openNow || /^[A-Z][a-z]+day \d\d:\d\d$/.test(library.opensAt)).toBe(true)
    const garage = facilities.find((f: { code: string }) => f.code === 'G-CIVIC')
    expect(garage).toMatchObject({ hours: null, openNow: true, opensAt: null })

    const admin = await t.userWithRole('admin')
    const patch = (hours: unknown) =>
      t.request('/api/v1/facilities/L-LIBRARY', { method: 'PATCH', as: admin, json: { hours } })
    const bad = await patch([{ days: [1], from: '20:00', to: '06:00' }])
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details[0].field).toMatch(/^body\.hours/)
    const ok = await patch(null)
    expect(await ok.json()).toMatchObject({ hours: null, openNow: true })
  })
})
