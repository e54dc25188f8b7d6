import { accountBalance } from '../ledger/balances.ts'
import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { postEntry, type PostingLine } from '../ledger/post.ts'
import { parkingAccount } from '../ledger/accounts.ts'
import { dollars } from '../ledger/statement.ts'
import { raiseException } from './exceptions.ts'

const IN_TRANSIT = 'cash:in_transit'
const OVER_SHORT = 'expense:cash_over_short'
const DIFFERENCES = 'expense:reconciliation'

export interface CashCollection {
  id: number
  public_id: string
  device_id: number
  device_kind: 'kiosk' | 'gate'
  device_name: string
  collected_at: Date
  counted_cents: number
  expected_cents: number
  over_short_cents: number
  collected_by: number | null
  collected_by_name: string | null
  entry_id: number
  deposit_id: number | null
  slip_number: string | null
  note: string | null
  exception_id: number | null
  created_at: Date
}

const COLLECTION = (sql: Db) => sql`
  select c.id, c.public_id::text, c.device_id, d.kind as device_kind, d.name as device_name,
         c.collected_at, c.counted_cents, c.expected_cents, c.over_short_cents, c.collected_by,
         u.display_name as collected_by_name, c.entry_id, c.deposit_id, b.slip_number, c.note,
         x.id as exception_id, c.created_at
    from finance.cash_collection c
    join app.device d on d.id = c.device_id
    left join app.user_account u on u.id = c.collected_by
    left join finance.bank_deposit b on b.id = c.deposit_id
    left join finance.exception x on x.key = 'cash:collection:' || c.public_id`

/** The ledger account a kiosk's or a gate pay machine's cash sales go to. */
export function cashAccountOf(device: { id: number; kind: string }): string {
  return device.kind === 'kiosk' ? parkingAccount.kioskCash(device.id) : parkingAccount.gateCash(device.id)
}

export interface NewCollection {
  deviceId: number
  countedCents: number
  /** When the box was emptied; now when omitted. */
  collectedAt?: Date
  note?: string | null
  /** Makes a retried request one collection (the route builds it from the Idempotency-Key). */
  key: string
  /** Over or short by more than this raises an exception for finance. */
  toleranceCents: number
}

/**
 * Records the cash taken out of a kiosk's or gate's box, counted against what its sales left there
 * since the last collection (its cash account's balance). One entry: Dr cash in transit what was
 * counted, Cr the box what was expected, the difference to over/short. Collections of one device
 * take turns, so two at once never both take the same expected cash. A retry under the same key
 * returns the first collection.
 */
export async function recordCollection(
  sql: Db,
  principal: Principal,
  input: NewCollection,
  now = new Date(),
): Promise<CashCollection> {
  const collectedAt = input.collectedAt ?? now
  if (collectedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError('invalid', 'A collection cannot be in the future', [
      { field: 'body.collectedAt', message: 'In the future' },
    ])
  }
  return inTransaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`finance.cash:${input.deviceId}`}, 0))`
    const prior = await collectionByKey(tx, input.key)
    if (prior) {
      if (prior.device_id !== input.deviceId || prior.counted_cents !== input.countedCents) {
        throw new AppError('idempotency_conflict', 'That Idempotency-Key was used for a different collection')
      }
      return prior
    }
    const [device]: [{ id: number; kind: string; name: string }?] = await tx`
      select id, kind, name from app.device where id = ${input.deviceId}`
    if (!device) {
      throw notFound('Device')
    }
    if (device.kind !== 'kiosk' && device.kind !== 'gate') {
      throw new AppError('invalid', `Device ${device.id} is a ${device.kind}; only kiosks and gate pay machines hold cash`, [
        { field: 'body.deviceId', message: 'Not a kiosk or gate' },
      ])
    }
    const box = cashAccountOf(device)
    const [last]: [{ at: Date | null }] = (await tx`
      select max(collected_at) as at from finance.cash_collection where device_id = ${device.id}`) as never
    if (last.at && collectedAt < last.at) {
      throw new AppError('conflict', `${device.name} was last emptied at ${last.at.toISOString()}; a collection cannot come before it`, [
        { field: 'body.collectedAt', message: 'Before the last collection' },
      ])
    }
    // what the box held when it was emptied: sales after that (the machine goes on selling while
    // the count is entered) belong to the next collection
    const expected = await balanceAsOf(tx, box, collectedAt)
    const overShort = input.countedCents - expected
    const lines: PostingLine[] = [
      { account: IN_TRANSIT, amount: input.countedCents },
      { account: box, amount: -expected },
      { account: OVER_SHORT, amount: -overShort },
    ].filter((l) => l.amount !== 0)
    if (lines.length === 0) {
      throw new AppError('conflict', `Nothing was counted and ${device.name} is expected to be empty: nothing to collect`)
    }
    const entry = await postEntry(tx, {
      key: `finance:collection:${input.key}`,
      source: 'finance',
      sourceRef: `device:${device.id}`,
      description: `Cash collected from ${device.kind === 'kiosk' ? 'kiosk' : 'gate'} ${device.name}`,
      occurredAt: collectedAt,
      lines,
    })
    const [made]: [{ id: number; public_id: string }?] = await tx`
      insert into finance.cash_collection
        (device_id, idempotency_key, collected_at, counted_cents, expected_cents, collected_by, entry_id, note)
      values (${device.id}, ${input.key}, ${collectedAt}, ${input.countedCents}, ${expected},
              ${principal.kind === 'user' ? principal.userId : null}, ${entry.entryId}, ${input.note ?? null})
      returning id, public_id::text`
    if (!made) {
      throw new Error('cash collection insert returned nothing')
    }
    if (Math.abs(overShort) > input.toleranceCents) {
      await raiseException(tx, {
        key: `cash:collection:${made.public_id}`,
        kind: 'cash_over_short',
        summary: `${device.name}: counted $${dollars(input.countedCents)} against $${dollars(expected)} expected, ${overShort > 0 ? 'over' : 'short'} by $${dollars(Math.abs(overShort))}`,
        amountCents: overShort,
        evidence: {
          collection: made.public_id,
          deviceId: device.id,
          device: device.name,
          account: box,
          countedCents: input.countedCents,
          expectedCents: expected,
          overShortCents: overShort,
          toleranceCents: input.toleranceCents,
          entryId: entry.entryId,
          collectedAt: collectedAt.toISOString(),
        },
      })
    }
    await writeAudit(tx, principal, {
      action: 'finance.cash.collect',
      entity: 'finance.cash_collection',
      entityId: made.id,
      after: { deviceId: device.id, countedCents: input.countedCents, expectedCents: expected, overShortCents: overShort },
    })
    return collectionById(tx, made.id)
  })
}

async function balanceAsOf(tx: Db, code: string, at: Date): Promise<number> {
  const [row]: [{ balance: number }?] = await tx`
    select coalesce(sum(p.amount), 0)::bigint as balance
      from ledger.account a
      join ledger.posting p on p.account_id = a.id
      join ledger.journal_entry e on e.id = p.entry_id
     where a.code = ${code} and e.occurred_at <= ${at}`
  return row?.balance ?? 0
}

async function collectionByKey(sql: Db, key: string): Promise<CashCollection | null> {
  const [row] = await sql<CashCollection[]>`${COLLECTION(sql)} where c.idempotency_key = ${key}`
  return row ?? null
}

async function collectionById(sql: Db, id: number): Promise<CashCollection> {
  const [row] = await sql<CashCollection[]>`${COLLECTION(sql)} where c.id = ${id}`
  if (!row) {
    throw notFound('Cash collection')
  }
  return row
}

export interface CollectionFilter {
  deviceId?: number
  /** City-local days, both inclusive. */
  from?: string
  to?: string
  undeposited?: boolean
  limit: number
  timeZone: string
}

export interface CollectionTotals {
  count: number
  countedCents: number
  expectedCents: number
  overShortCents: number
}

/** Collections newest first, with the totals of all that match the filter (not only the page). */
export async function listCollections(
  sql: Db,
  filter: CollectionFilter,
): Promise<{ collections: CashCollection[]; totals: CollectionTotals }> {
  const where = sql`
    where (${filter.deviceId ?? null}::bigint is null or c.device_id = ${filter.deviceId ?? null}::bigint)
      and (${filter.from ?? null}::date is null
           or (c.collected_at at time zone ${filter.timeZone})::date >= ${filter.from ?? null}::date)
      and (${filter.to ?? null}::date is null
           or (c.collected_at at time zone ${filter.timeZone})::date <= ${filter.to ?? null}::date)
      and (${filter.undeposited ?? null}::boolean is null
           or (c.deposit_id is null) = ${filter.undeposited ?? null}::boolean)`
  const collections = await sql<CashCollection[]>`
    ${COLLECTION(sql)} ${where}
     order by c.collected_at desc, c.id desc
     limit ${filter.limit}`
  const [totals]: [{ count: number; counted: number; expected: number }?] = await sql`
    select count(*)::int as count, coalesce(sum(c.counted_cents), 0)::bigint as counted,
           coalesce(sum(c.expected_cents), 0)::bigint as expected
      from finance.cash_collection c ${where}`
  const counted = totals?.counted ?? 0
  const expected = totals?.expected ?? 0
  return {
    collections,
    totals: { count: totals?.count ?? 0, countedCents: counted, expectedCents: expected, overShortCents: counted - expected },
  }
}

export interface CashDevice {
  id: number
  kind: 'kiosk' | 'gate'
  name: string
  facility: string | null
  revoked: boolean
  account: string
  expected_cents: number
  last_collected_at: Date | null
}

/** Every kiosk and gate pay machine with the cash its box should hold now (its account's balance). */
export async function cashDevices(sql: Db): Promise<{ devices: CashDevice[]; inTransitCents: number }> {
  const devices = await sql<CashDevice[]>`
    select d.id, d.kind, d.name, f.code as facility, d.revoked_at is not null as revoked,
           case d.kind when 'kiosk' then 'cash:kiosk:' else 'cash:gate:' end || d.id as account,
           coalesce(b.balance, 0)::bigint as expected_cents,
           (select max(c.collected_at) from finance.cash_collection c where c.device_id = d.id) as last_collected_at
      from app.device d
      left join parking.facility f on f.id = d.facility_id
      left join ledger.account a
        on a.code = case d.kind when 'kiosk' then 'cash:kiosk:' else 'cash:gate:' end || d.id
      left join lateral ledger.account_balances(array[a.id]) b on a.id is not null
     where d.kind in ('kiosk', 'gate')
     order by d.kind, d.name, d.id`
  return { devices, inTransitCents: await accountBalance(sql, IN_TRANSIT) }
}

export interface BankDeposit {
  id: number
  slip_number: string
  deposited_on: string
  amount_cents: number
  collections_cents: number
  difference_cents: number
  status: 'matched' | 'mismatched'
  entered_by: number | null
  entered_by_name: string | null
  entry_id: number
  collection_ids: string[]
  exception_id: number | null
  created_at: Date
}

const DEPOSIT = (sql: Db) => sql`
  select b.id, b.slip_number, b.deposited_on::text, b.amount_cents, b.collections_cents,
         (b.amount_cents - b.collections_cents)::bigint as difference_cents, b.status, b.entered_by,
         u.display_name as entered_by_name, b.entry_id,
         coalesce((select array_agg(c.public_id::text order by c.collected_at, c.id)
                     from finance.cash_collection c where c.deposit_id = b.id), '{}') as collection_ids,
         x.id as exception_id, b.created_at
    from finance.bank_deposit b
    left join app.user_account u on u.id = b.entered_by
    left join finance.exception x on x.key = 'deposit:' || b.slip_number || ':mismatch'`

export interface NewDeposit {
  slipNumber: string
  /** The day the bank took it (YYYY-MM-DD, city time). */
  depositedOn: string
  amountCents: number
  /** The public ids of the collections the slip carries. */
  collectionIds: string[]
}

/**
 * Records a bank deposit slip for cash collections not yet deposited: Dr the bank what the slip
 * says, Cr cash in transit what the collections counted, any difference to reconciliation
 * differences and an exception for finance. A slip number is entered once: the same slip again
 * returns the deposit; with other content it is refused.
 */
export async function recordDeposit(
  sql: Db,
  principal: Principal,
  input: NewDeposit,
): Promise<{ deposit: BankDeposit; created: boolean }> {
  const ids = [...new Set(input.collectionIds.map((id) => id.toLowerCase()))]
  if (ids.length !== input.collectionIds.length) {
    throw new AppError('invalid', 'A collection is listed twice', [
      { field: 'body.collectionIds', message: 'Duplicate collection' },
    ])
  }
  return inTransaction(sql, async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`finance.deposit:${input.slipNumber}`}, 0))`
    const [prior]: [BankDeposit?] = await tx`${DEPOSIT(tx)} where b.slip_number = ${input.slipNumber}`
    if (prior) {
      const same =
        prior.amount_cents === input.amountCents &&
        prior.deposited_on === input.depositedOn &&
        [...prior.collection_ids].sort().join() === [...ids].sort().join()
      if (!same) {
        throw new AppError('conflict', `Deposit slip ${input.slipNumber} was entered already, with other content`, [
          { field: 'body.slipNumber', message: 'Slip number used already' },
        ])
      }
      return { deposit: prior, created: false }
    }
    const [{ future }]: [{ future: boolean }] = (await tx`
      select ${input.depositedOn}::date > (now() at time zone s.time_zone)::date as future
        from finance.settings s`) as never
    if (future) {
      throw new AppError('invalid', 'A deposit cannot be dated in the future', [
        { field: 'body.depositedOn', message: 'In the future' },
      ])
    }
    // the lock reads each row as it is once any deposit racing this one has committed
    const locked = await tx<{ id: number; public_id: string; counted_cents: number; deposit_id: number | null }[]>`
      select c.id, c.public_id::text, c.counted_cents, c.deposit_id
        from finance.cash_collection c
       where c.public_id = any(${ids}::uuid[])
       order by c.id
         for update`
    const slips = await tx<{ id: number; slip_number: string }[]>`
      select id, slip_number from finance.bank_deposit
       where id = any(${locked.map((c) => c.deposit_id ?? 0)}::bigint[])`
    const found = locked.map((c) => ({ ...c, slip_number: slips.find((s) => s.id === c.deposit_id)?.slip_number ?? null }))
    const missing = ids.filter((id) => !found.some((c) => c.public_id === id))
    if (missing.length > 0) {
      throw new AppError('invalid', `No such cash collection: ${missing.join(', ')}`, [
        { field: 'body.collectionIds', message: `Unknown collection ${missing[0]}` },
      ])
    }
    const deposited = found.filter((c) => c.deposit_id !== null)
    if (deposited.length > 0) {
      throw new AppError(
        'conflict',
        `Deposited already: ${deposited.map((c) => `${c.public_id} (slip ${c.slip_number})`).join(', ')}`,
        deposited.map((c) => ({ collection: c.public_id, slipNumber: c.slip_number })),
      )
    }
    const collected = found.reduce((sum, c) => sum + c.counted_cents, 0)
    const difference = input.amountCents - collected
    const [{ at }]: [{ at: Date }] = (await tx`
      select (${input.depositedOn}::date + time '12:00') at time zone s.time_zone as at
        from finance.settings s`) as never
    const entry = await postEntry(tx, {
      key: `finance:deposit:${input.slipNumber}`,
      source: 'finance',
      sourceRef: `deposit:${input.slipNumber}`,
      description: `Cash deposited at the bank, slip ${input.slipNumber}`,
      occurredAt: at,
      lines: [
        { account: 'bank:operating', amount: input.amountCents },
        { account: IN_TRANSIT, amount: -collected },
        { account: DIFFERENCES, amount: -difference },
      ].filter((l) => l.amount !== 0),
    })
    const status = difference === 0 ? 'matched' : 'mismatched'
    const [made]: [{ id: number }?] = await tx`
      insert into finance.bank_deposit
        (slip_number, deposited_on, amount_cents, collections_cents, status, entered_by, entry_id)
      values (${input.slipNumber}, ${input.depositedOn}, ${input.amountCents}, ${collected}, ${status},
              ${principal.kind === 'user' ? principal.userId : null}, ${entry.entryId})
      returning id`
    if (!made) {
      throw new Error('bank deposit insert returned nothing')
    }
    await tx`update finance.cash_collection set deposit_id = ${made.id} where id = any(${found.map((c) => c.id)}::bigint[])`
    if (difference !== 0) {
      await raiseException(tx, {
        key: `deposit:${input.slipNumber}:mismatch`,
        kind: 'deposit_mismatch',
        summary: `Deposit slip ${input.slipNumber}: $${dollars(input.amountCents)} deposited against $${dollars(collected)} collected, ${difference > 0 ? 'over' : 'short'} by $${dollars(Math.abs(difference))}`,
        amountCents: difference,
        evidence: {
          slipNumber: input.slipNumber,
          depositedOn: input.depositedOn,
          amountCents: input.amountCents,
          collectionsCents: collected,
          differenceCents: difference,
          collections: found.map((c) => ({ id: c.public_id, countedCents: c.counted_cents })),
          entryId: entry.entryId,
        },
      })
    }
    await writeAudit(tx, principal, {
      action: 'finance.cash.deposit',
      entity: 'finance.bank_deposit',
      entityId: made.id,
      after: { slipNumber: input.slipNumber, amountCents: input.amountCents, collectionsCents: collected, collections: ids },
    })
    const [deposit]: [BankDeposit?] = await tx`${DEPOSIT(tx)} where b.id = ${made.id}`
    if (!deposit) {
      throw new Error('bank deposit not found after insert')
    }
    return { deposit, created: true }
  })
}

export interface DepositFilter {
  from?: string
  to?: string
  status?: 'matched' | 'mismatched'
  limit: number
}

/** Deposits by the day the bank took them, newest first, with totals of all that match. */
export async function listDeposits(
  sql: Db,
  filter: DepositFilter,
): Promise<{ deposits: BankDeposit[]; totals: { count: number; amountCents: number; collectionsCents: number } }> {
  const where = sql`
    where (${filter.from ?? null}::date is null or b.deposited_on >= ${filter.from ?? null}::date)
      and (${filter.to ?? null}::date is null or b.deposited_on <= ${filter.to ?? null}::date)
      and (${filter.status ?? null}::text is null or b.status = ${filter.status ?? null}::text)`
  const deposits = await sql<BankDeposit[]>`
    ${DEPOSIT(sql)} ${where}
     order by b.deposited_on desc, b.id desc
     limit ${filter.limit}`
  const [totals]: [{ count: number; amount: number; collections: number }?] = await sql`
    select count(*)::int as count, coalesce(sum(b.amount_cents), 0)::bigint as amount,
           coalesce(sum(b.collections_cents), 0)::bigint as collections
      from finance.bank_deposit b ${where}`
  return {
    deposits,
    totals: { count: totals?.count ?? 0, amountCents: totals?.amount ?? 0, collectionsCents: totals?.collections ?? 0 },
  }
}
