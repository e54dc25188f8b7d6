export const API_BASE = '/api/v1'

export type FailureKind = 'unauthorized' | 'network' | 'server'

/** Why a kiosk request failed: a bad token, no network, or the server's own trouble. */
export class KioskApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status = 0,
  ) {
    super(message)
    this.name = 'KioskApiError'
  }
}

export async function kioskJson<T>(
  path: string,
  token: string | null,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (token) {
    headers.authorization = `Bearer ${token}`
  }
  let res: Response
  try {
    res = await fetch(API_BASE + path, { headers, cache: 'no-store', signal })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') {
      throw err
    }
    throw new KioskApiError('network', 'The pay station cannot reach the city’s servers')
  }
  if (res.status === 401 || res.status === 403) {
    throw new KioskApiError('unauthorized', await messageOf(res), res.status)
  }
  if (!res.ok) {
    throw new KioskApiError('server', await messageOf(res), res.status)
  }
  return (await res.json()) as T
}

async function messageOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: unknown } }
    if (typeof body.error?.message === 'string') {
      return body.error.message
    }
  } catch {
    // not the API's JSON error shape; fall through to the status line
  }
  return `The server answered ${res.status}`
}

/** The API's one error shape, or what the kiosk makes of a reply without it. */
export interface ApiError {
  code: string
  message: string
  details: unknown
}

/** A reply as the caller needs to tell it apart; status 0 means the server was not reached. */
export type ApiOutcome<T> =
  | { ok: true; status: number; body: T; headers: Headers }
  | { ok: false; status: number; error: ApiError }

/**
 * A request that never throws: a payment must know whether the server answered, and how. A
 * reply that does not arrive within timeoutMs counts as not reached.
 */
export async function kioskRequest<T>(
  method: 'GET' | 'POST',
  path: string,
  token: string | null,
  init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ApiOutcome<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers }
  if (token) {
    headers.authorization = `Bearer ${token}`
  }
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json'
  }
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), init.timeoutMs ?? 10_000)
  try {
    const res = await fetch(API_BASE + path, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
      signal: abort.signal,
    })
    const text = await res.text()
    let parsed: unknown = null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // a proxy's HTML error page: not the API speaking
    }
    if (res.ok) {
      return { ok: true, status: res.status, body: parsed as T, headers: res.headers }
    }
    const error = (parsed as { error?: Partial<ApiError> } | null)?.error
    return {
      ok: false,
      status: res.status,
      error: {
        code: typeof error?.code === 'string' ? error.code : 'http_error',
        message:
          typeof error?.message === 'string' ? error.message : `The server answered ${res.status}`,
        details: error?.details ?? null,
      },
    }
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'unreachable', message: 'No answer', details: null },
    }
  } finally {
    clearTimeout(timer)
  }
}
