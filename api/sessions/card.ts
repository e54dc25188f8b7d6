import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import { readerOf } from '../auth/devices.ts'
import { postEntry } from '../ledger/post.ts'
import { parkingAccount } from '../ledger/accounts.ts'
import { assertCardMinimum, createCardPayment } from '../payments/payments.ts'
import { facilityById } from '../facilities/facilities.ts'
import { quote, quoteExtension, type Quote } from '../facilities/tariff.ts'
import {
  assertSellable,
  channelOf,
  endOf,
  lockPlate,
  priced,
  runningSession,
  sessionView,
  startSession,
  type StartRequest,
} from './sessions.ts'
import type { SessionView } from './schemas.ts'

/*
  Parking paid by card. The purchase is written first, pending, on a session waiting for its
  payment (a new one) or on the session it would extend; then the payment and its PaymentIntent.
  The time is granted only when Stripe says the payment succeeded (settleCardPurchase, called by
  the payments module from a verified event or a server-side retrieve), starting then, so a
  driver who takes a minute to type their card loses none of it.
*/

export interface CardStarted {
  session: SessionView
  payment: { id: string; clientSecret: string }
}

export async function startCardSession(
  sql: Db,
  stripe: Stripe,
  req: StartRequest,
): Promise<CardStarted | { session: SessionView; payment: null }> {
  const { facility } = req
  const at = req.now
  assertSellable(facility, at)
  const running = await runningSession(sql, facility.id, req.plate, at)
  const price: Quote = running
    ? priced(() => quoteExtension(facility.tariff, running.starts_at, running.ends_at, endOf(req.span, running.ends_at)))
    : priced(() => quote(facility.tariff, at, endOf(req.span, at)))
  if (price.totalCents === 0) {
    // free at this time: nothing to charge a card for
    const started = await startSession(sql, { ...req, payer: { method: 'free' } })
    return { session: started.session, payment: null }
  }
  assertCardMinimum(price.totalCents)
  const customerId = req.principal?.kind === 'user' ? req.principal.customerId : null
  const readerId = await kioskReader(sql, req)
  const sessionRef = await inTransaction(sql, async (tx) => {
    await lockPlate(tx, facility.id, req.plate)
    const [prior]: [{ public_id: string }?] = await tx`
      select s.public_id from parking.purchase p join parking.session s on s.id = p.session_id
       where p.idempotency_key = ${req.key}`
    if (prior) {
      return prior.public_id
    }
    if (running) {
      const end = endOf(req.span, running.ends_at)
      await tx`
        insert into parking.purchase
          (session_id, kind, starts_at, ends_at, amount_cents, quoted_cents, quote, method, status,
           idempotency_key, request_hash)
        values (${running.id}, 'extend', ${running.ends_at}, ${end}, ${price.totalCents},
                ${price.totalCents}, ${tx.json(price as never)}, 'card', 'pending', ${req.key},
                ${req.requestHash ?? null})`
      return running.public_id
    }
    const end = endOf(req.span, at)
    const [made]: [{ public_id: string }?] = await tx`
      with made as (
        insert into parking.session
          (facility_id, plate, state, plate_printed, customer_id, channel, device_id, status,
           starts_at, ends_at, notify_email, notify_phone)
        values (${facility.id}, ${req.plate.plate}, ${req.plate.state}, ${req.plate.printed},
                ${customerId}, ${channelOf(req.principal)}, null, 'pending_payment', ${at}, ${end},
                ${req.notify?.email ?? null}, ${req.notify?.phone ?? null})
        returning id, public_id
      ), bought as (
        insert into parking.purchase
          (session_id, kind, starts_at, ends_at, amount_cents, quoted_cents, quote, method, status,
           idempotency_key, request_hash)
        select made.id, 'start', ${at}, ${end}, ${price.totalCents}, ${price.totalCents},
               ${tx.json(price as never)}, 'card', 'pending', ${req.key}, ${req.requestHash ?? null}
          from made
      )
      select public_id from made`
    if (!made) {
      throw new Error('card session insert returned nothing')
    }
    return made.public_id
  })
  const [bought]: [{ amount_cents: number }?] = await sql`
    select amount_cents from parking.purchase where idempotency_key = ${req.key}`
  const started = await createCardPayment(sql, stripe, {
    purpose: 'session',
    purposeRef: req.key,
    customerId,
    amountCents: bought?.amount_cents ?? price.totalCents,
    channel: channelOf(req.principal) === 'kiosk' ? 'kiosk' : 'web',
    key: `session:${req.key}`,
    description: `Parking, ${facility.name} (${facility.code}), ${req.plate.printed}`,
    readerId,
  })
  return {
    session: await sessionView(sql, sessionRef),
    payment: { id: started.payment.public_id, clientSecret: started.clientSecret },
  }
}

/** A kiosk takes cards on its own Stripe Terminal reader; the web's card is typed in the browser. */
async function kioskReader(sql: Db, req: StartRequest): Promise<string | null> {
  const principal = req.principal
  if (principal?.kind !== 'device') {
    return null
  }
  const reader = await readerOf(sql, principal.deviceId)
  if (!reader) {
    throw new AppError('conflict', 'This pay station has no card reader: pay with cash', [
      { field: 'body.payment.method', message: 'No card reader here' },
    ])
  }
  return reader
}

interface PendingRow {
  purchase_id: number
  kind: 'start' | 'extend' | 'exit' | 'refund'
  status: 'pending' | 'settled' | 'failed'
  starts_at: Date
  ends_at: Date
  amount_cents: number
  session_id: number
  public_id: string
  session_status: 'pending_payment' | 'active' | 'open' | 'cancelled'
  session_ends_at: Date | null
  facility_id: number
  plate: string
  state: string
}

/**
 * A card purchase Stripe says is paid: its time granted from now (a new session starts, an
 * extension runs on from the session's end, or from now if that has passed), Dr Stripe clearing
 * Cr the facility's revenue, once. A session paid by card while the plate bought time another way
 * is added to that one instead, as any second purchase for a plate and place is.
 */
export async function settleCardPurchase(tx: Tx, purchaseKey: string, intentId: string): Promise<void> {
  // the plate's lock first, as every purchase for a plate and place takes it, then the rows
  const [plate]: [{ facility_id: number; plate: string; state: string }?] = await tx`
    select s.facility_id, s.plate, s.state
      from parking.purchase p join parking.session s on s.id = p.session_id
     where p.idempotency_key = ${purchaseKey}`
  if (!plate) {
    return
  }
  await lockPlate(tx, plate.facility_id, { plate: plate.plate, state: plate.state, printed: plate.plate })
  const [p]: [PendingRow?] = await tx`
    select p.id as purchase_id, p.kind, p.status, p.starts_at, p.ends_at, p.amount_cents,
           s.id as session_id, s.public_id, s.status as session_status, s.ends_at as session_ends_at,
           s.facility_id, s.plate, s.state
      from parking.purchase p join parking.session s on s.id = p.session_id
     where p.idempotency_key = ${purchaseKey}
       for update of p, s`
  if (!p || p.status === 'settled') {
    return
  }
  const facility = await facilityById(tx, p.facility_id)
  const length = p.ends_at.getTime() - p.starts_at.getTime()
  const paidAt = new Date()
  let sessionId = p.session_id
  let from: Date
  if (p.kind === 'start' && p.session_status === 'pending_payment') {
    const running = await runningSession(tx, facility.id, { plate: p.plate, state: p.state }, paidAt)
    if (running) {
      // the plate bought time here another way meanwhile: this adds to it
      from = running.ends_at
      sessionId = running.id
      await tx`update parking.session set status = 'cancelled', updated_at = now() where id = ${p.session_id}`
    } else {
      from = p.starts_at > paidAt ? p.starts_at : paidAt
      await tx`
        update parking.session
           set status = 'active', starts_at = ${from}, ends_at = ${new Date(from.getTime() + length)},
               updated_at = now()
         where id = ${p.session_id}`
    }
  } else {
    const end = p.session_ends_at ?? paidAt
    from = end > paidAt ? end : paidAt
  }
  const to = new Date(from.getTime() + length)
  await tx`
    update parking.session set ends_at = greatest(ends_at, ${to}), updated_at = now()
     where id = ${sessionId}`
  await tx`
    update parking.purchase
       set status = 'settled', session_id = ${sessionId}, starts_at = ${from}, ends_at = ${to},
           kind = ${sessionId === p.session_id ? p.kind : 'extend'}
     where id = ${p.purchase_id}`
  await postEntry(tx, {
    key: `stripe:${intentId}:succeeded`,
    source: 'stripe',
    sourceRef: intentId,
    description: `Parking by card, ${facility.name} (${facility.code})`,
    occurredAt: paidAt,
    lines: [
      { account: 'clearing:stripe', amount: p.amount_cents },
      { account: parkingAccount.revenue(facility.code), amount: -p.amount_cents },
    ],
  })
}

/** A card purchase whose PaymentIntent was canceled: it buys nothing, and a session it opened ends unpaid. */
export async function abandonCardPurchase(tx: Tx, purchaseKey: string): Promise<void> {
  const [p]: [{ id: number; session_id: number; status: string }?] = await tx`
    update parking.purchase set status = 'failed'
     where idempotency_key = ${purchaseKey} and status = 'pending'
    returning id, session_id, status`
  if (p) {
    await tx`
      update parking.session set status = 'cancelled', updated_at = now()
       where id = ${p.session_id} and status = 'pending_payment'`
  }
}
