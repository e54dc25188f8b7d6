import type { Db } from '../../db/connect.ts'
import type { RightsView } from './schemas.ts'

export interface RightsLookup {
  plate: string
  state: string | null
  at: Date
  facility: string | null
}

interface RightRow {
  public_id: string
  code: string
  plate: string
  state: string
  starts_at: Date
  ends_at: Date | null
  status: 'active' | 'open'
  channel: string
}

/**
 * What entitles a plate to park at a time and place: paid sessions covering that instant, and
 * stays inside a gated facility (which pay at the exit). One indexed statement, always the same
 * text (an enforcement handheld asks it all day): the plate and the end narrow to the sessions
 * still running, and the facility is matched by code in the same join.
 */
export async function rightsAt(sql: Db, q: RightsLookup): Promise<RightsView> {
  const rows = await sql<RightRow[]>`
    select s.public_id, f.code, s.plate, s.state, s.starts_at, s.ends_at, s.status, s.channel
      from parking.session s join parking.facility f on f.id = s.facility_id
     where s.plate = ${q.plate}
       and coalesce(s.ends_at, 'infinity') > ${q.at}
       and s.status in ('active', 'open')
       and s.starts_at <= ${q.at}
       and (${q.state}::text is null or s.state = ${q.state})
       and (${q.facility}::text is null or f.code = ${q.facility})
     order by s.ends_at desc nulls first`
  return {
    plate: q.plate,
    state: q.state,
    at: q.at.toISOString(),
    facility: q.facility,
    verdict: rows.length > 0 ? 'paid' : 'none',
    rights: rows.map((r) => ({
      kind: 'session' as const,
      session: r.public_id,
      facility: r.code,
      plate: r.plate,
      state: r.state,
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at?.toISOString() ?? null,
      inFacility: r.status === 'open',
      channel: r.channel,
    })),
  }
}
