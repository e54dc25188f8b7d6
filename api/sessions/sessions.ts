import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError, notFound } from '../http/errors.ts'
import { facilityById, type Facility } from '../facilities/facilities.ts'
import { isOpenAt, nextOpening } from '../facilities/hours.ts'
import { quote, quoteExtension, TariffError, type Quote } from '../facilities/tariff.ts'
import { entryStatement, rethrowLedgerError } from '../ledger/post.ts'
import {
  amountPaid,
  chargeEntry,
  checkCash,
  maskAccount,
  postCharge,
  resolvePayer,
  type Payer,
} from './payment.ts'
import type { PaymentInput, SessionView } from './schemas.ts'

export type Channel = 'web' | 'kiosk' | 'gate' | 'phone'

export interface Plate {
  plate: string
  state: string
  printed: string
}

/** How long, as the driver chose it: minutes from the start (or the paid end), or an end. */
export type Span = { minutes: number } | { end: Date }

const MINUTE = 60_000
/** How long after an offline sale a kiosk may still replay it. */
const OFFLINE_REPLAY_DAYS = 7

export function channelOf(principal: Principal | null): Channel {
  if (principal?.kind === 'device') {
    return principal.deviceKind === 'kiosk' ? 'kiosk' : principal.deviceKind === 'gate' ? 'gate' : 'phone'
  }
  return 'web'
}

export interface StartRequest {
  /** Already settled by the caller (a card purchase that costs nothing); else from payment. */
  payer?: Payer
  /** What was asked, so a replayed key with another request is refused. */
  requestHash?: string | null
  facility: Facility
  plate: Plate
  span: Span
  payment: PaymentInput
  principal: Principal | null
  notify?: { email?: string; phone?: string }
  /** Unique per purchase: the caller's idempotency key, or a kiosk's sale id. */
  key: string
  now: Date
}

export interface Started {
  session: SessionView
  /** The plate already had time here; the purchase extended it instead of starting another. */
  extended: boolean
  /** This purchase key was seen before; nothing new was written. */
  replayed: boolean
}

/**
 * Buys time for a plate at a facility or zone. A plate that already has time running there is
 * extended, priced as a continuation, rather than charged a second first hour. The session, the
 * purchase and its ledger entry commit together or not at all.
 *
 * Most purchases are a plate's first here, so that is tried first, in one statement that takes
 * the plate's lock: the database refuses a session that overlaps another of the same plate and
 * place (an exclusion constraint) and a purchase key used before. Either refusal rolls it back,
 * and the purchase is made again the careful way: under the same lock, read what is running and
 * what the key bought, and extend, replay or start.
 */
export async function startSession(sql: Db, req: StartRequest): Promise<Started> {
  const { facility } = req
  const payer = req.payer ?? (await resolvePayer(sql, req.principal, req.payment))
  const at = purchaseTime(payer, req.now)
  // an offline kiosk's sale stands whatever the hours: the cash is in the box
  assertSellable(facility, at, { hours: !(payer.method === 'cash' && payer.soldAt !== null) })
  const customerId = req.principal?.kind === 'user' ? req.principal.customerId : null
  const session: NewSession = {
    publicId: randomUUID(),
    plate: req.plate,
    customerId,
    channel: channelOf(req.principal),
    deviceId: deviceIdOf(req.principal),
    notify: req.notify,
  }
  const first = firstPurchase(facility, req, payer, at)
  if (first) {
    try {
      const bought = await writeFirstPurchase(sql, session, first)
      return { session: newSessionView(facility, session, bought), extended: false, replayed: false }
    } catch (err) {
      if (!isOverlapOrReuse(err)) {
        throw err
      }
    }
  }

  // The first try takes the plate's lock in its statement, so the careful way's read and write
  // cannot interleave with one; the constraint refusing here too (an offline sale overlapping
  // time that starts later) reads again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await carefulPurchase(sql, req, facility, payer, at, session)
    } catch (err) {
      if (attempt >= 3 || !isOverlapOrReuse(err)) {
        throw err
      }
    }
  }
}

function carefulPurchase(
  sql: Db,
  req: StartRequest,
  facility: Facility,
  payer: Payer,
  at: Date,
  session: NewSession,
): Promise<Started> {
  return inTransaction(sql, async (tx) => {
    // Sent together, in this order (each is sent when called, not when awaited): PostgreSQL
    // runs the reads after the lock is granted, so they see any purchase for this plate and
    // place that committed while this one waited.
    const locked = lockPlate(tx, facility.id, req.plate)
    const byKey = purchaseKeyQuery(tx, req.key)
    const runs = runningQuery(tx, facility.id, req.plate, at)
    const [, keyRows, runRows] = await Promise.all([locked, byKey, runs])
    const prior = keyedSession(keyRows, req.requestHash ?? null)
    const current = runRows[0] ?? null
    if (prior) {
      return { session: await sessionView(tx, prior), extended: false, replayed: true }
    }
    if (current) {
      const end = endOf(req.span, current.ends_at)
      const q = priced(() => quoteExtension(facility.tariff, current.starts_at, current.ends_at, end))
      await purchase(tx, {
        sessionId: current.id,
        sessionRef: current.public_id,
        facility,
        kind: 'extend',
        from: current.ends_at,
        to: end,
        quote: q,
        payer,
        key: req.key,
        requestHash: req.requestHash ?? null,
        at,
      })
      return { session: await sessionView(tx, current.public_id), extended: true, replayed: false }
    }
    const end = endOf(req.span, at)
    const q = priced(() => quote(facility.tariff, at, end))
    const bought = await purchase(tx, {
      session,
      sessionRef: session.publicId,
      facility,
      kind: 'start',
      from: at,
      to: end,
      quote: q,
      payer,
      key: req.key,
      requestHash: req.requestHash ?? null,
      at,
    })
    return { session: newSessionView(facility, session, bought), extended: false, replayed: false }
  })
}

export interface Running {
  id: number
  public_id: string
  starts_at: Date
  ends_at: Date
}

/** The paid session a plate has running at a place at an instant, if any: what a purchase there extends. */
export async function runningSession(
  sql: Db,
  facilityId: number,
  plate: Pick<Plate, 'plate' | 'state'>,
  at: Date,
): Promise<Running | null> {
  return (await runningQuery(sql, facilityId, plate, at))[0] ?? null
}

/*
  Sent at the call rather than when awaited, so that callers can line it up behind a lock. A
  session that has not ended counts even if it starts later (a kiosk's offline sale replayed
  after a later one was bought): a purchase extends the one that ends last.
*/
function runningQuery(sql: Db, facilityId: number, plate: Pick<Plate, 'plate' | 'state'>, at: Date) {
  return sql<Running[]>`
    select id, public_id, starts_at, ends_at from parking.session
     where plate = ${plate.plate}
       and coalesce(ends_at, 'infinity') > ${at}
       and state = ${plate.state} and facility_id = ${facilityId} and status = 'active'
     order by ends_at desc limit 1`.execute()
}

/**
 * A plate's first purchase here, priced, when it can be tried straight away: not when the tariff
 * or the cash refuses it as a new stay, which the careful way decides knowing what is running.
 */
function firstPurchase(facility: Facility, req: StartRequest, payer: Payer, at: Date) {
  const end = endOf(req.span, at)
  let q: Quote
  try {
    q = quote(facility.tariff, at, end)
    checkCash(payer, q.totalCents)
  } catch {
    return null
  }
  return {
    facility,
    kind: 'start' as const,
    from: at,
    to: end,
    quote: q,
    payer,
    key: req.key,
    requestHash: req.requestHash ?? null,
    at,
  }
}

type FirstPurchase = NonNullable<ReturnType<typeof firstPurchase>>

/**
 * A plate's first purchase here as one statement: the ledger entry, the session and the
 * purchase, atomic without a transaction's round trips (a free one has no entry: its own
 * statement does). Refused whole when the session overlaps another or the key was used.
 */
async function writeFirstPurchase(sql: Db, s: NewSession, p: FirstPurchase): Promise<Bought> {
  const amount = amountPaid(p.payer, p.quote.totalCents)
  const payer: Payer = amount === 0 ? { method: 'free' } : p.payer
  const entry = chargeEntry(payer, {
    key: purchaseEntryKey(p.key),
    facilityCode: p.facility.code,
    sessionRef: s.publicId,
    description: purchaseDescription(p),
    occurredAt: p.at,
    amountCents: amount,
  })
  if (!entry) {
    return inTransaction(sql, (tx) => purchase(tx, { session: s, sessionRef: s.publicId, ...p }))
  }
  const ledger = await entryStatement(sql, entry)
  const offlineAt = payer.method === 'cash' ? payer.soldAt : null
  const [made] = await sql
    .unsafe<{ created_at: Date }[]>(
      `with ${ledger.ctes}, locked as materialized (
         select pg_advisory_xact_lock(hashtextextended($31::text, 0))
       ), made as (
         insert into parking.session
           (public_id, facility_id, plate, state, plate_printed, customer_id, channel, device_id,
            status, starts_at, ends_at, notify_email, notify_phone)
         select $10::uuid, $11::bigint, $12::text, $13::text, $14::text, $15::bigint,
                $16::parking.session_channel, $17::bigint, 'active', $18::timestamptz,
                $19::timestamptz, $20::text, $21::text
           from locked
         returning id
       ), bought as (
         insert into parking.purchase
           (session_id, kind, starts_at, ends_at, amount_cents, quoted_cents, quote, method,
            utility_account_id, device_id, status, idempotency_key, request_hash, sold_offline_at)
         select made.id, 'start', $18::timestamptz, $19::timestamptz, $22::bigint, $23::bigint,
                $24::jsonb, $25::parking.payment_method, $26::bigint, $27::bigint, 'settled',
                $28::text, $29::text, $30::timestamptz
           from made
         returning created_at
       )
       select created_at from bought`,
      [
        ...ledger.params,
        s.publicId,
        p.facility.id,
        s.plate.plate,
        s.plate.state,
        s.plate.printed,
        s.customerId,
        s.channel,
        s.deviceId,
        p.from.toISOString(),
        p.to.toISOString(),
        s.notify?.email ?? null,
        s.notify?.phone ?? null,
        amount,
        p.quote.totalCents,
        JSON.stringify(p.quote),
        payer.method,
        payer.method === 'utility_account' ? payer.utilityAccountId : null,
        payer.method === 'cash' ? payer.deviceId : null,
        p.key,
        p.requestHash,
        offlineAt?.toISOString() ?? null,
        plateLockKey(p.facility.id, s.plate),
      ] as postgres.ParameterOrJSON<never>[],
      { prepare: true },
    )
    .catch(rethrowLedgerError)
  if (!made) {
    throw new Error('first purchase wrote nothing')
  }
  return bought(p, payer, amount, made.created_at)
}

/** The database's refusals the first try expects: an overlapping session, a purchase key reused. */
function isOverlapOrReuse(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || !('code' in err)) {
    return false
  }
  const e = err as { code: string; constraint_name?: string }
  return (
    (e.code === '23P01' && e.constraint_name === 'session_no_overlap') ||
    (e.code === '23505' && e.constraint_name === 'purchase_idempotency_key_key')
  )
}

/** A session opened by a start purchase, written in the purchase's own statement. */
interface NewSession {
  publicId: string
  plate: Plate
  customerId: number | null
  channel: Channel
  deviceId: number | null
  notify?: { email?: string; phone?: string }
}

/** What a facility must be to sell time: not closed, not gated (paid at the exit), open now. */
export function assertSellable(facility: Facility, at: Date, check = { hours: true }): void {
  if (facility.status === 'closed') {
    throw new AppError('conflict', `${facility.name} is closed`, { facility: facility.code })
  }
  if (facility.gated) {
    throw new AppError(
      'conflict',
      `${facility.name} has gates: take a ticket at the entry and pay at the exit`,
      [{ field: 'body.facility', message: 'A gated facility is paid at its exit' }],
    )
  }
  if (check.hours) {
    assertOpen(facility, at)
  }
}

/** A lot or garage outside its opening hours sells no time. */
export function assertOpen(facility: Facility, at: Date): void {
  if (!isOpenAt(facility.hours, facility.tariff.timeZone, at)) {
    const opens = nextOpening(facility.hours, facility.tariff.timeZone, at)
    throw new AppError(
      'conflict',
      `${facility.name} is closed now${opens ? `; it opens ${opens}` : ''}`,
      [{ field: 'body.facility', message: 'Closed at this time', opens }],
    )
  }
}

export interface ExtendRequest {
  sessionId: string
  span: Span
  payment: PaymentInput
  principal: Principal | null
  key: string
  requestHash?: string | null
  now: Date
}

/** Adds time to a paid session from its receipt, up to the facility's maximum stay. */
export async function extendSession(sql: Db, req: ExtendRequest): Promise<SessionView> {
  const payer = await resolvePayer(sql, req.principal, req.payment)
  const at = purchaseTime(payer, req.now)
  return inTransaction(sql, async (tx) => {
    const prior = await purchaseByKey(tx, req.key, req.requestHash ?? null)
    if (prior) {
      return sessionView(tx, prior)
    }
    const session = await lockSession(tx, req.sessionId)
    const facility = await facilityById(tx, session.facility_id)
    const { paidUntil, end, quote: q } = extension(session, facility, req.span, at)
    await purchase(tx, {
      sessionId: session.id,
      sessionRef: session.public_id,
      facility,
      kind: 'extend',
      from: paidUntil,
      to: end,
      quote: q,
      payer,
      key: req.key,
      requestHash: req.requestHash ?? null,
      at,
    })
    return sessionView(tx, session.public_id)
  })
}

/** What an extension of a running session would cost now, for the receipt's live price. */
export async function quoteSessionExtension(
  sql: Db,
  input: { sessionId: string; span: Span; now: Date },
): Promise<{ paidUntil: Date; end: Date; quote: Quote }> {
  const [session]: [SessionRow?] = await sql`
    select id, public_id, facility_id, customer_id, status, starts_at, ends_at
      from parking.session where public_id = ${input.sessionId}`
  if (!session) {
    throw notFound('Parking session')
  }
  return extension(session, await facilityById(sql, session.facility_id), input.span, input.now)
}

function extension(
  session: SessionRow,
  facility: Facility,
  span: Span,
  at: Date,
): { paidUntil: Date; end: Date; quote: Quote } {
  if (session.status !== 'active') {
    throw new AppError('conflict', extendRefusal(session.status))
  }
  const paidUntil = session.ends_at
  if (paidUntil === null || paidUntil.getTime() <= at.getTime()) {
    throw new AppError('conflict', 'This session has ended; start a new one')
  }
  const end = endOf(span, paidUntil)
  const q = priced(() => quoteExtension(facility.tariff, session.starts_at, paidUntil, end))
  return { paidUntil, end, quote: q }
}

function extendRefusal(status: string): string {
  switch (status) {
    case 'open':
      return 'You are in a gated facility: pay at the exit'
    case 'pending_payment':
      return 'This session is waiting for its payment'
    default:
      return 'This session was cancelled'
  }
}

/**
 * Ends a paid session now. Stopping early gives back the unused time's price only where the
 * facility's tariff says so (refundUnusedTime), and only to a utility account that paid it;
 * cash stays in the kiosk. Only the driver who bought it (signed in) or staff may stop it.
 */
export async function stopSession(
  sql: Db,
  input: { sessionId: string; principal: Principal | null; now: Date },
): Promise<SessionView> {
  const { principal, now } = input
  return inTransaction(sql, async (tx) => {
    const session = await lockSession(tx, input.sessionId)
    const staff = principal?.kind === 'user' && ['supervisor', 'admin'].includes(principal.role)
    const own = principal?.kind === 'user' && principal.customerId !== null && principal.customerId === session.customer_id
    if (!staff && !own) {
      throw new AppError('forbidden', 'Only the driver who bought this session can stop it')
    }
    if (session.status === 'open') {
      throw new AppError('conflict', 'You are in a gated facility: the exit ends the stay')
    }
    if (session.status !== 'active' || session.ends_at === null || session.ends_at <= now) {
      throw new AppError('conflict', 'This session is not running')
    }
    const facility = await facilityById(tx, session.facility_id)
    const stoppedAt = now < session.starts_at ? session.starts_at : now
    const refund = facility.tariff.refundUnusedTime ? await refundDue(tx, session, facility, stoppedAt) : null
    if (refund) {
      await purchase(tx, {
        sessionId: session.id,
        sessionRef: session.public_id,
        facility,
        kind: 'refund',
        from: stoppedAt,
        to: session.ends_at,
        quote: {
          totalCents: -refund.cents,
          minutes: Math.ceil((session.ends_at.getTime() - stoppedAt.getTime()) / MINUTE),
          lines: [{ kind: 'time', description: 'Unused time refunded', cents: -refund.cents }],
        },
        payer: refund.payer,
        key: `parking.stop:${session.public_id}`,
        at: now,
      })
    }
    await tx`
      update parking.session set ends_at = ${stoppedAt}, stopped_at = ${now}, updated_at = now()
       where id = ${session.id}`
    return sessionView(tx, session.public_id)
  })
}

/** The unused time's price, up to what utility accounts paid, back to the last one that paid. */
async function refundDue(
  tx: Tx,
  session: SessionRow,
  facility: Facility,
  stoppedAt: Date,
): Promise<{ cents: number; payer: Payer } | null> {
  const [paid]: [{
    total: number
    billed: number
    utility_account_id: number | null
    account_number: string | null
  }?] = await tx`
    select coalesce(sum(p.amount_cents), 0)::bigint as total,
           coalesce(sum(p.amount_cents) filter (where p.method = 'utility_account'), 0)::bigint as billed,
           (array_agg(p.utility_account_id order by p.id desc)
              filter (where p.method = 'utility_account'))[1] as utility_account_id,
           (array_agg(a.account_number::text order by p.id desc)
              filter (where p.method = 'utility_account'))[1] as account_number
      from parking.purchase p left join cis.utility_account a on a.id = p.utility_account_id
     where p.session_id = ${session.id} and p.status = 'settled'`
  if (!paid || paid.utility_account_id === null || paid.account_number === null) {
    return null
  }
  const used = quote({ ...facility.tariff, maximumCents: undefined }, session.starts_at, stoppedAt).totalCents
  const cents = Math.min(paid.billed, paid.total - used)
  if (cents <= 0) {
    return null
  }
  return {
    cents,
    payer: {
      method: 'utility_account',
      utilityAccountId: paid.utility_account_id,
      accountNumber: paid.account_number,
    },
  }
}

type NewPurchase = {
  sessionRef: string
  facility: Facility
  kind: 'start' | 'extend' | 'exit' | 'refund'
  from: Date
  to: Date
  quote: Quote
  payer: Payer
  key: string
  /** What was asked, so a replayed key with another request is refused. */
  requestHash?: string | null
  at: Date
} & ({ sessionId: number } | { session: NewSession })

export interface Bought {
  from: Date
  to: Date
  lines: Quote['lines']
  amountCents: number
  method: Payer['method']
  accountNumber: string | null
  offlineAt: Date | null
  createdAt: Date
}

/**
 * Records what a span of time cost and how it was paid, posts the money, and moves the session's
 * end to cover it (a refund moves nothing: the stop sets the end); a start purchase writes its
 * new session in the same statement. The ledger entry is keyed by the purchase's key
 * ('parking.purchase:' + key) rather than pointed to from it. A purchase that costs nothing is
 * free whatever the driver offered to pay with.
 */
export async function purchase(tx: Tx, p: NewPurchase): Promise<Bought> {
  checkCash(p.payer, p.quote.totalCents)
  const amount = p.kind === 'refund' ? p.quote.totalCents : amountPaid(p.payer, p.quote.totalCents)
  const payer: Payer = amount === 0 ? { method: 'free' } : p.payer
  const offlineAt = payer.method === 'cash' ? payer.soldAt : null
  const fields = (sessionId: postgres.Fragment | number) => tx`
    ${sessionId}, ${p.kind}::parking.purchase_kind, ${p.from}::timestamptz, ${p.to}::timestamptz,
    ${amount}::bigint, ${p.quote.totalCents}::bigint, ${tx.json(p.quote as never)}::jsonb,
    ${payer.method}::parking.payment_method,
    ${payer.method === 'utility_account' ? payer.utilityAccountId : null}::bigint,
    ${payer.method === 'cash' ? payer.deviceId : null}::bigint, 'settled'::parking.purchase_status,
    ${p.key}::text, ${p.requestHash ?? null}::text, ${offlineAt}::timestamptz`
  const columns = tx`
    (session_id, kind, starts_at, ends_at, amount_cents, quoted_cents, quote, method,
     utility_account_id, device_id, status, idempotency_key, request_hash, sold_offline_at)`
  let write: Promise<{ created_at: Date }[]>
  if ('session' in p) {
    const s = p.session
    write = tx<{ created_at: Date }[]>`
      with made as (
        insert into parking.session
          (public_id, facility_id, plate, state, plate_printed, customer_id, channel, device_id,
           status, starts_at, ends_at, notify_email, notify_phone)
        values (${s.publicId}, ${p.facility.id}, ${s.plate.plate}, ${s.plate.state}, ${s.plate.printed},
                ${s.customerId}, ${s.channel}, ${s.deviceId}, 'active', ${p.from}, ${p.to},
                ${s.notify?.email ?? null}, ${s.notify?.phone ?? null})
        returning id
      )
      insert into parking.purchase ${columns}
      select ${fields(tx`made.id`)} from made
      returning created_at`
  } else {
    write = tx<{ created_at: Date }[]>`
      with bought as (
        insert into parking.purchase ${columns}
        values (${fields(p.sessionId)})
        returning created_at
      ), moved as (
        update parking.session set ends_at = greatest(ends_at, ${p.to}), updated_at = now()
         where id = ${p.sessionId} and ${p.kind !== 'refund'}
      )
      select created_at from bought`
  }
  // the rows first: a session that overlaps another or a key used before is refused before the
  // ledger is touched
  const [made] = await write
  if (!made) {
    throw new Error('purchase insert returned nothing')
  }
  await postCharge(tx, payer, {
    key: purchaseEntryKey(p.key),
    facilityCode: p.facility.code,
    sessionRef: p.sessionRef,
    description: purchaseDescription(p),
    occurredAt: p.at,
    amountCents: amount,
  })
  return bought(p, payer, amount, made.created_at)
}

/** What a purchase bought, for its receipt. */
function bought(
  p: Pick<NewPurchase, 'from' | 'to' | 'quote'>,
  payer: Payer,
  amountCents: number,
  createdAt: Date,
): Bought {
  return {
    from: p.from,
    to: p.to,
    lines: p.quote.lines,
    amountCents,
    method: payer.method,
    accountNumber: payer.method === 'utility_account' ? payer.accountNumber : null,
    offlineAt: payer.method === 'cash' ? payer.soldAt : null,
    createdAt,
  }
}

/** The ledger entry of a purchase is found by this key. */
export function purchaseEntryKey(purchaseKey: string): string {
  return `parking.purchase:${purchaseKey}`
}

function purchaseDescription(p: Pick<NewPurchase, 'kind' | 'facility'>): string {
  const what = { start: 'Parking', extend: 'Parking extension', exit: 'Parking', refund: 'Parking refund' }[p.kind]
  return `${what}, ${p.facility.name} (${p.facility.code})`
}

/** An offline kiosk's sale starts when it was sold, within a week; everything else starts now. */
function purchaseTime(payer: Payer, now: Date): Date {
  if (payer.method !== 'cash' || payer.soldAt === null) {
    return now
  }
  const soldAt = payer.soldAt
  if (soldAt.getTime() > now.getTime() + 5 * MINUTE) {
    throw new AppError('invalid', 'An offline sale cannot be in the future', [
      { field: 'body.payment.soldAt', message: 'In the future' },
    ])
  }
  if (soldAt.getTime() < now.getTime() - OFFLINE_REPLAY_DAYS * 24 * 60 * MINUTE) {
    throw new AppError('invalid', `An offline sale must be sent within ${OFFLINE_REPLAY_DAYS} days`, [
      { field: 'body.payment.soldAt', message: 'Too old' },
    ])
  }
  return soldAt
}

/** Where a span bought from a given instant ends. */
export function endOf(span: Span, from: Date): Date {
  return 'end' in span ? span.end : new Date(from.getTime() + span.minutes * MINUTE)
}

const FIELD_OF_RULE: Record<TariffError['code'], string> = {
  end_before_start: 'end',
  stay_too_long: 'minutes',
  over_maximum_purchase: 'minutes',
  no_lost_ticket_rate: 'ticket',
}

/** A tariff's refusal as the API's 400, naming the field and the rule. */
export function priced(fn: () => Quote): Quote {
  try {
    return fn()
  } catch (err) {
    if (err instanceof TariffError) {
      throw new AppError('invalid', err.message, [
        { field: `body.${FIELD_OF_RULE[err.code]}`, message: err.message, rule: err.code },
      ])
    }
    throw err
  }
}

function deviceIdOf(principal: Principal | null): number | null {
  return principal?.kind === 'device' ? principal.deviceId : null
}

/** Purchases for one plate at one place take turns, so a second purchase sees the first. */
export function lockPlate(tx: Tx, facilityId: number, plate: Plate) {
  // sent at the call, so that reads queued after it run once the lock is held
  return tx`select pg_advisory_xact_lock(hashtextextended(${plateLockKey(facilityId, plate)}, 0))`.execute()
}

function plateLockKey(facilityId: number, plate: Pick<Plate, 'plate' | 'state'>): string {
  return `parking.session:${facilityId}:${plate.state}:${plate.plate}`
}

/** The session a purchase key already bought, or null; the key with another request is refused. */
async function purchaseByKey(tx: Tx, key: string, requestHash: string | null = null): Promise<string | null> {
  return keyedSession(await purchaseKeyQuery(tx, key), requestHash)
}

interface KeyedRow {
  public_id: string
  request_hash: string | null
}

// Sent at the call rather than when awaited, so that callers can line it up behind a lock.
function purchaseKeyQuery(tx: Tx, key: string) {
  return tx<KeyedRow[]>`
    select s.public_id, p.request_hash
      from parking.purchase p join parking.session s on s.id = p.session_id
     where p.idempotency_key = ${key}`.execute()
}

function keyedSession(rows: KeyedRow[], requestHash: string | null): string | null {
  const row = rows[0]
  if (row && requestHash !== null && row.request_hash !== null && row.request_hash !== requestHash) {
    throw new AppError('idempotency_conflict', 'That Idempotency-Key was used for a different purchase')
  }
  return row?.public_id ?? null
}

export interface SessionRow {
  id: number
  public_id: string
  facility_id: number
  customer_id: number | null
  status: 'pending_payment' | 'active' | 'open' | 'cancelled'
  starts_at: Date
  ends_at: Date | null
}

async function lockSession(tx: Tx, publicId: string): Promise<SessionRow> {
  const [session]: [SessionRow?] = await tx`
    select id, public_id, facility_id, customer_id, status, starts_at, ends_at
      from parking.session where public_id = ${publicId} for update`
  if (!session) {
    throw notFound('Parking session')
  }
  return session
}

interface ViewRow {
  public_id: string
  code: string
  name: string
  kind: string
  gated: boolean
  time_zone: string
  maximum_stay: number | null
  plate: string | null
  state: string | null
  plate_printed: string | null
  channel: Channel
  status: SessionView['status']
  starts_at: Date
  ends_at: Date | null
  stopped_at: Date | null
  ticket: string | null
  lost_ticket: boolean
  purchases: {
    kind: 'start' | 'extend' | 'exit' | 'refund'
    starts_at: string
    ends_at: string
    amount_cents: number
    method: 'utility_account' | 'cash' | 'card' | 'free'
    status: 'pending' | 'settled' | 'failed'
    account_number: string | null
    sold_offline_at: string | null
    created_at: string
    lines: Quote['lines']
  }[]
}

const VIEW = (sql: Db) => sql`
  select s.public_id, f.code, f.name, f.kind, f.gated, f.tariff->>'timeZone' as time_zone,
         (f.tariff->>'maximumStayMinutes')::int as maximum_stay,
         s.plate, s.state, s.plate_printed, s.channel, s.status, s.starts_at, s.ends_at,
         s.stopped_at, s.ticket, s.lost_ticket,
         coalesce((
           select json_agg(json_build_object(
                    'kind', p.kind, 'starts_at', p.starts_at, 'ends_at', p.ends_at,
                    'amount_cents', p.amount_cents, 'method', p.method, 'status', p.status,
                    'account_number', a.account_number, 'sold_offline_at', p.sold_offline_at,
                    'created_at', p.created_at, 'lines', p.quote->'lines') order by p.id)
             from parking.purchase p left join cis.utility_account a on a.id = p.utility_account_id
            where p.session_id = s.id), '[]') as purchases
    from parking.session s join parking.facility f on f.id = s.facility_id`

/** The receipt of a session its start purchase has just written, without reading it back. */
function newSessionView(facility: Facility, s: NewSession, b: Bought): SessionView {
  const purchase = b
  return toView(
    {
      public_id: s.publicId,
      code: facility.code,
      name: facility.name,
      kind: facility.kind,
      gated: facility.gated,
      time_zone: facility.tariff.timeZone,
      maximum_stay: facility.tariff.maximumStayMinutes ?? null,
      plate: s.plate.plate,
      state: s.plate.state,
      plate_printed: s.plate.printed,
      channel: s.channel,
      status: 'active',
      starts_at: purchase.from,
      ends_at: purchase.to,
      stopped_at: null,
      ticket: null,
      lost_ticket: false,
      purchases: [
        {
          kind: 'start',
          starts_at: purchase.from.toISOString(),
          ends_at: purchase.to.toISOString(),
          amount_cents: purchase.amountCents,
          method: purchase.method,
          status: 'settled',
          account_number: purchase.accountNumber,
          sold_offline_at: purchase.offlineAt?.toISOString() ?? null,
          created_at: purchase.createdAt.toISOString(),
          lines: purchase.lines,
        },
      ],
    },
    new Date(),
  )
}

/**
 * The session a kiosk's cash sale bought, by the kiosk and the sale's own id: what an offline
 * receipt's QR code asks for, before and after the kiosk has sent the sale.
 */
export async function sessionOfSale(sql: Db, deviceId: number, saleId: string): Promise<SessionView> {
  const [row]: [{ public_id: string }?] = await sql`
    select s.public_id from parking.purchase p join parking.session s on s.id = p.session_id
     where p.idempotency_key = ${`kiosk:${deviceId}:sale:${saleId}`}`
  if (!row) {
    throw new AppError(
      'not_found',
      'This receipt is not ready yet: the pay station sends the payment as soon as it is back online',
    )
  }
  return sessionView(sql, row.public_id)
}

/** A session as its receipt shows it, by its receipt id. */
export async function sessionView(sql: Db, publicId: string, now = new Date()): Promise<SessionView> {
  const [row]: [ViewRow?] = await sql`${VIEW(sql)} where s.public_id = ${publicId}`
  if (!row) {
    throw notFound('Parking session')
  }
  return toView(row, now)
}

/** A customer's sessions, newest first; only those paid now when current. */
export async function customerSessions(
  sql: Db,
  filter: { customerId?: number; plate?: string; current: boolean },
  now = new Date(),
): Promise<SessionView[]> {
  const rows = await sql<ViewRow[]>`
    ${VIEW(sql)}
     where ${filter.customerId === undefined ? sql`true` : sql`s.customer_id = ${filter.customerId}`}
       and ${filter.plate === undefined ? sql`true` : sql`s.plate = ${filter.plate}`}
       and ${filter.current ? sql`(s.status = 'open' or (s.status = 'active' and s.ends_at > ${now}))` : sql`true`}
     order by s.starts_at desc
     limit 100`
  return rows.map((r) => toView(r, now))
}

function toView(r: ViewRow, now: Date): SessionView {
  const purchases = r.purchases.map((p) => ({
    kind: p.kind,
    startsAt: iso(p.starts_at),
    endsAt: iso(p.ends_at),
    amountCents: Number(p.amount_cents),
    method: p.method,
    status: p.status,
    utilityAccount: p.account_number ? maskAccount(p.account_number) : null,
    soldOffline: p.sold_offline_at !== null,
    at: iso(p.created_at),
    lines: p.lines ?? [],
  }))
  return {
    id: r.public_id,
    receiptUrl: `/receipt/${r.public_id}`,
    facility: { code: r.code, name: r.name, kind: r.kind, gated: r.gated, timeZone: r.time_zone },
    plate: r.plate ?? '',
    state: r.state ?? '',
    platePrinted: r.plate_printed ?? '',
    channel: r.channel,
    status: r.status,
    phase: phaseOf(r, now),
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at?.toISOString() ?? null,
    stoppedAt: r.stopped_at?.toISOString() ?? null,
    ticket: r.ticket,
    lostTicket: r.lost_ticket,
    totalCents: purchases
      .filter((p) => p.status === 'settled')
      .reduce((sum, p) => sum + p.amountCents, 0),
    purchases,
    latestEndsAt:
      r.maximum_stay === null ? null : new Date(r.starts_at.getTime() + r.maximum_stay * MINUTE).toISOString(),
  }
}

function phaseOf(r: ViewRow, now: Date): SessionView['phase'] {
  switch (r.status) {
    case 'open':
      return 'in_facility'
    case 'active':
      if (r.stopped_at !== null) {
        return 'stopped'
      }
      return r.ends_at !== null && r.ends_at > now ? 'paid' : 'expired'
    default:
      return r.status
  }
}

// json_build_object writes timestamps in PostgreSQL's own ISO form; the API answers in JS's.
function iso(text: string): string {
  return new Date(text).toISOString()
}
