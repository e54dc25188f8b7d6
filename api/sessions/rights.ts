import type { Db } from '../../db/connect.ts'
import type { RightsView } from './schemas.ts'

export interface RightsLookup {
  plate: string
  state: string | null
  at: Date
  facility: string | null
}

interface RightRow {
  kind: 'session' | 'permit' | 'visitor_pass'
  ref: string
  code: string | null
  plate: string
  state: string
  starts_at: Date
  ends_at: Date | null
  open: boolean
  channel: string | null
  number: string | null
  type_name: string | null
  temporary: boolean
}

/**
 * What entitles a plate to park at a time and place: paid sessions covering that instant, stays
 * inside a gated facility (which pay at the exit), permits the plate was on at that instant (the
 * vehicle's span on the permit, so history answers for a past time) and visitor passes for that
 * day, where the permit's type is valid. One statement, always the same text (a handheld asks it
 * all day), each part narrowed by the plate on its own index.
 */
export async function rightsAt(sql: Db, q: RightsLookup): Promise<RightsView> {
  const rows = await sql<RightRow[]>`
    select 'session' as kind, s.public_id::text as ref, f.code, s.plate, s.state, s.starts_at, s.ends_at,
           s.status = 'open' as open, s.channel, null as number, null as type_name, false as temporary
      from parking.session s join parking.facility f on f.id = s.facility_id
     where s.plate = ${q.plate}
       and coalesce(s.ends_at, 'infinity') > ${q.at}
       and s.status in ('active', 'open')
       and s.starts_at <= ${q.at}
       and (${q.state}::text is null or s.state = ${q.state})
       and (${q.facility}::text is null or f.code = ${q.facility})
    union all
    select 'permit', p.public_id::text, ${q.facility}::text, v.plate, v.state, lower(v.during), upper(v.during),
           false, null, p.number, t.name, v.temporary
      from permits.vehicle v
      join permits.permit p on p.id = v.permit_id
      join permits.permit_type t on t.id = p.type_id
     where v.plate = ${q.plate}
       and v.during @> ${q.at}::timestamptz
       and (${q.state}::text is null or v.state = ${q.state})
       and (${q.facility}::text is null or exists (
             select from permits.type_facility tf join parking.facility f on f.id = tf.facility_id
              where tf.type_id = p.type_id and f.code = ${q.facility}
                and (p.facility_id is null or p.facility_id = f.id)))
    union all
    select 'visitor_pass', vp.public_id::text, ${q.facility}::text, vp.plate, vp.state, lower(vp.during),
           upper(vp.during), false, null, p.number, t.name, false
      from permits.visitor_pass vp
      join permits.permit p on p.id = vp.permit_id
      join permits.permit_type t on t.id = p.type_id
     where vp.plate = ${q.plate}
       and vp.during @> ${q.at}::timestamptz
       and vp.cancelled_at is null
       and (${q.state}::text is null or vp.state = ${q.state})
       and (${q.facility}::text is null or exists (
             select from permits.type_facility tf join parking.facility f on f.id = tf.facility_id
              where tf.type_id = p.type_id and f.code = ${q.facility}))
     order by 1 desc, 7 desc nulls first`
  const sessions = rows.filter((r) => r.kind === 'session')
  return {
    plate: q.plate,
    state: q.state,
    at: q.at.toISOString(),
    facility: q.facility,
    verdict: sessions.length > 0 ? 'paid' : rows.length > 0 ? 'permit' : 'none',
    rights: rows.map((r): RightsView['rights'][number] => {
      const span = {
        plate: r.plate,
        state: r.state,
        startsAt: r.starts_at.toISOString(),
        endsAt: r.ends_at?.toISOString() ?? null,
      }
      if (r.kind === 'session') {
        return { kind: 'session', session: r.ref, facility: r.code!, ...span, inFacility: r.open, channel: r.channel! }
      }
      const permit = { number: r.number!, type: r.type_name!, facility: r.code, ...span, temporary: r.temporary }
      return r.kind === 'permit' ? { kind: 'permit', permit: r.ref, ...permit } : { kind: 'visitor_pass', pass: r.ref, ...permit }
    }),
  }
}
