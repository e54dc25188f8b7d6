import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { makeResident, residentialSetup, ZONE_LAT, ZONE_LON } from './fixtures.ts'

const db = await testDatabase()
const t = testApp(db)
await residentialSetup(db.sql)

let plates = 0
const plate = () => ({ plate: `ELG${String(++plates).padStart(3, '0')}`, state: 'NC' })

async function resident(place: { lat: number | null; lon?: number; status?: 'active' | 'closed'; serviceEndOn?: string; premiseId?: number; address?: string }) {
  const driver = await t.userWithRole('driver')
  const home = await makeResident(db.sql, { customerId: driver.customerId!, lon: ZONE_LON + 0.005, ...place })
  return { driver, home }
}

const eligibility = async (as: Awaited<ReturnType<typeof resident>>['driver']) =>
  (await t.request('/api/v1/permit-types/RES-Z/eligibility', { as })).json()

const apply = (as: Awaited<ReturnType<typeof resident>>['driver'], body: object = {}) =>
  t.request('/api/v1/permits', { method: 'POST', as, json: { type: 'RES-Z', vehicles: [plate()], ...body } })

describe('residential eligibility from the utility record', () => {
  it('finds a premise inside the zone with active service: eligible, and says why', async () => {
    const { driver, home } = await resident({ lat: ZONE_LAT + 0.005, address: '12 Inside Way' })
    const answer = await eligibility(driver)
    expect(answer).toMatchObject({
      eligible: true,
      review: false,
      reason: 'in_zone',
      account: { id: home.accountId, number: home.accountNumber },
      premise: { address: '12 Inside Way', placement: 'inside' },
      firstTerm: { priceCents: expect.any(Number) },
    })
    expect(answer.message).toContain('12 Inside Way is in Zone Z')
    const res = await apply(driver)
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ status: 'awaiting_payment', eligibility: { reason: 'in_zone' } })
  })

  it('refuses a premise outside the zone, with the reason, and writes nothing', async () => {
    const { driver } = await resident({ lat: ZONE_LAT - 0.001, address: '9 Outside Rd' })
    expect(await eligibility(driver)).toMatchObject({ eligible: false, reason: 'not_in_zone' })
    const res = await apply(driver)
    expect(res.status).toBe(409)
    const body = await res.json()
    expect(body.error).toMatchObject({ code: 'not_eligible', details: { eligibility: { reason: 'not_in_zone' } } })
    expect(body.error.message).toContain('9 Outside Rd is not in Zone Z')
    const [{ n }] = (await db.sql`select count(*)::int as n from permits.permit where customer_id = ${driver.customerId!}`) as unknown as [{ n: number }]
    expect(n).toBe(0)
  })

  it('counts a premise on the zone boundary as inside', async () => {
    const { driver } = await resident({ lat: ZONE_LAT, lon: ZONE_LON + 0.004 })
    expect(await eligibility(driver)).toMatchObject({ eligible: true, reason: 'in_zone', premise: { placement: 'boundary' } })
  })

  it('refuses a closed account, and an account whose service has ended', async () => {
    const closed = await resident({ lat: ZONE_LAT + 0.005, status: 'closed' })
    const closedAnswer = await eligibility(closed.driver)
    expect(closedAnswer).toMatchObject({ eligible: false, reason: 'no_active_service' })
    expect(closedAnswer.message).toContain('is closed')
    const ended = await resident({ lat: ZONE_LAT + 0.005, serviceEndOn: '2024-06-30' })
    const endedAnswer = await eligibility(ended.driver)
    expect(endedAnswer).toMatchObject({ eligible: false, reason: 'no_active_service' })
    expect(endedAnswer.message).toContain('no service running today')
    expect((await apply(ended.driver)).status).toBe(409)
  })

  it('sends an address the record cannot place to staff, asking for a proof', async () => {
    const { driver } = await resident({ lat: null })
    expect(await eligibility(driver)).toMatchObject({ eligible: true, review: true, needsProof: true, reason: 'address_not_in_record' })
    const res = await apply(driver)
    expect(res.status).toBe(201)
    const permit = await res.json()
    expect(permit.status).toBe('pending_review')
    // the proof goes up as the file itself
    const upload = await t.request(`/api/v1/permits/${permit.id}/documents?name=lease.pdf`, {
      method: 'POST',
      as: driver,
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.4 a lease',
    })
    expect(upload.status).toBe(201)
    expect((await upload.json()).documents).toMatchObject([{ fileName: 'lease.pdf', contentType: 'application/pdf' }])
    const text = await t.request(`/api/v1/permits/${permit.id}/documents`, {
      method: 'POST', as: driver, headers: { 'content-type': 'text/plain' }, body: 'hello',
    })
    expect(text.status).toBe(415)

    const supervisor = await t.userWithRole('supervisor')
    const queue = await (await t.request('/api/v1/permits?status=pending_review', { as: supervisor })).json()
    expect(queue.permits.map((p: { id: string }) => p.id)).toContain(permit.id)
    const rejectWithoutNote = await t.request(`/api/v1/permits/${permit.id}/review`, { method: 'POST', as: supervisor, json: { decision: 'reject' } })
    expect(rejectWithoutNote.status).toBe(400)
    const approved = await t.request(`/api/v1/permits/${permit.id}/review`, { method: 'POST', as: supervisor, json: { decision: 'approve', note: 'Lease checked' } })
    expect(await approved.json()).toMatchObject({ status: 'awaiting_payment', reviewNote: 'Lease checked' })
  })

  it('gives each household at one street address its own limit, and shares one household’s', async () => {
    // two flats at one address are two premises: each may hold its two permits
    const a = await resident({ lat: ZONE_LAT + 0.002, address: '40 Shared St Apt 1' })
    const b = await resident({ lat: ZONE_LAT + 0.002, address: '40 Shared St Apt 2' })
    for (const r of [a, b]) {
      expect((await apply(r.driver)).status).toBe(201)
      expect((await apply(r.driver)).status).toBe(201)
    }
    // a partner on another account at flat 1's premise is the same household: its limit is reached
    const partner = await resident({ lat: null, premiseId: a.home.premiseId })
    expect(await eligibility(partner.driver)).toMatchObject({ eligible: false, reason: 'household_limit' })
    const third = await apply(a.driver)
    expect(third.status).toBe(409)
    expect((await third.json()).error.details.eligibility.reason).toBe('household_limit')
  })

  it('holds a household to its limit when two of it apply at once', async () => {
    const home = await resident({ lat: ZONE_LAT + 0.003, address: '77 Race Ave' })
    const others = await Promise.all(
      [0, 1, 2].map(() => resident({ lat: null, premiseId: home.home.premiseId })),
    )
    const results = await Promise.all([home, ...others].map((r) => apply(r.driver)))
    expect(results.filter((r) => r.status === 201)).toHaveLength(2)
    expect(results.filter((r) => r.status === 409)).toHaveLength(2)
  })
})
