import { randomUUID } from 'node:crypto'
import { describe, it, expect, vi, afterAll } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import type { Caller } from '../../support/app.ts'
import { cardTestApp } from '../../stripe/harness.ts'
import { TEST_SECRET_KEY } from '../../stripe/simulator.ts'
import { allDayTariff, makeFacility } from '../sessions/fixtures.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { makeResident, residentialSetup, ZONE_LAT } from '../permits/fixtures.ts'
import { makeZone, metered } from '../enforcement/fixtures.ts'
import { requireStripe } from '../../../api/payments/stripe.ts'
import { zonedInstant } from '../../../api/facilities/local-time.ts'
import { closeDay } from '../../../api/finance/close.ts'
import { cityDay } from '../../../api/finance/cycles.ts'
import { reconcilePayout } from '../../../api/finance/payouts.ts'
import { exportCycle, fillDefaultCalendar } from '../../../api/finance/cycles.ts'
import { parseCsv } from '../../../api/cis/csv.ts'
import { addDays } from '../../../api/permits/terms.ts'

/*
  A month of a small city, day by day on a moved clock: kiosk cash, sessions on utility bills and
  by card, a permit, citations (one paid on the bill), a refund, a dispute, weekly payouts, kiosk
  collections and a deposit, and the bill cycles due. After it: every payout reconciles, every
  day's close equals the ledger, each account's parking charges are in the cycle files exactly
  once, and a line the CIS rejects comes back as an exception.
*/
const db = await testDatabase({ max: 8 })
const { t, stripe, deliver, intentOf } = cardTestApp(db)
const client = requireStripe({ STRIPE_SECRET_KEY: TEST_SECRET_KEY })
const TZ = db.config.CITY_TIME_ZONE
const DAYS = 30

await makeFacility(db.sql, { code: 'M-LOT' })
// a garage at $30 an hour takes the cards, so a week's payout outweighs a dispute's $15 fee
await makeFacility(db.sql, {
  code: 'M-GAR',
  tariff: allDayTariff({ bands: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 1500 }] }] }),
})
await residentialSetup(db.sql)
await makeZone(db.sql, 'M-METER', metered())
const kiosk = await t.device('kiosk', 'M-LOT')
const finance = await t.userWithRole('finance', 'Mona Month')
const ambassador = await t.userWithRole('ambassador')
const commuter = await t.userWithRole('driver', 'Cal Commuter')
const commuterAccount = await makeUtilityAccount(db.sql, { billCycle: 3, holder: { customerId: commuter.customerId!, relationship: 'primary' } })
const resident = await t.userWithRole('driver', 'Rae Resident')
const home = await makeResident(db.sql, { customerId: resident.customerId!, lat: ZONE_LAT + 0.004, lon: -78.635 })
const scofflaw = await t.userWithRole('driver', 'Sid Late')
const lateAccount = await makeUtilityAccount(db.sql, { billCycle: 9, holder: { customerId: scofflaw.customerId!, relationship: 'primary' } })
const ACCOUNTS = [commuterAccount.id, home.accountId, lateAccount.id]

const FIRST = addDays(cityDay(new Date(), TZ), -DAYS)
const at = (day: string, minute: number) => new Date(zonedInstant(day, minute, TZ))

const post = (path: string, as: Caller | undefined, json: object) =>
  t.request(path, { method: 'POST', ...(as ? { as } : {}), json, headers: { 'idempotency-key': randomUUID() } })

let plates = 0
const plate = (p: string) => `${p}${String(++plates).padStart(3, '0')}`

async function ok(res: Response | Promise<Response>, status = [200, 201]) {
  const r = await res
  const body = await r.json()
  expect(status, JSON.stringify(body)).toContain(r.status)
  return body
}

async function cardSession(): Promise<{ payment: string; pi: string }> {
  const started = await ok(post('/api/v1/sessions', undefined, { facility: 'M-GAR', plate: plate('CRD'), state: 'NC', minutes: 60, payment: { method: 'card' } }))
  const pi = await intentOf(started.payment.id)
  await deliver('payment_intent.succeeded', stripe.pay(pi))
  return { payment: started.payment.id, pi }
}

const payouts: string[] = []
const cycleDates = new Map<string, number[]>()

vi.useFakeTimers({ toFake: ['Date'] })
afterAll(() => vi.useRealTimers())

describe('a simulated month', () => {
  it('runs a month of parking, payments and finance work', async () => {
    await fillDefaultCalendar(db.sql, addDays(FIRST, -31), addDays(FIRST, 62))
    const dates = await db.sql<{ cycle: number; day: string }[]>`
      select cycle, billing_date::text as day from finance.bill_cycle_date
       where cycle in (3, 4, 9) and billing_date between ${FIRST} and ${addDays(FIRST, DAYS - 1)}`
    for (const d of dates) {
      cycleDates.set(d.day, [...(cycleDates.get(d.day) ?? []), d.cycle])
    }
    expect(dates.length).toBeGreaterThanOrEqual(3)

    let cards: { payment: string; pi: string }[] = []
    let citation: { number: string; plate: string } | null = null
    for (let d = 0; d < DAYS; d++) {
      const day = addDays(FIRST, d)
      vi.setSystemTime(at(day, 9 * 60))
      // kiosk cash, and a commuter paying on their utility bill
      await ok(post('/api/v1/sessions', kiosk, { facility: 'M-LOT', plate: plate('KSK'), state: 'GA', minutes: 60, payment: { method: 'cash', amountCents: 150, saleId: randomUUID() } }))
      vi.setSystemTime(at(day, 9 * 60 + 5))
      await ok(post('/api/v1/sessions', commuter, { facility: 'M-LOT', plate: plate('COM'), state: 'NC', minutes: 120, payment: { method: 'utility_account', utilityAccountId: commuterAccount.id } }))
      if (d % 2 === 0) {
        vi.setSystemTime(at(day, 10 * 60))
        cards.push(await cardSession())
      }
      if (d === 2) {
        const applied = await ok(post('/api/v1/permits', resident, { type: 'RES-Z', vehicles: [{ plate: plate('RES'), state: 'NC' }] }))
        await ok(post(`/api/v1/permits/${applied.id}/payment`, resident, { payment: { method: 'utility_account', utilityAccountId: home.accountId } }))
      }
      if (d === 4 || d === 11) {
        vi.setSystemTime(at(day, 11 * 60))
        const p = plate('CIT')
        const issued = await ok(post('/api/v1/enforcement/citations', ambassador, {
          plate: p, state: 'NC', violation: 'NO-PAY', facility: 'M-METER', at: new Date().toISOString(), vehicle: { make: 'Ford' },
        }))
        citation ??= { number: issued.number, plate: p }
      }
      if (d === 6 && citation) {
        vi.setSystemTime(at(day, 12 * 60))
        await ok(post(`/api/v1/citations/${citation.number}/payment`, scofflaw, { plate: citation.plate, payment: { method: 'utility_account', utilityAccountId: lateAccount.id } }))
      }
      if (d === 8) {
        vi.setSystemTime(at(day, 13 * 60))
        await ok(post(`/api/v1/payments/${cards[0]!.payment}/refunds`, finance, { amountCents: 75, reason: 'Meter fault' }))
      }
      if (d === 10) {
        vi.setSystemTime(at(day, 14 * 60))
        await deliver('charge.dispute.created', stripe.dispute(cards[1]!.pi))
      }
      if (d % 5 === 4) {
        vi.setSystemTime(at(day, 17 * 60))
        const devices = await ok(t.request('/api/v1/finance/cash/devices', { as: finance }))
        const box = devices.devices.find((x: { deviceId: number }) => x.deviceId === kiosk.deviceId)
        // one count comes up a quarter short, within tolerance
        await ok(post('/api/v1/finance/cash/collections', finance, { deviceId: kiosk.deviceId, countedCents: box.expectedCents - (d === 9 ? 25 : 0) }))
      }
      if (d === 20) {
        vi.setSystemTime(at(day, 16 * 60))
        const listed = await ok(t.request('/api/v1/finance/cash/collections?undeposited=true', { as: finance }))
        const ids = listed.collections.map((c: { id: number }) => c.id)
        const total = listed.collections.reduce((s: number, c: { countedCents: number }) => s + c.countedCents, 0)
        await ok(post('/api/v1/finance/deposits', finance, { slipNumber: `DS-${d}`, depositedOn: day, amountCents: total, collectionIds: ids }))
      }
      if (d % 7 === 6) {
        vi.setSystemTime(at(day, 18 * 60))
        const payout = stripe.payoutPending('paid')
        await deliver('payout.paid', payout)
        payouts.push(payout.id)
        const result = await reconcilePayout(db.sql, client, payout.id)
        expect(result, payout.id).toMatchObject({ status: 'matched', unmatchedCount: 0, netTotalCents: payout.amount })
        cards = cards.slice(-1)
      }
      for (const cycle of cycleDates.get(day) ?? []) {
        vi.setSystemTime(at(day, 23 * 60))
        const exported = await exportCycle(db.sql, cycle, day)
        expect(exported.status).toBe('done')
      }
      // the close of the day, just after midnight
      vi.setSystemTime(at(addDays(day, 1), 30))
      const closed = await closeDay(db.sql, day, { timeZone: TZ, now: new Date() })
      expect(closed.status.status, day).toBe('closed')
      expect(closed.report.check.equal).toBe(true)
    }
    vi.useRealTimers()
  })

  it('closed every day, each equal to the ledger', async () => {
    const days = await db.sql<{ day: string; status: string; revenue: number; ledger: number }[]>`
      select to_char(f.day, 'YYYY-MM-DD') as day, f.status, f.revenue_cents as revenue,
             coalesce((select -sum(p.amount) from ledger.journal_entry e
                         join ledger.posting p on p.entry_id = e.id join ledger.account a on a.id = p.account_id
                        where e.business_day = f.day and a.type = 'revenue'), 0)::bigint as ledger
        from finance.day f where f.day between ${FIRST} and ${addDays(FIRST, DAYS - 1)} order by f.day`
    expect(days).toHaveLength(DAYS)
    for (const d of days) {
      expect(d.status, d.day).toBe('closed')
      expect(d.revenue, d.day).toBe(d.ledger)
    }
    // kiosk cash ($1.50) and the commuter's two hours ($2.00) every day; one day gives 75¢ back
    expect(Math.min(...days.map((d) => d.revenue))).toBeGreaterThanOrEqual(150 + 200 - 75)
  })

  it('reconciled every payout, and Stripe clearing holds only what is not yet paid out', async () => {
    expect(payouts.length).toBe(4)
    const rows = await db.sql<{ status: string }[]>`
      select r.status from finance.payout_reconciliation r join payments.payout p on p.id = r.payout_id
       where p.stripe_payout_id = any(${payouts})`
    expect(rows.map((r) => r.status)).toEqual(['matched', 'matched', 'matched', 'matched'])
  })

  it("exported each account's parking charges exactly once", async () => {
    const lastExport = [...cycleDates.keys()].sort().at(-1)!
    for (const account of ACCOUNTS) {
      const charged = await db.sql<{ key: string }[]>`
        select p.entry_id || '-' || p.id as key
          from ledger.posting p join ledger.account a on a.id = p.account_id
          join ledger.journal_entry e on e.id = p.entry_id
          join cis.utility_account u on u.id = a.utility_account_id
         where a.utility_account_id = ${account} and a.fund = 'parking' and e.source <> 'cis'
           and e.business_day <= (select max(billing_date) from finance.bill_cycle_date
                                   where cycle = u.bill_cycle and billing_date <= ${lastExport})
         order by 1`
      const exported = await db.sql<{ key: string }[]>`
        select entry_id || '-' || posting_id as key from finance.cycle_export_line
         where utility_account_id = ${account} order by 1`
      expect(charged.length, `account ${account}`).toBeGreaterThan(0)
      expect(exported.map((e) => e.key)).toEqual(charged.map((c) => c.key))
    }
    // and each file holds only its own cycle's accounts
    const strays = await db.sql`
      select 1 from finance.cycle_export_line l
        join finance.cycle_export x on x.id = l.export_id
        join cis.utility_account u on u.id = l.utility_account_id
       where u.bill_cycle <> x.cycle`
    expect(strays).toHaveLength(0)
  })

  it('takes a line the CIS rejects back into the exceptions queue', async () => {
    const exports = await ok(t.request('/api/v1/finance/cycle-exports', { as: finance }))
    const commuterExport = exports.exports.find((x: { cycle: number; lineCount: number }) => x.cycle === 3 && x.lineCount > 0)
    const file = await t.request(`/api/v1/finance/cycle-exports/${commuterExport.id}/file`, { as: finance })
    expect(file.status).toBe(200)
    const { records } = parseCsv(await file.text())
    const header = records[0]!.fields
    const references = records.slice(1).map((r) => r.fields[header.indexOf('reference')]!)
    expect(references.length).toBe(commuterExport.lineCount)
    const ack = ['reference,status,reason,bill_id', ...references.map((ref, i) =>
      i === 0 ? `${ref},rejected,Account on hold,` : `${ref},billed,,B-${i}`)].join('\n') + '\n'
    const res = await t.request('/api/v1/finance/cycle-acks', {
      method: 'POST',
      as: finance,
      headers: { 'content-type': 'text/csv', 'idempotency-key': randomUUID() },
      body: ack,
    })
    expect(res.status, await res.clone().text()).toBeLessThan(300)
    const open = await ok(t.request('/api/v1/finance/exceptions?status=open&kind=cycle_line_rejected', { as: finance }))
    expect(open.exceptions).toHaveLength(1)
    expect(JSON.stringify(open.exceptions[0].evidence)).toContain(references[0]!)
  })
})
