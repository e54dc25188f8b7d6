import { useEffect, useState } from 'preact/hooks'
import { cachedFacility, lookUpFacility, type KioskFacility } from './facilities.ts'

const REFRESH_MS = 10 * 60_000

export type HomeFacility =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; facility: KioskFacility }
  | { status: 'unavailable' }

/**
 * The zone the kiosk stands at, from the cache at once and then from the server, refreshed every
 * ten minutes and on reconnecting, so a tariff change reaches the pay station; offline it keeps
 * the cached copy.
 */
export function useHomeFacility(code: string | null, online: boolean): HomeFacility {
  const [state, setState] = useState<HomeFacility>(() => initial(code))

  useEffect(() => {
    if (code === null) {
      setState({ status: 'none' })
      return
    }
    let stopped = false
    const load = async () => {
      const found = await lookUpFacility(code)
      if (stopped) {
        return
      }
      if (found.found) {
        setState({ status: 'ready', facility: found.facility })
      } else {
        setState((s) => (s.status === 'ready' ? s : { status: 'unavailable' }))
      }
    }
    void load()
    const timer = setInterval(() => void load(), REFRESH_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [code, online])

  return state
}

function initial(code: string | null): HomeFacility {
  if (code === null) {
    return { status: 'none' }
  }
  const cached = cachedFacility(code)
  return cached ? { status: 'ready', facility: cached } : { status: 'loading' }
}
