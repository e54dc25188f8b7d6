import type Stripe from 'stripe'
import { inTransaction, type Db, type Tx } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import type { Config } from '../config.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError, notFound } from '../http/errors.ts'
import { localTime } from '../facilities/local-time.ts'
import { postEntry, receivable, type PostingLine } from '../ledger/post.ts'
import { refundPayment } from '../payments/refunds.ts'
import { addDays } from '../permits/terms.ts'
import { storePhoto } from './photos.ts'

/*
  Citations and warnings. Issuing a citation posts its fine (Dr the owner's parking receivable,
  when the plate is a known customer's vehicle, so it is on their statement; else the receivable
  of citations to unknown owners / Cr citation revenue); each later late fee, payment, reduction,
  void, dismissal and refund is one more entry, and one row of enforcement.citation_posting in
  the same transaction, so a citation's balance is the sum of its rows. A citation's rows change
  one transaction at a time (its row is locked), so two payments at once see each other.
*/

export const CITATION_FINES = 'revenue:parking:citations'
export const CITATION_LATE_FEES = 'revenue:parking:late_fees'
export const UNKNOWN_OWNERS = 'ar:parking:citations'

export interface Citation {
  id: number
  public_id: string
  number: string
  plate: string
  state: string
  plate_printed: string
  vehicle: Record<string, string>
  customer_id: number | null
  violation_code: string
  fine_cents: number
  late_fees: { daysAfterDue: number; cents: number }[]
  facility_id: number | null
  block_face: number | null
  lat: number | null
  lon: number | null
  location: string | null
  read_id: number | null
  user_id: number | null
  device_id: number | null
  issued_at: Date
  due_on: string
  time_zone: string
  status: 'open' | 'past_due' | 'paid' | 'voided' | 'dismissed'
  receivable: string
  paid_but_ticketed: Record<string, unknown> | null
  void_reason: string | null
  closed_at: Date | null
}

const CITATION = (sql: Db) => sql`
  id, public_id, number, plate, state, plate_printed, vehicle, customer_id, violation_code,
  fine_cents, late_fees, facility_id, block_face, lat, lon, location, read_id, user_id, device_id,
  issued_at, due_on::text, time_zone, status, receivable, paid_but_ticketed, void_reason, closed_at`

export async function citationByNumber(sql: Db, number: string, opts: { lock?: boolean } = {}): Promise<Citation> {
  const [row]: [Citation?] = await sql`
    select ${CITATION(sql)} from enforcement.citation where number = ${number.toUpperCase()}
    ${opts.lock ? sql`for update` : sql``}`
  if (!row) {
    throw notFound('Citation')
  }
  return row
}

/** What is owed on a citation now: fine and fees, less payments, reductions and the like. */
export async function balanceOf(sql: Db, citationId: number): Promise<number> {
  const [row]: [{ balance: number }?] = await sql`
    select coalesce(sum(amount_cents), 0)::bigint as balance from enforcement.citation_posting
     where citation_id = ${citationId}`
  return Number(row?.balance ?? 0)
}

export interface Location {
  facilityId: number | null
  blockFace: number | null
  lat: number | null
  lon: number | null
  location: string | null
}

export interface NewCitation extends Location {
  clientId: string | null
  number: string | null
  plate: string
  state: string
  printed: string
  vehicle: Record<string, string>
  violationCode: string
  readId: number | null
  issuedAt: Date
  photos: Buffer[]
}

/**
 * Issues a citation, once per handheld id: a handheld that lost its answer and sends it again
 * gets the same citation. A handheld offline numbers its own citations from its block
 * (H<device>-<n>); otherwise the number is the city's next.
 */
export async function issueCitation(
  sql: Db,
  config: Config,
  principal: Principal | null,
  input: NewCitation,
): Promise<{ citation: Citation; replayed: boolean }> {
  if (input.clientId) {
    const [prior]: [Citation?] = await sql`
      select ${CITATION(sql)} from enforcement.citation where client_id = ${input.clientId}`
    if (prior) {
      return { citation: prior, replayed: true }
    }
  }
  const deviceId = principal?.kind === 'device' ? principal.deviceId : null
  if (input.number !== null && !new RegExp(`^H${deviceId ?? 'x'}-\\d{1,7}$`).test(input.number)) {
    throw new AppError('invalid', 'A handheld numbers its own citations H<device id>-<n>', [
      { field: 'body.number', message: deviceId ? `H${deviceId}-<n>` : 'Only a handheld device numbers citations' },
    ])
  }
  const photoIds: number[] = []
  for (const bytes of input.photos) {
    photoIds.push(await storePhoto(sql, config, bytes))
  }
  try {
    return await writeCitation(sql, config, principal, input, photoIds, deviceId)
  } catch (err) {
    // the same handheld id sent twice at once: the second finds the first's citation
    // (the number's index may be the one that notices it)
    const e = err as { code?: string }
    if (input.clientId && e.code === '23505') {
      const [prior]: [Citation?] = await sql`
        select ${CITATION(sql)} from enforcement.citation where client_id = ${input.clientId}`
      if (prior) {
        return { citation: prior, replayed: true }
      }
    }
    throw err
  }
}

async function writeCitation(
  sql: Db,
  config: Config,
  principal: Principal | null,
  input: NewCitation,
  photoIds: number[],
  deviceId: number | null,
): Promise<{ citation: Citation; replayed: boolean }> {
  return inTransaction(sql, async (tx) => {
    const [violation]: [{ code: string; description: string; fine_cents: number; late_fees: unknown; active: boolean }?] = await tx`
      select code, description, fine_cents, late_fees, active from enforcement.violation where code = ${input.violationCode}`
    if (!violation || !violation.active) {
      throw new AppError('invalid', `There is no violation ${input.violationCode} to cite`, [
        { field: 'body.violation', message: 'Unknown or retired violation code' },
      ])
    }
    const [owner]: [{ customer_id: number }?] = await tx`
      select customer_id from cis.vehicle where plate = ${input.plate} and state = ${input.state} and removed_at is null`
    const account = owner ? receivable.ofCustomer('parking', owner.customer_id) : UNKNOWN_OWNERS
    const issuedDay = localTime(input.issuedAt.getTime(), config.CITY_TIME_ZONE).date
    const [citation]: [Citation?] = await tx`
      insert into enforcement.citation
        (number, client_id, plate, state, plate_printed, vehicle, customer_id, violation_code,
         fine_cents, late_fees, facility_id, block_face, lat, lon, location, read_id, user_id,
         device_id, issued_at, due_on, time_zone, status, receivable)
      values (coalesce(${input.number}::text,
                       'C' || to_char(${input.issuedAt}::timestamptz at time zone ${config.CITY_TIME_ZONE}, 'YY')
                           || lpad(nextval('enforcement.citation_number')::text, 6, '0')),
              ${input.clientId}, ${input.plate}, ${input.state}, ${input.printed},
              ${tx.json(input.vehicle as never)}, ${owner?.customer_id ?? null}, ${violation.code},
              ${violation.fine_cents}, ${tx.json(violation.late_fees as never)}, ${input.facilityId},
              ${input.blockFace}, ${input.lat}, ${input.lon}, ${input.location}, ${input.readId},
              ${principal?.kind === 'user' ? principal.userId : null}, ${deviceId}, ${input.issuedAt},
              ${addDays(issuedDay, config.CITATION_DUE_DAYS)}, ${config.CITY_TIME_ZONE}, 'open', ${account})
      returning ${CITATION(tx)}`
    for (const photoId of photoIds) {
      await tx`insert into enforcement.citation_photo (citation_id, photo_id) values (${citation!.id}, ${photoId}) on conflict do nothing`
    }
    await moveBalance(tx, citation!, {
      kind: 'fine',
      key: `enforcement.citation:${citation!.number}:fine`,
      amountCents: violation.fine_cents,
      description: `Citation ${citation!.number}: ${violation.description} (${citation!.plate_printed})`,
      occurredAt: input.issuedAt,
      other: CITATION_FINES,
    })
    await writeAudit(tx, principal, {
      action: 'citation.issue',
      entity: 'enforcement.citation',
      entityId: citation!.id,
      after: { number: citation!.number, plate: citation!.plate, violation: violation.code, fineCents: violation.fine_cents },
    })
    return { citation: citation!, replayed: false }
  })
}

export interface BalanceMove {
  kind: 'fine' | 'late_fee' | 'payment' | 'reduction' | 'void' | 'dismissal' | 'refund'
  key: string
  /** Signed: more owed (+) or less (-). */
  amountCents: number
  description: string
  occurredAt: Date
  /** The other side of the entry: revenue for charges, the payer's account for payments. */
  other: string
  /** Further lines (a dismissal splits between fine and late-fee revenue). */
  lines?: PostingLine[]
  paymentId?: number | null
}

/**
 * One entry that moves a citation's balance, and its row: Dr/Cr the citation's receivable
 * against the other account. The entry's key makes a replay write nothing new.
 */
export async function moveBalance(tx: Tx, citation: Pick<Citation, 'id' | 'receivable' | 'number'>, m: BalanceMove): Promise<void> {
  const lines: PostingLine[] = m.lines ?? [{ account: m.other, amount: -m.amountCents }]
  const posted = await postEntry(tx, {
    key: m.key,
    source: 'enforcement',
    sourceRef: citation.number,
    description: m.description,
    occurredAt: m.occurredAt,
    lines: [{ account: citation.receivable, amount: m.amountCents }, ...lines],
  })
  if (!posted.replayed) {
    await tx`
      insert into enforcement.citation_posting (citation_id, kind, amount_cents, entry_key, payment_id, at)
      values (${citation.id}, ${m.kind}, ${m.amountCents}, ${m.key}, ${m.paymentId ?? null}, ${m.occurredAt})
      on conflict (entry_key) do nothing`
  }
}

export interface NewWarning extends Location {
  clientId: string | null
  plate: string
  state: string
  violationCode: string
  readId: number | null
  issuedAt: Date
  note: string | null
}

/** A warning instead of a citation: recorded, shown on later checks of the plate. */
export async function issueWarning(sql: Db, principal: Principal | null, input: NewWarning): Promise<{ id: string; replayed: boolean }> {
  const [violation]: [{ code: string }?] = await sql`
    select code from enforcement.violation where code = ${input.violationCode} and active`
  if (!violation) {
    throw new AppError('invalid', `There is no violation ${input.violationCode}`, [
      { field: 'body.violation', message: 'Unknown or retired violation code' },
    ])
  }
  const [made]: [{ public_id: string }?] = await sql`
    insert into enforcement.warning
      (client_id, plate, state, violation_code, read_id, user_id, facility_id, lat, lon, issued_at, note)
    values (${input.clientId}, ${input.plate}, ${input.state}, ${violation.code}, ${input.readId},
            ${principal?.kind === 'user' ? principal.userId : null}, ${input.facilityId}, ${input.lat},
            ${input.lon}, ${input.issuedAt}, ${input.note})
    on conflict (client_id) do nothing
    returning public_id`
  if (made) {
    return { id: made.public_id, replayed: false }
  }
  const [prior]: [{ public_id: string }?] = await sql`select public_id from enforcement.warning where client_id = ${input.clientId}`
  return { id: prior!.public_id, replayed: true }
}

/** Sets open/past_due/paid from the balance, after a move. */
export async function settleStatus(tx: Tx, citation: Citation, today = localTime(Date.now(), citation.time_zone).date): Promise<Citation> {
  if (citation.status === 'voided' || citation.status === 'dismissed') {
    return citation
  }
  const balance = await balanceOf(tx, citation.id)
  const status = balance <= 0 ? 'paid' : today > citation.due_on ? 'past_due' : 'open'
  const [row]: [Citation?] = await tx`
    update enforcement.citation
       set status = ${status}, closed_at = ${status === 'paid' ? new Date() : null}
     where id = ${citation.id}
    returning ${CITATION(tx)}`
  return row!
}

/** What the driver was charged in all (fine, fees, less reductions), and what they paid. */
export async function chargedAndPaid(tx: Db, citationId: number): Promise<{ fines: number; fees: number; reductions: number; paid: number }> {
  const [row]: [{ fines: number; fees: number; reductions: number; paid: number }?] = await tx`
    select coalesce(sum(amount_cents) filter (where kind = 'fine'), 0)::bigint as fines,
           coalesce(sum(amount_cents) filter (where kind = 'late_fee'), 0)::bigint as fees,
           coalesce(sum(amount_cents) filter (where kind = 'reduction'), 0)::bigint as reductions,
           coalesce(-sum(amount_cents) filter (where kind in ('payment', 'refund')), 0)::bigint as paid
      from enforcement.citation_posting where citation_id = ${citationId}`
  return {
    fines: Number(row?.fines ?? 0),
    fees: Number(row?.fees ?? 0),
    reductions: Number(row?.reductions ?? 0),
    paid: Number(row?.paid ?? 0),
  }
}

/**
 * Takes back what a citation charged, wholly (void, dismissal) or down to an amount (a reduced
 * appeal), and gives back what was paid beyond what is now owed: a credit to the utility bill
 * that paid, or a card refund (sent after the transaction: see refundOverpaid).
 */
export async function takeBack(
  tx: Tx,
  citation: Citation,
  input: { kind: 'void' | 'dismissal' | 'reduction'; to: number; reason: string; at: Date },
): Promise<void> {
  const { fines, fees, reductions } = await chargedAndPaid(tx, citation.id)
  const charged = fines + fees + reductions
  const cut = charged - input.to
  if (cut > 0) {
    // late fees are taken back first, then the fine: the fee revenue this citation still holds
    const [held]: [{ fees: number }?] = await tx`
      select coalesce(-sum(p.amount), 0)::bigint as fees
        from enforcement.citation_posting cp
        join ledger.journal_entry e on e.idempotency_key = cp.entry_key
        join ledger.posting p on p.entry_id = e.id
        join ledger.account a on a.id = p.account_id
       where cp.citation_id = ${citation.id} and a.code = ${CITATION_LATE_FEES}`
    const fromFees = Math.min(cut, Math.max(0, Number(held?.fees ?? 0)))
    const lines: PostingLine[] = []
    if (fromFees > 0) {
      lines.push({ account: CITATION_LATE_FEES, amount: fromFees })
    }
    if (cut - fromFees > 0) {
      lines.push({ account: CITATION_FINES, amount: cut - fromFees })
    }
    await moveBalance(tx, citation, {
      kind: input.kind,
      key: `enforcement.citation:${citation.number}:${input.kind}:${charged}:${input.to}`,
      amountCents: -cut,
      description: `Citation ${citation.number} ${input.kind === 'reduction' ? `reduced to $${(input.to / 100).toFixed(2)}` : input.kind === 'void' ? 'voided' : 'dismissed'}: ${input.reason}`,
      occurredAt: input.at,
      other: CITATION_FINES,
      lines,
    })
  }
  // utility-bill payments beyond what is owed now are credited back to the bill at once
  let over = -(await balanceOf(tx, citation.id))
  const payments = await tx<{ entry_key: string; amount: number; utility_account: string | null }[]>`
    select cp.entry_key, -cp.amount_cents as amount,
           (select l.code from ledger.journal_entry e join ledger.posting p on p.entry_id = e.id
              join ledger.account l on l.id = p.account_id
             where e.idempotency_key = cp.entry_key and l.code like 'ar:parking:ua:%' limit 1) as utility_account
      from enforcement.citation_posting cp
     where cp.citation_id = ${citation.id} and cp.kind = 'payment' and cp.payment_id is null
     order by cp.id desc`
  for (const p of payments) {
    if (over <= 0 || !p.utility_account) {
      break
    }
    const back = Math.min(over, p.amount)
    await moveBalance(tx, citation, {
      kind: 'refund',
      key: `${p.entry_key}:credited:${back}`,
      amountCents: back,
      description: `Citation ${citation.number}: ${back === p.amount ? 'payment' : 'part of a payment'} credited back to the utility bill`,
      occurredAt: input.at,
      other: p.utility_account,
    })
    over -= back
  }
}

/**
 * Card payments of a citation beyond what it owes now are refunded, newest first, once each (the
 * refund's key names the payment and the amount owed then).
 */
export async function refundOverpaid(sql: Db, stripe: Stripe | null, citationId: number): Promise<number> {
  if (!stripe) {
    return 0
  }
  const over = -(await balanceOf(sql, citationId))
  if (over <= 0) {
    return 0
  }
  const cards = await sql<{ public_id: string; paid: number; refunded: number }[]>`
    select pay.public_id, pay.amount_cents as paid,
           coalesce((select sum(r.amount_cents) from payments.refund r
                      where r.payment_id = pay.id and r.status in ('pending', 'succeeded')), 0)::bigint as refunded
      from enforcement.citation_posting cp join payments.payment pay on pay.id = cp.payment_id
     where cp.citation_id = ${citationId} and cp.kind = 'payment'
     order by cp.id desc`
  let left = over
  let sent = 0
  for (const c of cards) {
    const room = c.paid - Number(c.refunded)
    const amount = Math.min(left, room)
    if (amount <= 0) {
      continue
    }
    await refundPayment(sql, stripe, {
      paymentId: c.public_id,
      amountCents: amount,
      reason: 'Citation reduced or dismissed: overpayment returned',
      key: `citation-overpaid:${citationId}:${c.public_id}:${over}`,
      requestedBy: null,
    })
    left -= amount
    sent++
  }
  return sent
}

/** A supervisor voids an unpaid citation with a reason: the fine and fees are reversed. */
export async function voidCitation(
  sql: Db,
  principal: Principal,
  input: { number: string; reason: string; now: Date },
): Promise<Citation> {
  return inTransaction(sql, async (tx) => {
    const citation = await citationByNumber(tx, input.number, { lock: true })
    if (citation.status === 'voided' || citation.status === 'dismissed') {
      throw new AppError('conflict', `Citation ${citation.number} is ${citation.status} already`)
    }
    const { paid } = await chargedAndPaid(tx, citation.id)
    if (paid > 0) {
      throw new AppError('conflict', `Citation ${citation.number} has payments: dismiss it through an appeal decision, which refunds them`)
    }
    await takeBack(tx, citation, { kind: 'void', to: 0, reason: input.reason, at: input.now })
    const [voided]: [Citation?] = await tx`
      update enforcement.citation set status = 'voided', void_reason = ${input.reason}, closed_at = ${input.now}
       where id = ${citation.id} returning ${CITATION(tx)}`
    await writeAudit(tx, principal, {
      action: 'citation.void',
      entity: 'enforcement.citation',
      entityId: citation.id,
      before: { status: citation.status },
      after: { status: 'voided', reason: input.reason },
    })
    return voided!
  })
}

/** Ends a citation as dismissed (an appeal, or paid time that arrived afterwards). */
export async function dismiss(tx: Tx, citation: Citation, reason: string, at: Date): Promise<Citation> {
  await takeBack(tx, citation, { kind: 'dismissal', to: 0, reason, at })
  const [row]: [Citation?] = await tx`
    update enforcement.citation set status = 'dismissed', closed_at = ${at}
     where id = ${citation.id} returning ${CITATION(tx)}`
  return row!
}

export { CITATION }
