import type { Db } from '../../db/connect.ts'
import { notFound } from '../http/errors.ts'
import type { DeviceKind, DevicePrincipal } from '../http/context.ts'
import { hashToken, newToken } from './tokens.ts'

export interface Device {
  id: number
  kind: DeviceKind
  name: string
  location: string | null
  created_at: Date
  last_seen_at: Date | null
  revoked_at: Date | null
}

/** Registers a kiosk or handheld. The token is shown once; only its hash is kept. */
export async function registerDevice(
  sql: Db,
  input: { kind: DeviceKind; name: string; location?: string | null; createdBy: number | null },
  /** Only the demo city passes its own, documented token. */
  token = newToken(input.kind === 'kiosk' ? 'kio_' : 'hh_'),
): Promise<{ device: Device; token: string }> {
  const [device]: [Device?] = await sql`
    insert into app.device (kind, name, location, token_hash, created_by)
    values (${input.kind}, ${input.name}, ${input.location ?? null}, ${hashToken(token)}, ${input.createdBy})
    returning id, kind, name, location, created_at, last_seen_at, revoked_at`
  if (!device) {
    throw new Error('device insert returned nothing')
  }
  return { device, token }
}

export async function revokeDevice(sql: Db, id: number): Promise<Device> {
  const [device]: [Device?] = await sql`
    update app.device set revoked_at = coalesce(revoked_at, now()) where id = ${id}
    returning id, kind, name, location, created_at, last_seen_at, revoked_at`
  if (!device) {
    throw notFound('Device')
  }
  return device
}

export async function listDevices(sql: Db): Promise<Device[]> {
  return sql<Device[]>`
    select id, kind, name, location, created_at, last_seen_at, revoked_at
      from app.device order by kind, name`
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
