import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError } from '../http/errors.ts'

/*
  Boots and tows of scofflaw plates. A boot is placed only on a listed plate, one at a time per
  plate; it is released only once the plate owes nothing past due (every unpaid past-due citation
  paid), and the release is audited.
*/

export interface Immobilisation {
  public_id: string
  kind: 'boot' | 'tow'
  plate: string
  state: string
  location: string | null
  placed_at: Date
  released_at: Date | null
}

export async function immobilise(
  sql: Db,
  principal: Principal,
  input: { kind: 'boot' | 'tow'; plate: string; state: string; lat: number | null; lon: number | null; location: string | null; note: string | null },
): Promise<Immobilisation> {
  return inTransaction(sql, async (tx) => {
    const [listed]: [{ citations: number }?] = await tx`
      select citations from enforcement.scofflaw where plate = ${input.plate} and state = ${input.state} and cleared_at is null`
    if (!listed) {
      throw new AppError('conflict', `${input.plate} (${input.state}) is not on the scofflaw list: it may not be booted or towed`)
    }
    const [made]: [Immobilisation?] = await tx`
      insert into enforcement.immobilisation (kind, plate, state, lat, lon, location, placed_by, note)
      values (${input.kind}, ${input.plate}, ${input.state}, ${input.lat}, ${input.lon}, ${input.location},
              ${principal.kind === 'user' ? principal.userId : null}, ${input.note})
      on conflict (plate, state) where released_at is null do nothing
      returning public_id, kind, plate, state, location, placed_at, released_at`
    if (!made) {
      throw new AppError('conflict', `${input.plate} (${input.state}) is already booted or towed`)
    }
    await writeAudit(tx, principal, { action: `immobilisation.${input.kind}`, entity: 'enforcement.immobilisation', entityId: made.public_id, after: input })
    return made
  })
}

export async function release(sql: Db, principal: Principal, input: { id: string; now: Date }): Promise<Immobilisation> {
  return inTransaction(sql, async (tx) => {
    const [row]: [Immobilisation?] = await tx`
      select public_id, kind, plate, state, location, placed_at, released_at
        from enforcement.immobilisation where public_id = ${input.id} for update`
    if (!row) {
      throw new AppError('not_found', 'Boot or tow not found')
    }
    if (row.released_at) {
      return row
    }
    const [owed]: [{ citations: string[]; cents: number }?] = await tx`
      select coalesce(array_agg(c.number order by c.issued_at), '{}') as citations,
             coalesce(sum((select sum(p.amount_cents) from enforcement.citation_posting p where p.citation_id = c.id)), 0)::bigint as cents
        from enforcement.citation c
       where c.plate = ${row.plate} and c.state = ${row.state} and c.status = 'past_due'`
    if (owed && owed.citations.length > 0) {
      throw new AppError(
        'conflict',
        `Release after payment: ${owed.citations.length} past-due citation${owed.citations.length === 1 ? '' : 's'} (${owed.citations.join(', ')}) owe $${(Number(owed.cents) / 100).toFixed(2)}`,
        { citations: owed.citations, owedCents: Number(owed.cents) },
      )
    }
    const [released]: [Immobilisation?] = await tx`
      update enforcement.immobilisation set released_at = ${input.now}, released_by = ${principal.kind === 'user' ? principal.userId : null}
       where public_id = ${input.id}
      returning public_id, kind, plate, state, location, placed_at, released_at`
    await writeAudit(tx, principal, { action: 'immobilisation.release', entity: 'enforcement.immobilisation', entityId: input.id })
    return released!
  })
}
