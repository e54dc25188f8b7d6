import type { Db } from '../../db/connect.ts'

export interface Limit {
  bucket: string
  max: number
  windowSeconds: number
}

/**
 * Counts one hit in a fixed window and says whether the bucket is over its limit. The counter
 * lives in PostgreSQL so every API process sees the same count.
 */
export async function hit(sql: Db, limit: Limit): Promise<{ allowed: boolean; retryAfter: number }> {
  const [row]: [{ hits: number; retry_after: number }?] = await sql`
    insert into app.rate_limit (bucket, window_start, hits)
    values (
      ${limit.bucket},
      to_timestamp(floor(extract(epoch from now()) / ${limit.windowSeconds}) * ${limit.windowSeconds}),
      1
    )
    on conflict (bucket, window_start) do update set hits = app.rate_limit.hits + 1
    returning hits,
      ceil(extract(epoch from window_start) + ${limit.windowSeconds} - extract(epoch from now()))::int
        as retry_after`
  const hits = row?.hits ?? 0
  return { allowed: hits <= limit.max, retryAfter: Math.max(1, row?.retry_after ?? 1) }
}

/** Windows that ended long ago; run by the housekeeping job. */
export async function pruneRateLimits(sql: Db): Promise<number> {
  const rows = await sql`
    delete from app.rate_limit where window_start < now() - interval '1 day' returning 1`
  return rows.length
}

/** The current window's count without adding to it. */
export async function peek(sql: Db, limit: Limit): Promise<{ allowed: boolean; retryAfter: number }> {
  const [row]: [{ hits: number; retry_after: number }?] = await sql`
    select hits,
      ceil(extract(epoch from window_start) + ${limit.windowSeconds} - extract(epoch from now()))::int
        as retry_after
      from app.rate_limit
     where bucket = ${limit.bucket}
       and window_start = to_timestamp(
         floor(extract(epoch from now()) / ${limit.windowSeconds}) * ${limit.windowSeconds})`
  return { allowed: (row?.hits ?? 0) < limit.max, retryAfter: Math.max(1, row?.retry_after ?? 1) }
}
