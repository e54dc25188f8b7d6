import { useCallback, useRef } from 'preact/hooks'
import { API_BASE, ApiError } from './api.ts'
import { newIdempotencyKey } from './parking.ts'
import { useSession } from './use-session.ts'

export interface Paid<T> {
  data: T
  headers: Headers
}

export interface Purchase {
  /**
   * POSTs a payment with an Idempotency-Key. The same body sent again (a retry after an error or
   * a lost answer) reuses the attempt's key, so the server charges once; a changed body is a new
   * attempt with a new key.
   */
  pay: <T>(path: string, body: object) => Promise<Paid<T>>
  /** Forgets the attempt after it succeeded, so the next purchase is a new one. */
  done: () => void
}

export function usePurchase(): Purchase {
  const { csrfToken, expired } = useSession()
  const attempt = useRef<{ request: string; key: string } | null>(null)

  const pay = useCallback(
    async <T>(path: string, body: object): Promise<Paid<T>> => {
      const text = JSON.stringify(body)
      const request = `${path}\n${text}`
      if (attempt.current?.request !== request) {
        attempt.current = { request, key: newIdempotencyKey() }
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/json',
        'idempotency-key': attempt.current.key,
      }
      if (csrfToken) {
        headers['x-csrf-token'] = csrfToken
      }
      let res: Response
      try {
        res = await fetch(API_BASE + path, {
          method: 'POST',
          headers,
          body: text,
          credentials: 'same-origin',
        })
      } catch {
        throw new ApiError(
          0,
          'network',
          'Curbline could not be reached. Check your connection and try again: the same payment is never charged twice.',
        )
      }
      if (!res.ok) {
        const error = await errorOf(res)
        if (error.status === 401) {
          expired()
        }
        throw error
      }
      return { data: (await res.json()) as T, headers: res.headers }
    },
    [csrfToken, expired],
  )

  const done = useCallback(() => {
    attempt.current = null
  }, [])

  return { pay, done }
}

/** The API's error body as an ApiError (lib/api.ts reads it the same way for other requests). */
async function errorOf(res: Response): Promise<ApiError> {
  const fallback = `The server answered ${res.status} ${res.statusText}`.trim()
  try {
    const body = (await res.json()) as { error?: Partial<Record<string, unknown>> }
    const e = body.error ?? {}
    return new ApiError(
      res.status,
      typeof e.code === 'string' ? e.code : 'unknown',
      typeof e.message === 'string' ? e.message : fallback,
      e.details ?? null,
      typeof e.requestId === 'string' ? e.requestId : res.headers.get('x-request-id'),
    )
  } catch {
    return new ApiError(res.status, 'unknown', fallback, null, res.headers.get('x-request-id'))
  }
}
