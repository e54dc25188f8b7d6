import type { Db } from '../../db/connect.ts'

/**
 * Cars parked per facility now: paid sessions running and stays inside gated facilities. Read
 * through the partial indexes on running and open sessions, so the past does not slow it.
 */
export async function occupancyNow(sql: Db, now = new Date()): Promise<Map<number, number>> {
  const rows = await sql<{ facility_id: number; parked: number }[]>`
    select facility_id, count(*)::int as parked from (
      select facility_id from parking.session
       where status = 'active' and ends_at > ${now} and starts_at <= ${now}
      union all
      select facility_id from parking.session where status = 'open'
    ) running
    group by facility_id`
  return new Map(rows.map((r) => [r.facility_id, r.parked]))
}
