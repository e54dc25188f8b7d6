import type { Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import type { Role, UserPrincipal } from '../http/context.ts'
import { verifyPassword, DUMMY_HASH_PROMISE } from './passwords.ts'
import { hashToken, newToken } from './tokens.ts'
import { hit, peek, type Limit } from './rate-limit.ts'

export const SESSION_COOKIE = 'curbline_session'

const accountLimit = (email: string): Limit => ({
  bucket: `signin:account:${email.toLowerCase()}`,
  max: 5,
  windowSeconds: 15 * 60,
})
const ipLimit = (ip: string): Limit => ({ bucket: `signin:ip:${ip}`, max: 30, windowSeconds: 15 * 60 })

export interface SignIn {
  email: string
  password: string
  ip: string
  userAgent: string | null
  ttlHours: number
}

export interface NewSession {
  token: string
  csrfToken: string
  expiresAt: Date
  user: { id: number; role: Role; customerId: number | null; displayName: string; email: string }
}

/**
 * Checks a password and opens a session. Failed attempts count against the account and the
 * address; past either limit every attempt is refused until the window ends, right or wrong.
 */
export async function signIn(sql: Db, input: SignIn): Promise<NewSession> {
  for (const limit of [accountLimit(input.email), ipLimit(input.ip)]) {
    const state = await peek(sql, limit)
    if (!state.allowed) {
      throw new AppError(
        'rate_limited',
        'Too many sign-in attempts; wait a few minutes and try again',
        { retryAfterSeconds: state.retryAfter },
        { 'Retry-After': String(state.retryAfter) },
      )
    }
  }
  const [user]: [
    { id: number; role: Role; customer_id: number | null; display_name: string; email: string; password_hash: string; disabled_at: Date | null }?,
  ] = await sql`
    select id, role, customer_id, display_name, email, password_hash, disabled_at
      from app.user_account where lower(email) = lower(${input.email})`
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await DUMMY_HASH_PROMISE))
  if (!user || !ok || user.disabled_at) {
    await hit(sql, accountLimit(input.email))
    await hit(sql, ipLimit(input.ip))
    throw new AppError('unauthenticated', 'That email and password do not match an account')
  }
  const token = newToken()
  const csrfToken = newToken()
  const [session]: [{ expires_at: Date }?] = await sql`
    insert into app.session (token_hash, user_id, csrf_token, expires_at, ip, user_agent)
    values (${hashToken(token)}, ${user.id}, ${csrfToken},
            now() + make_interval(hours => ${input.ttlHours}), ${input.ip}, ${input.userAgent})
    returning expires_at`
  if (!session) {
    throw new Error('session insert returned nothing')
  }
  return {
    token,
    csrfToken,
    expiresAt: session.expires_at,
    user: {
      id: user.id,
      role: user.role,
      customerId: user.customer_id,
      displayName: user.display_name,
      email: user.email,
    },
  }
}

export async function resolveSession(sql: Db, token: string): Promise<UserPrincipal | null> {
  const tokenHash = hashToken(token)
  const [row]: [
    { user_id: number; role: Role; customer_id: number | null; display_name: string; email: string; csrf_token: string }?,
  ] = await sql`
    select s.user_id, u.role, u.customer_id, u.display_name, u.email, s.csrf_token
      from app.session s join app.user_account u on u.id = s.user_id
     where s.token_hash = ${tokenHash} and s.expires_at > now() and u.disabled_at is null`
  if (!row) {
    return null
  }
  return {
    kind: 'user',
    userId: row.user_id,
    role: row.role,
    customerId: row.customer_id,
    displayName: row.display_name,
    email: row.email,
    csrfToken: row.csrf_token,
    sessionHash: tokenHash,
  }
}

export async function signOut(sql: Db, sessionHash: string): Promise<void> {
  await sql`delete from app.session where token_hash = ${sessionHash}`
}

export async function pruneSessions(sql: Db): Promise<number> {
  const rows = await sql`delete from app.session where expires_at < now() returning 1`
  return rows.length
}
