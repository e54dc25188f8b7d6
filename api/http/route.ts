import { Hono, type Context } from 'hono'
import { z, type ZodType } from 'zod'
import { AppError, zodDetails } from './errors.ts'
import type { AppEnv, Principal, Role, DeviceKind } from './context.ts'
import { withIdempotency, type IdempotencyMode } from './idempotency.ts'

/** Who may call a route: anyone, any signed-in person, a role, or a kind of device. */
export type Access = 'public' | 'signed_in' | Role | DeviceKind

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface ResponseSpec {
  description: string
  schema?: ZodType
  /** Other media types the route can answer with, e.g. text/csv. */
  alsoAs?: string[]
}

export interface RouteSpec<P, Q, B> {
  method: Method
  path: string
  summary: string
  description?: string
  access: readonly Access[]
  params?: ZodType<P>
  query?: ZodType<Q>
  body?: ZodType<B>
  /** A raw request body of these media types instead of JSON (e.g. CSV uploads). */
  rawBody?: string[]
  /** Retried POSTs that move money must carry an Idempotency-Key; the reply is replayed. */
  idempotency?: IdempotencyMode
  responses: Record<number, ResponseSpec>
}

export interface RouteInput<P, Q, B> {
  params: P
  query: Q
  body: B
  principal: Principal | null
}

export interface RegisteredRoute {
  tag: string
  fullPath: string
  spec: RouteSpec<unknown, unknown, unknown>
}

/** Every route of the API, in definition order; OpenAPI and the authorisation tests read this. */
export const registry: RegisteredRoute[] = []

export const API_BASE = '/api/v1'

export interface Router {
  app: Hono<AppEnv>
  prefix: string
  route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
    spec: RouteSpec<P, Q, B>,
    handler: (c: Context<AppEnv>, input: RouteInput<P, Q, B>) => Response | Promise<Response>,
  ): void
}

/** A sub-app for one resource, mounted by app.ts at API_BASE + prefix. */
export function router(prefix: string, tag: string): Router {
  const app = new Hono<AppEnv>()
  return {
    app,
    prefix,
    route(spec, handler) {
      if (spec.access.length === 0) {
        throw new Error(`route ${spec.method} ${prefix}${spec.path} declares no access`)
      }
      registry.push({
        tag,
        fullPath: API_BASE + prefix + (spec.path === '/' ? '' : spec.path),
        spec: spec as RouteSpec<unknown, unknown, unknown>,
      })
      app.on(spec.method.toUpperCase(), spec.path, async (c) => {
        const principal = c.get('principal')
        authorise(spec.access, principal)
        const params = parse(spec.params, c.req.param(), 'params')
        const query = parse(spec.query, queryObject(c), 'query')
        let body: unknown = undefined
        let text = ''
        if (spec.body) {
          text = await readJsonText(c)
          body = parse(spec.body, parseJson(text), 'body')
        }
        const run = async () =>
          handler(c, { params: params as never, query: query as never, body: body as never, principal })
        return spec.idempotency ? withIdempotency(c, spec.idempotency, principal, text, run) : run()
      })
    },
  }
}

export function authorise(access: readonly Access[], principal: Principal | null): void {
  if (access.includes('public')) {
    return
  }
  if (!principal) {
    throw new AppError('unauthenticated', 'Sign in to do this')
  }
  if (principal.kind === 'user') {
    if (access.includes('signed_in') || access.includes(principal.role)) {
      return
    }
  } else if (access.includes(principal.deviceKind)) {
    return
  }
  throw new AppError('forbidden', 'You are not allowed to do this')
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T | undefined {
  if (!schema) {
    return undefined
  }
  const result = schema.safeParse(value)
  if (!result.success) {
    const what = where === 'body' ? 'The request body is' : `The ${where} are`
    throw new AppError('invalid', `${what} not valid`, zodDetails(result.error, where))
  }
  return result.data
}

// Hono has the query parsed already; a URL object per request costs the hottest reads more.
function queryObject(c: Context<AppEnv>): Record<string, string> {
  return c.req.query()
}

async function readJsonText(c: Context<AppEnv>): Promise<string> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send the request body as application/json')
  }
  const text = await c.req.text()
  if (text.trim() === '') {
    throw new AppError('invalid', 'The request body is empty; send a JSON object')
  }
  return text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('invalid', 'The request body is not valid JSON')
  }
}

/** Path ids: positive integers, so '/customers/abc' is a 400 that names the field. */
export const IdParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
