import { useMemo } from 'preact/hooks'
import { API_BASE, ApiError, apiJson, messageOf } from '../../lib/api.ts'
import { useSession } from '../../lib/use-session.ts'
import type { Permit } from './permits.ts'

export interface PermitWrites {
  /** PATCH /permits/{id}: the renewal settings. */
  settings: (id: string, body: { autoRenew: boolean }) => Promise<Permit>
  /** POST /permits/{id}/documents: a proof sent as the file itself, named by ?name=. */
  upload: (id: string, file: File) => Promise<Permit>
}

/** The permit writes useApi has no verb for, with the CSRF token; a 401 ends the session. */
export function usePermitWrites(): PermitWrites {
  const { csrfToken, expired } = useSession()
  return useMemo(() => {
    const guard = async <T>(run: () => Promise<T>): Promise<T> => {
      try {
        return await run()
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          expired()
        }
        throw err
      }
    }
    return {
      settings: (id, body) =>
        guard(() =>
          apiJson<Permit>(`/permits/${encodeURIComponent(id)}`, {
            method: 'PATCH',
            body,
            csrfToken,
          }),
        ),
      upload: (id, file) =>
        guard(async () => {
          const headers: Record<string, string> = {
            accept: 'application/json',
            'content-type': file.type,
          }
          if (csrfToken) {
            headers['x-csrf-token'] = csrfToken
          }
          const path = `/permits/${encodeURIComponent(id)}/documents?name=${encodeURIComponent(file.name)}`
          let res: Response
          try {
            res = await fetch(API_BASE + path, {
              method: 'POST',
              headers,
              body: file,
              credentials: 'same-origin',
            })
          } catch (err) {
            throw new ApiError(0, 'network', `The file could not be sent: ${messageOf(err)}`)
          }
          if (!res.ok) {
            throw await errorOf(res)
          }
          return (await res.json()) as Permit
        }),
    }
  }, [csrfToken, expired])
}

async function errorOf(res: Response): Promise<ApiError> {
  const fallback =
    res.status === 413 ? 'The file is larger than 5 MB' : `The server answered ${res.status}`
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } }
    return new ApiError(res.status, body.error?.code ?? 'unknown', body.error?.message ?? fallback)
  } catch {
    return new ApiError(res.status, 'unknown', fallback)
  }
}
