import type { Context } from 'hono'
import { router } from '../http/route.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { AppEnv, Principal } from '../http/context.ts'
import { checkPlate } from '../customers/plates.ts'
import { localTime } from '../facilities/local-time.ts'
import { facilityByCode } from '../facilities/facilities.ts'
import { stripeClient } from '../payments/stripe.ts'
import type { Config } from '../config.ts'
import { eligibilityFor } from './eligibility.ts'
import { applyForPermit, permitByPublicId, reviewPermit, type Permit, type RequestedVehicle } from './permits.ts'
import { payPermit, renewPermit, slotCents, type PayContext, type Paying } from './charges.ts'
import { endEarly } from './ending.ts'
import { firstTerm } from './terms.ts'
import { permitTypeByCode, permitTypes, saveZone, savePermitType, zones } from './types.ts'
import { addVehicle, removeVehicle } from './vehicles.ts'
import { cancelVisitorPass, issueVisitorPass } from './visitors.ts'
import { answerOffer, spacesLeft, waitlistOf, type OfferRules } from './waitlist.ts'
import { permitView, searchPermits, typeView } from './views.ts'
import { writeAudit } from '../auth/audit.ts'
import {
  ApplyBody,
  CancelBody,
  DocumentParams,
  EligibilityQuery,
  EligibilityView,
  OfferBody,
  PassBody,
  PassParams,
  PaymentBody,
  PayingView,
  PermitList,
  PermitListQuery,
  PermitParams,
  PermitTypeBody,
  PermitTypeList,
  PermitTypeView,
  PermitView,
  ReviewBody,
  RevokeBody,
  SettingsBody,
  TypeParams,
  VehicleAddedView,
  VehicleBody,
  VehicleParams,
  WaitlistQuery,
  WaitlistView,
  ZoneBody,
  ZoneList,
  ZoneParams,
  ZoneView,
} from './schemas.ts'

export const permitTypesRouter = router('/permit-types', 'Permits')
export const permitZonesRouter = router('/permit-zones', 'Permits')
export const permitsRouter = router('/permits', 'Permits')

const STAFF = ['supervisor', 'finance', 'admin'] as const
const DECIDERS = ['supervisor', 'admin'] as const

function today(config: Config, now = new Date()): string {
  return localTime(now.getTime(), config.CITY_TIME_ZONE).date
}

function offerRules(config: Config): OfferRules {
  return { businessDays: config.PERMIT_OFFER_BUSINESS_DAYS, timeZone: config.CITY_TIME_ZONE }
}

function payContext(c: Context<AppEnv>, principal: Principal | null): PayContext {
  const { config } = c.get('deps')
  const now = new Date()
  return { principal, stripe: stripeClient(config), today: today(config, now), now, timeZone: config.CITY_TIME_ZONE }
}

function customerOf(principal: Principal | null): number {
  if (principal?.kind !== 'user' || principal.customerId === null) {
    throw new AppError('forbidden', 'Permits are applied for by a signed-in driver')
  }
  return principal.customerId
}

/**
 * A permit the caller may see: a driver only their own (anyone else's is not found), staff any.
 * With `own`, even staff may not act: only the holder changes vehicles, passes and renewals.
 */
async function permitFor(c: Context<AppEnv>, principal: Principal | null, id: string, own = false): Promise<Permit> {
  const permit = await permitByPublicId(c.get('deps').sql, id)
  if (principal?.kind !== 'user') {
    throw notFound('Permit')
  }
  if (principal.role === 'driver' || own) {
    if (principal.customerId !== permit.customer_id) {
      throw notFound('Permit')
    }
  } else if (!(STAFF as readonly string[]).includes(principal.role)) {
    throw notFound('Permit')
  }
  return permit
}

function plateOf(input: { plate: string; state: string }): RequestedVehicle {
  const checked = checkPlate(input.plate, input.state)
  if (!checked.ok) {
    throw new AppError('invalid', checked.message, [{ field: `body.${checked.field}`, message: checked.message }])
  }
  return { plate: checked.plate, state: checked.state, printed: checked.printed }
}

async function viewOf(c: Context<AppEnv>, publicId: string) {
  const { sql, config } = c.get('deps')
  return permitView(sql, await permitByPublicId(sql, publicId), today(config))
}

async function payingReply(c: Context<AppEnv>, paying: Paying) {
  const { config } = c.get('deps')
  return {
    permit: await viewOf(c, paying.permit.public_id),
    payment: paying.payment ? { ...paying.payment, publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null } : null,
  }
}

// ---- permit zones and types (admin)

permitZonesRouter.route(
  {
    method: 'get',
    path: '/',
    summary: 'Residential permit zones with their boundaries',
    access: ['public'],
    responses: { 200: { description: 'Every zone', schema: ZoneList } },
  },
  async (c) => c.json({ zones: await zones(c.get('deps').sql) }),
)

permitZonesRouter.route(
  {
    method: 'put',
    path: '/:code',
    summary: 'Create or redraw a residential permit zone',
    access: ['admin'],
    params: ZoneParams,
    body: ZoneBody,
    responses: { 200: { description: 'The zone as saved', schema: ZoneView }, 400: { description: 'Bad boundary' } },
  },
  async (c, { params, body, principal }) =>
    c.json(await saveZone(c.get('deps').sql, principal, { code: params.code, name: body.name, boundary: body.boundary })),
)

permitTypesRouter.route(
  {
    method: 'get',
    path: '/',
    summary: 'Permit types: who may hold them, where, for how much',
    description: 'Anyone sees the types being issued; staff see retired ones too.',
    access: ['public'],
    responses: { 200: { description: 'The types', schema: PermitTypeList } },
  },
  async (c) => {
    const principal = c.get('principal')
    const staff = principal?.kind === 'user' && principal.role !== 'driver'
    const types = await permitTypes(c.get('deps').sql, { activeOnly: !staff })
    return c.json({ types: types.map(typeView) })
  },
)

permitTypesRouter.route(
  {
    method: 'put',
    path: '/:code',
    summary: 'Create or change a permit type',
    description: 'Permits already issued keep what they paid for; a new price applies from their next renewal.',
    access: ['admin'],
    params: TypeParams,
    body: PermitTypeBody,
    responses: { 200: { description: 'The type as saved', schema: PermitTypeView }, 400: { description: 'Bad rule, zone or facility' } },
  },
  async (c, { params, body, principal }) => {
    const saved = await savePermitType(c.get('deps').sql, principal, { code: params.code, ...body, zone: body.zone ?? null })
    return c.json(typeView(saved))
  },
)

permitTypesRouter.route(
  {
    method: 'get',
    path: '/:code/eligibility',
    summary: 'May I hold this permit? The answer from the city’s record, with why, and the price',
    access: ['driver'],
    params: TypeParams,
    query: EligibilityQuery,
    responses: { 200: { description: 'The answer', schema: EligibilityView }, 404: { description: 'No such type' } },
  },
  async (c, { params, query, principal }) => {
    const { sql, config } = c.get('deps')
    const type = await permitTypeByCode(sql, params.code)
    const day = today(config)
    const answer = await eligibilityFor(sql, type, customerOf(principal), {
      today: day,
      utilityAccountId: query.utilityAccountId ?? null,
    })
    const term = firstTerm({ priceCents: type.price_cents, period: type.period, proration: type.proration }, day)
    return c.json({ ...answer, firstTerm: term, vehicleSlotCents: slotCents(type, day) })
  },
)

permitTypesRouter.route(
  {
    method: 'get',
    path: '/:code/waitlist',
    summary: 'The waitlist for a type’s spaces at one facility',
    access: [...DECIDERS],
    params: TypeParams,
    query: WaitlistQuery,
    responses: { 200: { description: 'Offers, then those waiting in order', schema: WaitlistView } },
  },
  async (c, { params, query }) => {
    const { sql } = c.get('deps')
    const type = await permitTypeByCode(sql, params.code)
    const facility = await facilityByCode(sql, query.facility)
    return c.json({
      type: type.code,
      facility: facility.code,
      spacesLeft: await spacesLeft(sql, type.id, facility.id),
      entries: await waitlistOf(sql, type.id, facility.id),
    })
  },
)

// ---- permits

permitsRouter.route(
  {
    method: 'post',
    path: '/',
    summary: 'Apply for a permit',
    description:
      'Eligibility is decided from the utility record first; an applicant who is not eligible ' +
      'gets 409 not_eligible with the reason. Where the record cannot say, the application goes ' +
      'to staff and asks for a proof. Types that count spaces may put it on the waitlist.',
    access: ['driver'],
    body: ApplyBody,
    idempotency: 'optional',
    responses: {
      201: { description: 'Applied: waiting for review, a space or payment', schema: PermitView },
      409: { description: 'Not eligible (with why), household limit, a plate on another permit' },
    },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const type = await permitTypeByCode(sql, body.type)
    const now = new Date()
    const permit = await applyForPermit(sql, {
      type,
      customerId: customerOf(principal),
      principal,
      facility: body.facility ?? null,
      utilityAccountId: body.utilityAccountId ?? null,
      vehicles: body.vehicles.map(plateOf),
      autoRenew: body.autoRenew,
      today: today(config, now),
      now,
      timeZone: config.CITY_TIME_ZONE,
    })
    return c.json(await permitView(sql, permit, today(config, now)), 201)
  },
)

permitsRouter.route(
  {
    method: 'get',
    path: '/',
    summary: 'My permits (staff: search by plate, customer, address, status or type)',
    access: ['driver', ...STAFF],
    query: PermitListQuery,
    responses: { 200: { description: 'Newest first, at most 200', schema: PermitList } },
  },
  async (c, { query, principal }) => {
    const own = principal?.kind === 'user' && principal.role === 'driver'
    return c.json(
      await searchPermits(c.get('deps').sql, own ? { ...query, customer: undefined, customerId: customerOf(principal) } : query),
    )
  },
)

permitsRouter.route(
  {
    method: 'get',
    path: '/:id',
    summary: 'A permit: its terms, vehicles over time, visitor passes, charges and place in line',
    access: ['driver', ...STAFF],
    params: PermitParams,
    responses: { 200: { description: 'The permit', schema: PermitView }, 404: { description: 'Not found (or not yours)' } },
  },
  async (c, { params, principal }) => {
    const permit = await permitFor(c, principal, params.id)
    return c.json(await permitView(c.get('deps').sql, permit, today(c.get('deps').config)))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/payment',
    summary: 'Pay for an approved permit: on my utility bill, or by card',
    description:
      'The first term starts today, priced by the type’s proration. On the utility bill the permit ' +
      'is active at once; by card, when Stripe says the payment succeeded (payment carries the ' +
      'client secret for the Payment Element). Needs an Idempotency-Key.',
    access: ['driver'],
    params: PermitParams,
    body: PaymentBody,
    idempotency: 'required',
    responses: {
      200: { description: 'Paid (utility bill), or the card payment to confirm', schema: PayingView },
      409: { description: 'Not waiting for payment, or citations past due' },
      503: { description: 'Card payment is switched off' },
    },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const paying = await payPermit(c.get('deps').sql, payContext(c, principal), permit.public_id, body.payment)
    return c.json(await payingReply(c, paying))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/renewal',
    summary: 'Renew my permit for its next term',
    description: 'From the type’s renewal window on. A term is charged once, whoever asks and however often.',
    access: ['driver'],
    params: PermitParams,
    body: PaymentBody,
    idempotency: 'required',
    responses: {
      200: { description: 'Renewed, or the card payment to confirm', schema: PayingView },
      409: { description: 'Not active, renewal not open yet, or citations past due' },
    },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const paying = await renewPermit(c.get('deps').sql, payContext(c, principal), permit.public_id, body.payment)
    return c.json(await payingReply(c, paying))
  },
)

permitsRouter.route(
  {
    method: 'patch',
    path: '/:id',
    summary: 'Renewal settings: renew automatically with the saved method',
    access: ['driver'],
    params: PermitParams,
    body: SettingsBody,
    responses: { 200: { description: 'The permit', schema: PermitView } },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const { sql } = c.get('deps')
    if (!['pending_review', 'waitlisted', 'awaiting_payment', 'active'].includes(permit.status)) {
      throw new AppError('conflict', `Permit ${permit.number} has ended`)
    }
    await sql`
      update permits.permit set auto_renew = ${body.autoRenew}, renewal_failures = 0, renewal_retry_at = null,
             updated_at = now()
       where id = ${permit.id}`
    await writeAudit(sql, principal, { action: 'permit.settings', entity: 'permits.permit', entityId: permit.id, after: body })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/vehicles',
    summary: 'Add a vehicle to my permit, swap one, or add a rental for up to 14 days',
    description:
      'A vehicle beyond those paid for this term costs the type’s second-vehicle price for the rest ' +
      'of the term, charged the way the permit was paid. Needs an Idempotency-Key.',
    access: ['driver'],
    params: PermitParams,
    body: VehicleBody,
    idempotency: 'required',
    responses: {
      200: { description: 'On the permit, or the card payment to confirm first', schema: VehicleAddedView },
      409: { description: 'The limit is reached, or the plate is on another permit of the zone' },
    },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const added = await addVehicle(c.get('deps').sql, payContext(c, principal), {
      permit: permit.public_id,
      vehicle: plateOf(body),
      replaces: body.replaces ?? null,
      temporaryDays: body.temporaryDays ?? null,
    })
    if (added.status === 'payment_required') {
      return c.json(await payingReply(c, added.paying))
    }
    return c.json({ permit: await viewOf(c, permit.public_id), payment: null })
  },
)

permitsRouter.route(
  {
    method: 'delete',
    path: '/:id/vehicles/:vehicleId',
    summary: 'Take a vehicle off my permit now (its history stays)',
    access: ['driver'],
    params: VehicleParams,
    responses: { 200: { description: 'The permit', schema: PermitView } },
  },
  async (c, { params, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    await removeVehicle(c.get('deps').sql, principal, { permit: permit.public_id, vehicleId: params.vehicleId, now: new Date() })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/visitor-passes',
    summary: 'Give a visitor’s plate a day’s pass',
    access: ['driver'],
    params: PermitParams,
    body: PassBody,
    idempotency: 'optional',
    responses: {
      201: { description: 'The permit with the pass', schema: PermitView },
      409: { description: 'No passes left this month, or the permit is not active' },
    },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const { sql, config } = c.get('deps')
    const day = today(config)
    await issueVisitorPass(sql, principal, {
      permit: permit.public_id,
      vehicle: plateOf(body),
      validOn: body.validOn ?? day,
      today: day,
    })
    return c.json(await viewOf(c, permit.public_id), 201)
  },
)

permitsRouter.route(
  {
    method: 'delete',
    path: '/:id/visitor-passes/:passId',
    summary: 'Cancel a visitor pass for a day not yet begun',
    access: ['driver'],
    params: PassParams,
    responses: { 200: { description: 'The permit', schema: PermitView } },
  },
  async (c, { params, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    await cancelVisitorPass(c.get('deps').sql, principal, { permit: permit.public_id, pass: params.passId, now: new Date() })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/offer',
    summary: 'Accept or decline the space offered from the waitlist',
    access: ['driver'],
    params: PermitParams,
    body: OfferBody,
    responses: {
      200: { description: 'The permit: accepted, it waits for payment', schema: PermitView },
      409: { description: 'No open offer, or it lapsed' },
    },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    await answerOffer(c.get('deps').sql, principal, {
      permit,
      accept: body.accept,
      now: new Date(),
      rules: offerRules(c.get('deps').config),
    })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/cancel',
    summary: 'Cancel my permit; the unused part is refunded as the type says',
    access: ['driver'],
    params: PermitParams,
    body: CancelBody,
    idempotency: 'required',
    responses: { 200: { description: 'The permit, cancelled, with its refunds', schema: PermitView } },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    await endEarly(c.get('deps').sql, { ...payContext(c, principal), offers: offerRules(c.get('deps').config) }, {
      permit: permit.public_id,
      how: 'cancelled',
      reason: body.reason ?? null,
      refund: true,
    })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/revoke',
    summary: 'Revoke a permit (staff), with the reason the holder is told',
    access: [...DECIDERS],
    params: PermitParams,
    body: RevokeBody,
    idempotency: 'required',
    responses: { 200: { description: 'The permit, revoked', schema: PermitView } },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id)
    await endEarly(c.get('deps').sql, { ...payContext(c, principal), offers: offerRules(c.get('deps').config) }, {
      permit: permit.public_id,
      how: 'revoked',
      reason: body.reason,
      refund: body.refund,
    })
    return c.json(await viewOf(c, permit.public_id))
  },
)

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/review',
    summary: 'Approve or reject an application waiting for review (staff)',
    access: [...DECIDERS],
    params: PermitParams,
    body: ReviewBody,
    responses: { 200: { description: 'The permit as decided', schema: PermitView }, 409: { description: 'Not waiting for review' } },
  },
  async (c, { params, body, principal }) => {
    const permit = await permitFor(c, principal, params.id)
    await reviewPermit(c.get('deps').sql, principal!, {
      permit: permit.public_id,
      decision: body.decision,
      note: body.note ?? null,
      now: new Date(),
    })
    return c.json(await viewOf(c, permit.public_id))
  },
)

const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png']
/** A proof of residence is a scan or a photo: 5 MB is plenty. */
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

permitsRouter.route(
  {
    method: 'post',
    path: '/:id/documents',
    summary: 'Upload a proof (of residence, employment, disability) for staff review',
    description: 'The body is the file itself (PDF, JPEG or PNG, up to 5 MB); ?name= gives its file name.',
    access: ['driver'],
    params: PermitParams,
    rawBody: DOCUMENT_TYPES,
    responses: {
      201: { description: 'The permit with the document listed', schema: PermitView },
      413: { description: 'Larger than 5 MB' },
      415: { description: 'Not a PDF, JPEG or PNG' },
    },
  },
  async (c, { params, principal }) => {
    const permit = await permitFor(c, principal, params.id, true)
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (!DOCUMENT_TYPES.includes(type)) {
      throw new AppError('unsupported_media_type', 'Upload a PDF, JPEG or PNG file')
    }
    if (permit.status !== 'pending_review') {
      throw new AppError('conflict', `Permit ${permit.number} is not waiting for review`)
    }
    const bytes = Buffer.from(await c.req.arrayBuffer())
    if (bytes.length === 0) {
      throw new AppError('invalid', 'The file is empty')
    }
    if (bytes.length > DOCUMENT_MAX_BYTES) {
      throw new AppError('payload_too_large', 'A document is at most 5 MB')
    }
    const name = (c.req.query('name') ?? 'proof').replace(/[^\w .()-]/g, '_').slice(0, 200) || 'proof'
    const { sql } = c.get('deps')
    await sql`
      insert into permits.document (permit_id, file_name, content_type, bytes)
      values (${permit.id}, ${name}, ${type}, ${bytes})`
    await writeAudit(sql, principal, { action: 'permit.document', entity: 'permits.permit', entityId: permit.id, after: { name, type, bytes: bytes.length } })
    return c.json(await viewOf(c, permit.public_id), 201)
  },
)

permitsRouter.route(
  {
    method: 'get',
    path: '/:id/documents/:documentId',
    summary: 'Download an uploaded proof (its holder, or staff)',
    access: ['driver', ...STAFF],
    params: DocumentParams,
    responses: { 200: { description: 'The file' }, 404: { description: 'Not found' } },
  },
  async (c, { params, principal }) => {
    const permit = await permitFor(c, principal, params.id)
    const [doc]: [{ file_name: string; content_type: string; bytes: Buffer }?] = await c.get('deps').sql`
      select file_name, content_type, bytes from permits.document
       where id = ${params.documentId} and permit_id = ${permit.id}`
    if (!doc) {
      throw notFound('Document')
    }
    return c.body(new Uint8Array(doc.bytes), 200, {
      'content-type': doc.content_type,
      'content-disposition': `attachment; filename="${doc.file_name.replace(/"/g, '')}"`,
      'x-content-type-options': 'nosniff',
    })
  },
)
