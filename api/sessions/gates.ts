import { randomBytes } from 'node:crypto'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { facilityByCode, type Facility } from '../facilities/facilities.ts'
import { quote, type Quote } from '../facilities/tariff.ts'
import type { Payer } from './payment.ts'
import { CARD_DISABLED } from '../payments/stripe.ts'
import { assertOpen, lockPlate, priced, purchase, sessionView, type Plate } from './sessions.ts'
import type { SessionView } from './schemas.ts'

/** What a gate read at the barrier: the plate, the ticket it printed, or both. */
export interface GateRead {
  plate: Plate | null
  ticket: string | null
}

/** The facility a gate serves: its own, and a gate may not act for another. */
export async function gateFacility(
  sql: Db,
  principal: Principal | null,
  code: string | undefined,
): Promise<Facility> {
  if (principal?.kind !== 'device' || principal.deviceKind !== 'gate') {
    throw new AppError('forbidden', 'Only a gate records entries and exits')
  }
  const [own]: [{ code: string | null }?] = await sql`
    select (select f.code from parking.facility f where f.id = d.facility_id) as code
      from app.device d where d.id = ${principal.deviceId}`
  const ownCode = own?.code ?? null
  if (code !== undefined && ownCode !== null && code.toUpperCase() !== ownCode) {
    throw new AppError('forbidden', `This gate serves ${ownCode}, not ${code}`, [
      { field: 'body.facility', message: 'Not this gate’s facility' },
    ])
  }
  const chosen = code ?? ownCode
  if (chosen === null) {
    throw new AppError('invalid', 'This gate is not assigned to a facility; name it', [
      { field: 'body.facility', message: 'Required' },
    ])
  }
  const facility = await facilityByCode(sql, chosen)
  if (!facility.gated) {
    throw new AppError('invalid', `${facility.name} has no gates`, [
      { field: 'body.facility', message: 'Not a gated facility' },
    ])
  }
  return facility
}

/**
 * A car enters: opens a stay priced at the exit. A plate or ticket already inside is the same
 * car (a gate that retries, a re-read), so the stay it has is returned rather than a second.
 */
export async function enter(
  sql: Db,
  input: { facility: Facility; read: GateRead; deviceId: number; at: Date },
): Promise<{ session: SessionView; created: boolean }> {
  const { facility, read } = input
  if (facility.status === 'closed') {
    throw new AppError('conflict', `${facility.name} is closed`)
  }
  assertOpen(facility, input.at)
  return inTransaction(sql, async (tx) => {
    if (read.plate) {
      await lockPlate(tx, facility.id, read.plate)
    }
    const inside = await openStay(tx, facility.id, read)
    if (inside) {
      return { session: await sessionView(tx, inside), created: false }
    }
    const ticket = read.ticket ?? newTicket()
    const [made]: [{ public_id: string }?] = await tx`
      insert into parking.session
        (facility_id, plate, state, plate_printed, channel, device_id, status, starts_at, ends_at,
         ticket)
      values (${facility.id}, ${read.plate?.plate ?? null}, ${read.plate?.state ?? null},
              ${read.plate?.printed ?? null}, 'gate', ${input.deviceId}, 'open', ${input.at}, null,
              ${ticket})
      returning public_id`
    if (!made) {
      throw new Error('gate entry insert returned nothing')
    }
    return { session: await sessionView(tx, made.public_id), created: true }
  })
}

export interface ExitQuote {
  session: string | null
  lostTicket: boolean
  startsAt: Date | null
  quote: Quote
  canBillAccount: boolean
}

/** What leaving costs now: the stay since its entry, or the lost-ticket rate for an unknown one. */
export async function quoteExit(
  sql: Db,
  input: { facility: Facility; read: GateRead; at: Date },
): Promise<ExitQuote> {
  const stay = await openStayRow(sql, input.facility.id, input.read)
  const account = input.read.plate ? await billableAccount(sql, input.read.plate) : null
  if (!stay) {
    return {
      session: null,
      lostTicket: true,
      startsAt: null,
      quote: priced(() => quote(input.facility.tariff, input.at, input.at, { lostTicket: true })),
      canBillAccount: account !== null,
    }
  }
  const startsAt = stay.starts_at > input.at ? input.at : stay.starts_at
  return {
    session: stay.public_id,
    lostTicket: false,
    startsAt,
    quote: priced(() => quote(input.facility.tariff, startsAt, input.at)),
    canBillAccount: account !== null,
  }
}

export type ExitPayment = { method: 'cash'; amountCents: number } | { method: 'account' } | { method: 'card' }

/**
 * A car leaves: prices the stay, takes the payment (cash at the exit's pay machine, or the
 * utility account of the plate's owner) and closes it. An exit with no known entry pays the
 * lost-ticket rate. The gate's exit id makes a retried exit write once.
 */
export async function exit(
  sql: Db,
  input: {
    facility: Facility
    read: GateRead
    payment: ExitPayment
    deviceId: number
    exitId: string
    at: Date
  },
): Promise<SessionView> {
  const { facility, read, at } = input
  if (!read.plate && !read.ticket) {
    throw new AppError('invalid', 'An exit needs the plate read or the ticket', [
      { field: 'body.plate', message: 'Required without a ticket' },
    ])
  }
  if (input.payment.method === 'card') {
    throw new AppError('card_payments_disabled', CARD_DISABLED)
  }
  const key = `gate:${input.deviceId}:${input.exitId}`
  return inTransaction(sql, async (tx) => {
    if (read.plate) {
      await lockPlate(tx, facility.id, read.plate)
    }
    const [prior]: [{ public_id: string }?] = await tx`
      select s.public_id from parking.purchase p join parking.session s on s.id = p.session_id
       where p.idempotency_key = ${key}`
    if (prior) {
      return sessionView(tx, prior.public_id)
    }
    const stay = await openStayRow(tx, facility.id, read, true)
    const startsAt = stay ? (stay.starts_at > at ? at : stay.starts_at) : at
    const q = priced(() => quote(facility.tariff, startsAt, at, { lostTicket: !stay }))
    const payer = await exitPayer(tx, input.payment, read, input.deviceId, q)
    let session: { id: number; public_id: string }
    if (stay) {
      session = stay
      await tx`
        update parking.session set status = 'active', ends_at = ${at}, updated_at = now()
         where id = ${stay.id}`
    } else {
      const [made]: [{ id: number; public_id: string }?] = await tx`
        insert into parking.session
          (facility_id, plate, state, plate_printed, channel, device_id, status, starts_at, ends_at,
           ticket, lost_ticket)
        values (${facility.id}, ${read.plate?.plate ?? null}, ${read.plate?.state ?? null},
                ${read.plate?.printed ?? null}, 'gate', ${input.deviceId}, 'active', ${at}, ${at},
                ${read.ticket}, true)
        returning id, public_id`
      if (!made) {
        throw new Error('lost-ticket session insert returned nothing')
      }
      session = made
    }
    await purchase(tx, {
      sessionId: session.id,
      sessionRef: session.public_id,
      facility,
      kind: 'exit',
      from: startsAt,
      to: at,
      quote: q,
      payer,
      key,
      at,
    })
    return sessionView(tx, session.public_id)
  })
}

async function exitPayer(
  tx: Tx,
  payment: ExitPayment,
  read: GateRead,
  deviceId: number,
  q: Quote,
): Promise<Payer> {
  if (q.totalCents === 0) {
    return { method: 'free' }
  }
  if (payment.method === 'cash') {
    // the exit's pay machine takes exactly the price it shows, as a kiosk does online
    return { method: 'cash', deviceId, box: 'gate', amountCents: payment.amountCents, soldAt: null }
  }
  const account = read.plate ? await billableAccount(tx, read.plate) : null
  if (!account) {
    throw new AppError('invalid', 'This plate is not registered to a customer with an active utility account', [
      { field: 'body.payment.method', message: 'Pay another way' },
    ])
  }
  return { method: 'utility_account', utilityAccountId: account.id, accountNumber: account.account_number }
}

/**
 * The utility account a gate bills for a plate: the plate's registered owner's active account,
 * the one they have held longest. A driver chooses by registering the vehicle in the portal.
 */
async function billableAccount(
  sql: Db,
  plate: Plate,
): Promise<{ id: number; account_number: string } | null> {
  const [account]: [{ id: number; account_number: string }?] = await sql`
    select a.id, a.account_number
      from cis.vehicle v
      join cis.account_holder h on h.customer_id = v.customer_id
      join cis.utility_account a on a.id = h.utility_account_id
     where v.plate = ${plate.plate} and v.state = ${plate.state} and v.removed_at is null
       and a.status = 'active'
     order by h.since, a.id
     limit 1`
  return account ?? null
}

async function openStay(tx: Tx, facilityId: number, read: GateRead): Promise<string | null> {
  return (await openStayRow(tx, facilityId, read))?.public_id ?? null
}

async function openStayRow(
  sql: Db,
  facilityId: number,
  read: GateRead,
  lock = false,
): Promise<{ id: number; public_id: string; starts_at: Date } | null> {
  const byTicket = read.ticket ? sql`ticket = ${read.ticket}` : sql`false`
  const byPlate = read.plate ? sql`(plate = ${read.plate.plate} and state = ${read.plate.state})` : sql`false`
  const [row]: [{ id: number; public_id: string; starts_at: Date }?] = await sql`
    select id, public_id, starts_at from parking.session
     where facility_id = ${facilityId} and status = 'open' and (${byTicket} or ${byPlate})
     order by (ticket is not distinct from ${read.ticket}) desc, starts_at
     limit 1
     ${lock ? sql`for update` : sql``}`
  return row ?? null
}

// A printed ticket's number: short enough to type at a pay machine, random enough not to guess.
function newTicket(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = randomBytes(8)
  let t = ''
  for (const b of bytes) {
    t += alphabet[b % alphabet.length]
  }
  return `T-${t}`
}
