import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { customerStatement } from '../../../api/ledger/statement.ts'
import { allDayTariff, makeFacility } from './fixtures.ts'

const db = await testDatabase()
const t = testApp(db)

await makeFacility(db.sql, { code: 'T-LOT', tariff: allDayTariff({ maximumStayMinutes: 240 }) })
await makeFacility(db.sql, {
  code: 'T-REFUND',
  tariff: allDayTariff({ refundUnusedTime: true, maximumStayMinutes: 240 }),
})
await makeFacility(db.sql, { code: 'T-SHUT', status: 'closed' })
await makeFacility(db.sql, { code: 'T-GARAGE', kind: 'garage', gated: true })

const driver = await t.userWithRole('driver', 'Dana Driver')
const account = await makeUtilityAccount(db.sql, {
  holder: { customerId: driver.customerId!, relationship: 'linked' },
})
const stranger = await t.userWithRole('driver', 'Sam Stranger')
const strangersAccount = await makeUtilityAccount(db.sql, {
  holder: { customerId: stranger.customerId!, relationship: 'linked' },
})

let plateNo = 0
/** A plate no other test uses. */
const newPlate = () => `TST${String(++plateNo).padStart(4, '0')}`

function start(as: Caller | null, json: object, key: string = randomUUID()) {
  return t.request('/api/v1/sessions', {
    method: 'POST',
    json,
    headers: { 'idempotency-key': key },
    ...(as ? { as } : {}),
  })
}

const onAccount = (id = account.id) => ({ method: 'utility_account', utilityAccountId: id })

async function purchases(plate: string): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from parking.purchase p join parking.session s on s.id = p.session_id
     where s.plate = ${plate}`
  return row?.n ?? 0
}

describe('starting a session on the utility bill', () => {
  it('bills the driver’s utility account, into the parking receivable and the facility’s revenue', async () => {
    const plate = newPlate()
    const revenueBefore = await accountBalance(db.sql, parkingAccount.revenue('T-LOT'))
    const res = await start(driver, { facility: 't-lot', plate, state: 'nc', minutes: 90, payment: onAccount() })
    expect(res.status).toBe(201)
    const session = await res.json()
    expect(session).toMatchObject({
      facility: { code: 'T-LOT' },
      plate,
      state: 'NC',
      channel: 'web',
      status: 'active',
      phase: 'paid',
      totalCents: 150 + 25,
      purchases: [{ kind: 'start', method: 'utility_account', amountCents: 175, utilityAccount: `******${account.accountNumber.slice(-4)}` }],
    })
    expect(Date.parse(session.endsAt) - Date.parse(session.startsAt)).toBe(90 * 60_000)
    expect(await accountBalance(db.sql, receivable.ofUtilityAccount('parking', account.id))).toBeGreaterThanOrEqual(175)
    expect(await accountBalance(db.sql, parkingAccount.revenue('T-LOT'))).toBe(revenueBefore - 175)
    // the driver's statement shows it beside their utility lines
    const statement = await customerStatement(db.sql, driver.customerId!, {})
    expect(statement.lines.some((l) => l.fund === 'parking' && l.amount === 175)).toBe(true)
    // one balanced entry, found by the purchase's key, sealed by the ledger's own check
    const entries = await db.sql<{ sealed: boolean; lines: number; total: number; source_ref: string }[]>`
      select e.sealed, count(p.*)::int as lines, sum(p.amount)::int as total, e.source_ref
        from parking.purchase pu
        join ledger.journal_entry e on e.idempotency_key = 'parking.purchase:' || pu.idempotency_key
        join ledger.posting p on p.entry_id = e.id
        join parking.session s on s.id = pu.session_id
       where s.public_id = ${session.id}
       group by e.id`
    expect(entries).toEqual([{ sealed: true, lines: 2, total: 0, source_ref: session.id }])
  })

  it('extends a plate that already has time there, as a continuation, instead of charging twice', async () => {
    const plate = newPlate()
    const first = await (await start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 60, payment: onAccount() })).json()
    const again = await start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 60, payment: onAccount() })
    expect(again.status).toBe(200)
    expect(again.headers.get('x-session-extended')).toBe('true')
    const extended = await again.json()
    expect(extended.id).toBe(first.id)
    // the second hour is a later hour (50), not a new first hour (150)
    expect(extended.totalCents).toBe(150 + 50)
    expect(extended.purchases.map((p: { kind: string }) => p.kind)).toEqual(['start', 'extend'])
    expect(Date.parse(extended.endsAt) - Date.parse(first.endsAt)).toBe(60 * 60_000)
  })

  it('quotes a plate that has time running as the extension it would buy', async () => {
    const plate = newPlate()
    const quoteFor = async () =>
      (await t.request('/api/v1/quotes', { method: 'POST', json: { facility: 'T-LOT', plate, state: 'NC', minutes: 60 } })).json()
    expect(await quoteFor()).toMatchObject({ extending: null, totalCents: 150 })
    const made = await (await start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 60, payment: onAccount() })).json()
    const q = await quoteFor()
    expect(q).toMatchObject({ extending: { session: made.id, paidUntil: made.endsAt }, start: made.endsAt, totalCents: 50 })
    const bought = await (await start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 60, payment: onAccount() })).json()
    expect(bought.purchases[1].amountCents).toBe(q.totalCents)
  })

  it('makes one session of concurrent purchases for one plate and place', async () => {
    const plate = newPlate()
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: onAccount() }),
      ),
    )
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
    const [row] = await db.sql<{ sessions: number; minutes: number; cents: number }[]>`
      select count(distinct s.id)::int as sessions,
             (extract(epoch from max(s.ends_at) - min(s.starts_at)) / 60)::int as minutes,
             sum(p.amount_cents)::int as cents
        from parking.session s join parking.purchase p on p.session_id = s.id
       where s.plate = ${plate}`
    expect(row).toEqual({ sessions: 1, minutes: 180, cents: 75 + 75 + 25 + 25 + 25 + 25 })
  })

  it('replays a retried purchase under the same Idempotency-Key without charging again', async () => {
    const plate = newPlate()
    const key = randomUUID()
    const body = { facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: onAccount() }
    const a = await start(driver, body, key)
    const b = await start(driver, body, key)
    expect(a.status).toBe(201)
    expect(b.headers.get('idempotent-replayed')).toBe('true')
    expect((await b.json()).id).toBe((await a.json()).id)
    expect(await purchases(plate)).toBe(1)
    const other = await start(driver, { ...body, minutes: 60 }, key)
    expect(other.status).toBe(422)
    expect((await other.json()).error.code).toBe('idempotency_conflict')
    expect(await purchases(plate)).toBe(1)
  })

  it('refuses bad input with a 4xx naming the problem, and writes nothing', async () => {
    const plate = newPlate()
    const cases: [object, number, string][] = [
      [{ facility: 'NOPE', plate, state: 'NC', minutes: 30, payment: onAccount() }, 404, 'not_found'],
      [{ facility: 'T-SHUT', plate, state: 'NC', minutes: 30, payment: onAccount() }, 409, 'conflict'],
      [{ facility: 'T-GARAGE', plate, state: 'NC', minutes: 30, payment: onAccount() }, 409, 'conflict'],
      [{ facility: 'T-LOT', plate: 'AB!12', state: 'NC', minutes: 30, payment: onAccount() }, 400, 'invalid'],
      [{ facility: 'T-LOT', plate, state: 'XX', minutes: 30, payment: onAccount() }, 400, 'invalid'],
      [{ facility: 'T-LOT', plate, state: 'NC', minutes: 300, payment: onAccount() }, 400, 'invalid'],
      [{ facility: 'T-LOT', plate, state: 'NC', end: '2020-01-01T00:00:00Z', payment: onAccount() }, 400, 'invalid'],
      [{ facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: onAccount(strangersAccount.id) }, 400, 'invalid'],
      [{ facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: { method: 'card' } }, 503, 'card_payments_disabled'],
      [{ facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: { method: 'cash', amountCents: 100, saleId: randomUUID() } }, 403, 'forbidden'],
    ]
    for (const [body, status, code] of cases) {
      const res = await start(driver, body)
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status])
      expect((await res.json()).error.code).toBe(code)
    }
    const tooLong = await (await start(driver, cases[5]![0])).json()
    expect(tooLong.error.details).toEqual([expect.objectContaining({ field: 'body.minutes', rule: 'stay_too_long' })])
    const signedOut = await start(null, { facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: onAccount() })
    expect(signedOut.status).toBe(401)
    expect(await purchases(plate)).toBe(0)
    const [sessions] = await db.sql<{ n: number }[]>`select count(*)::int as n from parking.session where plate = ${plate}`
    expect(sessions?.n).toBe(0)
  })

  it('refuses an extension past the maximum stay, keeping what was bought', async () => {
    const plate = newPlate()
    const made = await (await start(driver, { facility: 'T-LOT', plate, state: 'NC', minutes: 200, payment: onAccount() })).json()
    const res = await t.request(`/api/v1/sessions/${made.id}/extensions`, {
      method: 'POST',
      as: driver,
      headers: { 'idempotency-key': randomUUID() },
      json: { minutes: 60, payment: onAccount() },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ message: 'The maximum stay here is 4 hours' })
    expect(await purchases(plate)).toBe(1)
    const priceOf = (minutes: number) =>
      t.request(`/api/v1/sessions/${made.id}/extensions/quote`, { method: 'POST', json: { minutes } })
    expect((await priceOf(60)).status).toBe(400)
    // 200 minutes bought ends mid-way through a half hour already paid; 40 more buy one more
    expect(await (await priceOf(40)).json()).toMatchObject({ from: made.endsAt, minutes: 40, totalCents: 25 })
    const ok = await t.request(`/api/v1/sessions/${made.id}/extensions`, {
      method: 'POST',
      as: driver,
      headers: { 'idempotency-key': randomUUID() },
      json: { minutes: 40, payment: onAccount() },
    })
    expect(ok.status).toBe(200)
    expect((await ok.json()).endsAt).toBe(made.latestEndsAt)
  })
})

describe('receipts, lists and stopping', () => {
  it('shows a receipt to whoever holds its id, and 404/400 otherwise', async () => {
    const made = await (await start(driver, { facility: 'T-LOT', plate: newPlate(), state: 'NC', minutes: 30, payment: onAccount() })).json()
    const res = await t.request(`/api/v1/sessions/${made.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: made.id, receiptUrl: `/receipt/${made.id}` })
    expect((await t.request(`/api/v1/sessions/${randomUUID()}`)).status).toBe(404)
    expect((await t.request('/api/v1/sessions/123')).status).toBe(400)
  })

  it('lists a driver’s own sessions only', async () => {
    const plate = newPlate()
    await start(stranger, { facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: onAccount(strangersAccount.id) })
    const mine = await (await t.request('/api/v1/sessions', { as: driver })).json()
    expect(mine.sessions.length).toBeGreaterThan(0)
    expect(mine.sessions.every((s: { plate: string }) => s.plate !== plate)).toBe(true)
    const theirs = await t.request(`/api/v1/sessions?customerId=${stranger.customerId}`, { as: driver })
    expect(theirs.status).toBe(403)
    const supervisor = await t.userWithRole('supervisor')
    const byPlate = await (await t.request(`/api/v1/sessions?plate=${plate}`, { as: supervisor })).json()
    expect(byPlate.sessions).toHaveLength(1)
  })

  it('stops early: no refund by default, the unused time back where the tariff says so', async () => {
    const plain = await (await start(driver, { facility: 'T-LOT', plate: newPlate(), state: 'NC', minutes: 120, payment: onAccount() })).json()
    const other = await t.request(`/api/v1/sessions/${plain.id}/stop`, { method: 'POST', as: stranger })
    expect(other.status).toBe(403)
    const stopped = await (await t.request(`/api/v1/sessions/${plain.id}/stop`, { method: 'POST', as: driver })).json()
    expect(stopped).toMatchObject({ phase: 'stopped', totalCents: 200 })
    expect(Date.parse(stopped.endsAt)).toBeLessThan(Date.parse(plain.endsAt))
    const again = await t.request(`/api/v1/sessions/${plain.id}/stop`, { method: 'POST', as: driver })
    expect(again.status).toBe(409)

    const revenueBefore = await accountBalance(db.sql, parkingAccount.revenue('T-REFUND'))
    const refundable = await (await start(driver, { facility: 'T-REFUND', plate: newPlate(), state: 'NC', minutes: 180, payment: onAccount() })).json()
    expect(refundable.totalCents).toBe(150 + 100)
    const refunded = await (await t.request(`/api/v1/sessions/${refundable.id}/stop`, { method: 'POST', as: driver })).json()
    // stopped within the first half hour: 75 used, 175 back
    expect(refunded.purchases.map((p: { kind: string; amountCents: number }) => [p.kind, p.amountCents])).toEqual([
      ['start', 250],
      ['refund', -175],
    ])
    expect(refunded.totalCents).toBe(75)
    expect(await accountBalance(db.sql, parkingAccount.revenue('T-REFUND'))).toBe(revenueBefore - 75)
  })
})

const kiosk = await t.device('kiosk', 'T-LOT')
const ivr = await t.device('ivr')

describe('kiosk cash', () => {
  function sell(json: object, key: string = randomUUID()) {
    return t.request('/api/v1/sessions', { method: 'POST', as: kiosk, json, headers: { 'idempotency-key': key } })
  }

  it('takes exactly the quoted price into the kiosk’s cash box', async () => {
    const plate = newPlate()
    const wrong = await sell({ facility: 'T-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 100, saleId: randomUUID() } })
    expect(wrong.status).toBe(409)
    expect((await wrong.json()).error.details[0]).toMatchObject({ quotedCents: 150 })
    const res = await sell({ facility: 'T-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 150, saleId: randomUUID() } })
    expect(res.status).toBe(201)
    expect((await res.json()).channel).toBe('kiosk')
    expect(await accountBalance(db.sql, parkingAccount.kioskCash(kiosk.deviceId))).toBe(150)
  })

  it('replays an offline sale once, however often and under whatever request key it is sent', async () => {
    const plate = newPlate()
    const saleId = randomUUID()
    const soldAt = new Date(Date.now() - 20 * 60_000).toISOString()
    const sale = { facility: 'T-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 140, saleId, soldAt } }
    const replies = await Promise.all([sell(sale), sell(sale), sell(sale)])
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 201])
    const bodies = await Promise.all(replies.map((r) => r.json()))
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
    // the cash the kiosk took stands, though the server quotes 150
    expect(bodies[0].startsAt).toBe(soldAt)
    expect(bodies[0].purchases).toEqual([expect.objectContaining({ amountCents: 140, soldOffline: true })])
    expect(await purchases(plate)).toBe(1)
    // the offline receipt's QR code finds the session by the kiosk and the sale
    const bySale = await t.request(`/api/v1/sessions/by-sale/${kiosk.deviceId}/${saleId}`)
    expect(await bySale.json()).toMatchObject({ id: bodies[0].id })
    expect((await t.request(`/api/v1/sessions/by-sale/${kiosk.deviceId}/${randomUUID()}`)).status).toBe(404)
    expect((await t.request(`/api/v1/sessions/by-sale/${kiosk.deviceId}/nope`)).status).toBe(400)
    const future = await sell({ ...sale, payment: { ...sale.payment, saleId: randomUUID(), soldAt: new Date(Date.now() + 3_600_000).toISOString() } })
    expect(future.status).toBe(400)
  })

  it('adds an offline sale replayed after a later purchase to that session, never a second one', async () => {
    const plate = newPlate()
    const later = await (await sell({ facility: 'T-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 150, saleId: randomUUID() } })).json()
    // sold offline 30 minutes ago, before the purchase above, and replayed now
    const soldAt = new Date(Date.now() - 30 * 60_000).toISOString()
    const replay = await sell({ facility: 'T-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 150, saleId: randomUUID(), soldAt } })
    expect(replay.status).toBe(200)
    const merged = await replay.json()
    expect(merged.id).toBe(later.id)
    expect(Date.parse(merged.endsAt) - Date.parse(later.endsAt)).toBe(60 * 60_000)
    expect(merged.purchases.map((p: { amountCents: number }) => p.amountCents)).toEqual([150, 150])
  })
})

describe('the phone line', () => {
  it('bills a utility account named by number and service ZIP', async () => {
    const plate = newPlate()
    const call = (zip: string) =>
      t.request('/api/v1/sessions', {
        method: 'POST',
        as: ivr,
        headers: { 'idempotency-key': randomUUID() },
        json: { facility: 'T-LOT', plate, state: 'NC', minutes: 30, payment: { method: 'utility_account', accountNumber: account.accountNumber, zip } },
      })
    const wrong = await call('99999')
    expect(wrong.status).toBe(400)
    const res = await call(account.zip)
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ channel: 'phone', purchases: [{ method: 'utility_account' }] })
  })

  it('is refused to a signed-in driver', async () => {
    const res = await start(driver, {
      facility: 'T-LOT', plate: newPlate(), state: 'NC', minutes: 30,
      payment: { method: 'utility_account', accountNumber: account.accountNumber, zip: account.zip },
    })
    expect(res.status).toBe(403)
  })
})
