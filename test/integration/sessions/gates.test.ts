import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { allDayTariff, makeFacility } from './fixtures.ts'

const db = await testDatabase()
const t = testApp(db)

const HOUR = 3_600_000
const ENTERED = new Date(Date.now() - 3 * HOUR)
const LEFT = new Date(ENTERED.getTime() + 2.5 * HOUR).toISOString()
await makeFacility(db.sql, {
  code: 'T-DECK',
  kind: 'garage',
  gated: true,
  tariff: allDayTariff({ graceMinutes: 10, dailyMaxCents: 900, lostTicketCents: 2500 }),
})
await makeFacility(db.sql, { code: 'T-OTHER', kind: 'garage', gated: true })
await makeFacility(db.sql, { code: 'T-OPEN' })
const gate = await t.device('gate', 'T-DECK')

const owner = await t.userWithRole('driver', 'Gina Garage')
const account = await makeUtilityAccount(db.sql, { holder: { customerId: owner.customerId!, relationship: 'linked' } })
await db.sql`
  insert into cis.vehicle (customer_id, plate, state, plate_printed)
  values (${owner.customerId!}, 'GATE001', 'NC', 'GATE-001')`

const enter = (json: object) => t.request('/api/v1/gates/entries', { method: 'POST', as: gate, json })
const quoteExit = (json: object) => t.request('/api/v1/gates/exits/quote', { method: 'POST', as: gate, json })
const leave = (json: object) =>
  t.request('/api/v1/gates/exits', {
    method: 'POST',
    as: gate,
    json,
    headers: { 'idempotency-key': randomUUID() },
  })

describe('gates', () => {
  it('opens a stay on entry by plate, once however often the gate reports it', async () => {
    const at = ENTERED.toISOString()
    const first = await enter({ plate: 'GATE-001', state: 'NC', at })
    expect(first.status).toBe(201)
    const stay = await first.json()
    expect(stay).toMatchObject({ status: 'open', phase: 'in_facility', endsAt: null, channel: 'gate', startsAt: at })
    expect(stay.ticket).toMatch(/^T-[A-Z2-9]{8}$/)
    const again = await enter({ plate: 'GATE001', state: 'NC' })
    expect(again.status).toBe(200)
    expect((await again.json()).id).toBe(stay.id)
  })

  it('quotes the exit and bills the owner’s utility account, closing the stay', async () => {
    const q = await (await quoteExit({ plate: 'GATE-001', state: 'NC', at: LEFT })).json()
    // 2.5 hours: $1.50 the first hour, 50¢ an hour after, by the half hour
    expect(q).toMatchObject({ lostTicket: false, totalCents: 150 + 75, canBillAccount: true })
    const before = await accountBalance(db.sql, receivable.ofUtilityAccount('parking', account.id)).catch(() => 0)
    const exitId = randomUUID()
    const res = await leave({ plate: 'GATE-001', state: 'NC', exitId, at: LEFT, payment: { method: 'account' } })
    expect(res.status).toBe(200)
    const closed = await res.json()
    expect(closed).toMatchObject({ id: q.session, status: 'active', phase: 'expired', totalCents: 225 })
    expect(closed.purchases).toEqual([expect.objectContaining({ kind: 'exit', method: 'utility_account' })])
    expect(await accountBalance(db.sql, receivable.ofUtilityAccount('parking', account.id))).toBe(before + 225)
    // a retried exit with the same id writes nothing new
    const retry = await leave({ plate: 'GATE-001', state: 'NC', exitId, payment: { method: 'account' } })
    expect((await retry.json()).purchases).toHaveLength(1)
  })

  it('charges the lost-ticket rate for an exit with no known entry, in the exit’s cash box', async () => {
    const q = await (await quoteExit({ ticket: 'T-NOSUCH1' })).json()
    expect(q).toMatchObject({ session: null, lostTicket: true, totalCents: 2500, canBillAccount: false })
    const wrongCash = await leave({ ticket: 'T-NOSUCH1', exitId: randomUUID(), payment: { method: 'cash', amountCents: 900 } })
    expect(wrongCash.status).toBe(409)
    const noAccount = await leave({ ticket: 'T-NOSUCH1', exitId: randomUUID(), payment: { method: 'account' } })
    expect(noAccount.status).toBe(400)
    const paid = await leave({ ticket: 'T-NOSUCH1', exitId: randomUUID(), payment: { method: 'cash', amountCents: 2500 } })
    expect(paid.status).toBe(200)
    expect(await paid.json()).toMatchObject({ lostTicket: true, totalCents: 2500, ticket: 'T-NOSUCH1' })
    expect(await accountBalance(db.sql, parkingAccount.gateCash(gate.deviceId))).toBe(2500)
  })

  it('lets a ticket-only car in and out free within the grace period', async () => {
    const stay = await (await enter({ ticket: 't-777' })).json()
    expect(stay).toMatchObject({ ticket: 'T-777', plate: '' })
    const out = await leave({ ticket: 'T-777', exitId: randomUUID(), payment: { method: 'cash', amountCents: 0 } })
    expect(await out.json()).toMatchObject({ totalCents: 0, purchases: [{ method: 'free', amountCents: 0 }] })
  })

  it('refuses another facility, an ungated one, and people', async () => {
    expect((await enter({ facility: 'T-OTHER', plate: 'ABC123', state: 'NC' })).status).toBe(403)
    const kiosk = await t.device('kiosk')
    const res = await t.request('/api/v1/gates/entries', { method: 'POST', as: kiosk, json: { plate: 'ABC123', state: 'NC' } })
    expect(res.status).toBe(403)
    const looseGate = await t.device('gate')
    const ungated = await t.request('/api/v1/gates/entries', {
      method: 'POST',
      as: looseGate,
      json: { facility: 'T-OPEN', plate: 'ABC123', state: 'NC' },
    })
    expect(ungated.status).toBe(400)
    expect(await accountBalance(db.sql, parkingAccount.revenue('T-OPEN'))).toBe(0)
  })
})
