import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'

const db = await testDatabase()
const t = testApp(db, { FINANCE_CASH_TOLERANCE_CENTS: 500 })
await makeFacility(db.sql, { code: 'T-CASH' })
await makeFacility(db.sql, { code: 'T-GATE', kind: 'garage', gated: true })
const finance = await t.userWithRole('finance', 'Fran Finance')
const admin = await t.userWithRole('admin', 'Ada Admin')
const driver = await t.userWithRole('driver', 'Dana Driver')

let plates = 0

/** A kiosk at T-CASH with `sales` cash sales of an hour ($1.50 each) in its box. */
async function kioskWithSales(sales: number): Promise<Caller & { deviceId: number }> {
  const kiosk = await t.device('kiosk', 'T-CASH')
  for (let i = 0; i < sales; i++) {
    await sell(kiosk)
  }
  return kiosk
}

async function sell(kiosk: Caller) {
  const res = await t.request('/api/v1/sessions', {
    method: 'POST',
    as: kiosk,
    headers: { 'idempotency-key': randomUUID() },
    json: {
      facility: 'T-CASH',
      plate: `CSH${++plates}`,
      state: 'NC',
      minutes: 60,
      payment: { method: 'cash', amountCents: 150, saleId: randomUUID() },
    },
  })
  expect(res.status).toBe(201)
}

function collect(json: object, key: string = randomUUID(), as: Caller = finance) {
  return t.request('/api/v1/finance/cash/collections', { method: 'POST', as, json, headers: { 'idempotency-key': key } })
}

function deposit(json: object, as: Caller = finance) {
  return t.request('/api/v1/finance/deposits', { method: 'POST', as, json, headers: { 'idempotency-key': randomUUID() } })
}

const balance = (code: string) => accountBalance(db.sql, code)

const exceptionFor = async (key: string) =>
  (await db.sql<{ kind: string; amount_cents: number }[]>`
    select kind, amount_cents from finance.exception where key = ${key}`)[0] ?? null

const today = () => new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' })

describe('kiosk cash collections', () => {
  it('counts a collection against what its sales left, short within tolerance, once per key', async () => {
    const kiosk = await kioskWithSales(3)
    const before = { transit: await balance('cash:in_transit'), overShort: await balance('expense:cash_over_short') }
    const key = randomUUID()
    const res = await collect({ deviceId: kiosk.deviceId, countedCents: 430, note: 'Bag 17' }, key)
    expect(res.status).toBe(201)
    const collection = await res.json()
    expect(collection).toMatchObject({
      deviceId: kiosk.deviceId,
      deviceKind: 'kiosk',
      countedCents: 430,
      expectedCents: 450,
      overShortCents: -20,
      beyondTolerance: false,
      exceptionId: null,
      collectedBy: 'Fran Finance',
      depositSlip: null,
      note: 'Bag 17',
    })
    expect(await balance(parkingAccount.kioskCash(kiosk.deviceId))).toBe(0)
    expect(await balance('cash:in_transit')).toBe(before.transit + 430)
    expect(await balance('expense:cash_over_short')).toBe(before.overShort + 20)
    expect(await exceptionFor(`cash:collection:${collection.id}`)).toBeNull()

    // a retry is the same collection; the same key for another count is refused
    const retry = await collect({ deviceId: kiosk.deviceId, countedCents: 430, note: 'Bag 17' }, key)
    expect((await retry.json()).id).toBe(collection.id)
    expect(await balance('cash:in_transit')).toBe(before.transit + 430)
    expect((await collect({ deviceId: kiosk.deviceId, countedCents: 999 }, key)).status).toBe(422)

    // the next collection expects only what was sold since
    await sell(kiosk)
    const devices = await (await t.request('/api/v1/finance/cash/devices', { as: finance })).json()
    expect(devices.devices.find((d: { deviceId: number }) => d.deviceId === kiosk.deviceId)).toMatchObject({
      kind: 'kiosk',
      facility: 'T-CASH',
      account: `cash:kiosk:${kiosk.deviceId}`,
      expectedCents: 150,
    })
    expect(devices.inTransitCents).toBe(await balance('cash:in_transit'))
  })

  it('raises an exception for a collection over or short beyond the tolerance', async () => {
    const over = await kioskWithSales(2)
    const res = await collect({ deviceId: over.deviceId, countedCents: 1000 })
    const collection = await res.json()
    expect(collection).toMatchObject({ expectedCents: 300, overShortCents: 700, beyondTolerance: true })
    expect(collection.exceptionId).toEqual(expect.any(Number))
    expect(await exceptionFor(`cash:collection:${collection.id}`)).toEqual({ kind: 'cash_over_short', amount_cents: 700 })

    const short = await kioskWithSales(4)
    const emptied = await (await collect({ deviceId: short.deviceId, countedCents: 0 })).json()
    expect(emptied).toMatchObject({ expectedCents: 600, overShortCents: -600, beyondTolerance: true })
    expect(await exceptionFor(`cash:collection:${emptied.id}`)).toEqual({ kind: 'cash_over_short', amount_cents: -600 })
  })

  it('never lets two collections of one kiosk at once take the same expected cash', async () => {
    const kiosk = await kioskWithSales(2)
    const replies = await Promise.all([
      collect({ deviceId: kiosk.deviceId, countedCents: 300 }),
      collect({ deviceId: kiosk.deviceId, countedCents: 300 }),
    ])
    expect(replies.map((r) => r.status)).toEqual([201, 201])
    const expected = (await Promise.all(replies.map((r) => r.json()))).map((c) => c.expectedCents).sort()
    expect(expected).toEqual([0, 300])
    expect(await balance(parkingAccount.kioskCash(kiosk.deviceId))).toBe(0)
  })

  it('expects what the box held when it was emptied, not the sales made while the count was entered', async () => {
    const kiosk = await kioskWithSales(2)
    await new Promise((r) => setTimeout(r, 20))
    const emptiedAt = new Date()
    await new Promise((r) => setTimeout(r, 20))
    // the kiosk goes on selling after it was emptied, before the count is entered
    await sell(kiosk)
    const res = await collect({ deviceId: kiosk.deviceId, countedCents: 300, collectedAt: emptiedAt.toISOString() })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ expectedCents: 300, overShortCents: 0 })
    // the later sale is the next collection's
    expect(await balance(parkingAccount.kioskCash(kiosk.deviceId))).toBe(150)
    const earlier = await collect({ deviceId: kiosk.deviceId, countedCents: 150, collectedAt: new Date(emptiedAt.getTime() - 60_000).toISOString() })
    expect(earlier.status).toBe(409)
    const next = await collect({ deviceId: kiosk.deviceId, countedCents: 150 })
    expect(await next.json()).toMatchObject({ expectedCents: 150, overShortCents: 0 })
  })

  it('refuses what cannot be collected', async () => {
    const kiosk = await kioskWithSales(0)
    expect((await collect({ deviceId: kiosk.deviceId, countedCents: 0 })).status).toBe(409)
    const handheld = await t.device('handheld')
    expect((await collect({ deviceId: handheld.deviceId, countedCents: 100 })).status).toBe(400)
    expect((await collect({ deviceId: 999_999, countedCents: 100 })).status).toBe(404)
    expect((await collect({ deviceId: kiosk.deviceId, countedCents: -5 })).status).toBe(400)
    const future = new Date(Date.now() + 3_600_000).toISOString()
    expect((await collect({ deviceId: kiosk.deviceId, countedCents: 100, collectedAt: future })).status).toBe(400)
    const noKey = await t.request('/api/v1/finance/cash/collections', {
      method: 'POST',
      as: finance,
      json: { deviceId: kiosk.deviceId, countedCents: 100 },
    })
    expect(noKey.status).toBe(400)
    expect(await db.sql`select 1 from finance.cash_collection where device_id = ${kiosk.deviceId}`).toHaveLength(0)
  })

  it('lists gates with kiosks, and collections by device and as CSV', async () => {
    const gate = await t.device('gate', 'T-GATE')
    const kiosk = await kioskWithSales(1)
    await collect({ deviceId: kiosk.deviceId, countedCents: 150 })
    const devices = await (await t.request('/api/v1/finance/cash/devices', { as: admin })).json()
    expect(devices.devices.find((d: { deviceId: number }) => d.deviceId === gate.deviceId)).toMatchObject({
      kind: 'gate',
      account: `cash:gate:${gate.deviceId}`,
      expectedCents: 0,
    })
    const list = await (await t.request(`/api/v1/finance/cash/collections?deviceId=${kiosk.deviceId}&from=${today()}&to=${today()}`, { as: finance })).json()
    expect(list.collections).toHaveLength(1)
    expect(list.totals).toEqual({ count: 1, countedCents: 150, expectedCents: 150, overShortCents: 0 })
    const csv = await t.request(`/api/v1/finance/cash/collections?deviceId=${kiosk.deviceId}`, { as: finance, headers: { accept: 'text/csv' } })
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe('collection,device_id,device,kind,collected_at,counted,expected,over_short,deposit_slip,collected_by,note')
    expect(lines[1]).toContain(',1.50,1.50,0.00,')
    expect((await t.request('/api/v1/finance/cash/collections?from=2026-02-01&to=2026-01-01', { as: finance })).status).toBe(400)
  })
})

describe('bank deposits of collected cash', () => {
  async function collected(counts: number[]): Promise<string[]> {
    const ids: string[] = []
    for (const counted of counts) {
      const kiosk = await kioskWithSales(Math.ceil(counted / 150))
      const res = await collect({ deviceId: kiosk.deviceId, countedCents: counted })
      ids.push((await res.json()).id)
    }
    return ids
  }

  it('matches a slip to its collections: the bank takes the cash in transit', async () => {
    const ids = await collected([300, 450])
    const before = { bank: await balance('bank:operating'), transit: await balance('cash:in_transit') }
    const slip = { slipNumber: 'DS-1001', depositedOn: today(), amountCents: 750, collectionIds: ids }
    const res = await deposit(slip)
    expect(res.status).toBe(201)
    const made = await res.json()
    expect(made).toMatchObject({ slipNumber: 'DS-1001', amountCents: 750, collectionsCents: 750, differenceCents: 0, status: 'matched', exceptionId: null, enteredBy: 'Fran Finance' })
    expect([...made.collectionIds].sort()).toEqual([...ids].sort())
    expect(await balance('bank:operating')).toBe(before.bank + 750)
    expect(await balance('cash:in_transit')).toBe(before.transit - 750)

    // the slip again is the same deposit; with other content, or its collections again, refused
    const again = await deposit(slip)
    expect(again.status).toBe(200)
    expect((await again.json()).id).toBe(made.id)
    expect((await deposit({ ...slip, amountCents: 751 })).status).toBe(409)
    expect((await deposit({ ...slip, slipNumber: 'DS-1002' })).status).toBe(409)
    expect(await balance('bank:operating')).toBe(before.bank + 750)

    const undeposited = await (await t.request('/api/v1/finance/cash/collections?undeposited=true&limit=1000', { as: finance })).json()
    expect(undeposited.collections.some((c: { id: string }) => ids.includes(c.id))).toBe(false)
    const deposited = await (await t.request('/api/v1/finance/cash/collections?undeposited=false', { as: finance })).json()
    expect(deposited.collections.filter((c: { depositSlip: string }) => c.depositSlip === 'DS-1001')).toHaveLength(2)
  })

  it('posts a slip that disagrees with its collections to reconciliation differences, with an exception', async () => {
    const ids = await collected([600])
    const before = await balance('expense:reconciliation')
    const res = await deposit({ slipNumber: 'DS-2001', depositedOn: today(), amountCents: 100, collectionIds: ids })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject({ status: 'mismatched', collectionsCents: 600, differenceCents: -500, exceptionId: expect.any(Number) })
    expect(await balance('expense:reconciliation')).toBe(before + 500)
    expect(await exceptionFor('deposit:DS-2001:mismatch')).toEqual({ kind: 'deposit_mismatch', amount_cents: -500 })

    const list = await (await t.request('/api/v1/finance/deposits?status=mismatched', { as: finance })).json()
    expect(list.deposits.map((d: { slipNumber: string }) => d.slipNumber)).toEqual(['DS-2001'])
    const csv = await t.request('/api/v1/finance/deposits', { as: finance, headers: { accept: 'text/csv' } })
    const lines = (await csv.text()).trim().split('\r\n')
    expect(lines[0]).toBe('slip_number,deposited_on,amount,collections,difference,status,collection_count,entered_by')
    expect(lines).toContain(`DS-2001,${today()},1.00,6.00,-5.00,mismatched,1,Fran Finance`)
  })

  it('refuses a slip for unknown collections, a repeated one, a bad slip number or a future day, writing nothing', async () => {
    const [id] = await collected([150])
    const base = { slipNumber: 'DS-3001', depositedOn: today(), amountCents: 150, collectionIds: [id] }
    expect((await deposit({ ...base, collectionIds: [randomUUID()] })).status).toBe(400)
    expect((await deposit({ ...base, collectionIds: [id, id] })).status).toBe(400)
    expect((await deposit({ ...base, slipNumber: 'no spaces!' })).status).toBe(400)
    expect((await deposit({ ...base, depositedOn: '2999-01-01' })).status).toBe(400)
    expect((await deposit({ ...base, collectionIds: [] })).status).toBe(400)
    expect(await db.sql`select 1 from finance.bank_deposit where slip_number = 'DS-3001'`).toHaveLength(0)
  })
})

describe('who may reconcile cash', () => {
  it('lets only finance and administrators in; a driver gets 403, a kiosk too', async () => {
    const kiosk = await kioskWithSales(0)
    const routes = [
      ['/api/v1/finance/cash/devices', 'GET'],
      ['/api/v1/finance/cash/collections', 'GET'],
      ['/api/v1/finance/cash/collections', 'POST'],
      ['/api/v1/finance/deposits', 'GET'],
      ['/api/v1/finance/deposits', 'POST'],
    ] as const
    for (const [path, method] of routes) {
      const init = { method, headers: { 'idempotency-key': randomUUID() }, json: method === 'POST' ? {} : undefined }
      expect((await t.request(path, { ...init, as: driver })).status).toBe(403)
      expect((await t.request(path, { ...init, as: kiosk })).status).toBe(403)
      expect((await t.request(path, init)).status).toBe(401)
    }
    expect((await collect({ deviceId: kiosk.deviceId, countedCents: 100 }, randomUUID(), driver)).status).toBe(403)
  })
})
