import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { savePermitType } from '../../../api/permits/types.ts'
import { lapseOffers, spacesLeft } from '../../../api/permits/waitlist.ts'
import { offerDeadline } from '../../../api/permits/business-days.ts'

const db = await testDatabase({ max: 10 })
const t = testApp(db)
const garage = await makeFacility(db.sql, { code: 'WGAR', kind: 'garage' })
const type = await savePermitType(db.sql, null, {
  code: 'WAIT-G',
  name: 'Monthly garage W',
  kind: 'monthly_garage',
  description: '',
  zone: null,
  priceCents: 9000,
  period: 'monthly',
  proration: 'none',
  refundPolicy: 'none',
  maxVehicles: 1,
  maxPerHousehold: null,
  needsApproval: false,
  secondVehicleCents: 0,
  renewalWindowDays: 10,
  visitorPassesPerMonth: 0,
  active: true,
  facilities: [{ code: 'WGAR', capacity: 2 }],
})
const rules = { businessDays: 3, timeZone: db.config.CITY_TIME_ZONE }

let n = 0
const post = (path: string, as: Caller, json: object) =>
  t.request(path, { method: 'POST', as, json, headers: { 'idempotency-key': randomUUID() } })

async function applicant() {
  const driver = await t.userWithRole('driver')
  const res = await post('/api/v1/permits', driver, { type: 'WAIT-G', vehicles: [{ plate: `WL${String(++n).padStart(4, '0')}`, state: 'NC' }] })
  expect(res.status).toBe(201)
  return { driver, permit: await res.json() }
}

const view = async (a: { driver: Caller; permit: { id: string } }) =>
  (await t.request(`/api/v1/permits/${a.permit.id}`, { as: a.driver })).json()

describe('a waitlist for a garage’s monthly permits', () => {
  it('holds spaces, lines up the rest in order, offers a freed space to the first, and moves on when it lapses', async () => {
    const first = await applicant()
    const second = await applicant()
    expect([first.permit.status, second.permit.status]).toEqual(['awaiting_payment', 'awaiting_payment'])
    const third = await applicant()
    const fourth = await applicant()
    expect(third.permit).toMatchObject({ status: 'waitlisted', waitlist: { position: 1, status: 'waiting' } })
    expect(fourth.permit).toMatchObject({ status: 'waitlisted', waitlist: { position: 2 } })
    expect(await spacesLeft(db.sql, type.id, garage.id)).toBe(0)

    const supervisor = await t.userWithRole('supervisor')
    const line = await (await t.request('/api/v1/permit-types/WAIT-G/waitlist?facility=WGAR', { as: supervisor })).json()
    expect(line.entries.map((e: { number: string }) => e.number)).toEqual([third.permit.number, fourth.permit.number])

    // the first gives up before paying: its space goes to the first in line, with a deadline
    const before = Date.now()
    expect((await post(`/api/v1/permits/${first.permit.id}/cancel`, first.driver, {})).status).toBe(200)
    const offered = await view(third)
    expect(offered.waitlist.status).toBe('offered')
    expect(Date.parse(offered.waitlist.offerExpiresAt)).toBe(offerDeadline(new Date(before), 3, rules.timeZone).getTime())
    const [notice] = await db.sql<{ subject: string }[]>`
      select subject from app.notification where kind = 'permit_offer' and customer_id = ${third.driver.customerId!}`
    expect(notice!.subject).toContain('Monthly garage W')
    expect((await view(fourth)).waitlist).toMatchObject({ status: 'waiting', position: 1 })

    // a newcomer joins the back of the line even while the space is on offer
    const fifth = await applicant()
    expect(fifth.permit.waitlist.position).toBe(2)

    // the offer lapses: the application ends and the next in line is offered the space
    const lapsed = await lapseOffers(db.sql, new Date(Date.parse(offered.waitlist.offerExpiresAt) + 1000), rules)
    expect(lapsed).toBe(1)
    expect((await view(third)).status).toBe('cancelled')
    expect((await view(fourth)).waitlist.status).toBe('offered')
    expect(await lapseOffers(db.sql, new Date(Date.parse(offered.waitlist.offerExpiresAt) + 2000), rules)).toBe(0)
    const late = await post(`/api/v1/permits/${third.permit.id}/offer`, third.driver, { accept: true })
    expect(late.status).toBe(409)

    // accepted from two tabs at once: one space, once
    const answers = await Promise.all([
      post(`/api/v1/permits/${fourth.permit.id}/offer`, fourth.driver, { accept: true }),
      post(`/api/v1/permits/${fourth.permit.id}/offer`, fourth.driver, { accept: true }),
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    expect((await view(fourth)).status).toBe('awaiting_payment')
    expect(await spacesLeft(db.sql, type.id, garage.id)).toBe(0)
    expect((await view(fifth)).waitlist).toMatchObject({ status: 'waiting', position: 1 })
  })

  it('gives each freed space once when spaces free and applicants arrive at the same moment', async () => {
    const code = 'WAIT-H'
    await makeFacility(db.sql, { code: 'HGAR', kind: 'garage' })
    await savePermitType(db.sql, null, {
      ...{ name: 'Monthly garage H', kind: 'monthly_garage', description: '', zone: null, priceCents: 9000 },
      code,
      period: 'monthly',
      proration: 'none',
      refundPolicy: 'none',
      maxVehicles: 1,
      maxPerHousehold: null,
      needsApproval: false,
      secondVehicleCents: 0,
      renewalWindowDays: 10,
      visitorPassesPerMonth: 0,
      active: true,
      facilities: [{ code: 'HGAR', capacity: 3 }],
    })
    const apply = async () => {
      const driver = await t.userWithRole('driver')
      const res = await post('/api/v1/permits', driver, { type: code, vehicles: [{ plate: `HL${String(++n).padStart(4, '0')}`, state: 'NC' }] })
      return { driver, permit: await res.json() }
    }
    const holders = await Promise.all([apply(), apply(), apply(), apply(), apply(), apply()])
    const held = holders.filter((h) => h.permit.status === 'awaiting_payment')
    expect(held).toHaveLength(3)
    // two holders leave while three more apply
    const drivers = await Promise.all([0, 1, 2].map(() => t.userWithRole('driver')))
    await Promise.all([
      ...held.slice(0, 2).map((h) => post(`/api/v1/permits/${h.permit.id}/cancel`, h.driver, {})),
      ...drivers.map((d) => post('/api/v1/permits', d, { type: code, vehicles: [{ plate: `HL${String(++n).padStart(4, '0')}`, state: 'NC' }] })),
    ])
    const [counts] = await db.sql<{ held: number; offered: number; waiting: number }[]>`
      select (select count(*)::int from permits.permit p join permits.permit_type ty on ty.id = p.type_id
               where ty.code = ${code} and p.status in ('awaiting_payment', 'active')) as held,
             (select count(*)::int from permits.waitlist w join permits.permit_type ty on ty.id = w.type_id
               where ty.code = ${code} and w.status = 'offered') as offered,
             (select count(*)::int from permits.waitlist w join permits.permit_type ty on ty.id = w.type_id
               where ty.code = ${code} and w.status = 'waiting') as waiting`
    expect(counts).toEqual({ held: 1, offered: 2, waiting: 4 })
  })
})
