import type { SessionView } from '../../../api/sessions/schemas.ts'
import { kioskRequest, type ApiError } from './api.ts'
import { newSaleId } from './sales.ts'

/*
  Cards at the kiosk's reader (Stripe Terminal, server-driven): the server makes the payment and
  sends it to this kiosk's reader; the kiosk only asks how it went, and can cancel it. Online only:
  a card needs Stripe, so offline the kiosk sells cash.
*/

export interface CardStarted {
  session: SessionView
  paymentId: string
}

export type CardOutcome = 'waiting' | 'succeeded' | 'failed' | 'canceled'

export async function startCard(
  token: string,
  sale: { facility: string; plate: string; state: string; minutes: number },
): Promise<{ ok: true; started: CardStarted } | { ok: false; status: number; error: ApiError }> {
  const res = await kioskRequest<SessionView & { payment: { id: string } | null }>('POST', '/sessions', token, {
    body: { ...sale, payment: { method: 'card' } },
    headers: { 'idempotency-key': newSaleId() },
    timeoutMs: 20_000,
  })
  if (!res.ok) {
    return res
  }
  if (!res.body.payment) {
    // nothing to charge (free at this time): the session is already granted
    return { ok: true, started: { session: res.body, paymentId: '' } }
  }
  return { ok: true, started: { session: res.body, paymentId: res.body.payment.id } }
}

export async function cardOutcome(token: string, paymentId: string): Promise<{ outcome: CardOutcome; failure: string | null }> {
  const res = await kioskRequest<{ status: string; failure: string | null }>('GET', `/payments/${paymentId}`, token)
  if (!res.ok) {
    return { outcome: 'waiting', failure: null }
  }
  const status = res.body.status
  return {
    outcome: status === 'succeeded' ? 'succeeded' : status === 'failed' ? 'failed' : status === 'canceled' ? 'canceled' : 'waiting',
    failure: res.body.failure,
  }
}

export async function cancelCard(token: string, paymentId: string): Promise<boolean> {
  const res = await kioskRequest('POST', `/payments/${paymentId}/cancel`, token)
  return res.ok
}

export async function sessionAfterCard(token: string, sessionId: string): Promise<SessionView | null> {
  const res = await kioskRequest<SessionView>('GET', `/sessions/${sessionId}`, token)
  return res.ok ? res.body : null
}

/** Whether this deployment takes cards at all (a Stripe key is configured). */
export async function cardsTaken(): Promise<boolean> {
  const res = await kioskRequest<{ card: boolean }>('GET', '/payments/options', null, { timeoutMs: 6_000 })
  return res.ok && res.body.card
}
