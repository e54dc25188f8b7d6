import { useCallback, useEffect, useState } from 'preact/hooks'
import { KioskApiError, kioskJson } from './api.ts'

const TOKEN_KEY = 'curbline.kiosk.token'
const DEVICE_KEY = 'curbline.kiosk.device'
const RECHECK_MS = 60_000

export interface DeviceInfo {
  id: number
  kind: string
  name: string
  /** The zone or facility code the kiosk stands at, which it sells for first. */
  facility: string | null
  /** It has a card reader (Stripe Terminal) the server sends card payments to. */
  cardReader: boolean
}

/** Why the kiosk is not in service, for the setup screen to say in the chosen language. */
export type Problem =
  | { kind: 'unauthorized'; detail: string }
  | { kind: 'not_kiosk'; deviceKind: string }
  | { kind: 'network' }
  | { kind: 'other' }

export type DeviceState =
  | { status: 'checking' }
  | { status: 'unconfigured'; problem: Problem | null }
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
      throw new NotAKiosk(device.kind)
    }
    return {
      id: device.id,
      kind: device.kind,
      name: device.name,
      facility: device.facility ?? null,
      cardReader: device.cardReader === true,
    }
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
      const device = value as DeviceInfo
      return { ...device, facility: typeof device.facility === 'string' ? device.facility : null }
    }
  } catch {
    // a damaged cache is the same as none
  }
  return null
}

class NotAKiosk extends KioskApiError {
  constructor(readonly deviceKind: string) {
    super('unauthorized', `That token belongs to a ${deviceKind}, not a kiosk`)
    this.name = 'NotAKiosk'
  }
}

export function problemOf(err: unknown): Problem {
  if (err instanceof NotAKiosk) {
    return { kind: 'not_kiosk', deviceKind: err.deviceKind }
  }
  if (err instanceof KioskApiError) {
    return err.kind === 'unauthorized'
      ? { kind: 'unauthorized', detail: err.message }
      : { kind: 'network' }
  }
  return { kind: 'other' }
}
