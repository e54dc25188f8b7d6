import { z } from 'zod'
import { isValidPlate, normaliseJurisdiction, normalisePlate } from '../customers/plates.ts'
import { FacilityCode, Instant, QuoteLine } from '../facilities/schemas.ts'

export const PlateField = z
  .string()
  .max(20)
  .refine((p) => isValidPlate(normalisePlate(p)), {
    message: 'A plate has 1 to 8 letters (A-Z) and digits, not counting spaces, dashes and dots',
  })
  .describe('The plate as printed, e.g. HBT-4821')

export const StateField = z
  .string()
  .refine((s) => normaliseJurisdiction(s) !== null, {
    message: 'Use the 2-letter code of a US state or territory or a Canadian province',
  })
  .describe('The issuing state or province, e.g. NC')

const Minutes = z.number().int().positive().max(366 * 24 * 60)
const Cents = z.number().int().nonnegative().max(10_000_000)

/*
  How a purchase is paid. On a utility account: a signed-in driver names one they hold; the
  phone line names it by account number and service ZIP. Cash: a kiosk only, with the sale's own
  id, so a sale replayed after the kiosk was offline is written once. Card arrives with Stripe.
*/
export const PaymentInput = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('utility_account'),
      utilityAccountId: z.number().int().positive().optional().describe('One of my utility accounts'),
      accountNumber: z.string().regex(/^\d{10}$/, 'A 10-digit utility account number').optional(),
      zip: z.string().regex(/^\d{5}$/, 'A 5-digit ZIP code').optional(),
    })
    .refine((p) => (p.utilityAccountId !== undefined) !== (p.accountNumber !== undefined), {
      message: 'Name the utility account by its id (signed in) or its number and ZIP (phone)',
      path: ['utilityAccountId'],
    })
    .refine((p) => p.accountNumber === undefined || p.zip !== undefined, {
      message: 'The service ZIP code goes with the account number',
      path: ['zip'],
    }),
  z.object({
    method: z.literal('cash'),
    amountCents: Cents.describe('The cash the kiosk took for this purchase'),
    saleId: z.uuid().describe("The kiosk's own id for this sale; a replay with it writes nothing new"),
    soldAt: Instant.optional().describe('When an offline kiosk sold it; now if omitted'),
  }),
  z.object({ method: z.literal('card') }),
])
export type PaymentInput = z.infer<typeof PaymentInput>

const Notify = z
  .object({
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .transform((s) => s.replace(/[\s().-]/g, ''))
      .pipe(z.string().regex(/^\+?[0-9]{7,15}$/, 'A phone number of 7 to 15 digits'))
      .optional(),
  })
  .describe('Where the reminder 10 minutes before the end goes, for a driver not signed in')

const Span = {
  minutes: Minutes.optional().describe('How long'),
  end: Instant.optional().describe('Or until when'),
}

function oneSpan(b: { minutes?: number; end?: string }) {
  return (b.minutes === undefined) !== (b.end === undefined)
}

export const StartBody = z
  .object({
    facility: FacilityCode.describe('The zone number on the signs, or the facility code'),
    plate: PlateField,
    state: StateField,
    ...Span,
    payment: PaymentInput,
    notify: Notify.optional(),
  })
  .refine(oneSpan, { message: 'Give either minutes or end', path: ['minutes'] })
export type StartBody = z.infer<typeof StartBody>

export const ExtendBody = z
  .object({ ...Span, payment: PaymentInput })
  .refine(oneSpan, { message: 'Give either minutes or end', path: ['minutes'] })
export type ExtendBody = z.infer<typeof ExtendBody>

export const ExtensionQuoteBody = z
  .object(Span)
  .refine(oneSpan, { message: 'Give either minutes or end', path: ['minutes'] })
export type ExtensionQuoteBody = z.infer<typeof ExtensionQuoteBody>

export const ExtensionQuoteView = z.object({
  session: z.string(),
  from: z.string().describe('The end already paid for'),
  to: z.string(),
  minutes: z.number().int(),
  totalCents: z.number().int(),
  lines: z.array(QuoteLine),
})

export const SaleParams = z.object({
  device: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  sale: z.uuid('A sale id (UUID)'),
})

export const SessionParams = z.object({ id: z.uuid('A receipt id (UUID)') })

export const SessionListQuery = z.object({
  customerId: z.coerce.number().int().positive().optional().describe('Staff only: whose'),
  plate: z.string().max(20).optional().describe('Staff only: by plate'),
  current: z.enum(['true', 'false']).optional().describe('Only sessions that are paid now'),
})
export type SessionListQuery = z.infer<typeof SessionListQuery>

const Purchase = z.object({
  kind: z.enum(['start', 'extend', 'exit', 'refund']),
  startsAt: z.string(),
  endsAt: z.string(),
  amountCents: z.number().int(),
  method: z.enum(['utility_account', 'cash', 'card', 'free']),
  status: z.enum(['pending', 'settled', 'failed']),
  utilityAccount: z.string().nullable().describe('The billed account, all but its last 4 digits hidden'),
  soldOffline: z.boolean(),
  at: z.string(),
  lines: z.array(QuoteLine),
})

export const SessionView = z.object({
  id: z.string().describe('The receipt id'),
  receiptUrl: z.string(),
  facility: z.object({
    code: z.string(),
    name: z.string(),
    kind: z.string(),
    gated: z.boolean(),
    timeZone: z.string(),
  }),
  plate: z.string(),
  state: z.string(),
  platePrinted: z.string(),
  channel: z.enum(['web', 'kiosk', 'gate', 'phone']),
  status: z.enum(['pending_payment', 'active', 'open', 'cancelled']),
  /** What the driver sees: paid and running, in the garage, over, stopped early. */
  phase: z.enum(['pending_payment', 'paid', 'in_facility', 'expired', 'stopped', 'cancelled']),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  ticket: z.string().nullable(),
  lostTicket: z.boolean(),
  totalCents: z.number().int(),
  purchases: z.array(Purchase),
  /** The latest end an extension may reach (the maximum stay), null when there is none. */
  latestEndsAt: z.string().nullable(),
})
export type SessionView = z.infer<typeof SessionView>

export const CardSessionView = SessionView.extend({
  payment: z
    .object({
      id: z.string().describe('GET /api/v1/payments/{id} says where it stands'),
      clientSecret: z.string(),
      publishableKey: z.string().nullable(),
    })
    .nullable()
    .optional()
    .describe('Card only: the payment to confirm in the browser; null when the time is free'),
})

export const SessionListView = z.object({ sessions: z.array(SessionView) })

export const GateEntryBody = z
  .object({
    facility: FacilityCode.optional().describe("Defaults to the gate's own facility"),
    plate: PlateField.optional(),
    state: StateField.optional(),
    ticket: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'A ticket number of letters, digits and dashes').optional(),
    at: Instant.optional().describe('When the barrier opened; now if omitted'),
  })
  .refine((b) => b.plate !== undefined || b.ticket !== undefined, {
    message: 'A gate entry needs the plate read or a ticket number',
    path: ['plate'],
  })
  .refine((b) => (b.plate === undefined) === (b.state === undefined), {
    message: 'A plate goes with its state',
    path: ['state'],
  })
export type GateEntryBody = z.infer<typeof GateEntryBody>

const GateExitFields = {
  facility: FacilityCode.optional().describe("Defaults to the gate's own facility"),
  plate: PlateField.optional(),
  state: StateField.optional(),
  ticket: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional(),
  at: Instant.optional().describe('When the car reached the exit; now if omitted'),
}

export const GateExitQuoteBody = z
  .object(GateExitFields)
  .refine((b) => (b.plate === undefined) === (b.state === undefined), {
    message: 'A plate goes with its state',
    path: ['state'],
  })
export type GateExitQuoteBody = z.infer<typeof GateExitQuoteBody>

export const GateExitBody = z
  .object({
    ...GateExitFields,
    exitId: z.uuid().describe("The gate's own id for this exit; a retry with it writes nothing new"),
    payment: z.discriminatedUnion('method', [
      z.object({ method: z.literal('cash'), amountCents: Cents }),
      z.object({ method: z.literal('account').describe("Bill the utility account linked to the plate's owner") }),
      z.object({ method: z.literal('card') }),
    ]),
  })
  .refine((b) => (b.plate === undefined) === (b.state === undefined), {
    message: 'A plate goes with its state',
    path: ['state'],
  })
export type GateExitBody = z.infer<typeof GateExitBody>

export const GateExitQuoteView = z.object({
  session: z.string().nullable().describe('The receipt id of the stay, null for an unknown entry'),
  lostTicket: z.boolean(),
  startsAt: z.string().nullable(),
  endsAt: z.string(),
  totalCents: z.number().int(),
  lines: z.array(QuoteLine),
  /** Whether the plate's owner has a utility account the exit can bill. */
  canBillAccount: z.boolean(),
})

export const RightsQuery = z.object({
  plate: PlateField,
  state: StateField.optional().describe('Narrows to one state; all states when omitted'),
  at: Instant.optional().describe('When; now if omitted'),
  facility: FacilityCode.optional().describe('Where; anywhere if omitted'),
})
export type RightsQuery = z.infer<typeof RightsQuery>

const PermitRight = {
  number: z.string().describe('The permit number'),
  type: z.string().describe('The permit type'),
  facility: z.string().nullable().describe('The place asked about; null when asked for anywhere'),
  plate: z.string(),
  state: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
}

export const RightsView = z.object({
  plate: z.string(),
  state: z.string().nullable(),
  at: z.string(),
  facility: z.string().nullable(),
  /** paid: a session covers the plate; permit: a permit or visitor pass does; none: nothing does. */
  verdict: z.enum(['paid', 'permit', 'none']),
  rights: z.array(
    z.discriminatedUnion('kind', [
      z.object({
        kind: z.literal('session'),
        session: z.string(),
        facility: z.string(),
        plate: z.string(),
        state: z.string(),
        startsAt: z.string(),
        endsAt: z.string().nullable(),
        inFacility: z.boolean().describe('Entered through a gate; pays at the exit'),
        channel: z.string(),
      }),
      z.object({
        kind: z.literal('permit'),
        permit: z.string(),
        ...PermitRight,
        temporary: z.boolean().describe('A rental or loaner on the permit for a few days'),
      }),
      z.object({ kind: z.literal('visitor_pass'), pass: z.string(), ...PermitRight, temporary: z.boolean() }),
    ]),
  ),
})
export type RightsView = z.infer<typeof RightsView>
