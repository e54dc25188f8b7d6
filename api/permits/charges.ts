import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import { postEntry, receivable } from '../ledger/post.ts'
import { heldAccount } from '../sessions/payment.ts'
import { callStripe, createCardPayment, type NewCardPayment, type Payment } from '../payments/payments.ts'
import {
  activate,
  extendTerm,
  permitById,
  permitByPublicId,
  scopeOf,
  dayEnd,
  label,
  type Permit,
  type RequestedVehicle,
} from './permits.ts'
import { firstTerm, nextTerm, addDays, type Term } from './terms.ts'
import { permitRevenue, permitTypeById, type PermitTypeFull } from './types.ts'

/*
  A permit's money. Every charge is a row keyed by the permit and the term it pays for, written
  with its ledger entry in one transaction: on the utility bill, Dr the account's parking
  receivable (billed with its cycle) / Cr the type's permit revenue; by card, the charge waits
  for its payment and posts Dr Stripe clearing / Cr revenue when Stripe says it succeeded. A
  charge for a term exists once, so a renewal asked twice, by the job twice or by the job and the
  holder at once, charges once. Revenue is recognised when a term is sold; a cancellation gives
  back the unused part as the type's refund policy says.
*/

export type PermitPayment = { method: 'utility_account'; utilityAccountId?: number | undefined } | { method: 'card' }

export interface PermitCharge {
  id: number
  key: string
  permit_id: number
  kind: 'term' | 'renewal' | 'vehicle_slot' | 'refund'
  term_starts_on: string
  term_ends_on: string
  amount_cents: number
  slots: number
  vehicle: RequestedVehicle | null
  method: 'card' | 'utility_bill' | 'free'
  status: 'pending' | 'paid' | 'failed' | 'canceled'
  payment_id: number | null
  attempts: number
  failure: string | null
}

export const CHARGE = (sql: Db) => sql`
  id, key, permit_id, kind, term_starts_on::text, term_ends_on::text, amount_cents, slots, vehicle,
  method, status, payment_id, attempts, failure`

export interface Paying {
  permit: Permit
  charge: PermitCharge
  payment: { id: string; clientSecret: string } | null
  replayed: boolean
  /** An off-session charge's PaymentIntent as Stripe answered, to apply at once. */
  intent?: Stripe.PaymentIntent
}

export interface PayContext {
  principal: Principal | null
  stripe: Stripe | null
  today: string
  now: Date
  timeZone: string
}

/** Vehicles beyond the first on a permit now, temporary ones aside. */
async function extraVehicles(sql: Db, permitId: number, at: Date): Promise<number> {
  const [row]: [{ n: number }?] = await sql`
    select greatest(count(*) - 1, 0)::int as n from permits.vehicle
     where permit_id = ${permitId} and not temporary and during @> ${at}::timestamptz`
  return row?.n ?? 0
}

/** The first term's price, and the extra vehicles asked for at application. */
export function firstCharge(type: PermitTypeFull, permit: Permit, today: string): { term: Term; slots: number; amountCents: number } {
  const term = firstTerm({ priceCents: type.price_cents, period: type.period, proration: type.proration }, today)
  const slots = Math.max(0, permit.requested_vehicles.length - 1)
  const slotPrice = slotCents(type, today)
  return { term, slots, amountCents: term.priceCents + slots * slotPrice }
}

/**
 * A vehicle slot from a day to the end of its term, priced as a term bought that day would be:
 * the second-vehicle price by the type's proration (days or months left of the calendar period),
 * or whole for anniversary terms.
 */
export function slotCents(type: PermitTypeFull, day: string): number {
  if (type.second_vehicle_cents === 0) {
    return 0
  }
  return firstTerm({ priceCents: type.second_vehicle_cents, period: type.period, proration: type.proration }, day).priceCents
}

/**
 * Pays a permit that is waiting for payment: its first term from today. On the utility bill the
 * permit is active when this returns; by card it is active when Stripe says the payment
 * succeeded. Asking again for the same term finds the same charge.
 */
export async function payPermit(sql: Db, ctx: PayContext, publicId: string, payment: PermitPayment): Promise<Paying> {
  const permit = await permitByPublicId(sql, publicId)
  const type = await permitTypeById(sql, permit.type_id)
  const priced = firstCharge(type, permit, ctx.today)
  const key = termKey(permit, priced.term.startsOn)
  const prior = await chargeByKey(sql, key)
  if (prior && prior.status === 'paid') {
    return { permit: await permitById(sql, permit.id), charge: prior, payment: null, replayed: true }
  }
  if (permit.status !== 'awaiting_payment') {
    throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}; only an approved permit waiting for payment is paid`)
  }
  await assertCanBuy(sql, permit)
  return charge(sql, ctx, { permit, type, kind: 'term', key, term: priced.term, slots: priced.slots, amountCents: priced.amountCents, payment, vehicle: null })
}

/**
 * Renews an active permit for the term after its current one, at today's price with its extra
 * vehicles, by the method given or (for the renewal job) the one saved on the permit. Only in
 * the type's renewal window.
 */
export async function renewPermit(
  sql: Db,
  ctx: PayContext,
  publicId: string,
  payment: PermitPayment | 'saved',
): Promise<Paying> {
  const permit = await permitByPublicId(sql, publicId)
  const type = await permitTypeById(sql, permit.type_id)
  if (permit.status !== 'active' || !permit.ends_on || !permit.starts_on) {
    throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}; only an active permit is renewed`)
  }
  const rule = { priceCents: type.price_cents, period: type.period, proration: type.proration }
  const term = nextTerm(rule, permit.starts_on, permit.ends_on)
  const key = termKey(permit, term.startsOn)
  const prior = await chargeByKey(sql, key)
  if (prior && (prior.status === 'paid' || (prior.status === 'pending' && payment === 'saved'))) {
    return { permit, charge: prior, payment: null, replayed: true }
  }
  const opens = addDays(permit.ends_on, -type.renewal_window_days)
  if (ctx.today < opens) {
    throw new AppError('conflict', `Permit ${permit.number} can be renewed from ${opens}, ${type.renewal_window_days} days before it ends`)
  }
  if (!type.active) {
    throw new AppError('conflict', `${type.name} permits are no longer issued; this one ends on ${permit.ends_on}`)
  }
  await assertCanBuy(sql, permit)
  const slots = await extraVehicles(sql, permit.id, ctx.now)
  const amountCents = term.priceCents + slots * type.second_vehicle_cents
  const method = payment === 'saved' ? savedMethod(permit) : payment
  return charge(sql, ctx, { permit, type, kind: 'renewal', key, term, slots, amountCents, payment: method, vehicle: null, prior })
}

function savedMethod(permit: Permit): PermitPayment | 'saved_card' {
  if (permit.pay_method === 'card') {
    return 'saved_card'
  }
  if (permit.utility_account_id === null) {
    throw new AppError('conflict', `Permit ${permit.number} has no utility account to bill`)
  }
  return { method: 'utility_account', utilityAccountId: permit.utility_account_id }
}

/** A customer with citations past due may not buy or renew a permit until they are paid. */
async function assertCanBuy(sql: Db, permit: Permit): Promise<void> {
  const due = await sql<{ number: string; plate: string; balance_cents: number }[]>`
    select c.number, c.plate,
           (select coalesce(sum(p.amount_cents), 0) from enforcement.citation_posting p where p.citation_id = c.id)::bigint as balance_cents
      from enforcement.citation c
     where c.customer_id = ${permit.customer_id} and c.status = 'past_due' order by c.issued_at`
  if (due.length > 0) {
    throw new AppError(
      'conflict',
      `Pay citation${due.length === 1 ? '' : 's'} ${due.map((d) => d.number).join(', ')} first: a permit is not sold or renewed while citations are past due`,
      {
        citations: due.map((d) => ({
          number: d.number,
          balanceCents: Number(d.balance_cents),
          pay: `/citations/${d.number}?plate=${encodeURIComponent(d.plate)}`,
        })),
      },
    )
  }
}

interface ChargeSpec {
  permit: Permit
  type: PermitTypeFull
  kind: PermitCharge['kind']
  key: string
  term: Term
  slots: number
  amountCents: number
  payment: PermitPayment | 'saved_card'
  vehicle: RequestedVehicle | null
  prior?: PermitCharge | undefined
}

async function charge(sql: Db, ctx: PayContext, spec: ChargeSpec): Promise<Paying> {
  const { permit, type } = spec
  if (spec.amountCents === 0) {
    return settleNow(sql, ctx, spec, { method: 'free', accountId: null })
  }
  if (spec.payment === 'saved_card') {
    return chargeSavedCard(sql, ctx, spec)
  }
  if (spec.payment.method === 'utility_account') {
    const accountId = spec.payment.utilityAccountId ?? permit.utility_account_id
    if (accountId === null || accountId === undefined) {
      throw new AppError('invalid', 'Choose the utility account to bill', [
        { field: 'body.payment.utilityAccountId', message: 'Required' },
      ])
    }
    const payer = await accountOfHolder(sql, ctx.principal, permit, accountId)
    return settleNow(sql, ctx, spec, { method: 'utility_bill', accountId: payer })
  }
  if (!ctx.stripe) {
    throw new AppError('card_payments_disabled', 'Card payment is switched off here. Pay on your utility bill')
  }
  const stripe = ctx.stripe
  // the first term's card is kept for renewals when the holder asks for them
  const saveFor = spec.kind === 'term' && permit.auto_renew ? await stripeCustomerFor(sql, stripe, permit.customer_id) : null
  const { linked, started } = await startCardCharge(sql, stripe, spec, { saveFor })
  return {
    permit,
    charge: linked,
    payment: { id: started.payment.public_id, clientSecret: started.clientSecret },
    replayed: false,
  }
}

async function accountOfHolder(sql: Db, principal: Principal | null, permit: Permit, accountId: number): Promise<number> {
  if (principal === null || (principal.kind === 'user' && principal.role !== 'driver')) {
    // the renewal job, or staff: the account must still be the holder's and active
    const [row]: [{ status: string }?] = await sql`
      select a.status from cis.account_holder h join cis.utility_account a on a.id = h.utility_account_id
       where h.customer_id = ${permit.customer_id} and a.id = ${accountId}`
    if (!row || row.status !== 'active') {
      throw new AppError('conflict', `The utility account billed for permit ${permit.number} is no longer active`)
    }
    return accountId
  }
  const payer = await heldAccount(sql, principal, accountId)
  if (payer.method !== 'utility_account') {
    throw new Error('a held account is a utility account')
  }
  return payer.utilityAccountId
}

/**
 * The holder started paying by card and now pays another way: the card payment is canceled at
 * Stripe first, so it cannot also go through. One that already did says so.
 */
async function withdrawCardCharge(sql: Db, stripe: Stripe | null, charge: PermitCharge): Promise<void> {
  const [payment]: [{ id: number; stripe_payment_intent_id: string | null }?] = charge.payment_id
    ? await sql`select id, stripe_payment_intent_id from payments.payment where id = ${charge.payment_id}`
    : []
  if (payment?.stripe_payment_intent_id) {
    if (!stripe) {
      throw new AppError('conflict', 'A card payment for this was started; it must finish before paying another way')
    }
    const intentId = payment.stripe_payment_intent_id
    try {
      await callStripe(() => stripe.paymentIntents.cancel(intentId))
    } catch (err) {
      const e = err as { type?: string }
      if (e.type === 'StripeInvalidRequestError') {
        throw new AppError('conflict', 'Your card payment for this has gone through; reload to see your permit')
      }
      throw err
    }
    await sql`
      update payments.payment set status = 'canceled', failure = 'paid another way', updated_at = now()
       where id = ${payment.id} and status in ('requires_payment', 'failed')`
  }
  await sql`
    update permits.charge set status = 'canceled', failure = 'paid another way', updated_at = now()
     where id = ${charge.id} and status = 'pending'`
}

/** A charge paid as it is made: on the utility bill, or nothing to pay. */
async function settleNow(
  sql: Db,
  ctx: PayContext,
  spec: ChargeSpec,
  payer: { method: 'utility_bill' | 'free'; accountId: number | null },
): Promise<Paying> {
  const { permit, type } = spec
  const before = await chargeByKey(sql, spec.key)
  if (before?.status === 'pending' && before.method === 'card') {
    await withdrawCardCharge(sql, ctx.stripe, before)
  }
  return inTransaction(sql, async (tx) => {
    const locked = await permitById(tx, permit.id, { lock: true })
    const prior = await chargeByKey(tx, spec.key)
    if (prior?.status === 'paid') {
      return { permit: locked, charge: prior, payment: null, replayed: true }
    }
    if (prior?.status === 'pending') {
      throw new AppError('conflict', 'A card payment for this is in progress; try again in a moment')
    }
    assertStillPayable(locked, spec)
    const [made]: [PermitCharge?] = await tx`
      insert into permits.charge
        (key, permit_id, kind, term_starts_on, term_ends_on, amount_cents, slots, vehicle, method, status, attempts)
      values (${spec.key}, ${permit.id}, ${spec.kind}, ${spec.term.startsOn}, ${spec.term.endsOn},
              ${spec.amountCents}, ${spec.slots}, ${spec.vehicle ? tx.json(spec.vehicle as never) : null},
              ${payer.method}, 'paid', 1)
      on conflict (key) do update set status = 'paid', method = excluded.method,
        amount_cents = excluded.amount_cents, slots = excluded.slots, attempts = permits.charge.attempts + 1,
        failure = null, next_attempt_at = null, updated_at = now()
      returning ${CHARGE(tx)}`
    if (payer.method === 'utility_bill' && payer.accountId !== null) {
      await postEntry(tx, {
        key: `permits.charge:${spec.key}`,
        source: 'permits',
        sourceRef: permit.number,
        description: describe(type, permit, spec),
        occurredAt: ctx.now,
        lines: [
          { account: receivable.ofUtilityAccount('parking', payer.accountId), amount: spec.amountCents },
          { account: permitRevenue(type.code), amount: -spec.amountCents },
        ],
      })
      await tx`
        update permits.permit set pay_method = 'utility_bill', utility_account_id = ${payer.accountId}, updated_at = now()
         where id = ${permit.id}`
    }
    await fulfil(tx, locked, made!, ctx.now)
    await writeAudit(tx, ctx.principal, {
      action: `permit.${spec.kind}`,
      entity: 'permits.permit',
      entityId: permit.id,
      after: { charge: spec.key, amountCents: spec.amountCents, method: payer.method },
    })
    return { permit: await permitById(tx, permit.id), charge: made!, payment: null, replayed: false }
  })
}

function assertStillPayable(permit: Permit, spec: ChargeSpec): void {
  const ok =
    spec.kind === 'term' ? permit.status === 'awaiting_payment' : permit.status === 'active'
  if (!ok) {
    throw new AppError('conflict', `Permit ${permit.number} is ${label(permit.status)}`)
  }
}

function describe(type: PermitTypeFull, permit: Permit, spec: Pick<ChargeSpec, 'kind' | 'term' | 'slots'>): string {
  const span = `${spec.term.startsOn} to ${spec.term.endsOn}`
  switch (spec.kind) {
    case 'vehicle_slot':
      return `${type.name} permit ${permit.number}: another vehicle, to ${spec.term.endsOn}`
    case 'renewal':
      return `${type.name} permit ${permit.number} renewed, ${span}`
    default:
      return `${type.name} permit ${permit.number}, ${span}`
  }
}

/** What a paid charge does: a permit becomes active, runs on, or takes another vehicle. */
async function fulfil(tx: Tx, permit: Permit, charge: PermitCharge, now: Date): Promise<void> {
  const term: Term = { startsOn: charge.term_starts_on, endsOn: charge.term_ends_on, priceCents: charge.amount_cents }
  switch (charge.kind) {
    case 'term':
      await activate(tx, permit, term, now)
      return
    case 'renewal':
      await extendTerm(tx, permit, term)
      return
    case 'vehicle_slot': {
      const v = charge.vehicle
      if (!v || !permit.ends_on) {
        return
      }
      const type = await permitTypeById(tx, permit.type_id)
      await tx`
        insert into permits.vehicle (permit_id, scope, plate, state, plate_printed, during)
        values (${permit.id}, ${scopeOf(type)}, ${v.plate}, ${v.state}, ${v.printed},
                tstzrange(${now}, ${dayEnd(permit.ends_on, permit.time_zone)}))
        on conflict do nothing`
      return
    }
    default:
      return
  }
}

/**
 * Called by the payments module, in its transaction, when a permit's card payment succeeded:
 * posts the sale against Stripe clearing (keyed to the PaymentIntent) and fulfils the charge,
 * once. A permit that ended while its holder was paying keeps the money as a charge to refund.
 */
export async function settlePermitCharge(tx: Tx, key: string, intent: Stripe.PaymentIntent): Promise<void> {
  const [charge]: [PermitCharge?] = await tx`select ${CHARGE(tx)} from permits.charge where key = ${key} for update`
  if (!charge || charge.status === 'paid') {
    return
  }
  const permit = await permitById(tx, charge.permit_id, { lock: true })
  const type = await permitTypeById(tx, permit.type_id)
  await postEntry(tx, {
    key: `stripe:${intent.id}:succeeded`,
    source: 'stripe',
    sourceRef: intent.id,
    description: describe(type, permit, {
      kind: charge.kind,
      term: { startsOn: charge.term_starts_on, endsOn: charge.term_ends_on, priceCents: charge.amount_cents },
      slots: charge.slots,
    }),
    occurredAt: new Date(intent.created * 1000),
    lines: [
      { account: 'clearing:stripe', amount: charge.amount_cents },
      { account: permitRevenue(type.code), amount: -charge.amount_cents },
    ],
  })
  const [paid]: [PermitCharge?] = await tx`
    update permits.charge set status = 'paid', failure = null, next_attempt_at = null, updated_at = now()
     where id = ${charge.id} returning ${CHARGE(tx)}`
  // a card saved for renewals (set up for off-session use with the first payment)
  const savedCard =
    typeof intent.payment_method === 'string' && intent.setup_future_usage === 'off_session'
      ? intent.payment_method
      : null
  await tx`
    update permits.permit
       set pay_method = 'card',
           stripe_customer_id = coalesce(${typeof intent.customer === 'string' ? intent.customer : null}, stripe_customer_id),
           stripe_payment_method_id = coalesce(${savedCard}, stripe_payment_method_id),
           updated_at = now()
     where id = ${permit.id}`
  const live = charge.kind === 'term' ? permit.status === 'awaiting_payment' : permit.status === 'active'
  if (live) {
    await fulfil(tx, permit, paid!, new Date())
  }
}

/** A permit's card payment was canceled or failed: its charge may be asked again. */
export async function abandonPermitCharge(tx: Tx, key: string, failure: string): Promise<void> {
  await tx`
    update permits.charge set status = 'canceled', failure = ${failure}, updated_at = now()
     where key = ${key} and status = 'pending'`
}

/** A card charge waiting for its payment, and the payment (a PaymentIntent) that will pay it. */
async function startCardCharge(
  sql: Db,
  stripe: Stripe,
  spec: ChargeSpec,
  how: Pick<NewCardPayment, 'saveFor' | 'offSession'>,
): Promise<{ linked: PermitCharge; started: Awaited<ReturnType<typeof createCardPayment>> }> {
  const pending = await pendCardCharge(sql, spec)
  const started = await createCardPayment(sql, stripe, {
    purpose: 'permit',
    purposeRef: spec.key,
    customerId: spec.permit.customer_id,
    amountCents: spec.amountCents,
    channel: 'web',
    // each try is its own payment: a declined PaymentIntent is not paid again
    key: `permit-charge:${spec.key}:${pending.attempts}`,
    description: describe(spec.type, spec.permit, spec),
    ...how,
  })
  const [linked]: [PermitCharge?] = await sql`
    update permits.charge set payment_id = ${started.payment.id}, updated_at = now()
     where key = ${spec.key} returning ${CHARGE(sql)}`
  return { linked: linked!, started }
}

/** Writes (or re-opens, after a failure) a card charge waiting for its payment; each try counts. */
async function pendCardCharge(sql: Db, spec: ChargeSpec): Promise<PermitCharge> {
  const [row]: [PermitCharge?] = await sql`
    insert into permits.charge
      (key, permit_id, kind, term_starts_on, term_ends_on, amount_cents, slots, vehicle, method, status, attempts)
    values (${spec.key}, ${spec.permit.id}, ${spec.kind}, ${spec.term.startsOn}, ${spec.term.endsOn},
            ${spec.amountCents}, ${spec.slots}, ${spec.vehicle ? sql.json(spec.vehicle as never) : null},
            'card', 'pending', 1)
    on conflict (key) do update set status = 'pending', method = 'card', amount_cents = excluded.amount_cents,
      slots = excluded.slots, vehicle = excluded.vehicle, attempts = permits.charge.attempts + 1,
      updated_at = now()
      where permits.charge.status in ('failed', 'canceled')
    returning ${CHARGE(sql)}`
  return row ?? (await chargeByKey(sql, spec.key))!
}

/**
 * A renewal charged to the card saved with the first payment, off-session: Stripe answers at
 * once. A decline is recorded on the charge, to be tried again by the renewal job.
 */
async function chargeSavedCard(sql: Db, ctx: PayContext, spec: ChargeSpec): Promise<Paying> {
  const { permit } = spec
  if (!ctx.stripe || !permit.stripe_customer_id || !permit.stripe_payment_method_id) {
    throw new AppError('conflict', `Permit ${permit.number} has no saved card to renew with; renew it in the portal`)
  }
  const { linked, started } = await startCardCharge(sql, ctx.stripe, spec, {
    offSession: { customer: permit.stripe_customer_id, paymentMethod: permit.stripe_payment_method_id },
  })
  return { permit, charge: linked, payment: null, replayed: false, intent: started.intent }
}

/** The customer's Stripe Customer, made once (its key is the customer's id), for saved cards. */
export async function stripeCustomerFor(sql: Db, stripe: Stripe, customerId: number): Promise<string> {
  const [known]: [{ stripe_customer_id: string }?] = await sql`
    select stripe_customer_id from payments.stripe_customer where customer_id = ${customerId}`
  if (known) {
    return known.stripe_customer_id
  }
  const [person]: [{ name: string; email: string | null }?] = await sql`
    select c.name, coalesce(u.email, c.email) as email
      from cis.customer c left join app.user_account u on u.customer_id = c.id
     where c.id = ${customerId}`
  const made = await callStripe(() =>
    stripe.customers.create(
      { name: person?.name ?? undefined, email: person?.email ?? undefined, metadata: { curbline_customer: String(customerId) } },
      { idempotencyKey: `curbline-customer-${customerId}` },
    ),
  )
  await sql`
    insert into payments.stripe_customer (customer_id, stripe_customer_id) values (${customerId}, ${made.id})
    on conflict (customer_id) do nothing`
  return made.id
}

export const termKey = (permit: Pick<Permit, 'public_id'>, startsOn: string) => `${permit.public_id}:term:${startsOn}`

export async function chargeByKey(sql: Db, key: string): Promise<PermitCharge | undefined> {
  const [row]: [PermitCharge?] = await sql`select ${CHARGE(sql)} from permits.charge where key = ${key}`
  return row
}

export async function chargesOf(sql: Db, permitId: number): Promise<PermitCharge[]> {
  return sql<PermitCharge[]>`select ${CHARGE(sql)} from permits.charge where permit_id = ${permitId} order by id`
}

export type { Payment }

/**
 * A card charge that Stripe declined: recorded on the charge with when to try again (the
 * renewal job does, daily, three times in all), so the holder can be told.
 */
export async function failPermitCharge(tx: Tx, key: string, failure: string): Promise<void> {
  await tx`
    update permits.charge
       set status = 'failed', failure = ${failure},
           next_attempt_at = case when attempts < ${RENEWAL_ATTEMPTS} then now() + interval '1 day' end,
           updated_at = now()
     where key = ${key} and status = 'pending'`
}

/** How many times an automatic renewal is tried before its holder is told it failed. */
export const RENEWAL_ATTEMPTS = 3

/** The paid term running today: the one a vehicle slot or a refund is counted against. */
export async function currentTerm(sql: Db, permit: Permit, today: string): Promise<Term> {
  const [row]: [{ starts_on: string; ends_on: string; amount: number }?] = await sql`
    select term_starts_on::text as starts_on, term_ends_on::text as ends_on, amount_cents as amount
      from permits.charge
     where permit_id = ${permit.id} and status = 'paid' and kind in ('term', 'renewal')
       and term_starts_on <= ${today}::date and term_ends_on >= ${today}::date
     order by term_starts_on desc limit 1`
  if (!row) {
    return { startsOn: permit.starts_on ?? today, endsOn: permit.ends_on ?? today, priceCents: 0 }
  }
  return { startsOn: row.starts_on, endsOn: row.ends_on, priceCents: row.amount }
}

/**
 * Another vehicle on a permit, beyond those paid for this term: the type's second-vehicle price
 * for what is left of the term, charged the way the permit was paid. Once paid, the vehicle is on.
 */
export async function chargeVehicleSlot(
  sql: Db,
  ctx: PayContext,
  input: { permit: Permit; type: PermitTypeFull; vehicle: RequestedVehicle; slot: number; replaces: number | null },
): Promise<Paying> {
  const { permit, type } = input
  const running = await currentTerm(sql, permit, ctx.today)
  const term: Term = { startsOn: ctx.today, endsOn: running.endsOn, priceCents: 0 }
  const amountCents = slotCents(type, ctx.today)
  const payment: PermitPayment =
    permit.pay_method === 'card'
      ? { method: 'card' }
      : { method: 'utility_account', utilityAccountId: permit.utility_account_id ?? undefined }
  return charge(sql, ctx, {
    permit,
    type,
    kind: 'vehicle_slot',
    key: `${permit.public_id}:slot:${running.startsOn}:${input.slot}`,
    term,
    slots: 1,
    amountCents,
    payment,
    vehicle: input.vehicle,
  })
}
