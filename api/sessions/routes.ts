import type { Context } from 'hono'
import { router } from '../http/route.ts'
import { AppError } from '../http/errors.ts'
import type { AppEnv, Principal } from '../http/context.ts'
import { principalKey, requestHash } from '../http/idempotency.ts'
import { checkPlate, normaliseJurisdiction, normalisePlate } from '../customers/plates.ts'
import { facilityByCode } from '../facilities/facilities.ts'
import {
  customerSessions,
  extendSession,
  quoteSessionExtension,
  sessionOfSale,
  sessionView,
  startSession,
  stopSession,
  type Plate,
  type Span,
} from './sessions.ts'
import { enter, exit, gateFacility, quoteExit, type GateRead } from './gates.ts'
import { rightsAt } from './rights.ts'
import { startCardSession } from './card.ts'
import { requireStripe } from '../payments/stripe.ts'
import type { Config } from '../config.ts'
import {
  ExtendBody,
  ExtensionQuoteBody,
  ExtensionQuoteView,
  GateEntryBody,
  GateExitBody,
  GateExitQuoteBody,
  GateExitQuoteView,
  RightsQuery,
  RightsView,
  SessionListQuery,
  SessionListView,
  SaleParams,
  SessionParams,
  SessionView,
  CardSessionView,
  StartBody,
  type PaymentInput,
} from './schemas.ts'

export const sessions = router('/sessions', 'Parking sessions')

const PAYING = {
  400: { description: 'Bad input, or a stay the tariff does not allow (the rule is named)' },
  401: { description: 'Billing a utility account needs a signed-in driver' },
  403: { description: 'Cash is for kiosks; account numbers are for the phone line' },
  404: { description: 'No such facility, zone or session' },
  409: { description: 'Closed facility, gated facility, session not running, or a cash amount that is not the price' },
  503: { description: 'Card payment is switched off' },
}

sessions.route(
  {
    method: 'post',
    path: '/',
    summary: 'Pay for parking: a plate at a zone or facility for a while',
    description:
      'From the web (a signed-in driver bills one of their utility accounts), a kiosk (cash, ' +
      "with the sale's own id, replayable after the kiosk was offline) or the phone line " +
      '(a utility account by number and service ZIP). A plate that already has time running ' +
      'there is extended, priced as a continuation, instead of paying twice: the reply says ' +
      'extended. Needs an Idempotency-Key.',
    access: ['public'],
    body: StartBody,
    idempotency: 'domain',
    responses: {
      201: {
        description:
          'Paid: the session and its receipt; by card, the session waits for its payment and ' +
          "payment carries the client secret for Stripe's Payment Element",
        schema: CardSessionView,
      },
      200: { description: 'The plate had time here: extended, or this purchase was already made', schema: SessionView },
      ...PAYING,
    },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const facility = await facilityByCode(sql, body.facility)
    const request = {
      facility,
      plate: plateOf(body.plate, body.state),
      span: spanOf(body),
      payment: body.payment,
      principal,
      notify: body.notify,
      key: purchaseKey(c, principal, body.payment),
      requestHash: purchaseHash(c, body),
      now: new Date(),
    }
    if (body.payment.method === 'card') {
      const card = await startCardSession(sql, requireStripe(config), request)
      return c.json(cardReply(card, config), 201)
    }
    const started = await startSession(sql, request)
    c.header('X-Session-Extended', String(started.extended))
    if (started.replayed) {
      c.header('Idempotent-Replayed', 'true')
    }
    return c.json(started.session, started.extended || started.replayed ? 200 : 201)
  },
)

sessions.route(
  {
    method: 'get',
    path: '/',
    summary: 'My parking sessions (staff: anyone’s, by customer or plate)',
    access: ['signed_in'],
    query: SessionListQuery,
    responses: {
      200: { description: 'Newest first, at most 100', schema: SessionListView },
      403: { description: 'Another customer’s sessions' },
    },
  },
  async (c, { query, principal }) => {
    if (principal?.kind !== 'user') {
      throw new AppError('forbidden', 'Only people list sessions')
    }
    const staff = principal.role !== 'driver'
    let customerId = query.customerId
    if (!staff) {
      if (principal.customerId === null) {
        return c.json({ sessions: [] })
      }
      if ((customerId !== undefined && customerId !== principal.customerId) || query.plate !== undefined) {
        throw new AppError('forbidden', 'You can see only your own sessions')
      }
      customerId = principal.customerId
    }
    const list = await customerSessions(c.get('deps').sql, {
      customerId,
      plate: query.plate === undefined ? undefined : normalisePlate(query.plate),
      current: query.current === 'true',
    })
    return c.json({ sessions: list })
  },
)

sessions.route(
  {
    method: 'get',
    path: '/:id',
    summary: 'A session’s receipt, by its receipt id (the QR code on the receipt)',
    description: 'The receipt id is unguessable: holding it is what a receipt is.',
    access: ['public'],
    params: SessionParams,
    responses: {
      200: { description: 'The receipt', schema: SessionView },
      404: { description: 'No such session' },
    },
  },
  async (c, { params }) => c.json(await sessionView(c.get('deps').sql, params.id)),
)

sessions.route(
  {
    method: 'get',
    path: '/by-sale/:device/:sale',
    summary: 'The receipt of a kiosk cash sale, by the kiosk and the sale’s own id',
    description:
      'What the QR code on a receipt printed while the kiosk was offline asks for: 404 until the ' +
      'kiosk has sent the sale, the session after. The sale id is unguessable.',
    access: ['public'],
    params: SaleParams,
    responses: {
      200: { description: 'The receipt', schema: SessionView },
      404: { description: 'Not sent yet, or no such sale' },
    },
  },
  async (c, { params }) =>
    c.json(await sessionOfSale(c.get('deps').sql, params.device, params.sale)),
)

sessions.route(
  {
    method: 'post',
    path: '/:id/extensions',
    summary: 'Add time to a running session, from its receipt',
    description:
      'Priced as a continuation of the stay (no new first hour), never past the maximum stay. ' +
      'Needs an Idempotency-Key.',
    access: ['public'],
    params: SessionParams,
    body: ExtendBody,
    idempotency: 'domain',
    responses: {
      200: { description: 'Extended; by card, once Stripe says the payment succeeded', schema: CardSessionView },
      ...PAYING,
    },
  },
  async (c, { params, body, principal }) => {
    const { sql, config } = c.get('deps')
    if (body.payment.method === 'card') {
      // the session must be running; the card purchase then extends it when Stripe says paid
      const stripe = requireStripe(config)
      const now = new Date()
      await quoteSessionExtension(sql, { sessionId: params.id, span: spanOf(body), now })
      const current = await sessionView(sql, params.id)
      const card = await startCardSession(sql, stripe, {
        facility: await facilityByCode(sql, current.facility.code),
        plate: { plate: current.plate, state: current.state, printed: current.platePrinted },
        span: spanOf(body),
        payment: body.payment,
        principal,
        key: purchaseKey(c, principal, body.payment),
        requestHash: purchaseHash(c, body),
        now,
      })
      return c.json(cardReply(card, config))
    }
    const view = await extendSession(sql, {
      sessionId: params.id,
      span: spanOf(body),
      payment: body.payment,
      principal,
      key: purchaseKey(c, principal, body.payment),
      requestHash: purchaseHash(c, body),
      now: new Date(),
    })
    return c.json(view)
  },
)

sessions.route(
  {
    method: 'post',
    path: '/:id/extensions/quote',
    summary: 'What adding time to a running session would cost now',
    access: ['public'],
    params: SessionParams,
    body: ExtensionQuoteBody,
    responses: {
      200: { description: 'The price of the extension', schema: ExtensionQuoteView },
      400: { description: 'Bad input, or past the maximum stay (the rule is named)' },
      404: { description: 'No such session' },
      409: { description: 'The session is not running' },
    },
  },
  async (c, { params, body }) => {
    const q = await quoteSessionExtension(c.get('deps').sql, {
      sessionId: params.id,
      span: spanOf(body),
      now: new Date(),
    })
    return c.json({
      session: params.id,
      from: q.paidUntil.toISOString(),
      to: q.end.toISOString(),
      minutes: q.quote.minutes,
      totalCents: q.quote.totalCents,
      lines: q.quote.lines,
    })
  },
)

sessions.route(
  {
    method: 'post',
    path: '/:id/stop',
    summary: 'Stop a session early',
    description:
      'Only the driver who bought it, or a supervisor. Unused time is refunded only where the ' +
      "facility's tariff says so (refundUnusedTime), to the utility account that paid.",
    access: ['signed_in'],
    params: SessionParams,
    idempotency: 'optional',
    responses: {
      200: { description: 'Stopped', schema: SessionView },
      403: { description: 'Not your session' },
      404: { description: 'No such session' },
      409: { description: 'Not running' },
    },
  },
  async (c, { params, principal }) =>
    c.json(await stopSession(c.get('deps').sql, { sessionId: params.id, principal, now: new Date() })),
)

export const gates = router('/gates', 'Gates')

gates.route(
  {
    method: 'post',
    path: '/entries',
    summary: 'A car enters a gated garage or Airport facility',
    description:
      'By plate read or ticket number; the gate prints a ticket number when it has none. The same ' +
      'plate or ticket already inside returns its stay.',
    access: ['gate'],
    body: GateEntryBody,
    idempotency: 'optional',
    responses: {
      201: { description: 'Entered', schema: SessionView },
      200: { description: 'Already inside', schema: SessionView },
      400: { description: 'Bad input' },
      403: { description: 'Another gate’s facility' },
      409: { description: 'Closed' },
    },
  },
  async (c, { body, principal }) => {
    const { sql } = c.get('deps')
    const facility = await gateFacility(sql, principal, body.facility)
    const entered = await enter(sql, {
      facility,
      read: readOf(body),
      deviceId: deviceIdOf(principal),
      at: body.at ? new Date(body.at) : new Date(),
    })
    return c.json(entered.session, entered.created ? 201 : 200)
  },
)

gates.route(
  {
    method: 'post',
    path: '/exits/quote',
    summary: 'What leaving costs now (the exit shows it before it takes payment)',
    access: ['gate'],
    body: GateExitQuoteBody,
    responses: {
      200: { description: 'The price to leave', schema: GateExitQuoteView },
      400: { description: 'Bad input, or an unknown entry where there is no lost-ticket rate' },
    },
  },
  async (c, { body, principal }) => {
    const { sql } = c.get('deps')
    const facility = await gateFacility(sql, principal, body.facility)
    const at = body.at ? new Date(body.at) : new Date()
    const q = await quoteExit(sql, { facility, read: readOf(body), at })
    return c.json({
      session: q.session,
      lostTicket: q.lostTicket,
      startsAt: q.startsAt?.toISOString() ?? null,
      endsAt: at.toISOString(),
      totalCents: q.quote.totalCents,
      lines: q.quote.lines,
      canBillAccount: q.canBillAccount,
    })
  },
)

gates.route(
  {
    method: 'post',
    path: '/exits',
    summary: 'A car leaves: pay (cash, or bill the owner’s utility account) and close the stay',
    description:
      'An exit with no known entry pays the lost-ticket rate. The exit id makes a retry write ' +
      'once. Needs an Idempotency-Key.',
    access: ['gate'],
    body: GateExitBody,
    idempotency: 'required',
    responses: { 200: { description: 'Paid and closed', schema: SessionView }, ...PAYING },
  },
  async (c, { body, principal }) => {
    const { sql } = c.get('deps')
    const facility = await gateFacility(sql, principal, body.facility)
    const view = await exit(sql, {
      facility,
      read: readOf(body),
      payment: body.payment,
      deviceId: deviceIdOf(principal),
      exitId: body.exitId,
      at: body.at ? new Date(body.at) : new Date(),
    })
    return c.json(view)
  },
)

export const rights = router('/rights', 'Enforcement')

rights.route(
  {
    method: 'get',
    path: '/',
    summary: 'What entitles a plate to park at a time and place',
    description:
      'Paid sessions covering that instant, stays inside gated facilities, permits the plate ' +
      'was on at that instant and visitor passes for that day, where they are valid. verdict is ' +
      'paid when a session covers the plate, permit when only a permit or pass does.',
    access: ['ambassador', 'supervisor', 'admin', 'handheld'],
    query: RightsQuery,
    responses: { 200: { description: 'The rights found', schema: RightsView } },
  },
  async (c, { query }) =>
    c.json(
      await rightsAt(c.get('deps').sql, {
        plate: normalisePlate(query.plate),
        state: query.state === undefined ? null : normaliseJurisdiction(query.state),
        at: query.at ? new Date(query.at) : new Date(),
        facility: query.facility?.toUpperCase() ?? null,
      }),
    ),
)

/** A card purchase's session, with what the browser needs to confirm the card (none when free). */
function cardReply(card: Awaited<ReturnType<typeof startCardSession>>, config: Config) {
  return {
    ...card.session,
    payment: card.payment && { ...card.payment, publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null },
  }
}

function plateOf(printed: string, state: string): Plate {
  const checked = checkPlate(printed, state)
  if (!checked.ok) {
    throw new AppError('invalid', checked.message, [{ field: `body.${checked.field}`, message: checked.message }])
  }
  return { plate: checked.plate, state: checked.state, printed: checked.printed }
}

function spanOf(body: { minutes?: number; end?: string }): Span {
  return body.end !== undefined ? { end: new Date(body.end) } : { minutes: body.minutes ?? 0 }
}

function readOf(body: { plate?: string; state?: string; ticket?: string }): GateRead {
  return {
    plate: body.plate !== undefined && body.state !== undefined ? plateOf(body.plate, body.state) : null,
    ticket: body.ticket?.toUpperCase() ?? null,
  }
}

function deviceIdOf(principal: Principal | null): number {
  if (principal?.kind !== 'device') {
    throw new AppError('forbidden', 'Only a device does this')
  }
  return principal.deviceId
}

/**
 * What a purchase asked for. A kiosk's cash sale is its sale id whatever else it says: a sale
 * sent online that the kiosk then queued as offline comes back with its sale time added.
 */
function purchaseHash(c: Context<AppEnv>, body: { payment: PaymentInput }): string | null {
  return body.payment.method === 'cash' ? null : requestHash(c, JSON.stringify(body))
}

/**
 * The purchase's own key. A kiosk's cash sale is keyed by its sale id, so a sale replayed after
 * the kiosk was offline, under whatever request key, is written once; everything else by the
 * caller's Idempotency-Key.
 */
function purchaseKey(c: Context<AppEnv>, principal: Principal | null, payment: PaymentInput): string {
  if (payment.method === 'cash' && principal?.kind === 'device') {
    return `kiosk:${principal.deviceId}:sale:${payment.saleId}`
  }
  return `${principalKey(principal, c)}:${c.req.header('idempotency-key') ?? ''}`
}
