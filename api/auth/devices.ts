import type { Db } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { DeviceKind, DevicePrincipal } from '../http/context.ts'
import { hashToken, newToken } from './tokens.ts'
import { openAccount, parkingAccount } from '../ledger/accounts.ts'

export interface Device {
  id: number
  kind: DeviceKind
  name: string
  location: string | null
  /** The facility or zone a kiosk or gate stands at. */
  facility: string | null
  /** A kiosk's Stripe Terminal reader. */
  stripe_reader_id: string | null
  created_at: Date
  last_seen_at: Date | null
  revoked_at: Date | null
}

const TOKEN_PREFIX: Record<DeviceKind, string> = {
  kiosk: 'kio_',
  handheld: 'hh_',
  gate: 'gate_',
  ivr: 'ivr_',
}

const COLUMNS = `
  d.id, d.kind, d.name, d.location,
  (select f.code from parking.facility f where f.id = d.facility_id) as facility, d.stripe_reader_id,
  d.created_at, d.last_seen_at, d.revoked_at`

export interface NewDevice {
  kind: DeviceKind
  name: string
  location?: string | null
  /** The facility or zone code a kiosk or gate stands at. */
  facility?: string | null
  /** A kiosk's Stripe Terminal reader id (tmr_…). */
  stripeReader?: string | null
  createdBy: number | null
}

/**
 * Registers a kiosk, handheld, gate or the phone line. The token is shown once; only its hash is
 * kept. A kiosk or gate gets its own cash box in the ledger, which its collections are counted
 * against.
 */
export async function registerDevice(
  sql: Db,
  input: NewDevice,
  /** Only the demo city passes its own, documented token. */
  token = newToken(TOKEN_PREFIX[input.kind]),
): Promise<{ device: Device; token: string }> {
  let facilityId: number | null = null
  if (input.facility) {
    const [f]: [{ id: number }?] = await sql`
      select id from parking.facility where code = ${input.facility.trim().toUpperCase()}`
    if (!f) {
      throw new AppError('invalid', `There is no parking facility or zone ${input.facility}`, [
        { field: 'body.facility', message: 'Unknown facility or zone' },
      ])
    }
    facilityId = f.id
  }
  const [made]: [{ id: number }?] = await sql`
    insert into app.device (kind, name, location, facility_id, stripe_reader_id, token_hash, created_by)
    values (${input.kind}, ${input.name}, ${input.location ?? null}, ${facilityId},
            ${input.kind === 'kiosk' ? (input.stripeReader ?? null) : null}, ${hashToken(token)},
            ${input.createdBy})
    returning id`
  if (!made) {
    throw new Error('device insert returned nothing')
  }
  if (input.kind === 'kiosk' || input.kind === 'gate') {
    await openAccount(sql, {
      code: input.kind === 'kiosk' ? parkingAccount.kioskCash(made.id) : parkingAccount.gateCash(made.id),
      name: `${input.kind === 'kiosk' ? 'Kiosk' : 'Gate pay machine'} cash - ${input.name}`,
      type: 'asset',
      fund: 'parking',
    })
  }
  return { device: await deviceById(sql, made.id), token }
}

/** The Stripe Terminal reader a kiosk takes cards on, or null (none, or not a device). */
export async function readerOf(sql: Db, deviceId: number): Promise<string | null> {
  const [device]: [{ stripe_reader_id: string | null }?] = await sql`
    select stripe_reader_id from app.device where id = ${deviceId}`
  return device?.stripe_reader_id ?? null
}

export async function deviceById(sql: Db, id: number): Promise<Device> {
  const [device]: [Device?] = await sql`
    select ${sql.unsafe(COLUMNS)} from app.device d where d.id = ${id}`
  if (!device) {
    throw notFound('Device')
  }
  return device
}

export async function revokeDevice(sql: Db, id: number): Promise<Device> {
  const [revoked]: [{ id: number }?] = await sql`
    update app.device set revoked_at = coalesce(revoked_at, now()) where id = ${id}
    returning id`
  if (!revoked) {
    throw notFound('Device')
  }
  return deviceById(sql, revoked.id)
}

export async function listDevices(sql: Db): Promise<Device[]> {
  return sql<Device[]>`
    select ${sql.unsafe(COLUMNS)} from app.device d order by d.kind, d.name`
}

export async function resolveDevice(sql: Db, token: string): Promise<DevicePrincipal | null> {
  // last_seen_at is written at most once a minute per device, so polling kiosks stay cheap
  const [row]: [{ id: number; kind: DeviceKind; name: string }?] = await sql`
    with d as (
      select id, kind, name, last_seen_at from app.device
       where token_hash = ${hashToken(token)} and revoked_at is null
    ), touched as (
      update app.device set last_seen_at = now()
       where id = (select id from d)
         and (last_seen_at is null or last_seen_at < now() - interval '1 minute')
    )
    select id, kind, name from d`
  if (!row) {
    return null
  }
  return { kind: 'device', deviceId: row.id, deviceKind: row.kind, name: row.name }
}
