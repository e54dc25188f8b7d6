import type { SessionView } from '../../../api/sessions/schemas.ts'
import { kioskRequest, type ApiError } from './api.ts'

const STORE_KEY = 'curbline.kiosk.sales'

/**
 * A cash sale the server has not confirmed yet, kept in localStorage from the moment the cash is
 * in the box. sending: the kiosk is asking the server now (a sale found so after a restart was
 * interrupted and is queued); queued: waits to be replayed; failed: the server refused it.
 */
export interface Sale {
  saleId: string
  deviceId: number
  facility: string
  facilityName: string
  timeZone: string
  plate: string
  state: string
  minutes: number
  amountCents: number
  soldAt: string
  endsAt: string
  status: 'sending' | 'queued' | 'failed'
  failure: { status: number; code: string; message: string; at: string } | null
}

export type SaleOutcome =
  | { kind: 'paid'; session: SessionView; extended: boolean }
  /** Online only: the server's price differs from the kiosk's (a running session is extended). */
  | { kind: 'price'; quotedCents: number }
  | { kind: 'refused'; status: number; error: ApiError }
  /** The token was not accepted: nothing can be sent until a technician fixes it. */
  | { kind: 'unauthorized' }
  /** No answer, the server's own trouble, or a refusal that passes: try again later. */
  | { kind: 'unreachable' }

type Listener = () => void
const listeners = new Set<Listener>()

export function readSales(): Sale[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORE_KEY) ?? '[]')
    return Array.isArray(value) ? (value as Sale[]) : []
  } catch {
    return []
  }
}

/** Writes the whole list; localStorage writes are synchronous, so no sale is half-saved. */
function writeSales(sales: Sale[]): void {
  localStorage.setItem(STORE_KEY, JSON.stringify(sales))
  for (const listener of listeners) {
    listener()
  }
}

export function saveSale(sale: Sale): void {
  const sales = readSales().filter((s) => s.saleId !== sale.saleId)
  sales.push(sale)
  sales.sort((a, b) => a.soldAt.localeCompare(b.soldAt))
  writeSales(sales)
}

export function removeSale(saleId: string): void {
  writeSales(readSales().filter((s) => s.saleId !== saleId))
}

/** Sales the kiosk was sending when it stopped may or may not have reached the server: replay. */
export function recoverInterruptedSales(): void {
  const sales = readSales()
  if (sales.some((s) => s.status === 'sending')) {
    writeSales(sales.map((s) => (s.status === 'sending' ? { ...s, status: 'queued' } : s)))
  }
}

export function onSalesChange(listener: Listener): () => void {
  listeners.add(listener)
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORE_KEY) {
      listener()
    }
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}

/**
 * Sells online: the server checks the amount against its own quote. The Idempotency-Key differs
 * from a replay's (the bodies differ), but the server writes one purchase per sale id whatever
 * the key, so a sale that reached it and is replayed later is not written twice.
 */
export function sendOnline(token: string, sale: Sale): Promise<SaleOutcome> {
  return send(token, sale, `${sale.saleId}.online`, {
    method: 'cash',
    amountCents: sale.amountCents,
    saleId: sale.saleId,
  })
}

/** Replays a sale made offline: the kiosk's price stands and the session starts when it was sold. */
export function replaySale(token: string, sale: Sale): Promise<SaleOutcome> {
  return send(token, sale, sale.saleId, {
    method: 'cash',
    amountCents: sale.amountCents,
    saleId: sale.saleId,
    soldAt: sale.soldAt,
  })
}

async function send(token: string, sale: Sale, key: string, payment: object): Promise<SaleOutcome> {
  const res = await kioskRequest<SessionView>('POST', '/sessions', token, {
    headers: { 'idempotency-key': key },
    body: {
      facility: sale.facility,
      plate: sale.plate,
      state: sale.state,
      minutes: sale.minutes,
      payment,
    },
    timeoutMs: 12_000,
  })
  if (res.ok) {
    return {
      kind: 'paid',
      session: res.body,
      extended: res.headers.get('x-session-extended') === 'true',
    }
  }
  if (res.status === 401) {
    return { kind: 'unauthorized' }
  }
  if (transient(res.status, res.error)) {
    return { kind: 'unreachable' }
  }
  const quoted = quotedCentsOf(res.error)
  if (res.status === 409 && quoted !== null) {
    return { kind: 'price', quotedCents: quoted }
  }
  return { kind: 'refused', status: res.status, error: res.error }
}

// Another request under the same key still running answers 409 without details.
function transient(status: number, error: ApiError): boolean {
  return (
    status === 0 ||
    status >= 500 ||
    status === 408 ||
    status === 423 ||
    status === 429 ||
    (status === 409 && error.code === 'conflict' && error.details === null)
  )
}

function quotedCentsOf(error: ApiError): number | null {
  if (!Array.isArray(error.details)) {
    return null
  }
  for (const d of error.details as unknown[]) {
    if (
      typeof d === 'object' &&
      d !== null &&
      typeof (d as { quotedCents?: unknown }).quotedCents === 'number'
    ) {
      return (d as { quotedCents: number }).quotedCents
    }
  }
  return null
}

/** The tariff rule a 400 names, e.g. stay_too_long. */
export function ruleOf(error: ApiError): string | null {
  if (!Array.isArray(error.details)) {
    return null
  }
  const first: unknown = error.details[0]
  return typeof first === 'object' &&
    first !== null &&
    typeof (first as { rule?: unknown }).rule === 'string'
    ? (first as { rule: string }).rule
    : null
}

/** A v4 UUID; crypto.randomUUID exists only on secure origins, a pay station's LAN may not be one. */
export function newSaleId(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
