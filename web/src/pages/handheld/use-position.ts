import { useEffect, useState } from 'preact/hooks'

export interface Fix {
  lat: number
  lon: number
  /** Metres, as the phone reports it. */
  accuracy: number
}

export type PositionState =
  | { status: 'waiting'; fix: null }
  | { status: 'on'; fix: Fix }
  | { status: 'denied' | 'unavailable'; fix: Fix | null }

/**
 * Where the phone is, followed while the handheld is open. The browser asks once; refused or
 * unavailable, checks go without GPS and the ambassador names the zone.
 */
export function usePosition(): PositionState {
  const [state, setState] = useState<PositionState>({ status: 'waiting', fix: null })
  useEffect(() => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      setState({ status: 'unavailable', fix: null })
      return
    }
    const id = navigator.geolocation.watchPosition(
      (p) =>
        setState({
          status: 'on',
          fix: { lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy },
        }),
      (err) =>
        setState((s) => ({
          status: err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable',
          fix: s.fix,
        })),
      { enableHighAccuracy: true, maximumAge: 15_000, timeout: 30_000 },
    )
    return () => navigator.geolocation.clearWatch(id)
  }, [])
  return state
}
