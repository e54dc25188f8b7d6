import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { ZodError } from 'zod'
import type { AppEnv } from './context.ts'

export type ErrorCode =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'not_eligible'
  | 'idempotency_conflict'
  | 'locked'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_acceptable'
  | 'payment_failed'
  | 'card_payments_disabled'
  | 'service_unavailable'
  | 'internal'

const STATUS: Record<ErrorCode, 400 | 401 | 402 | 403 | 404 | 405 | 406 | 409 | 413 | 415 | 422 | 423 | 429 | 500 | 503> = {
  invalid: 400,
  unauthenticated: 401,
  payment_failed: 402,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  not_eligible: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_conflict: 422,
  locked: 423,
  rate_limited: 429,
  internal: 500,
  card_payments_disabled: 503,
  service_unavailable: 503,
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code]
}

/** The one error domain code throws; the handler below turns it into the one error shape. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`)

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown; requestId: string }
}

export function zodDetails(error: ZodError, where: string): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }))
}

// PostgreSQL errors a user's input can cause, rather than a fault of ours.
function fromPostgres(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null || !('code' in err)) {
    return null
  }
  const e = err as { code: string; message: string; detail?: string; constraint_name?: string }
  switch (e.code) {
    case '23505':
      return new AppError('conflict', 'That already exists', { constraint: e.constraint_name ?? null })
    case '23P01':
      return new AppError('conflict', 'That overlaps a record already there for the same time', {
        constraint: e.constraint_name ?? null,
      })
    case '23503':
      return new AppError('invalid', 'That refers to something that does not exist', {
        constraint: e.constraint_name ?? null,
      })
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new AppError('invalid', 'A value is out of range or malformed', { reason: e.message })
    case 'P0409':
      return new AppError('idempotency_conflict', e.message)
    default:
      return null
  }
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) {
    return err
  }
  if (err instanceof ZodError) {
    return new AppError('invalid', 'The request is not valid', zodDetails(err, ''))
  }
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthenticated' : 'invalid'
    return new AppError(code, err.message || 'The request is not valid')
  }
  if (err instanceof SyntaxError) {
    return new AppError('invalid', 'The request body is not valid JSON')
  }
  return fromPostgres(err) ?? new AppError('internal', 'Something went wrong on our side')
}

export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  const appError = toAppError(err)
  const requestId = c.get('requestId') ?? ''
  if (appError.code === 'internal') {
    c.get('log')?.error('request failed', { err: describe(err) })
  }
  const body: ErrorBody = {
    error: {
      code: appError.code,
      message: appError.message,
      details: appError.details,
      requestId,
    },
  }
  for (const [k, v] of Object.entries(appError.headers)) {
    c.header(k, v)
  }
  return c.json(body, statusOf(appError.code) as 400)
}

export function describe(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack }
  }
  return { value: String(err) }
}
