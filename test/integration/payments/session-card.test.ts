import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { cardTestApp } from '../../stripe/harness.ts'
import { TEST_PUBLISHABLE_KEY } from '../../stripe/simulator.ts'

const db = await testDatabase()
const { t, stripe, deliver, intentOf } = cardTestApp(db)
const noCards = testApp(db)
await makeFacility(db.sql, { code: 'T-CARD' })

const driver = await t.userWithRole('driver')
const account = await makeUtilityAccount(db.sql, { holder: { customerId: driver.customerId!, relationship: 'linked' } })
const ambassador = await t.userWithRole('ambassador')

let n = 0
const newPlate = () => `CARD${String(++n).padStart(3, '0')}`

function buy(json: object, app = t) {
  return app.request('/api/v1/sessions', { method: 'POST', headers: { 'idempotency-key': randomUUID() }, json })
}


async function paid(paymentId: string) {
  const pi = await intentOf(paymentId)
  await deliver('payment_intent.succeeded', stripe.pay(pi))
  return pi
}

/** Time bought on the driver's utility bill: the other way a plate gets time here. */
async function onAccount(plate: string, minutes: number) {
  const res = await t.request('/api/v1/sessions', {
    method: 'POST',
    as: driver,
    headers: { 'idempotency-key': randomUUID() },
    json: { facility: 'T-CARD', plate, state: 'NC', minutes, payment: { method: 'utility_account', utilityAccountId: account.id } },
  })
  return res.json()
}

const verdict = async (plate: string) =>
  (await (await t.request(`/api/v1/rights?plate=${plate}&facility=T-CARD`, { as: ambassador })).json()).verdict

describe('parking paid by card', () => {
  it('waits for the payment, then starts the time when Stripe says it is paid', async () => {
    const plate = newPlate()
    const revenue = await accountBalance(db.sql, parkingAccount.revenue('T-CARD'))
    const res = await buy({ facility: 'T-CARD', plate, state: 'NC', minutes: 60, payment: { method: 'card' } })
    expect(res.status).toBe(201)
    const started = await res.json()
    expect(started).toMatchObject({
      status: 'pending_payment',
      phase: 'pending_payment',
      totalCents: 0,
      purchases: [{ kind: 'start', method: 'card', status: 'pending', amountCents: 150 }],
      payment: { publishableKey: TEST_PUBLISHABLE_KEY },
    })
    expect(started.payment.clientSecret).toMatch(/_secret_/)
    expect(await verdict(plate)).toBe('none')

    const pi = await paid(started.payment.id)
    const receipt = await (await t.request(`/api/v1/sessions/${started.id}`)).json()
    expect(receipt).toMatchObject({ status: 'active', phase: 'paid', totalCents: 150 })
    expect(Date.parse(receipt.endsAt) - Date.parse(receipt.startsAt)).toBe(60 * 60_000)
    expect(await verdict(plate)).toBe('paid')
    expect(await accountBalance(db.sql, parkingAccount.revenue('T-CARD'))).toBe(revenue - 150)
    const [entries] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from ledger.journal_entry where source_ref = ${pi}`
    // the sale and Stripe's fee for it
    expect(entries!.n).toBe(2)
  })

  it('adds time to a running session from its receipt once the card is paid', async () => {
    const plate = newPlate()
    const first = await onAccount(plate, 60)
    const res = await t.request(`/api/v1/sessions/${first.id}/extensions`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { minutes: 60, payment: { method: 'card' } },
    })
    expect(res.status).toBe(200)
    const pending = await res.json()
    expect(pending.endsAt).toBe(first.endsAt)
    await paid(pending.payment.id)
    const receipt = await (await t.request(`/api/v1/sessions/${first.id}`)).json()
    expect(Date.parse(receipt.endsAt) - Date.parse(first.endsAt)).toBe(60 * 60_000)
    expect(receipt.purchases.map((p: { method: string; status: string }) => [p.method, p.status])).toEqual([
      ['utility_account', 'settled'],
      ['card', 'settled'],
    ])
  })

  it('adds a card purchase paid late to time the plate bought another way meanwhile', async () => {
    const plate = newPlate()
    const card = await (await buy({ facility: 'T-CARD', plate, state: 'NC', minutes: 60, payment: { method: 'card' } })).json()
    const other = await onAccount(plate, 30)
    await paid(card.payment.id)
    const merged = await (await t.request(`/api/v1/sessions/${other.id}`)).json()
    expect(Date.parse(merged.endsAt) - Date.parse(other.endsAt)).toBe(60 * 60_000)
    expect((await (await t.request(`/api/v1/sessions/${card.id}`)).json()).status).toBe('cancelled')
    const [active] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from parking.session where plate = ${plate} and status = 'active'`
    expect(active!.n).toBe(1)
  })

  it('ends a session whose card payment was canceled, unpaid', async () => {
    const plate = newPlate()
    const card = await (await buy({ facility: 'T-CARD', plate, state: 'NC', minutes: 60, payment: { method: 'card' } })).json()
    const pi = await intentOf(card.payment.id)
    await deliver('payment_intent.canceled', stripe.cancel(pi))
    const receipt = await (await t.request(`/api/v1/sessions/${card.id}`)).json()
    expect(receipt).toMatchObject({ status: 'cancelled', purchases: [{ status: 'failed' }] })
    expect(await verdict(plate)).toBe('none')
  })

  it('refuses a card payment under Stripe’s 50-cent minimum before writing anything', async () => {
    const plate = newPlate()
    const first = await onAccount(plate, 60)
    // half an hour more at the later rate is 25 cents
    const res = await t.request(`/api/v1/sessions/${first.id}/extensions`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { minutes: 30, payment: { method: 'card' } },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details[0]).toMatchObject({ field: 'body.payment.method', minimumCents: 50 })
    const [purchases] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from parking.purchase p join parking.session s on s.id = p.session_id
       where s.plate = ${plate}`
    expect(purchases!.n).toBe(1)
  })

  it('answers 503 card_payments_disabled when cards are switched off', async () => {
    const res = await buy({ facility: 'T-CARD', plate: newPlate(), state: 'NC', minutes: 60, payment: { method: 'card' } }, noCards)
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('card_payments_disabled')
  })
})
