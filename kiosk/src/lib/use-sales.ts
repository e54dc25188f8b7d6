import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { SessionView } from '../../../api/sessions/schemas.ts'
import type { ApiError } from './api.ts'
import type { KioskFacility } from './facilities.ts'
import type { ConnectionState } from './use-connection.ts'
import {
  onSalesChange,
  readSales,
  recoverInterruptedSales,
  removeSale,
  replaySale,
  saveSale,
  sendOnline,
  type Sale,
} from './sales.ts'

const RETRY_MS = 15_000

export interface SaleDraft {
  saleId: string
  facility: KioskFacility
  plate: string
  state: string
  minutes: number
  amountCents: number
}

export type SellResult =
  | { kind: 'paid'; session: SessionView; extended: boolean }
  /** Kept in the queue: the server could not be reached; the receipt says it is sent later. */
  | { kind: 'saved'; sale: Sale }
  | { kind: 'price'; quotedCents: number }
  | { kind: 'refused'; status: number; error: ApiError }

export interface Sales {
  /** This device's sales waiting to be replayed, oldest first. */
  waiting: Sale[]
  /** Refused by the server, or recorded by another device: for the technician. */
  failed: Sale[]
  syncing: boolean
  sell: (draft: SaleDraft) => Promise<SellResult>
  syncNow: () => void
  retry: (saleId: string) => void
}

/**
 * The kiosk's cash sales: sold online when the server answers, otherwise saved in the durable
 * queue and replayed, oldest first and one at a time, whenever the server is back. A sale leaves
 * the queue only on a 2xx; a refusal moves it to the technician's list.
 */
export function useSales(token: string, deviceId: number, connection: ConnectionState): Sales {
  const [sales, setSales] = useState<Sale[]>(() => {
    recoverInterruptedSales()
    return readSales()
  })
  const [syncing, setSyncing] = useState(false)
  const running = useRef(false)
  const { status, recheck } = connection

  useEffect(() => onSalesChange(() => setSales(readSales())), [])

  const sync = useCallback(async () => {
    if (running.current) {
      return
    }
    running.current = true
    setSyncing(true)
    try {
      await exclusively(async () => {
        for (;;) {
          const next = readSales().find((s) => s.status === 'queued' && s.deviceId === deviceId)
          if (!next) {
            return
          }
          const outcome = await replaySale(token, next)
          if (outcome.kind === 'paid') {
            removeSale(next.saleId)
            continue
          }
          if (outcome.kind === 'unreachable' || outcome.kind === 'unauthorized') {
            if (outcome.kind === 'unreachable') {
              recheck()
            }
            return
          }
          const error =
            outcome.kind === 'refused'
              ? { status: outcome.status, code: outcome.error.code, message: outcome.error.message }
              : {
                  status: 409,
                  code: 'conflict',
                  message: `The server priced it at ${outcome.quotedCents} cents`,
                }
          saveSale({
            ...next,
            status: 'failed',
            failure: { ...error, at: new Date().toISOString() },
          })
        }
      })
    } finally {
      running.current = false
      setSyncing(false)
    }
  }, [token, deviceId, recheck])

  const waiting = sales.filter((s) => s.status === 'queued' && s.deviceId === deviceId)
  const failed = sales.filter(
    (s) => s.status === 'failed' || (s.status === 'queued' && s.deviceId !== deviceId),
  )
  const hasWaiting = waiting.length > 0

  useEffect(() => {
    if (status !== 'online' || !hasWaiting) {
      return
    }
    void sync()
    const timer = setInterval(() => void sync(), RETRY_MS)
    return () => clearInterval(timer)
  }, [status, hasWaiting, sync])

  const sell = useCallback(
    async (draft: SaleDraft): Promise<SellResult> => {
      const soldAt = new Date()
      const sale: Sale = {
        saleId: draft.saleId,
        deviceId,
        facility: draft.facility.code,
        facilityName: draft.facility.name,
        timeZone: draft.facility.tariff.timeZone,
        plate: draft.plate,
        state: draft.state,
        minutes: draft.minutes,
        amountCents: draft.amountCents,
        soldAt: soldAt.toISOString(),
        endsAt: new Date(soldAt.getTime() + draft.minutes * 60_000).toISOString(),
        status: 'sending',
        failure: null,
      }
      // The cash is in the box: the sale is on disk before anything is sent.
      saveSale(sale)
      if (status === 'offline') {
        const queued: Sale = { ...sale, status: 'queued' }
        saveSale(queued)
        return { kind: 'saved', sale: queued }
      }
      const outcome = await sendOnline(token, sale)
      switch (outcome.kind) {
        case 'paid':
          removeSale(sale.saleId)
          return outcome
        case 'price':
        case 'refused':
          removeSale(sale.saleId)
          return outcome
        case 'unauthorized':
          removeSale(sale.saleId)
          return {
            kind: 'refused',
            status: 401,
            error: { code: 'unauthenticated', message: 'token not accepted', details: null },
          }
        case 'unreachable': {
          const queued: Sale = { ...sale, status: 'queued' }
          saveSale(queued)
          recheck()
          return { kind: 'saved', sale: queued }
        }
      }
    },
    [token, deviceId, status, recheck],
  )

  const retry = useCallback(
    (saleId: string) => {
      const sale = readSales().find((s) => s.saleId === saleId)
      if (sale && sale.deviceId === deviceId) {
        saveSale({ ...sale, status: 'queued', failure: null })
        void sync()
      }
    },
    [deviceId, sync],
  )

  return { waiting, failed, syncing, sell, syncNow: () => void sync(), retry }
}

/** One replay at a time across tabs too, where the browser has Web Locks. */
async function exclusively(fn: () => Promise<void>): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    await navigator.locks.request('curbline.kiosk.sales', fn)
    return
  }
  await fn()
}
