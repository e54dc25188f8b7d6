import { randomUUID } from 'node:crypto'
import { afterAll, describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeZone, metered, monday, paidSession, timeLimited } from './fixtures.ts'
import { makeResident, residentialSetup, ZONE_LAT } from '../permits/fixtures.ts'

const db = await testDatabase()
const t = testApp(db)
const meter = await makeZone(db.sql, 'V-METER', metered())
const limit = await makeZone(db.sql, 'V-LIMIT', timeLimited(), { lat: 35.79, lon: -78.65 })
const ambassador = await t.userWithRole('ambassador')
const handheld = await t.device('handheld')

let n = 0
const plate = (p = 'VRD') => `${p}${String(++n).padStart(3, '0')}`

async function check(body: object, as: Caller = ambassador) {
  const res = await t.request('/api/v1/enforcement/reads', { method: 'POST', as, json: { state: 'NC', ...body } })
  expect(res.status).toBe(200)
  return res.json()
}
const at = (d: Date) => d.toISOString()

describe('the verdict of a plate check', () => {
  it('says paid until the end of paid time, then grace for five minutes, then the violation to cite', async () => {
    const p = plate()
    await paidSession(db.sql, meter.id, p, monday('09:00'), monday('10:00'))
    expect((await check({ plate: p, facility: 'V-METER', at: at(monday('09:30')) })).verdict).toMatchObject({
      verdict: 'paid',
      until: monday('10:00').toISOString(),
      minutesLeft: 30,
    })
    expect((await check({ plate: p, facility: 'V-METER', at: at(monday('10:02')) })).verdict).toMatchObject({
      verdict: 'grace',
      minutesLeft: 3,
    })
    expect((await check({ plate: p, facility: 'V-METER', at: at(monday('10:30')) })).verdict).toMatchObject({
      verdict: 'violation',
      violation: { code: 'EXPIRED', fineCents: 3500 },
    })
  })

  it('names no payment, warning first for a first offence, and shows the warning on later checks', async () => {
    const p = plate()
    const first = await check({ plate: p, facility: 'V-METER', at: at(monday('11:00')) })
    expect(first.verdict).toMatchObject({ verdict: 'violation', violation: { code: 'NO-PAY', warningEligible: true }, warnings: [] })
    const warned = await t.request('/api/v1/enforcement/warnings', {
      method: 'POST',
      as: ambassador,
      json: { read: first.id, plate: p, state: 'NC', violation: 'NO-PAY' },
    })
    expect(warned.status).toBe(201)
    const again = await check({ plate: p, facility: 'V-METER', at: at(monday('11:30')) })
    expect(again.verdict.violation.warningEligible).toBe(false)
    expect(again.verdict.warnings).toEqual([{ code: 'NO-PAY', issuedAt: expect.any(String) }])
  })

  it('is outside enforcement hours in the evening, on Sunday and on a holiday', async () => {
    const p = plate()
    expect((await check({ plate: p, facility: 'V-METER', at: at(monday('19:00')) })).verdict.verdict).toBe('outside_hours')
    expect((await check({ plate: p, facility: 'V-METER', at: '2026-11-29T12:00:00-05:00' })).verdict.verdict).toBe('outside_hours')
    expect((await check({ plate: p, facility: 'V-METER', at: '2026-12-25T12:00:00-05:00' })).verdict.verdict).toBe('outside_hours')
  })

  it('chalks a car in a time-limited zone from its first sighting, moving on only when it moves', async () => {
    const p = plate()
    const first = await check({ plate: p, lat: limit.west.lat, lon: limit.west.lon, at: at(monday('09:00')) })
    expect(first).toMatchObject({ facility: { code: 'V-LIMIT' }, blockFace: 0 })
    expect(first.verdict).toMatchObject({ verdict: 'chalked', firstSeenAt: monday('09:00').toISOString(), limitAt: monday('11:00').toISOString() })
    const second = await check({ plate: p, lat: limit.west.lat, lon: limit.west.lon, at: at(monday('10:30')) })
    expect(second.verdict).toMatchObject({ verdict: 'chalked', firstSeenAt: monday('09:00').toISOString(), minutesLeft: 30 })
    const third = await check({ plate: p, lat: limit.west.lat, lon: limit.west.lon, at: at(monday('11:05')) })
    expect(third.verdict).toMatchObject({ verdict: 'over_limit', violation: { code: 'OVER-LIMIT' } })
    // across the street is another block face: the car moved, its time starts afresh
    const moved = await check({ plate: p, lat: limit.east.lat, lon: limit.east.lon, at: at(monday('11:10')) })
    expect(moved).toMatchObject({ blockFace: 1, verdict: { verdict: 'chalked', firstSeenAt: monday('11:10').toISOString() } })
  })

  it('finds a paid car fed past the time limit over the limit', async () => {
    const p = plate()
    await paidSession(db.sql, meter.id, p, monday('08:00'), monday('12:00'))
    expect((await check({ plate: p, lat: meter.west.lat, lon: meter.west.lon, at: at(monday('08:10')) })).verdict.verdict).toBe('paid')
    const later = await check({ plate: p, lat: meter.west.lat, lon: meter.west.lon, at: at(monday('10:20')) })
    expect(later.verdict).toMatchObject({ verdict: 'over_limit', firstSeenAt: monday('08:10').toISOString() })
  })

  it('honours a permit for the zone, not for another, and not for a vehicle taken off before the time', async () => {
    await residentialSetup(db.sql)
    const driver = await t.userWithRole('driver')
    const home = await makeResident(db.sql, { customerId: driver.customerId!, lat: ZONE_LAT + 0.004, lon: -78.635 })
    const [p1, p2] = [plate('PRM'), plate('PRM')]
    const applied = await (await t.request('/api/v1/permits', {
      method: 'POST',
      as: driver,
      json: { type: 'RES-Z', vehicles: [{ plate: p1, state: 'NC' }, { plate: p2, state: 'NC' }] },
    })).json()
    const paid = await (await t.request(`/api/v1/permits/${applied.id}/payment`, {
      method: 'POST',
      as: driver,
      headers: { 'idempotency-key': randomUUID() },
      json: { payment: { method: 'utility_account', utilityAccountId: home.accountId } },
    })).json()
    const now = new Date()
    const inZone = await check({ plate: p1, facility: 'ZST', at: at(now) })
    expect(inZone.verdict).toMatchObject({ verdict: 'permit', message: expect.stringContaining(paid.permit.number) })
    // the permit's zone is not this one
    const elsewhere = await check({ plate: p1, facility: 'V-METER', at: at(now) })
    expect(elsewhere.verdict.verdict).not.toBe('permit')
    const second = paid.permit.vehicles.find((v: { plate: string }) => v.plate === p2)
    await t.request(`/api/v1/permits/${applied.id}/vehicles/${second.id}`, { method: 'DELETE', as: driver })
    expect((await check({ plate: p2, facility: 'ZST', at: at(new Date()) })).verdict.verdict).not.toBe('permit')
    expect((await check({ plate: p2, facility: 'ZST', at: at(now) })).verdict.verdict).toBe('permit')
  })

  it('shows a scofflaw plate as boot-eligible', async () => {
    const p = plate('SCF')
    await db.sql`
      insert into enforcement.scofflaw (plate, state, listed_at, citations) values (${p}, 'NC', now(), 3)`
    const read = await check({ plate: p, facility: 'V-METER', at: at(monday('12:00')) })
    expect(read.verdict).toMatchObject({ scofflaw: true })
  })

  it('records each check once, as of when and where it was made, however often a handheld sends it', async () => {
    const p = plate()
    const clientId = randomUUID()
    const body = { clientId, plate: p, facility: 'V-METER', at: at(monday('13:00')), lat: meter.east.lat, lon: meter.east.lon }
    const [a, b] = await Promise.all([check(body, handheld), check(body, handheld)])
    expect(a.id).toBe(b.id)
    expect(a.readAt).toBe(monday('13:00').toISOString())
    const [{ count }] = (await db.sql`select count(*)::int as count from enforcement.read where client_id = ${clientId}`) as unknown as [{ count: number }]
    expect(count).toBe(1)
    const corrected = await t.request(`/api/v1/enforcement/reads/${a.id}/plate`, { method: 'POST', as: handheld, json: { plate: 'OTHER1', state: 'NC' } })
    expect((await corrected.json()).plate).toBe('OTHER1')
  })

  it('answers unknown when it cannot tell where, and refuses a check with nothing to read', async () => {
    expect((await check({ plate: plate(), lat: 10, lon: 10 })).verdict.verdict).toBe('unknown')
    const res = await t.request('/api/v1/enforcement/reads', { method: 'POST', as: ambassador, json: { facility: 'V-METER' } })
    expect(res.status).toBe(400)
    const driver = await t.userWithRole('driver')
    expect((await t.request('/api/v1/enforcement/reads', { method: 'POST', as: driver, json: { plate: 'X1', facility: 'V-METER' } })).status).toBe(403)
  })
})

describe('a plate check from a photo', () => {
  it('reads the plate on the server, puts a right-holder within one edit first, and judges it', async () => {
    const { renderPlate } = await import('../../fixtures/ocr/render-plate.ts')
    await paidSession(db.sql, meter.id, 'KRT4729', monday('14:00'), monday('15:00'))
    const photo = await renderPlate('KRT4729', 'NC')
    const read = await check({ image: `data:image/png;base64,${photo.toString('base64')}`, facility: 'V-METER', at: at(monday('14:30')) })
    expect(read.typed).toBe(false)
    expect(read.plate).toBe('KRT4729')
    expect(read.candidates[0].reasons.join(' ')).toMatch(/right-holder KRT4729/)
    expect(read.verdict.verdict).toBe('paid')
    expect(read.photo).toEqual(expect.any(Number))
    // a photo that is not an image is refused before anything is read
    const junk = await t.request('/api/v1/enforcement/reads', {
      method: 'POST',
      as: ambassador,
      json: { image: Buffer.from('not an image at all, really').toString('base64'), facility: 'V-METER' },
    })
    expect(junk.status).toBe(400)
  }, 60_000)
})

afterAll(async () => {
  const { closePlateReader } = await import('../../../api/enforcement/reader.ts')
  await closePlateReader()
})
