import { useCallback, useEffect, useState } from 'preact/hooks'
import { KioskApiError, kioskJson } from './api.ts'

const TOKEN_KEY = 'curbline.kiosk.token'
const DEVICE_KEY = 'curbline.kiosk.device'
const RECHECK_MS = 60_000

export interface DeviceInfo {
  id: number
  kind: string
  name: string
}

export type DeviceState =
  | { status: 'checking' }
  | { status: 'unconfigured'; problem: string | null }
  | { status: 'ready'; device: DeviceInfo; token: string; verified: boolean }

export interface DeviceSession {
  state: DeviceState
  /** Checks a token with the server and keeps it when it belongs to a kiosk. */
  connect: (token: string) => Promise<void>
  signOut: () => void
}

/**
 * The pay station's identity: a device token kept in localStorage, checked with GET /devices/me
 * at start and every minute. Offline, the kiosk keeps running as the device it last verified.
 */
export function useDevice(): DeviceSession {
  const [state, setState] = useState<DeviceState>({ status: 'checking' })

  const verify = useCallback(async (token: string, signal?: AbortSignal): Promise<DeviceInfo> => {
    const device = await kioskJson<DeviceInfo>('/devices/me', token, signal)
    if (device.kind !== 'kiosk') {
      throw new KioskApiError('unauthorized', `That token belongs to a ${device.kind}, not a kiosk`)
    }
    return device
  }, [])

  const connect = useCallback(
    async (raw: string) => {
      const token = raw.trim()
      const device = await verify(token)
      store(token, device)
      setState({ status: 'ready', device, token, verified: true })
    },
    [verify],
  )

  const signOut = useCallback(() => {
    localStorage.removeItem(TOKEN_KEY)
    localStorage.removeItem(DEVICE_KEY)
    setState({ status: 'unconfigured', problem: null })
  }, [])

  // First run: a technician may open /kiosk/?token=... once; the token leaves the address bar.
  useEffect(() => {
    const abort = new AbortController()
    const url = new URL(location.href)
    const fromUrl = url.searchParams.get('token')
    if (fromUrl !== null) {
      url.searchParams.delete('token')
      history.replaceState(null, '', url.pathname + url.search + url.hash)
    }
    const token = fromUrl?.trim() || localStorage.getItem(TOKEN_KEY)
    if (!token) {
      setState({ status: 'unconfigured', problem: null })
      return
    }
    verify(token, abort.signal)
      .then((device) => {
        store(token, device)
        setState({ status: 'ready', device, token, verified: true })
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) {
          return
        }
        const cached = fromUrl === null ? readCachedDevice() : null
        if (err instanceof KioskApiError && err.kind !== 'unauthorized' && cached) {
          setState({ status: 'ready', device: cached, token, verified: false })
          return
        }
        if (fromUrl === null && err instanceof KioskApiError && err.kind === 'unauthorized') {
          localStorage.removeItem(TOKEN_KEY)
        }
        setState({ status: 'unconfigured', problem: problemOf(err) })
      })
    return () => abort.abort()
  }, [verify])

  // A token revoked from the admin pages takes the kiosk out of service within a minute.
  const token = state.status === 'ready' ? state.token : null
  useEffect(() => {
    if (!token) {
      return
    }
    const timer = setInterval(() => {
      verify(token)
        .then((device) => {
          store(token, device)
          setState({ status: 'ready', device, token, verified: true })
        })
        .catch((err: unknown) => {
          if (err instanceof KioskApiError && err.kind === 'unauthorized') {
            localStorage.removeItem(TOKEN_KEY)
            localStorage.removeItem(DEVICE_KEY)
            setState({ status: 'unconfigured', problem: problemOf(err) })
          }
        })
    }, RECHECK_MS)
    return () => clearInterval(timer)
  }, [token, verify])

  return { state, connect, signOut }
}

function store(token: string, device: DeviceInfo): void {
  localStorage.setItem(TOKEN_KEY, token)
  localStorage.setItem(DEVICE_KEY, JSON.stringify(device))
}

function readCachedDevice(): DeviceInfo | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(DEVICE_KEY) ?? 'null')
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as DeviceInfo).id === 'number' &&
      typeof (value as DeviceInfo).name === 'string'
    ) {
      return value as DeviceInfo
    }
  } catch {
    // a damaged cache is the same as none
  }
  return null
}

export function problemOf(err: unknown): string {
  if (err instanceof KioskApiError) {
    if (err.kind === 'unauthorized') {
      return `This kiosk’s token was not accepted: ${err.message}. A technician needs to enter a valid token.`
    }
    return `${err.message}. Check the network, then try again.`
  }
  return 'The token could not be checked. Try again.'
}
