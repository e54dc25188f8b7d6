import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { startSession } from '../../../api/sessions/sessions.ts'
import { queueExpiryReminders } from '../../../api/sessions/reminders.ts'
import { facilityByCode } from '../../../api/facilities/facilities.ts'
import { quote } from '../../../api/facilities/tariff.ts'
import type { UserPrincipal } from '../../../api/http/context.ts'
import { allDayTariff, makeFacility } from './fixtures.ts'

const db = await testDatabase()
const t = testApp(db)
const MINUTE = 60_000

await makeFacility(db.sql, { code: 'T-ZONE', kind: 'on_street_zone', capacity: 12, tariff: allDayTariff({ maximumStayMinutes: 600 }) })
await makeFacility(db.sql, { code: 'T-ELSE', kind: 'on_street_zone' })
await makeFacility(db.sql, { code: 'T-GATED', kind: 'garage', gated: true })
await makeFacility(db.sql, { code: 'T-HOURS' })
await db.sql`
  update parking.facility
     set hours = '[{"days": [1, 2, 3, 4, 5], "from": "08:00", "to": "18:00"}]'
   where code = 'T-HOURS'`

const driver = await t.userWithRole('driver', 'Rita Rights')
const account = await makeUtilityAccount(db.sql, { holder: { customerId: driver.customerId!, relationship: 'linked' } })
const [user] = await db.sql<{ id: number; email: string }[]>`
  select id, email from app.user_account where customer_id = ${driver.customerId!}`
const principal: UserPrincipal = {
  kind: 'user',
  userId: user!.id,
  role: 'driver',
  customerId: driver.customerId!,
  displayName: 'Rita Rights',
  email: user!.email,
  csrfToken: 'x',
  sessionHash: 'x',
}

/** Buys time directly through the domain, at a chosen instant. */
async function buy(code: string, plate: string, now: Date, minutes: number) {
  return startSession(db.sql, {
    facility: await facilityByCode(db.sql, code),
    plate: { plate, state: 'NC', printed: plate },
    span: { minutes },
    payment: { method: 'utility_account', utilityAccountId: account.id },
    principal,
    key: randomUUID(),
    now,
  })
}

const ambassador = await t.userWithRole('ambassador')
const rights = (query: string) => t.request(`/api/v1/rights?${query}`, { as: ambassador })

describe('GET /api/v1/rights', () => {
  const now = new Date()
  it('finds the paid session covering a plate at a time and place, and nothing outside it', async () => {
    const { session } = await buy('T-ZONE', 'RIGHT01', now, 60)
    const paid = await (await rights('plate=right-01&state=nc&facility=t-zone')).json()
    expect(paid).toMatchObject({
      plate: 'RIGHT01',
      state: 'NC',
      facility: 'T-ZONE',
      verdict: 'paid',
      rights: [{ kind: 'session', session: session.id, facility: 'T-ZONE', inFacility: false }],
    })
    expect((await (await rights('plate=RIGHT01&facility=T-ELSE')).json()).verdict).toBe('none')
    const later = new Date(now.getTime() + 61 * MINUTE).toISOString()
    expect((await (await rights(`plate=RIGHT01&at=${encodeURIComponent(later)}`)).json()).verdict).toBe('none')
    expect((await (await rights('plate=RIGHT01&state=GA')).json()).verdict).toBe('none')
  })

  it('counts a car inside a gated facility as paid until it leaves', async () => {
    const gate = await t.device('gate', 'T-GATED')
    await t.request('/api/v1/gates/entries', { method: 'POST', as: gate, json: { plate: 'INSIDE1', state: 'NC' } })
    const inside = await (await rights('plate=INSIDE1')).json()
    expect(inside).toMatchObject({ verdict: 'paid', rights: [{ inFacility: true, endsAt: null }] })
  })

  it('is for enforcement only, and refuses a plate that cannot be one', async () => {
    expect((await t.request('/api/v1/rights?plate=ABC', { as: driver })).status).toBe(403)
    expect((await t.request('/api/v1/rights?plate=ABC')).status).toBe(401)
    const bad = await rights('plate=A$C')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details[0].field).toBe('query.plate')
    const handheld = await t.device('handheld')
    expect((await t.request('/api/v1/rights?plate=ABC', { as: handheld })).status).toBe(200)
  })
})

describe('occupancy', () => {
  it('counts paid sessions running now and cars inside, against capacity', async () => {
    await buy('T-ZONE', 'OCCUPY1', new Date(), 30)
    await buy('T-ZONE', 'OCCUPY2', new Date(), 30)
    await buy('T-ZONE', 'OCCUPY3', new Date(Date.now() - 90 * MINUTE), 30)
    const list = await (await t.request('/api/v1/facilities')).json()
    const zone = list.facilities.find((f: { code: string }) => f.code === 'T-ZONE')
    // RIGHT01's hour is still running too
    expect(zone).toMatchObject({ capacity: 12, parked: 3 })
    expect(list.facilities.find((f: { code: string }) => f.code === 'T-GATED').parked).toBe(1)
  })
})

describe('expiry reminders', () => {
  it('writes one outbox row per session ending within ten minutes, once however often it runs', async () => {
    const base = new Date(Date.now() + 24 * 60 * MINUTE)
    const { session } = await buy('T-ZONE', 'REMIND1', base, 30)
    await buy('T-ZONE', 'REMIND2', base, 60)
    const near = new Date(base.getTime() + 22 * MINUTE)
    expect(await queueExpiryReminders(db.sql, { now: near, baseUrl: 'https://park.example' })).toBe(1)
    expect(await queueExpiryReminders(db.sql, { now: near, baseUrl: 'https://park.example' })).toBe(0)
    const [row] = await db.sql<{ channel: string; recipient: string; body: string; customer_id: number }[]>`
      select channel, recipient, body, customer_id from app.notification
       where data->>'session' = ${session.id}`
    expect(row).toMatchObject({ channel: 'email', recipient: principal.email, customer_id: driver.customerId })
    expect(row!.body).toContain(`https://park.example/receipt/${session.id}`)
    // an extension moves the end: the new end earns its own reminder
    await buy('T-ZONE', 'REMIND1', new Date(base.getTime() + 25 * MINUTE), 30)
    expect(await queueExpiryReminders(db.sql, { now: new Date(base.getTime() + 52 * MINUTE), baseUrl: '' })).toBe(2)
  })
})

describe('opening hours', () => {
  it('sells no time outside a lot’s hours, saying when it opens, and sells inside them', async () => {
    // Sunday 29 November 2026, noon in the city
    const sunday = new Date('2026-11-29T17:00:00Z')
    await expect(buy('T-HOURS', 'HOURS01', sunday, 60)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Test facility T-HOURS is closed now; it opens Monday 08:00',
    })
    const monday = new Date('2026-11-30T14:00:00Z')
    const { session } = await buy('T-HOURS', 'HOURS01', monday, 60)
    expect(session.startsAt).toBe(monday.toISOString())
  })
})

describe('sessions across a change of clocks', () => {
  it('sells two real hours on the spring-forward night and charges them as the tariff does', async () => {
    // 01:30 EST on 8 March 2026; at 02:00 the clocks jump to 03:00
    const start = new Date('2026-03-08T06:30:00Z')
    const { session } = await buy('T-ZONE', 'DST0001', start, 120)
    expect(session.endsAt).toBe('2026-03-08T08:30:00.000Z')
    const tariff = (await facilityByCode(db.sql, 'T-ZONE')).tariff
    expect(session.totalCents).toBe(quote(tariff, start, new Date(session.endsAt!)).totalCents)
    expect(session.totalCents).toBe(150 + 50)
  })

  it('extends across the fall-back hour as a continuation, one session', async () => {
    // 00:30 EDT on 1 November 2026; 01:00-02:00 happens twice
    const start = new Date('2026-11-01T04:30:00Z')
    await buy('T-ZONE', 'DST0002', start, 60)
    const { session, extended } = await buy('T-ZONE', 'DST0002', new Date(start.getTime() + 30 * MINUTE), 120)
    expect(extended).toBe(true)
    expect(session.endsAt).toBe('2026-11-01T07:30:00.000Z')
    expect(session.purchases.map((p) => p.amountCents)).toEqual([150, 100])
  })
})
