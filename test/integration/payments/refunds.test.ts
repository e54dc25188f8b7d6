import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import type { Caller } from '../../support/app.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { cardTestApp } from '../../stripe/harness.ts'

const db = await testDatabase()
const { t, stripe, deliver, intentOf } = cardTestApp(db)
await makeFacility(db.sql, { code: 'T-REF' })
const finance = await t.userWithRole('finance')
const driver = await t.userWithRole('driver')

let n = 0


/** Two hours at T-REF paid by card ($2.00), settled: the payment's id. */
async function paidByCard(): Promise<string> {
  const res = await t.request('/api/v1/sessions', {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID() },
    json: { facility: 'T-REF', plate: `REF${++n}`, state: 'NC', minutes: 120, payment: { method: 'card' } },
  })
  const started = await res.json()
  await deliver('payment_intent.succeeded', stripe.pay(await intentOf(started.payment.id)))
  return started.payment.id
}

function refund(paymentId: string, json: object, as: Caller = finance, key: string = randomUUID()) {
  return t.request(`/api/v1/payments/${paymentId}/refunds`, {
    method: 'POST',
    as,
    headers: { 'idempotency-key': key },
    json,
  })
}

const revenue = () => accountBalance(db.sql, parkingAccount.revenue('T-REF'))

describe('refunds', () => {
  it('refunds in part, then the rest, never more than was paid, each once', async () => {
    const payment = await paidByCard()
    const before = await revenue()
    const key = randomUUID()
    const part = await refund(payment, { amountCents: 50, reason: 'Meter fault reported' }, finance, key)
    expect(part.status).toBe(201)
    expect(await part.json()).toMatchObject({ amountCents: 50, status: 'succeeded', reason: 'Meter fault reported' })
    const again = await refund(payment, { amountCents: 50, reason: 'Meter fault reported' }, finance, key)
    expect((await again.json()).id).toBeDefined()
    expect(await revenue()).toBe(before + 50)
    const tooMuch = await refund(payment, { amountCents: 500, reason: 'Too much' })
    expect(tooMuch.status).toBe(400)
    const rest = await refund(payment, { reason: 'Refund the rest' })
    expect(await rest.json()).toMatchObject({ amountCents: 150, status: 'succeeded' })
    expect(await revenue()).toBe(before + 200)
    expect((await refund(payment, { reason: 'Once more' })).status).toBe(409)
  })

  it('posts the reversal of a refund Stripe fails after accepting it, once', async () => {
    const payment = await paidByCard()
    const before = await revenue()
    const made = await (await refund(payment, { reason: 'Duplicate purchase' })).json()
    expect(await revenue()).toBe(before + 200)
    const [row] = await db.sql<{ re: string }[]>`
      select stripe_refund_id as re from payments.refund where public_id = ${made.id}`
    const failed = stripe.failRefund(row!.re)
    await deliver('refund.failed', failed)
    await deliver('refund.updated', failed)
    expect(await revenue()).toBe(before)
    const [refunded] = await db.sql<{ status: string; entries: number }[]>`
      select r.status,
             (select count(*)::int from ledger.journal_entry e where e.source_ref = r.stripe_refund_id) as entries
        from payments.refund r where r.public_id = ${made.id}`
    expect(refunded).toEqual({ status: 'failed', entries: 2 })
  })

  it('is for finance only, and needs a reason', async () => {
    const payment = await paidByCard()
    expect((await refund(payment, { reason: 'Because' }, driver)).status).toBe(403)
    const noReason = await refund(payment, { reason: '' })
    expect(noReason.status).toBe(400)
    expect((await noReason.json()).error.details[0].field).toBe('body.reason')
  })
})
