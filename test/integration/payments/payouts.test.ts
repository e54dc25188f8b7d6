import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { cardTestApp } from '../../stripe/harness.ts'

const db = await testDatabase()
const { stripe, deliver } = cardTestApp(db)

const balances = async () => ({
  bank: await accountBalance(db.sql, 'bank:operating'),
  clearing: await accountBalance(db.sql, 'clearing:stripe'),
})

describe('Stripe payouts', () => {
  it('moves a paid payout from Stripe clearing to the bank once, and back if the bank returns it', async () => {
    const before = await balances()
    const paid = stripe.payout(12_345)
    await deliver('payout.paid', paid)
    await deliver('payout.paid', paid)
    expect(await balances()).toEqual({ bank: before.bank + 12_345, clearing: before.clearing - 12_345 })
    const failed = stripe.payout(12_345, 'failed', paid.id)
    await deliver('payout.failed', failed)
    await deliver('payout.failed', failed)
    expect(await balances()).toEqual(before)
    const [row] = await db.sql<{ status: string }[]>`
      select status from payments.payout where stripe_payout_id = ${paid.id}`
    expect(row).toEqual({ status: 'failed' })
  })

  it('posts nothing for a payout that fails before it is paid', async () => {
    const before = await balances()
    await deliver('payout.failed', stripe.payout(500, 'failed'))
    expect(await balances()).toEqual(before)
  })
})
