import { z } from 'zod'
import { AreaGeometry, FacilityCode } from '../facilities/schemas.ts'
import { PlateField, StateField } from '../sessions/schemas.ts'

const Code = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'Letters, digits and dashes, up to 20')
const IsoDate = z.iso.date().describe('A calendar day, e.g. 2026-12-01')
const Cents = z.number().int().nonnegative().max(10_000_000)
const Proration = z.enum(['none', 'daily', 'monthly'])

export const PermitParams = z.object({ id: z.uuid().describe('The permit') })
export const TypeParams = z.object({ code: Code })
export const ZoneParams = z.object({ code: Code })
export const VehicleParams = z.object({
  id: z.uuid(),
  vehicleId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
})
export const PassParams = z.object({ id: z.uuid(), passId: z.uuid() })
export const DocumentParams = z.object({
  id: z.uuid(),
  documentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
})

export const Vehicle = z.object({ plate: PlateField, state: StateField })

export const ZoneBody = z.object({
  name: z.string().trim().min(1).max(200),
  boundary: AreaGeometry,
})

export const ZoneView = z.object({ code: z.string(), name: z.string(), boundary: z.record(z.string(), z.unknown()) })
export const ZoneList = z.object({ zones: z.array(ZoneView) })

export const PermitTypeBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['residential', 'employee', 'monthly_garage', 'airport_employee', 'contractor', 'disability']),
    description: z.string().trim().max(2000).default(''),
    zone: Code.nullable().default(null).describe('Residential: the zone whose residents are eligible'),
    priceCents: Cents.describe('Price of one whole period'),
    period: z.enum(['monthly', 'semester', 'annual']),
    proration: Proration.describe('none: terms run a whole period from the first day; daily/monthly: calendar terms, a part period charged by day or month'),
    refundPolicy: Proration.describe('What a cancellation gives back: nothing, unused days or unused whole months'),
    maxVehicles: z.number().int().min(1).max(10),
    maxPerHousehold: z.number().int().min(1).max(50).nullable(),
    needsApproval: z.boolean(),
    secondVehicleCents: Cents.default(0),
    renewalWindowDays: z.number().int().min(1).max(120).default(30),
    visitorPassesPerMonth: z.number().int().min(0).max(62).default(0),
    active: z.boolean().default(true),
    facilities: z
      .array(z.object({ code: FacilityCode, capacity: z.number().int().min(0).max(100_000).nullable() }))
      .max(200)
      .describe('Where it is valid; a capacity counts permits there, with a waitlist'),
  })
  .refine((b) => b.kind !== 'residential' || b.zone !== null, {
    message: 'A residential permit names its zone',
    path: ['zone'],
  })

const TypeFacilityView = z.object({ code: z.string(), name: z.string(), capacity: z.number().nullable() })

export const PermitTypeView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  description: z.string(),
  zone: z.object({ code: z.string(), name: z.string() }).nullable(),
  priceCents: z.number(),
  period: z.string(),
  proration: z.string(),
  refundPolicy: z.string(),
  maxVehicles: z.number(),
  maxPerHousehold: z.number().nullable(),
  needsApproval: z.boolean(),
  secondVehicleCents: z.number(),
  renewalWindowDays: z.number(),
  visitorPassesPerMonth: z.number(),
  active: z.boolean(),
  facilities: z.array(TypeFacilityView),
})
export const PermitTypeList = z.object({ types: z.array(PermitTypeView) })

export const EligibilityQuery = z.object({
  utilityAccountId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
})

export const EligibilityView = z.object({
  eligible: z.boolean(),
  review: z.boolean().describe('Staff decide before the permit can be paid'),
  needsProof: z.boolean().describe('Upload a proof (of residence) for staff'),
  reason: z.enum(['in_zone', 'not_in_zone', 'no_active_service', 'address_not_in_record', 'household_limit', 'staff_review', 'open']),
  message: z.string(),
  account: z.object({ id: z.number(), number: z.string() }).nullable(),
  premise: z.object({ id: z.number(), address: z.string(), placement: z.string().nullable() }).nullable(),
  firstTerm: z.object({ startsOn: z.string(), endsOn: z.string(), priceCents: z.number() }),
  vehicleSlotCents: z.number().describe('Each vehicle beyond the first, for the same first term'),
})

export const ApplyBody = z.object({
  type: Code,
  facility: FacilityCode.optional().describe('Where the permit holds its space, for types that count spaces'),
  utilityAccountId: z.number().int().positive().optional().describe('The account that proves residence and is billed'),
  vehicles: z.array(Vehicle).min(1).max(10),
  autoRenew: z.boolean().default(false),
})

export const PaymentBody = z.object({
  payment: z.discriminatedUnion('method', [
    z.object({ method: z.literal('utility_account'), utilityAccountId: z.number().int().positive().optional() }),
    z.object({ method: z.literal('card') }),
  ]),
})

export const SettingsBody = z.object({ autoRenew: z.boolean() })

export const VehicleBody = Vehicle.extend({
  replaces: z.number().int().positive().optional().describe('Swap: the vehicle this one replaces'),
  temporaryDays: z.number().int().min(1).max(14).optional().describe('A rental or loaner, for up to 14 days'),
})

export const PassBody = Vehicle.extend({ validOn: IsoDate.optional().describe('The day; today if omitted') })

export const OfferBody = z.object({ accept: z.boolean() })
export const ReviewBody = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().max(1000).optional(),
})
export const CancelBody = z.object({ reason: z.string().trim().max(500).optional() })
export const RevokeBody = z.object({
  reason: z.string().trim().min(3).max(500),
  refund: z.boolean().default(false).describe('Give back the unused part, as the type says'),
})

export const PermitListQuery = z.object({
  plate: z.string().max(20).optional(),
  customer: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  address: z.string().trim().min(2).max(200).optional(),
  status: z.enum(['pending_review', 'waitlisted', 'awaiting_payment', 'active', 'expired', 'cancelled', 'revoked', 'rejected']).optional(),
  type: Code.optional(),
})

export const WaitlistQuery = z.object({ facility: FacilityCode })

const VehicleView = z.object({
  id: z.number(),
  plate: z.string(),
  state: z.string(),
  printed: z.string(),
  temporary: z.boolean(),
  from: z.string(),
  until: z.string().nullable(),
  current: z.boolean(),
})
const ChargeView = z.object({
  kind: z.string(),
  termStartsOn: z.string(),
  termEndsOn: z.string(),
  amountCents: z.number(),
  method: z.string(),
  status: z.string(),
  failure: z.string().nullable(),
  payment: z.string().nullable(),
})
const PassView = z.object({
  id: z.string(),
  plate: z.string(),
  state: z.string(),
  printed: z.string(),
  validOn: z.string(),
  cancelled: z.boolean(),
})

export const PermitSummary = z.object({
  id: z.string(),
  number: z.string(),
  type: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  customer: z.object({ id: z.number(), name: z.string() }),
  status: z.string(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  facility: z.string().nullable(),
  address: z.string().nullable(),
  plates: z.array(z.string()),
  createdAt: z.string(),
})
export const PermitList = z.object({ permits: z.array(PermitSummary) })

export const PermitView = PermitSummary.extend({
  eligibility: EligibilityView.omit({ firstTerm: true, vehicleSlotCents: true }),
  autoRenew: z.boolean(),
  payMethod: z.string().nullable(),
  savedCard: z.boolean(),
  utilityAccount: z.object({ id: z.number(), number: z.string() }).nullable(),
  reviewNote: z.string().nullable(),
  revokedReason: z.string().nullable(),
  requestedVehicles: z.array(z.object({ plate: z.string(), state: z.string(), printed: z.string() })),
  vehicles: z.array(VehicleView),
  charges: z.array(ChargeView),
  passes: z.array(PassView),
  passesLeftThisMonth: z.number().nullable(),
  waitlist: z
    .object({ position: z.number().nullable(), status: z.string(), offerExpiresAt: z.string().nullable() })
    .nullable(),
  renewal: z
    .object({ opensOn: z.string(), startsOn: z.string(), endsOn: z.string(), priceCents: z.number(), open: z.boolean() })
    .nullable(),
  firstTerm: z.object({ startsOn: z.string(), endsOn: z.string(), priceCents: z.number() }).nullable(),
  documents: z.array(z.object({ id: z.number(), fileName: z.string(), contentType: z.string(), uploadedAt: z.string() })),
  timeZone: z.string().describe('The city time zone its days are counted in'),
  vehicleSlot: z
    .object({
      priceCents: z.number().describe('What another vehicle beyond those paid for costs today, to the end of the term'),
      paidExtra: z.number().describe('Vehicles beyond the first already paid for in the running term'),
    })
    .nullable(),
})

export const PayingView = z.object({
  permit: PermitView,
  payment: z.object({ id: z.string(), clientSecret: z.string(), publishableKey: z.string().nullable() }).nullable(),
})

export const VehicleAddedView = z.object({
  permit: PermitView,
  payment: z.object({ id: z.string(), clientSecret: z.string(), publishableKey: z.string().nullable() }).nullable(),
})

export const WaitlistView = z.object({
  type: z.string(),
  facility: z.string(),
  spacesLeft: z.number().nullable(),
  entries: z.array(
    z.object({
      position: z.number().nullable(),
      permit: z.string(),
      number: z.string(),
      customer: z.string(),
      status: z.string(),
      joinedAt: z.string(),
      offerExpiresAt: z.string().nullable(),
    }),
  ),
})
