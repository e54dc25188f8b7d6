import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { makeResident, residentialSetup, ZONE_LAT } from './fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { permitRevenue } from '../../../api/permits/types.ts'
import { localTime } from '../../../api/facilities/local-time.ts'
import { addDays, firstTerm, nextTerm, refundOf } from '../../../api/permits/terms.ts'
import { runPermitJob, type PermitJobContext } from '../../../api/permits/renewals.ts'

const db = await testDatabase()
const t = testApp(db)
const type = await residentialSetup(db.sql)
const ambassador = await t.userWithRole('ambassador')
const TZ = db.config.CITY_TIME_ZONE
const today = () => localTime(Date.now(), TZ).date

let plates = 0
const plate = (prefix = 'LIF') => `${prefix}${String(++plates).padStart(3, '0')}`

async function resident() {
  const driver = await t.userWithRole('driver')
  const home = await makeResident(db.sql, { customerId: driver.customerId!, lat: ZONE_LAT + 0.004, lon: -78.635 })
  return { driver, home }
}

const post = (path: string, as: Caller, json: object, key: string | null = randomUUID()) =>
  t.request(path, { method: 'POST', as, json, headers: key ? { 'idempotency-key': key } : {} })

async function activePermit(plates: string[] = [plate()]) {
  const r = await resident()
  const applied = await (await post('/api/v1/permits', r.driver, { type: 'RES-Z', vehicles: plates.map((p) => ({ plate: p, state: 'NC' })) })).json()
  const paid = await post(`/api/v1/permits/${applied.id}/payment`, r.driver, {
    payment: { method: 'utility_account', utilityAccountId: r.home.accountId },
  })
  expect(paid.status).toBe(200)
  return { ...r, permit: (await paid.json()).permit }
}

const rights = async (p: string, at?: Date) =>
  (await t.request(`/api/v1/rights?plate=${p}&facility=ZST${at ? `&at=${encodeURIComponent(at.toISOString())}` : ''}`, { as: ambassador })).json()

describe('a residential permit paid on the utility bill', () => {
  it('becomes active at once, posts one entry to the bill, and gives its plates the right to park', async () => {
    const p = plate()
    const r = await resident()
    const applied = await (await post('/api/v1/permits', r.driver, { type: 'RES-Z', vehicles: [{ plate: p, state: 'NC' }] })).json()
    const term = firstTerm({ priceCents: 3650, period: 'annual', proration: 'daily' }, today())
    expect(applied).toMatchObject({ status: 'awaiting_payment', firstTerm: { priceCents: term.priceCents, endsOn: term.endsOn } })
    expect((await rights(p)).verdict).toBe('none')

    const revenue = await accountBalance(db.sql, permitRevenue('RES-Z'))
    const payment = { payment: { method: 'utility_account', utilityAccountId: r.home.accountId } }
    const key = randomUUID()
    const [first, again] = await Promise.all([
      post(`/api/v1/permits/${applied.id}/payment`, r.driver, payment, key),
      post(`/api/v1/permits/${applied.id}/payment`, r.driver, payment, randomUUID()),
    ])
    expect([first.status, again.status]).toEqual([200, 200])
    const { permit } = await first.json()
    expect(permit).toMatchObject({
      status: 'active',
      startsOn: today(),
      endsOn: term.endsOn,
      payMethod: 'utility_bill',
      charges: [{ kind: 'term', amountCents: term.priceCents, method: 'utility_bill', status: 'paid' }],
      vehicles: [{ plate: p, current: true }],
    })
    expect(await accountBalance(db.sql, receivable.ofUtilityAccount('parking', r.home.accountId))).toBe(term.priceCents)
    expect(await accountBalance(db.sql, permitRevenue('RES-Z'))).toBe(revenue - term.priceCents)
    const answer = await rights(p)
    expect(answer).toMatchObject({ verdict: 'permit', rights: [{ kind: 'permit', number: permit.number, type: 'Residential Z', facility: 'ZST' }] })
    expect((await t.request(`/api/v1/rights?plate=${p}&facility=ELSEWHERE`, { as: ambassador }).then((x) => x.json())).verdict).toBe('none')
    // on the customer's statement, against the utility account billed
    const statement = await (await t.request(`/api/v1/customers/${r.driver.customerId}/statement`, { as: r.driver })).json()
    expect(statement.lines).toContainEqual(
      expect.objectContaining({
        description: `Residential Z permit ${permit.number}, ${today()} to ${term.endsOn}`,
        fund: 'parking',
        utilityAccountNumber: r.home.accountNumber,
        amount: term.priceCents,
      }),
    )
  })

  it('refuses a plate already on another permit of the zone, naming it', async () => {
    const { permit } = await activePermit()
    const taken = permit.vehicles[0].plate
    const other = await resident()
    const res = await post('/api/v1/permits', other.driver, { type: 'RES-Z', vehicles: [{ plate: taken, state: 'NC' }] })
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toContain(`on permit ${permit.number}`)
  })

  it('charges a second vehicle for the rest of the term, a swap nothing, and keeps each plate’s history', async () => {
    const { driver, home, permit } = await activePermit()
    const bill = receivable.ofUtilityAccount('parking', home.accountId)
    const before = await accountBalance(db.sql, bill)
    const second = plate()
    const added = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: second, state: 'NC' })
    expect(added.status).toBe(200)
    // the second vehicle is priced as a term bought today: the days left of the year
    const slot = firstTerm({ priceCents: 1000, period: 'annual', proration: 'daily' }, today()).priceCents
    expect(permit.vehicleSlot).toEqual({ priceCents: slot, paidExtra: 0 })
    const afterAdd = (await added.json()).permit
    expect(afterAdd.charges.at(-1)).toMatchObject({ kind: 'vehicle_slot', amountCents: slot, status: 'paid' })
    expect(await accountBalance(db.sql, bill)).toBe(before + slot)

    // a third is over the type's limit of two
    const third = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: plate(), state: 'NC' })
    expect(third.status).toBe(409)
    expect((await third.json()).error.message).toContain('at most 2 vehicles')

    // swapping the second for another costs nothing more
    const secondRow = afterAdd.vehicles.find((v: { plate: string }) => v.plate === second)
    const swapped = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: plate(), state: 'NC', replaces: secondRow.id })
    expect(swapped.status).toBe(200)
    expect(await accountBalance(db.sql, bill)).toBe(before + slot)
    const view = (await swapped.json()).permit
    expect(view.vehicles.filter((v: { current: boolean }) => v.current)).toHaveLength(2)
    const gone = view.vehicles.find((v: { plate: string }) => v.plate === second)
    expect(gone.current).toBe(false)
    expect(gone.until).not.toBeNull()

    // enforcement asked about the swapped-out plate: permitted before the swap, not after
    const during = new Date((Date.parse(gone.from) + Date.parse(gone.until)) / 2)
    expect((await rights(second, during)).verdict).toBe('permit')
    expect((await rights(second)).verdict).toBe('none')
    expect((await rights(second, new Date(Date.parse(gone.from) - 60_000))).verdict).toBe('none')
  })

  it('takes a rental for up to 14 days beside the others, one at a time', async () => {
    const { driver, permit } = await activePermit()
    const rental = plate('RNT')
    const tooLong = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: rental, state: 'NC', temporaryDays: 15 })
    expect(tooLong.status).toBe(400)
    const res = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: rental, state: 'NC', temporaryDays: 3 })
    const v = (await res.json()).permit.vehicles.find((x: { plate: string }) => x.plate === rental)
    expect(v.temporary).toBe(true)
    expect(Date.parse(v.until) - Date.parse(v.from)).toBe(3 * 86_400_000)
    expect((await rights(rental)).rights[0]).toMatchObject({ kind: 'permit', temporary: true })
    expect((await rights(rental, new Date(Date.now() + 4 * 86_400_000))).verdict).toBe('none')
    const another = await post(`/api/v1/permits/${permit.id}/vehicles`, driver, { plate: plate('RNT'), state: 'NC', temporaryDays: 2 })
    expect(another.status).toBe(409)
  })

  it('issues visitor passes up to the monthly number, for a day, to any plate', async () => {
    const { driver, permit } = await activePermit()
    const visitor = plate('VIS')
    const issued = await post(`/api/v1/permits/${permit.id}/visitor-passes`, driver, { plate: visitor, state: 'SC' }, null)
    expect(issued.status).toBe(201)
    expect((await issued.json()).passesLeftThisMonth).toBe(1)
    expect(await rights(visitor)).toMatchObject({ verdict: 'permit', rights: [{ kind: 'visitor_pass', number: permit.number, state: 'SC' }] })
    expect((await post(`/api/v1/permits/${permit.id}/visitor-passes`, driver, { plate: plate('VIS'), state: 'NC' }, null)).status).toBe(201)
    const third = await post(`/api/v1/permits/${permit.id}/visitor-passes`, driver, { plate: plate('VIS'), state: 'NC' }, null)
    expect(third.status).toBe(409)
    expect((await third.json()).error.message).toContain('All 2 visitor passes')
    const past = await post(`/api/v1/permits/${permit.id}/visitor-passes`, driver, { plate: plate('VIS'), state: 'NC', validOn: addDays(today(), -1) }, null)
    expect(past.status).toBe(400)
  })

  it('cancels with the unused days credited back to the bill, and the plates lose their right', async () => {
    const { driver, home, permit } = await activePermit()
    const bill = receivable.ofUtilityAccount('parking', home.accountId)
    const before = await accountBalance(db.sql, bill)
    const res = await post(`/api/v1/permits/${permit.id}/cancel`, driver, { reason: 'Moving away' })
    expect(res.status).toBe(200)
    const cancelled = await res.json()
    const refund = refundOf('daily', { startsOn: permit.startsOn, endsOn: permit.endsOn, amountCents: permit.charges[0].amountCents }, today())
    expect(cancelled).toMatchObject({ status: 'cancelled', charges: [{ kind: 'term' }, { kind: 'refund', amountCents: refund, status: 'paid' }] })
    expect(await accountBalance(db.sql, bill)).toBe(before - refund)
    expect((await rights(permit.vehicles[0].plate)).verdict).toBe('none')
    expect((await post(`/api/v1/permits/${permit.id}/cancel`, driver, {})).status).toBe(409)
  })

  it('lets staff revoke with a reason, audited, and keeps other customers out', async () => {
    const { permit } = await activePermit()
    const stranger = await t.userWithRole('driver')
    expect((await t.request(`/api/v1/permits/${permit.id}`, { as: stranger })).status).toBe(404)
    expect((await post(`/api/v1/permits/${permit.id}/cancel`, stranger, {})).status).toBe(404)
    const list = await (await t.request('/api/v1/permits', { as: stranger })).json()
    expect(list.permits).toEqual([])
    expect((await post(`/api/v1/permits/${permit.id}/revoke`, ambassador, { reason: 'Fraud' })).status).toBe(403)

    const supervisor = await t.userWithRole('supervisor')
    const found = await (await t.request(`/api/v1/permits?plate=${permit.vehicles[0].plate}`, { as: supervisor })).json()
    expect(found.permits.map((p: { id: string }) => p.id)).toEqual([permit.id])
    expect((await post(`/api/v1/permits/${permit.id}/revoke`, supervisor, {})).status).toBe(400)
    const revoked = await post(`/api/v1/permits/${permit.id}/revoke`, supervisor, { reason: 'Address is a business' })
    expect(await revoked.json()).toMatchObject({ status: 'revoked', revokedReason: 'Address is a business' })
    const [audit] = await db.sql<{ after: { reason: string } }[]>`
      select after from app.audit_log where action = 'permit.revoke' and entity_id = (select id::text from permits.permit where public_id = ${permit.id})`
    expect(audit!.after.reason).toBe('Address is a business')
    const [notice] = await db.sql<{ body: string }[]>`
      select body from app.notification where kind = 'permit_revoked' and data->>'permit' = ${permit.number}`
    expect(notice!.body).toContain('Address is a business')
  })
})

describe('the permit job', () => {
  const job = (now: Date): PermitJobContext => ({
    now,
    timeZone: TZ,
    stripe: null,
    offers: { businessDays: 3, timeZone: TZ },
    baseUrl: 'https://curbline.test',
  })

  /** Moves an active permit's term so it ends on a given day, as if bought long ago. */
  async function endingOn(permitId: string, endsOn: string) {
    await db.sql`
      with p as (
        update permits.permit set ends_on = ${endsOn}, starts_on = ${addDays(endsOn, -364)}, auto_renew = true
         where public_id = ${permitId} returning id)
      update permits.charge c set term_starts_on = ${addDays(endsOn, -364)}, term_ends_on = ${endsOn}
        from p where c.permit_id = p.id`
  }

  it('reminds 30 and 7 days before the end, once each', async () => {
    const { permit, driver } = await activePermit()
    await endingOn(permit.id, addDays(today(), 20))
    await db.sql`update permits.permit set auto_renew = false where public_id = ${permit.id}`
    await runPermitJob(db.sql, job(new Date()))
    await runPermitJob(db.sql, job(new Date()))
    const notices = async () =>
      db.sql<{ dedupe_key: string }[]>`
        select dedupe_key from app.notification where kind = 'permit_renewal_reminder' and customer_id = ${driver.customerId!}`
    expect((await notices()).map((n) => n.dedupe_key.split(':').at(-1))).toEqual(['30'])
    // two weeks on, six days are left
    const later = new Date(Date.now() + 14 * 86_400_000)
    await runPermitJob(db.sql, job(later))
    await runPermitJob(db.sql, job(later))
    expect((await notices()).map((n) => n.dedupe_key.split(':').at(-1)).sort()).toEqual(['30', '7'])
  })

  it('renews automatically on the bill once, however often it runs', async () => {
    const { permit, home } = await activePermit()
    const endsOn = addDays(today(), 3)
    await endingOn(permit.id, endsOn)
    const bill = receivable.ofUtilityAccount('parking', home.accountId)
    const before = await accountBalance(db.sql, bill)
    const runs = await Promise.all([runPermitJob(db.sql, job(new Date())), runPermitJob(db.sql, job(new Date()))])
    expect(runs.reduce((n, r) => n + r.renewed, 0)).toBe(1)
    await runPermitJob(db.sql, job(new Date()))
    expect(await accountBalance(db.sql, bill)).toBe(before + 3650)
    const view = await (await t.request(`/api/v1/permits/${permit.id}`, { as: await t.userWithRole('supervisor') })).json()
    const next = nextTerm({ priceCents: 3650, period: 'annual', proration: 'daily' }, addDays(endsOn, -364), endsOn)
    expect(view.endsOn).toBe(next.endsOn)
    expect(view.charges.filter((c: { kind: string }) => c.kind === 'renewal')).toHaveLength(1)
    // the plates ride on into the new term
    expect((await rights(permit.vehicles[0].plate, new Date(Date.now() + 30 * 86_400_000))).verdict).toBe('permit')
  })

  it('tries a failing automatic renewal three times, a day apart, then tells the holder', async () => {
    const { permit, home, driver } = await activePermit()
    await endingOn(permit.id, addDays(today(), 4))
    await db.sql`update cis.utility_account set status = 'closed' where id = ${home.accountId}`
    const start = Date.now()
    const at = (hours: number) => new Date(start + hours * 3_600_000)
    expect((await runPermitJob(db.sql, job(at(0)))).renewalFailures).toBe(1)
    // an hour later is too soon to try again
    expect((await runPermitJob(db.sql, job(at(1)))).renewalFailures).toBe(0)
    expect((await runPermitJob(db.sql, job(at(25)))).renewalFailures).toBe(1)
    const failedNotice = () =>
      db.sql`select subject from app.notification where kind = 'permit_renewal_failed' and customer_id = ${driver.customerId!}`
    expect(await failedNotice()).toHaveLength(0)
    expect((await runPermitJob(db.sql, job(at(50)))).renewalFailures).toBe(1)
    expect(await failedNotice()).toHaveLength(1)
    expect((await runPermitJob(db.sql, job(at(75)))).renewalFailures).toBe(0)
    expect(await failedNotice()).toHaveLength(1)
  })

  it('expires a permit after its last day; its plates lose the right from the next midnight', async () => {
    const { permit } = await activePermit()
    const yesterday = addDays(today(), -1)
    await endingOn(permit.id, yesterday)
    await db.sql`update permits.vehicle set during = tstzrange(lower(during) - interval '400 days', upper(during)) where permit_id = (select id from permits.permit where public_id = ${permit.id})`
    await db.sql`
      update permits.vehicle v set during = tstzrange(lower(during), (${yesterday}::date + 1)::timestamp at time zone ${TZ})
        from permits.permit p where p.id = v.permit_id and p.public_id = ${permit.id}`
    const result = await runPermitJob(db.sql, job(new Date()))
    expect(result.expired).toBeGreaterThanOrEqual(1)
    const supervisor = await t.userWithRole('supervisor')
    expect((await (await t.request(`/api/v1/permits/${permit.id}`, { as: supervisor })).json()).status).toBe('expired')
    expect((await rights(permit.vehicles[0].plate)).verdict).toBe('none')
    expect((await rights(permit.vehicles[0].plate, new Date(Date.now() - 2 * 86_400_000))).verdict).toBe('permit')
  })
})
