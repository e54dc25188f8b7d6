import { useEffect, useState } from 'preact/hooks'

const POLL_MS = 15_000
const TIMEOUT_MS = 5_000

export type Connection = 'checking' | 'online' | 'degraded' | 'offline'

export interface ConnectionState {
  status: Connection
  checkedAt: Date | null
}

/** Polls GET /api/v1/health; "degraded" means the server answered but its database did not. */
export function useConnection(): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: 'checking', checkedAt: null })

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
        timer = setTimeout(() => void check(), POLL_MS)
      }
    }

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

  return state
}
