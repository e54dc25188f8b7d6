import { router } from '../http/route.ts'
import { AppError } from '../http/errors.ts'
import { principalKey } from '../http/idempotency.ts'
import { accountBalance } from '../ledger/balances.ts'
import { receivable } from '../ledger/post.ts'
import { dollars } from '../ledger/statement.ts'
import { listUtilityAccounts } from '../customers/customers.ts'
import { requireStripe, stripeClient } from './stripe.ts'
import { readerOf } from '../auth/devices.ts'
import {
  cancelReaderPayment,
  createCardPayment,
  paymentByPublicId,
  retrieveIntent,
  type Payment,
} from './payments.ts'
import { applyIntent } from './apply.ts'
import { receiveEvent, verifiedEvent } from './webhook.ts'
import {
  BalancePaymentBody,
  CardPaymentStarted,
  ParkingOwedList,
  PaymentOptions,
  PaymentParams,
  PaymentView,
  RefundBody,
  RefundView,
} from './schemas.ts'
import { refundExcess, refundPayment } from './refunds.ts'

export const payments = router('/payments', 'Payments')

payments.route(
  {
    method: 'post',
    path: '/stripe/webhook',
    summary: "Stripe's events, signed",
    description:
      'The signature is checked on the raw body; each event id is taken once. PaymentIntent ' +
      'events are applied as Stripe says the PaymentIntent is when the event arrives.',
    access: ['public'],
    rawBody: ['application/json'],
    responses: {
      200: { description: 'Taken (or taken before)' },
      400: { description: 'Bad or missing signature; nothing written' },
      503: { description: 'Card payments or webhooks are not configured' },
    },
  },
  async (c) => {
    const { sql, config } = c.get('deps')
    const stripe = requireStripe(config)
    const raw = await c.req.text()
    const event = await verifiedEvent(stripe, raw, c.req.header('stripe-signature'), config.STRIPE_WEBHOOK_SECRET)
    const outcome = await receiveEvent(sql, stripe, event)
    await refundExcess(sql, stripe)
    return c.json({ received: true, outcome })
  },
)

payments.route(
  {
    method: 'get',
    path: '/options',
    summary: 'Whether cards are taken here, and the publishable key for Stripe.js',
    access: ['public'],
    responses: { 200: { description: 'Payment options', schema: PaymentOptions } },
  },
  (c) => {
    const { config } = c.get('deps')
    const card = stripeClient(config) !== null && Boolean(config.STRIPE_PUBLISHABLE_KEY)
    return c.json({ card, publishableKey: card ? (config.STRIPE_PUBLISHABLE_KEY ?? null) : null })
  },
)

payments.route(
  {
    method: 'get',
    path: '/parking-balance',
    summary: 'What I owe for parking, per utility account and on my own record',
    description: 'Each receivable with something owed, to pay by card with POST /payments/parking-balance.',
    access: ['driver'],
    responses: { 200: { description: 'Parking owed', schema: ParkingOwedList } },
  },
  async (c, { principal }) => {
    const { sql } = c.get('deps')
    if (principal?.kind !== 'user' || principal.customerId === null) {
      return c.json({ owed: [] })
    }
    const accounts = await listUtilityAccounts(sql, principal.customerId)
    const places = [
      { utilityAccountId: null, accountNumber: null, code: receivable.ofCustomer('parking', principal.customerId) },
      ...accounts.map((a) => ({
        utilityAccountId: a.id,
        accountNumber: a.accountNumber,
        code: receivable.ofUtilityAccount('parking', a.id),
      })),
    ]
    const owed = []
    for (const place of places) {
      const cents = await accountBalance(sql, place.code).catch(() => 0)
      if (cents > 0) {
        owed.push({
          utilityAccountId: place.utilityAccountId,
          accountEnding: place.accountNumber?.slice(-4) ?? null,
          owedCents: cents,
        })
      }
    }
    return c.json({ owed })
  },
)

payments.route(
  {
    method: 'post',
    path: '/parking-balance',
    summary: 'Pay my parking balance by card',
    description:
      'Billed-to-account parking and citations, on one of my utility accounts or my own. Answers ' +
      "the client secret for Stripe's Payment Element; the balance is credited when Stripe says " +
      'the payment succeeded. Needs an Idempotency-Key.',
    access: ['driver'],
    body: BalancePaymentBody,
    idempotency: 'domain',
    responses: {
      201: { description: 'A card payment to confirm in the browser', schema: CardPaymentStarted },
      400: { description: 'Not my account, nothing owed, or more than is owed' },
      503: { description: 'Card payment is switched off' },
    },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const stripe = requireStripe(config)
    if (principal?.kind !== 'user' || principal.customerId === null) {
      throw new AppError('forbidden', 'Only a driver with a customer record pays a balance')
    }
    const customerId = principal.customerId
    let code = receivable.ofCustomer('parking', customerId)
    if (body.utilityAccountId !== undefined) {
      const [held] = await listUtilityAccounts(sql, customerId, body.utilityAccountId)
      if (!held) {
        throw new AppError('invalid', 'That is not one of your utility accounts', [
          { field: 'body.utilityAccountId', message: 'Not one of your utility accounts' },
        ])
      }
      code = receivable.ofUtilityAccount('parking', held.id)
    }
    const owed = await accountBalance(sql, code).catch(() => 0)
    if (owed <= 0) {
      throw new AppError('invalid', 'There is no parking balance to pay here', [
        { field: 'body', message: 'Nothing owed' },
      ])
    }
    const amount = body.amountCents ?? owed
    if (amount > owed) {
      throw new AppError('invalid', `The parking balance here is $${dollars(owed)}; pay at most that`, [
        { field: 'body.amountCents', message: 'More than is owed' },
      ])
    }
    const started = await createCardPayment(sql, stripe, {
      purpose: 'account_balance',
      purposeRef: code,
      customerId,
      amountCents: amount,
      channel: 'web',
      key: `balance:${principalKey(principal, c)}:${c.req.header('idempotency-key') ?? ''}`,
      description: `Parking balance, customer ${customerId}`,
    })
    return c.json(
      {
        payment: paymentView(started.payment),
        clientSecret: started.clientSecret,
        publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null,
      },
      201,
    )
  },
)

payments.route(
  {
    method: 'get',
    path: '/:id',
    summary: 'A payment and where it stands, by its unguessable id',
    description:
      'One still waiting is read again from Stripe (the server asks, never the browser), so the ' +
      'page that confirmed a card sees the outcome even before the webhook arrives. The id is ' +
      'the payer\'s, as a receipt id is: it shows the amount and state, nothing about who paid.',
    access: ['public'],
    params: PaymentParams,
    responses: {
      200: { description: 'The payment', schema: PaymentView },
      404: { description: 'No such payment of yours' },
    },
  },
  async (c, { params }) => {
    const { sql, config } = c.get('deps')
    let payment = await paymentByPublicId(sql, params.id)
    if ((payment.status === 'requires_payment' || payment.status === 'processing') && payment.stripe_payment_intent_id) {
      const stripe = requireStripe(config)
      const id = payment.stripe_payment_intent_id
      const intent = await retrieveIntent(stripe, id)
      payment = (await applyIntent(sql, intent)) ?? payment
      await refundExcess(sql, stripe)
    }
    return c.json(paymentView(payment))
  },
)

payments.route(
  {
    method: 'post',
    path: '/:id/cancel',
    summary: "Cancel a card payment waiting at this kiosk's reader",
    description: "The reader's action is cancelled first, then the PaymentIntent; what it was to pay for is not bought.",
    access: ['kiosk'],
    params: PaymentParams,
    responses: {
      200: { description: 'Cancelled', schema: PaymentView },
      404: { description: 'No such payment at this kiosk' },
      409: { description: 'Not waiting at a reader' },
    },
  },
  async (c, { params, principal }) => {
    const { sql, config } = c.get('deps')
    const payment = await paymentByPublicId(sql, params.id)
    const reader = principal?.kind === 'device' ? await readerOf(sql, principal.deviceId) : null
    if (!reader || reader !== payment.stripe_reader_id) {
      throw new AppError('not_found', 'Payment not found')
    }
    if (payment.status === 'succeeded') {
      throw new AppError('conflict', 'This payment has gone through; it can be refunded, not cancelled')
    }
    const intent = await cancelReaderPayment(requireStripe(config), payment)
    return c.json(paymentView((await applyIntent(sql, intent)) ?? payment))
  },
)

payments.route(
  {
    method: 'post',
    path: '/:id/refunds',
    summary: 'Refund a card payment, in full or in part, with a reason',
    description:
      'Never more than is left of the payment. The refund posts when Stripe accepts it; one ' +
      'Stripe later fails posts its reversal. Needs an Idempotency-Key.',
    access: ['finance', 'admin'],
    params: PaymentParams,
    body: RefundBody,
    idempotency: 'domain',
    responses: {
      201: { description: 'The refund', schema: RefundView },
      400: { description: 'More than is left, or no reason' },
      404: { description: 'No such payment' },
      409: { description: 'Not a succeeded card payment, or refunded in full' },
    },
  },
  async (c, { params, body, principal }) => {
    const { sql, config } = c.get('deps')
    const payment = await paymentByPublicId(sql, params.id)
    const refund = await refundPayment(sql, requireStripe(config), {
      paymentId: params.id,
      amountCents: body.amountCents,
      reason: body.reason,
      key: `refund:${principalKey(principal, c)}:${c.req.header('idempotency-key') ?? ''}`,
      requestedBy: principal?.kind === 'user' ? principal.userId : null,
    })
    return c.json(
      {
        id: refund.public_id,
        payment: payment.public_id,
        amountCents: refund.amount_cents,
        reason: refund.reason,
        status: refund.status,
        failure: refund.failure,
        createdAt: refund.created_at.toISOString(),
      },
      201,
    )
  },
)

function paymentView(p: Payment): PaymentView {
  return {
    id: p.public_id,
    purpose: p.purpose,
    amountCents: p.amount_cents,
    method: p.method,
    status: p.status,
    failure: p.failure,
    flagged: p.mismatch !== null,
    createdAt: p.created_at.toISOString(),
    succeededAt: p.succeeded_at?.toISOString() ?? null,
  }
}
