// This phone as a city handheld: an optional device token (Admin → Devices), kept in
// localStorage. With one, a citation written offline is numbered here, H<device id>-<n>, so the
// notice left on the car carries its number; it is sent later under the device's token (the API
// takes such numbers from a handheld device only). Without one, it is numbered when it is sent.

const KEY = 'curbline.handheld.device'
const COUNTER = 'curbline.handheld.number'
/** Offline numbers count minutes from here, so a phone that lost its counter does not repeat one. */
const EPOCH = Date.UTC(2026, 0, 1)
const MAX_N = 9_999_999

export interface HandheldDevice {
  token: string
  id: number
  name: string
}

export function readDevice(): HandheldDevice | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<HandheldDevice> | null
    return value && typeof value.token === 'string' && typeof value.id === 'number'
      ? { token: value.token, id: value.id, name: String(value.name ?? `Handheld ${value.id}`) }
      : null
  } catch {
    return null
  }
}

export function saveDevice(device: HandheldDevice): void {
  localStorage.setItem(KEY, JSON.stringify(device))
}

export function forgetDevice(): void {
  localStorage.removeItem(KEY)
}

/**
 * The next offline number, H<device>-<n>: n rises by one each time and is never below the
 * minutes since 2026 began, so numbering starts again safely after the phone's storage is wiped.
 */
export function nextOfflineNumber(device: HandheldDevice, now = Date.now()): string {
  const key = `${COUNTER}.${device.id}`
  const last = Number(localStorage.getItem(key) ?? '0') || 0
  const minutes = Math.floor((now - EPOCH) / 60_000)
  const n = Math.min(MAX_N, Math.max(last + 1, minutes))
  localStorage.setItem(key, String(n))
  return `H${device.id}-${n}`
}

/** Checks a token with the server: it must belong to a handheld. */
export async function verifyDevice(token: string): Promise<HandheldDevice> {
  let res: Response
  try {
    res = await fetch('/api/v1/devices/me', {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    })
  } catch {
    throw new Error('Curbline could not be reached to check the token. Try again when online.')
  }
  if (res.status === 401) {
    throw new Error('That token is not valid, or it has been revoked.')
  }
  if (!res.ok) {
    throw new Error(`The server answered ${res.status} when checking the token.`)
  }
  const device = (await res.json()) as { id: number; kind: string; name: string }
  if (device.kind !== 'handheld') {
    throw new Error(`That token belongs to a ${device.kind}, not a handheld.`)
  }
  return { token, id: device.id, name: device.name }
}
