import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { makeFacility } from '../sessions/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { parkingAccount } from '../../../api/ledger/accounts.ts'
import { cardTestApp } from '../../stripe/harness.ts'

const db = await testDatabase()
const { t, stripe, deliver, intentOf } = cardTestApp(db)
await makeFacility(db.sql, { code: 'T-DSP' })

let n = 0


/** An hour at T-DSP paid by card ($1.50): the session's and the PaymentIntent's ids. */
async function paidByCard(): Promise<{ session: string; pi: string }> {
  const started = await (
    await t.request('/api/v1/sessions', {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { facility: 'T-DSP', plate: `DSP${++n}`, state: 'NC', minutes: 60, payment: { method: 'card' } },
    })
  ).json()
  const pi = await intentOf(started.payment.id)
  await deliver('payment_intent.succeeded', stripe.pay(pi))
  return { session: started.id, pi }
}

const balances = async () => ({
  disputes: await accountBalance(db.sql, 'disputes:stripe').catch(() => 0),
  revenue: await accountBalance(db.sql, parkingAccount.revenue('T-DSP')),
})

describe('card disputes', () => {
  it('holds the funds while disputed and returns them when the dispute is won', async () => {
    const { session, pi } = await paidByCard()
    const before = await balances()
    const dispute = stripe.dispute(pi)
    await deliver('charge.dispute.created', dispute)
    await deliver('charge.dispute.created', dispute)
    expect(await balances()).toEqual({ disputes: before.disputes + 150, revenue: before.revenue })
    const [flag] = await db.sql<{ disputed: boolean }[]>`
      select disputed_at is not null as disputed from parking.session where public_id = ${session}`
    expect(flag).toEqual({ disputed: true })
    await deliver('charge.dispute.closed', stripe.closeDispute(dispute.id, 'won'))
    expect(await balances()).toEqual(before)
  })

  it('takes a lost dispute from the revenue the payment credited, once', async () => {
    const { pi } = await paidByCard()
    const before = await balances()
    const dispute = stripe.dispute(pi, 'product_not_received')
    const lost = stripe.closeDispute(dispute.id, 'lost')
    // the closing event arrives before the opening one: the same final state
    await deliver('charge.dispute.closed', lost)
    await deliver('charge.dispute.created', dispute)
    await deliver('charge.dispute.funds_withdrawn', dispute)
    expect(await balances()).toEqual({ disputes: before.disputes, revenue: before.revenue + 150 })
    const [entries] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from ledger.journal_entry where source_ref = ${dispute.id}`
    expect(entries!.n).toBe(2)
  })
})
