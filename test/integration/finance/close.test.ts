import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { postEntry } from '../../../api/ledger/post.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { closeDay } from '../../../api/finance/close.ts'
import { cityDay } from '../../../api/finance/cycles.ts'
import { localTime, zonedInstant } from '../../../api/facilities/local-time.ts'
import { parseCsv } from '../../../api/cis/csv.ts'

const db = await testDatabase()
const t = testApp(db)
const TZ = db.config.CITY_TIME_ZONE
await makeFacility(db.sql, { code: 'C-LOT' })
const kiosk = await t.device('kiosk', 'C-LOT')
const financeUser = await t.userWithRole('finance')

const dayBefore = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10)
const TODAY = cityDay(new Date(), TZ)
const YESTERDAY = dayBefore(TODAY)
const EARLIER = dayBefore(TODAY, 3)
/** 10:00 city time on a day, when a kiosk sold offline. */
const at = (day: string, minute = 600) => new Date(zonedInstant(day, minute, TZ)).toISOString()

let plates = 0
function sellOffline(soldAt: string, cents = 150) {
  const plate = `CLS${String(++plates).padStart(4, '0')}`
  return t.request('/api/v1/sessions', {
    method: 'POST',
    as: kiosk,
    headers: { 'idempotency-key': randomUUID() },
    json: { facility: 'C-LOT', plate, state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: cents, saleId: randomUUID(), soldAt } },
  })
}

const getDay = async (day: string) => (await t.request(`/api/v1/finance/days/${day}`, { as: financeUser })).json()
const close = (day: string) => t.request(`/api/v1/finance/days/${day}/close`, { method: 'POST', as: financeUser })

describe('the daily close', () => {
  it('reports a day by facility, channel, method and fund, equal to the ledger, and locks it', async () => {
    expect((await sellOffline(at(YESTERDAY))).status).toBe(201)
    expect((await sellOffline(at(YESTERDAY, 700), 140)).status).toBe(201)

    const open = await getDay(YESTERDAY)
    expect(open.live).toBe(true)
    expect(open.status.status).toBe('open')
    expect(open.report.revenue).toEqual([
      expect.objectContaining({ facilityCode: 'C-LOT', channel: 'kiosk', method: 'cash', fund: 'parking', cents: 290, entries: 2 }),
    ])
    expect(open.report.counts.sessions).toEqual({ kiosk: 2 })

    const res = await close(YESTERDAY)
    expect(res.status).toBe(200)
    const closed = await res.json()
    expect(closed).toMatchObject({ closedNow: true, status: { status: 'closed', revenueCents: 290 } })
    expect(closed.report.check).toMatchObject({ equal: true, ledgerRevenueCents: 290, breakdownRevenueCents: 290, trialBalanceCents: 0 })

    // closing again changes nothing and answers with the stored report
    const again = await (await close(YESTERDAY)).json()
    expect(again).toMatchObject({ closedNow: false, status: { status: 'closed', revenueCents: 290 } })
  })

  it('posts a late correction to the next open day, as a prior-period adjustment', async () => {
    // a kiosk that was offline yesterday syncs a sale after yesterday closed
    expect((await sellOffline(at(YESTERDAY, 720), 150)).status).toBe(201)
    const [entry]: [{ business_day: string; prior_period: boolean }?] = await db.sql`
      select to_char(business_day, 'YYYY-MM-DD') as business_day, prior_period from ledger.journal_entry
       where source = 'parking' order by id desc limit 1`
    expect(entry).toEqual({ business_day: TODAY, prior_period: true })

    const yesterday = await getDay(YESTERDAY)
    expect(yesterday.live).toBe(false)
    expect(yesterday.report.totals.revenueCents).toBe(290)
    const now = await getDay(TODAY)
    expect(now.report.priorPeriod).toEqual([
      expect.objectContaining({ occurredOn: YESTERDAY, revenueCents: 150 }),
    ])
    const days = await (await t.request(`/api/v1/finance/days?from=${YESTERDAY}&to=${TODAY}`, { as: financeUser })).json()
    expect(days.days.map((d: { day: string; status: string; priorPeriodEntries: number }) => [d.day, d.status, d.priorPeriodEntries]))
      .toEqual([[YESTERDAY, 'closed', 0], [TODAY, 'open', 1]])
  })

  it('waits for postings in flight to the day before it counts them', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let posted!: () => void
    const inFlight = new Promise<void>((resolve) => (posted = resolve))
    const writer = db.sql.begin(async (tx) => {
      await postEntry(tx, {
        key: `test:in-flight:${randomUUID()}`,
        source: 'test',
        description: 'Sale committed while the close waits',
        occurredAt: new Date(at(EARLIER)),
        lines: [
          { account: parkingAccount.kioskCash(kiosk.deviceId), amount: 500 },
          { account: parkingAccount.revenue('C-LOT'), amount: -500 },
        ],
      })
      posted()
      await held
    })
    await inFlight
    let settled = false
    const closing = closeDay(db.sql, EARLIER, { timeZone: TZ }).then((r) => ((settled = true), r))
    await new Promise((r) => setTimeout(r, 300))
    expect(settled).toBe(false)
    release()
    await writer
    const result = await closing
    expect(result.report.totals.revenueCents).toBe(500)
    expect(result.status.status).toBe('closed')
  })

  it('refuses a day that has not ended, and bad dates', async () => {
    expect((await close(TODAY)).status).toBe(409)
    const tomorrow = localTime(Date.now() + 86_400_000, TZ).date
    expect((await close(tomorrow)).status).toBe(409)
    const bad = await close('2026-02-30')
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.code).toBe('invalid')
    const backwards = await t.request(`/api/v1/finance/days?from=${TODAY}&to=${YESTERDAY}`, { as: financeUser })
    expect(backwards.status).toBe(400)
  })

  it('closes by job every past day still open, from the first with entries, once', async () => {
    const { closePendingDays } = await import('../../../api/finance/close.ts')
    const older = dayBefore(TODAY, 5)
    expect((await sellOffline(at(older), 150)).status).toBe(201)
    const first = await closePendingDays(db.sql, { timeZone: TZ })
    // the quiet days between close too, at zero; yesterday and EARLIER were closed already
    expect(first).toEqual({ closed: [older, dayBefore(TODAY, 4), dayBefore(TODAY, 2)], failed: [] })
    expect(await closePendingDays(db.sql, { timeZone: TZ })).toEqual({ closed: [], failed: [] })
  })

  it('is for finance and admin only', async () => {
    const driver = await t.userWithRole('driver')
    expect((await t.request(`/api/v1/finance/days/${YESTERDAY}`, { as: driver })).status).toBe(403)
    expect((await close(YESTERDAY)).status).toBe(200)
    expect((await t.request(`/api/v1/finance/days/${YESTERDAY}/close`, { method: 'POST', as: driver })).status).toBe(403)
    expect((await t.request(`/api/v1/finance/days/${YESTERDAY}`)).status).toBe(401)
  })
})

describe('the GL export', () => {
  it('lists every posting of the range, and its revenue per fund equals the ledger', async () => {
    const res = await t.request(`/api/v1/finance/gl?from=${dayBefore(TODAY, 10)}&to=${TODAY}`, { as: financeUser })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = await res.text()
    expect(text.split('\n')[0]).toBe('date,entry_id,reference,fund,account_code,account_name,account_type,description,debit,credit,prior_period')
    const { records, problems } = parseCsv(text)
    expect(problems).toEqual([])
    const rows = records.slice(1).map((r) => r.fields)
    const debits = rows.reduce((s, r) => s + Math.round(Number(r[8] || 0) * 100), 0)
    const credits = rows.reduce((s, r) => s + Math.round(Number(r[9] || 0) * 100), 0)
    expect(debits).toBe(credits)
    const revenue = rows.filter((r) => r[6] === 'revenue').reduce((s, r) => s + Math.round(Number(r[9] || 0) * 100) - Math.round(Number(r[8] || 0) * 100), 0)
    const summary = await (await t.request(`/api/v1/finance/gl/summary?from=${dayBefore(TODAY, 10)}&to=${TODAY}`, { as: financeUser })).json()
    expect(summary.funds).toEqual([{ fund: 'parking', revenueCents: revenue }])
    // 290 + 150 + 500 + 150
    expect(revenue).toBe(1090)
    expect(rows.some((r) => r[10] === 'Y')).toBe(true)
  })
})
