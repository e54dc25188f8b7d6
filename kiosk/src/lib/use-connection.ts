import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

const POLL_MS = 15_000
/** Offline, the kiosk looks for the network more often, so queued sales go out soon after. */
const OFFLINE_POLL_MS = 5_000
const TIMEOUT_MS = 5_000

export type Connection = 'checking' | 'online' | 'degraded' | 'offline'

export interface ConnectionState {
  status: Connection
  checkedAt: Date | null
  /** Checks again now, e.g. after a payment found the server unreachable. */
  recheck: () => void
}

/** Polls GET /api/v1/health; "degraded" means the server answered but its database did not. */
export function useConnection(): ConnectionState {
  const [state, setState] = useState<Omit<ConnectionState, 'recheck'>>({
    status: 'checking',
    checkedAt: null,
  })
  const checkRef = useRef<() => void>(() => {})

  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined

    const check = async () => {
      clearTimeout(timer)
      const abort = new AbortController()
      const timeout = setTimeout(() => abort.abort(), TIMEOUT_MS)
      let status: Connection
      try {
        const res = await fetch('/api/v1/health', { cache: 'no-store', signal: abort.signal })
        status = res.ok ? 'online' : 'degraded'
      } catch {
        status = 'offline'
      } finally {
        clearTimeout(timeout)
      }
      if (!stopped) {
        setState({ status, checkedAt: new Date() })
        clearTimeout(timer)
        timer = setTimeout(() => void check(), status === 'online' ? POLL_MS : OFFLINE_POLL_MS)
      }
    }
    checkRef.current = () => void check()

    const onOnline = () => void check()
    const onOffline = () => setState({ status: 'offline', checkedAt: new Date() })
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    void check()
    return () => {
      stopped = true
      clearTimeout(timer)
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
    }
  }, [])

  const recheck = useCallback(() => checkRef.current(), [])
  return { ...state, recheck }
}
