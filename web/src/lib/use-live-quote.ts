import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from './api.ts'
import { useApi } from './use-api.ts'

export interface LiveQuote<T> {
  data: T | null
  error: ApiError | null
  /** A request for the current choices is on its way (the last answer stays on screen). */
  pending: boolean
}

/** How often a quote on screen is asked again: prices follow the clock (bands, free hours). */
const REFRESH_MS = 60_000

/**
 * A price that follows the driver's choices: POSTs body to path a moment after it last changed
 * (so a run of clicks on a stepper asks once), again every minute while nothing changes, and
 * drops answers to choices that have since changed. A null body asks for nothing.
 */
export function useLiveQuote<T>(
  path: string | null,
  body: object | null,
  delayMs = 300,
): LiveQuote<T> {
  const api = useApi()
  const apiRef = useRef(api)
  apiRef.current = api
  const key = path === null || body === null ? null : `${path}\n${JSON.stringify(body)}`
  const [state, setState] = useState<LiveQuote<T>>({ data: null, error: null, pending: false })

  useEffect(() => {
    if (key === null || path === null || body === null) {
      setState({ data: null, error: null, pending: false })
      return
    }
    let current = true
    setState((s) => ({ ...s, pending: true }))
    const ask = () => {
      apiRef.current
        .post<T>(path, body)
        .then((data) => {
          if (current) {
            setState({ data, error: null, pending: false })
          }
        })
        .catch((err: unknown) => {
          if (current) {
            const error = err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err))
            setState({ data: null, error, pending: false })
          }
        })
    }
    const first = setTimeout(ask, delayMs)
    const again = setInterval(ask, REFRESH_MS)
    return () => {
      current = false
      clearTimeout(first)
      clearInterval(again)
    }
    // body is followed through key, its JSON: a new object with the same choices asks nothing
  }, [key, delayMs])

  return state
}
