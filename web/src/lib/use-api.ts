import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { ApiError, apiFetch, apiJson } from './api.ts'
import { useSession } from './use-session.ts'

export interface Api {
  get: <T>(path: string, signal?: AbortSignal) => Promise<T>
  post: <T>(path: string, body?: unknown) => Promise<T>
  put: <T>(path: string, body: unknown) => Promise<T>
  patch: <T>(path: string, body: unknown) => Promise<T>
  /** POSTs a body as it is (a CSV file's text, an uploaded file) and reads the JSON reply. */
  postRaw: <T>(path: string, body: string | Blob, contentType: string) => Promise<T>
  del: (path: string) => Promise<void>
  /** Fetches path as accept and hands it to the browser as a file download. */
  download: (path: string, accept: string, filename: string) => Promise<void>
}

/** API calls as the signed-in person: the CSRF token on writes, and a 401 ends the session. */
export function useApi(): Api {
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
      get: <T>(path: string, signal?: AbortSignal) => guard(() => apiJson<T>(path, { signal })),
      post: <T>(path: string, body?: unknown) =>
        guard(() => apiJson<T>(path, { method: 'POST', body: body ?? {}, csrfToken })),
      put: <T>(path: string, body: unknown) =>
        guard(() => apiJson<T>(path, { method: 'PUT', body, csrfToken })),
      patch: <T>(path: string, body: unknown) =>
        guard(() => apiJson<T>(path, { method: 'PATCH', body, csrfToken })),
      postRaw: <T>(path: string, body: string | Blob, contentType: string) =>
        guard(() => apiJson<T>(path, { method: 'POST', raw: { body, contentType }, csrfToken })),
      del: (path: string) =>
        guard(async () => {
          await apiFetch(path, { method: 'DELETE', csrfToken })
        }),
      download: (path: string, accept: string, filename: string) =>
        guard(async () => {
          const res = await apiFetch(path, { accept })
          const url = URL.createObjectURL(await res.blob())
          const link = document.createElement('a')
          link.href = url
          link.download = filename
          document.body.append(link)
          link.click()
          link.remove()
          setTimeout(() => URL.revokeObjectURL(url), 10_000)
        }),
    }
  }, [csrfToken, expired])
}

export interface Resource<T> {
  data: T | null
  error: ApiError | null
  loading: boolean
  /** Fetches again, keeping the current data on screen until the new reply arrives. */
  reload: () => void
}

/** A GET that follows its path: null waits, a new path fetches again, stale replies are dropped. */
export function useResource<T>(path: string | null): Resource<T> {
  const api = useApi()
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(path !== null)
  const [generation, setGeneration] = useState(0)
  const apiRef = useRef(api)
  apiRef.current = api

  useEffect(() => {
    if (path === null) {
      return
    }
    const abort = new AbortController()
    setLoading(true)
    apiRef.current
      .get<T>(path, abort.signal)
      .then((value) => {
        setData(value)
        setError(null)
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) {
          return
        }
        setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err)))
      })
      .finally(() => {
        if (!abort.signal.aborted) {
          setLoading(false)
        }
      })
    return () => abort.abort()
  }, [path, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { data, error, loading, reload }
}
