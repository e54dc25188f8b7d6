import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { registerDevice } from '../../../api/auth/devices.ts'
import { cardTestApp } from '../../stripe/harness.ts'

const db = await testDatabase()
const { t, stripe, intentOf } = cardTestApp(db)
await makeFacility(db.sql, { code: 'T-KIOSK' })

const READER = 'tmr_curblinekiosk7'
const withReader = await registerDevice(db.sql, {
  kind: 'kiosk',
  name: 'Kiosk with a reader',
  facility: 'T-KIOSK',
  stripeReader: READER,
  createdBy: null,
})
const kiosk = { headers: { authorization: `Bearer ${withReader.token}` } }
const cashOnly = await t.device('kiosk', 'T-KIOSK')

let n = 0
function sell(as: { headers: Record<string, string> }) {
  return t.request('/api/v1/sessions', {
    method: 'POST',
    as,
    headers: { 'idempotency-key': randomUUID() },
    json: { facility: 'T-KIOSK', plate: `TRM${++n}`, state: 'NC', minutes: 60, payment: { method: 'card' } },
  })
}


describe('cards at a kiosk reader (Stripe Terminal, server-driven)', () => {
  it('sends a card-present PaymentIntent to the kiosk’s reader, and grants the time once paid', async () => {
    const res = await sell(kiosk)
    expect(res.status).toBe(201)
    const started = await res.json()
    expect(started).toMatchObject({ channel: 'kiosk', status: 'pending_payment' })
    const pi = await intentOf(started.payment.id)
    expect(stripe.intents.get(pi)?.payment_method_types).toEqual(['card_present'])
    expect(stripe.readers.get(READER)).toEqual({ action: 'process_payment_intent', paymentIntent: pi })

    // the driver taps their card; the kiosk asks the server, which asks Stripe
    stripe.pay(pi)
    const payment = await (await t.request(`/api/v1/payments/${started.payment.id}`, { as: kiosk })).json()
    expect(payment.status).toBe('succeeded')
    const receipt = await (await t.request(`/api/v1/sessions/${started.id}`)).json()
    expect(receipt).toMatchObject({ status: 'active', totalCents: 150 })
  })

  it('cancels from the kiosk: the reader stops, the PaymentIntent is canceled, nothing is bought', async () => {
    const started = await (await sell(kiosk)).json()
    const pi = await intentOf(started.payment.id)
    const other = await t.request(`/api/v1/payments/${started.payment.id}/cancel`, { method: 'POST', as: cashOnly })
    expect(other.status).toBe(404)
    const res = await t.request(`/api/v1/payments/${started.payment.id}/cancel`, { method: 'POST', as: kiosk })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'canceled' })
    expect(stripe.readers.get(READER)).toEqual({ action: null, paymentIntent: null })
    expect(stripe.intents.get(pi)?.status).toBe('canceled')
    const receipt = await (await t.request(`/api/v1/sessions/${started.id}`)).json()
    expect(receipt.status).toBe('cancelled')
  })

  it('refuses a card at a kiosk without a reader', async () => {
    const res = await sell(cashOnly)
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/no card reader/)
  })
})
