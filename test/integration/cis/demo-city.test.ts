import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { DEMO_KIOSK_TOKEN, DEMO_SIGN_INS, seedDemoCity, type DemoSummary } from '../../../db/seed/demo.ts'

const db = await testDatabase()
const t = testApp(db)
const sql = db.sql

const started = performance.now()
const summary: DemoSummary = await seedDemoCity(sql)
const seconds = (performance.now() - started) / 1000

describe('the demo city', () => {
  it('has about 2,000 customers with accounts in all 21 cycles and six months of bills', async () => {
    expect(summary.customers).toBe(2000)
    expect(summary.utilityAccounts).toBeGreaterThan(1900)
    const [row] = await sql`
      select count(distinct a.bill_cycle)::int as cycles,
             count(distinct to_char(b.bill_date, 'YYYY-MM'))::int as months,
             count(distinct b.bill_id)::int as bills
        from cis.utility_account a join cis.bill_charge b on b.utility_account_id = a.id`
    expect(row).toEqual({ cycles: 21, months: 6, bills: summary.bills })
    const [imports] = await sql`
      select count(*)::int as n from cis.import where status = 'applied' and file_name like 'demo-%'`
    expect(imports?.n).toBe(2)
    // one entry per bill run: 21 cycles a month for six months
    expect(summary.ledgerEntries).toBe(21 * 6)
    // a few seconds on a quiet machine; generous here for busy CI
    expect(seconds).toBeLessThan(60)
  })

  it('has a downtown of garages, lots and on-street zones, and the Airport', async () => {
    const kinds = await sql<{ kind: string; n: number }[]>`
      select kind::text, count(*)::int as n from parking.facility group by 1 order by 1`
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
      surface_lot: 3,
      garage: 3,
      on_street_zone: 40,
      airport_garage: 1,
      airport_lot: 2,
      cell_phone_lot: 1,
    })
    expect(summary.facilities).toBe(50)
  })

  it('signs in everyone listed in DEMO_SIGN_INS with their role', async () => {
    for (const s of DEMO_SIGN_INS) {
      const caller = await t.signIn(s.email, s.password)
      const me = await (await t.request('/api/v1/auth/me', { as: caller })).json()
      expect(me.user).toMatchObject({ email: s.email, role: s.role })
    }
    const kiosk = await t.request('/api/v1/devices/me', { headers: { authorization: `Bearer ${DEMO_KIOSK_TOKEN}` } })
    expect(kiosk.status).toBe(200)
  })

  it('gives the demo driver a CIS customer with vehicles, a utility account and a statement', async () => {
    const driver = await t.signIn('driver@curbline.test', 'demo-driver-2026')
    expect(driver.customerId).toEqual(expect.any(Number))
    const [customer] = await sql`
      select c.cis_customer_id, count(distinct v.id)::int as vehicles
        from cis.customer c join cis.vehicle v on v.customer_id = c.id
       where c.id = ${driver.customerId ?? 0} group by c.id`
    expect(customer?.cis_customer_id).toMatch(/^C\d+$/)
    expect(customer?.vehicles).toBe(2)
    const plates = await sql`
      select plate, plate_printed from cis.vehicle where customer_id = ${driver.customerId ?? 0} order by plate`
    expect(plates).toEqual([
      { plate: 'HBT4821', plate_printed: 'HBT-4821' },
      { plate: 'RVR2026', plate_printed: 'RVR 2026' },
    ])
    const statement = await sql`
      select a.fund, count(*)::int as lines, sum(p.amount)::int as cents
        from cis.account_holder h
        join ledger.account a on a.utility_account_id = h.utility_account_id
        join ledger.posting p on p.account_id = a.id
       where h.customer_id = ${driver.customerId ?? 0}
       group by a.fund order by a.fund`
    // six months of bills for every service, and a month of parking paid on the bill
    expect(statement.map((s) => s.fund)).toEqual([
      'parking', 'electric', 'water', 'sewer', 'gas', 'solid_waste', 'stormwater', 'fire',
    ])
    expect(statement.filter((s) => s.fund !== 'parking').every((s) => s.lines === 6 && s.cents !== 0)).toBe(true)
    expect(statement[0]).toMatchObject({ fund: 'parking', cents: expect.any(Number) })
    expect(statement[0]!.cents).toBeGreaterThan(0)
  })

  it('has several drivers, each a CIS customer holding a utility account', async () => {
    const [row] = await sql`
      select count(*)::int as drivers,
             count(*) filter (where exists (
               select 1 from cis.account_holder h where h.customer_id = u.customer_id))::int as holders,
             count(*) filter (where exists (
               select 1 from cis.vehicle v where v.customer_id = u.customer_id))::int as with_cars
        from app.user_account u where u.role = 'driver'`
    expect(row).toEqual({ drivers: summary.drivers, holders: summary.drivers, with_cars: summary.drivers })
    expect(summary.drivers).toBeGreaterThanOrEqual(5)
  })

  it('has a month of parking closed day by day, a cash count to look into and the cycles due exported', async () => {
    expect(summary.parkingSessions).toBeGreaterThan(150)
    expect(summary.closedDays).toBeGreaterThanOrEqual(30)
    const [days] = await sql`
      select count(*) filter (where status = 'closed')::int as closed,
             count(*) filter (where status = 'closed' and revenue_cents = ledger_revenue_cents)::int as equal
        from finance.day`
    expect(days).toEqual({ closed: summary.closedDays, equal: summary.closedDays })
    const exceptions = await sql`select kind from finance.exception where status = 'open'`
    expect(exceptions.map((x) => x.kind)).toEqual(['cash_over_short'])
    const [deposits] = await sql`select count(*)::int as n from finance.bank_deposit where status = 'matched'`
    expect(deposits?.n).toBe(1)
  })
})
