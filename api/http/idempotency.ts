import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { Db } from '../../db/connect.ts'
import type { AppEnv, Principal } from './context.ts'
import { AppError } from './errors.ts'

const KEY_PATTERN = /^[\w.:-]{8,200}$/

/**
 * required/optional: the reply is stored and replayed here. domain: the key is required and
 * checked here, but the handler itself makes the retried operation happen once (a parking
 * purchase keeps its key, and a replay answers with the session as it is now), which spares the
 * hottest writes two statements.
 */
export type IdempotencyMode = 'required' | 'optional' | 'domain'

/** Whose idempotency keys these are: a key is unique per caller, not across callers. */
export function principalKey(principal: Principal | null, c: Context<AppEnv>): string {
  if (principal?.kind === 'user') {
    return `user:${principal.userId}`
  }
  if (principal?.kind === 'device') {
    return `device:${principal.deviceId}`
  }
  return `public:${c.req.header('x-forwarded-for') ?? 'anonymous'}`
}

/**
 * Replays the stored reply to a retried POST carrying the same Idempotency-Key, so a client that
 * lost the answer to a payment can ask again without paying twice. The same key with a different
 * body is refused; a request still being processed under the key answers 409.
 */
export async function withIdempotency(
  c: Context<AppEnv>,
  mode: IdempotencyMode,
  principal: Principal | null,
  rawBody: string,
  run: () => Promise<Response>,
): Promise<Response> {
  const key = c.req.header('idempotency-key')
  if (!key) {
    if (mode === 'required' || mode === 'domain') {
      throw new AppError('invalid', 'This request needs an Idempotency-Key header (a unique id per attempt)', [
        { field: 'headers.idempotency-key', message: 'Required' },
      ])
    }
    return run()
  }
  if (!KEY_PATTERN.test(key)) {
    throw new AppError('invalid', 'Idempotency-Key must be 8-200 letters, digits, or . _ : -', [
      { field: 'headers.idempotency-key', message: 'Invalid format' },
    ])
  }
  if (mode === 'domain') {
    return run()
  }
  const sql: Db = c.get('deps').sql
  const who = principalKey(principal, c)
  const hash = requestHash(c, rawBody)
  const [claimed] = await sql`
    insert into app.idempotent_request (principal, key, method, path, request_hash)
    values (${who}, ${key}, ${c.req.method}, ${c.req.path}, ${hash})
    on conflict (principal, key) do nothing
    returning key`
  if (!claimed) {
    const [prior]: [{ request_hash: string; status: number | null; response: unknown }?] = await sql`
      select request_hash, status, response from app.idempotent_request
       where principal = ${who} and key = ${key}`
    if (!prior || prior.request_hash !== hash) {
      throw new AppError('idempotency_conflict', 'That Idempotency-Key was used for a different request')
    }
    if (prior.status === null) {
      throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed')
    }
    c.header('Idempotent-Replayed', 'true')
    return c.json(prior.response as object, prior.status as 200)
  }
  let response: Response
  try {
    response = await run()
  } catch (err) {
    // a refused request may be corrected and retried under the same key
    await sql`delete from app.idempotent_request where principal = ${who} and key = ${key}`
    throw err
  }
  const type = response.headers.get('content-type') ?? ''
  if (response.status < 500 && type.includes('application/json')) {
    const body: unknown = await response.clone().json()
    await sql`
      update app.idempotent_request set status = ${response.status}, response = ${sql.json(body as never)}
       where principal = ${who} and key = ${key}`
  } else {
    await sql`delete from app.idempotent_request where principal = ${who} and key = ${key}`
  }
  return response
}

/** What a request asked for: a reused key with another hash is a different request. */
export function requestHash(c: Context<AppEnv>, rawBody: string): string {
  return createHash('sha256').update(`${c.req.method} ${c.req.path}\n${rawBody}`).digest('hex')
}
