import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AppEnv, Principal } from './context.ts'
import { AppError } from './errors.ts'
import { resolveSession, SESSION_COOKIE } from '../auth/sessions.ts'
import { resolveDevice } from '../auth/devices.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Works out who is calling: a device by its bearer token, or a person by session cookie. A
 * cookie-authenticated write must carry the session's CSRF token in X-CSRF-Token; bearer tokens
 * are not sent by browsers on their own, so they need none.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { sql } = c.get('deps')
    let principal: Principal | null = null
    const authorization = c.req.header('authorization')
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization)
      principal = match?.[1] ? await resolveDevice(sql, match[1]) : null
      if (!principal) {
        throw new AppError('unauthenticated', 'That device token is not valid or has been revoked')
      }
    } else {
      const token = getCookie(c, SESSION_COOKIE)
      if (token) {
        principal = await resolveSession(sql, token)
        if (principal && !SAFE_METHODS.has(c.req.method)) {
          if (c.req.header('x-csrf-token') !== principal.csrfToken) {
            throw new AppError(
              'csrf_failed',
              'This request is missing its CSRF token; reload the page and try again',
            )
          }
        }
      }
    }
    c.set('principal', principal)
    await next()
  }
}

/** Customers see only their own record; anyone else's is answered as if it did not exist. */
export function canReadCustomer(principal: Principal | null, customerId: number): boolean {
  if (!principal || principal.kind !== 'user') {
    return false
  }
  if (principal.role === 'driver') {
    return principal.customerId === customerId
  }
  return principal.role === 'supervisor' || principal.role === 'finance' || principal.role === 'admin'
}

export function assertCustomerAccess(principal: Principal | null, customerId: number): void {
  if (!canReadCustomer(principal, customerId)) {
    throw new AppError('not_found', 'Customer not found')
  }
}
