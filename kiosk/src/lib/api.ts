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
