import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import type { Caller } from '../../support/app.ts'
import { cardTestApp, STRIPE_TEST_CONFIG } from '../../stripe/harness.ts'
import { makeResident, residentialSetup, ZONE_LAT } from './fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { permitRevenue } from '../../../api/permits/types.ts'
import { localTime } from '../../../api/facilities/local-time.ts'
import { addDays, refundOf } from '../../../api/permits/terms.ts'
import { runPermitJob, type PermitJobContext } from '../../../api/permits/renewals.ts'
import { stripeClient } from '../../../api/payments/stripe.ts'

const db = await testDatabase()
const { t, stripe, deliver, intentOf } = cardTestApp(db)
await residentialSetup(db.sql)
const TZ = db.config.CITY_TIME_ZONE
const today = () => localTime(Date.now(), TZ).date
const ambassador = await t.userWithRole('ambassador')

let n = 0
const post = (path: string, as: Caller, json: object) =>
  t.request(path, { method: 'POST', as, json, headers: { 'idempotency-key': randomUUID() } })

async function applied(autoRenew = false) {
  const driver = await t.userWithRole('driver')
  await makeResident(db.sql, { customerId: driver.customerId!, lat: ZONE_LAT + 0.004, lon: -78.635 })
  const plate = `CRD${String(++n).padStart(3, '0')}`
  const permit = await (await post('/api/v1/permits', driver, { type: 'RES-Z', autoRenew, vehicles: [{ plate, state: 'NC' }] })).json()
  return { driver, permit, plate }
}

async function paidByCard(autoRenew = false) {
  const a = await applied(autoRenew)
  const res = await post(`/api/v1/permits/${a.permit.id}/payment`, a.driver, { payment: { method: 'card' } })
  expect(res.status).toBe(200)
  const body = await res.json()
  const pi = await intentOf(body.payment.id)
  await deliver('payment_intent.succeeded', stripe.pay(pi))
  return { ...a, paymentId: body.payment.id as string, pi, amount: body.permit.firstTerm.priceCents as number }
}

const job = (now: Date): PermitJobContext => ({
  now,
  timeZone: TZ,
  stripe: stripeClient(STRIPE_TEST_CONFIG),
  offers: { businessDays: 3, timeZone: TZ },
  baseUrl: 'https://curbline.test',
})

const verdict = async (plate: string) =>
  (await (await t.request(`/api/v1/rights?plate=${plate}&facility=ZST`, { as: ambassador })).json()).verdict

async function endingSoon(permitId: string) {
  const endsOn = addDays(today(), 3)
  await db.sql`
    with p as (update permits.permit set ends_on = ${endsOn} where public_id = ${permitId} returning id)
    update permits.charge c set term_ends_on = ${endsOn} from p where c.permit_id = p.id`
  return endsOn
}

describe('a permit paid by card', () => {
  it('waits for Stripe, then is active, with the sale posted against Stripe clearing once', async () => {
    const a = await applied()
    const res = await post(`/api/v1/permits/${a.permit.id}/payment`, a.driver, { payment: { method: 'card' } })
    const body = await res.json()
    expect(body).toMatchObject({ permit: { status: 'awaiting_payment' }, payment: { clientSecret: expect.stringMatching(/_secret_/) } })
    expect(await verdict(a.plate)).toBe('none')
    const revenue = await accountBalance(db.sql, permitRevenue('RES-Z'))
    const pi = await intentOf(body.payment.id)
    const paid = stripe.pay(pi)
    await Promise.all([deliver('payment_intent.succeeded', paid), deliver('payment_intent.succeeded', paid)])
    const view = await (await t.request(`/api/v1/permits/${a.permit.id}`, { as: a.driver })).json()
    expect(view).toMatchObject({ status: 'active', payMethod: 'card', charges: [{ kind: 'term', method: 'card', status: 'paid' }] })
    expect(await accountBalance(db.sql, permitRevenue('RES-Z'))).toBe(revenue - body.permit.firstTerm.priceCents)
    expect(await verdict(a.plate)).toBe('permit')
  })

  it('pays on the utility bill instead after starting by card: the card payment is canceled first', async () => {
    const a = await applied()
    const started = await (await post(`/api/v1/permits/${a.permit.id}/payment`, a.driver, { payment: { method: 'card' } })).json()
    const accounts = await db.sql<{ id: number }[]>`
      select utility_account_id as id from cis.account_holder where customer_id = ${a.driver.customerId!}`
    const res = await post(`/api/v1/permits/${a.permit.id}/payment`, a.driver, { payment: { method: 'utility_account', utilityAccountId: accounts[0]!.id } })
    expect(res.status).toBe(200)
    expect((await res.json()).permit.status).toBe('active')
    expect(stripe.intents.get(await intentOf(started.payment.id))!.status).toBe('canceled')
  })

  it('cancels with the unused part refunded to the card', async () => {
    const a = await paidByCard()
    const res = await post(`/api/v1/permits/${a.permit.id}/cancel`, a.driver, {})
    const view = await res.json()
    const term = view.charges[0]
    const expected = refundOf('daily', { startsOn: term.termStartsOn, endsOn: term.termEndsOn, amountCents: a.amount }, today())
    expect(view.charges[1]).toMatchObject({ kind: 'refund', method: 'card', amountCents: expected, status: 'paid' })
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === a.pi).map((r) => r.amount)).toEqual([expected])
  })

  it('saves the card when asked to renew automatically, and renews with it off-session, once', async () => {
    const a = await paidByCard(true)
    const saved = await (await t.request(`/api/v1/permits/${a.permit.id}`, { as: a.driver })).json()
    expect(saved.savedCard).toBe(true)
    const endsOn = await endingSoon(a.permit.id)
    const revenue = await accountBalance(db.sql, permitRevenue('RES-Z'))
    await runPermitJob(db.sql, job(new Date()))
    await runPermitJob(db.sql, job(new Date()))
    const view = await (await t.request(`/api/v1/permits/${a.permit.id}`, { as: a.driver })).json()
    const renewals = view.charges.filter((c: { kind: string }) => c.kind === 'renewal')
    expect(renewals).toMatchObject([{ method: 'card', status: 'paid', termStartsOn: addDays(endsOn, 1) }])
    expect(view.endsOn).toBe(renewals[0].termEndsOn)
    expect(await accountBalance(db.sql, permitRevenue('RES-Z'))).toBe(revenue - renewals[0].amountCents)
    const offSession = [...stripe.intents.values()].filter((i) => i.customer && i.amount === renewals[0].amountCents && i.status === 'succeeded')
    expect(offSession.length).toBeGreaterThanOrEqual(1)
  })

  it('retries a declined saved card a day apart, three times, then tells the holder', async () => {
    const a = await paidByCard(true)
    const [row] = await db.sql<{ pm: string }[]>`select stripe_payment_method_id as pm from permits.permit where public_id = ${a.permit.id}`
    stripe.declineSavedCard(row!.pm)
    await endingSoon(a.permit.id)
    const start = Date.now()
    const failures: number[] = []
    for (const hours of [0, 2, 25, 50, 75]) {
      failures.push((await runPermitJob(db.sql, job(new Date(start + hours * 3_600_000)))).renewalFailures)
    }
    expect(failures).toEqual([1, 0, 1, 1, 0])
    const view = await (await t.request(`/api/v1/permits/${a.permit.id}`, { as: a.driver })).json()
    expect(view.charges.filter((c: { kind: string }) => c.kind === 'renewal')).toMatchObject([{ status: 'failed', failure: expect.stringContaining('insufficient funds') }])
    const notices = await db.sql`
      select body from app.notification where kind = 'permit_renewal_failed' and customer_id = ${a.driver.customerId!}`
    expect(notices).toHaveLength(1)
    const declined = [...stripe.intents.values()].filter(
      (i) => i.status === 'requires_payment_method' && i.last_payment_error?.payment_method?.id === row!.pm,
    )
    expect(declined).toHaveLength(3)
  })
})
