import { z } from 'zod'
import { FacilityCode, Instant } from '../facilities/schemas.ts'
import { PlateField, StateField } from '../sessions/schemas.ts'

const Code = z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{0,11}$/, 'A violation code: letters, digits and dashes')
const Base64Photo = z.string().min(16).max(9_000_000).describe('A JPEG, PNG or WebP photo, base64 (a data: URL is fine)')
const Lat = z.number().min(-90).max(90)
const Lon = z.number().min(-180).max(180)

export const CitationNumberParams = z.object({ number: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{4,20}$/, 'A citation number') })
export const ReadParams = z.object({ id: z.uuid() })
export const AppealParams = z.object({ id: z.uuid() })
export const ImmobilisationParams = z.object({ id: z.uuid() })
export const ViolationParams = z.object({ code: Code })
export const ReadPhotoParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
export const PhotoParams = z.object({ number: CitationNumberParams.shape.number, photoId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })

export const LateFee = z.object({ daysAfterDue: z.number().int().min(0).max(3650), cents: z.number().int().positive().max(1_000_000) })

export const ViolationBody = z.object({
  description: z.string().trim().min(1).max(200),
  fineCents: z.number().int().positive().max(10_000_000),
  lateFees: z.array(LateFee).max(10).default([]),
  warningFirst: z.boolean().default(false),
  active: z.boolean().default(true),
})
export const ViolationView = z.object({
  code: z.string(),
  description: z.string(),
  fineCents: z.number(),
  lateFees: z.array(LateFee),
  warningFirst: z.boolean(),
  active: z.boolean(),
})
export const ViolationList = z.object({ violations: z.array(ViolationView) })

export const Region = z.object({ x: z.number().min(0), y: z.number().min(0), w: z.number().positive(), h: z.number().positive() })

export const ReadBody = z
  .object({
    clientId: z.uuid().optional().describe('The handheld’s own id for this check: sent again, it is the same check'),
    image: Base64Photo.optional(),
    region: Region.optional().describe('The viewfinder guide’s box in the photo, in pixels'),
    plate: PlateField.optional().describe('Typed by the ambassador'),
    state: StateField.optional(),
    lat: Lat.optional(),
    lon: Lon.optional(),
    at: Instant.optional().describe('When the check was made (a handheld offline sends it later); now if omitted'),
    facility: FacilityCode.optional().describe('Where, when GPS cannot say'),
  })
  .refine((b) => b.image !== undefined || b.plate !== undefined, { message: 'Send a photo or a typed plate', path: ['plate'] })
  .refine((b) => (b.lat === undefined) === (b.lon === undefined), { message: 'Latitude and longitude go together', path: ['lon'] })

export const CorrectBody = z.object({ plate: PlateField, state: StateField.optional() })

const Candidate = z.object({ plate: z.string(), state: z.string().nullable().optional(), score: z.number(), reasons: z.array(z.string()) })

export const VerdictView = z.object({
  verdict: z.enum(['paid', 'permit', 'grace', 'chalked', 'over_limit', 'violation', 'outside_hours', 'unknown']),
  message: z.string(),
  until: z.string().nullable().optional(),
  minutesLeft: z.number().nullable().optional(),
  firstSeenAt: z.string().nullable().optional(),
  limitAt: z.string().nullable().optional(),
  violation: z
    .object({ code: z.string(), description: z.string(), fineCents: z.number(), warningEligible: z.boolean() })
    .nullable()
    .optional(),
  rights: z.array(z.record(z.string(), z.unknown())).optional(),
  warnings: z.array(z.object({ code: z.string(), issuedAt: z.string() })).optional(),
  unpaidCitations: z.number().optional(),
  scofflaw: z.boolean().optional(),
  immobilised: z.enum(['boot', 'tow']).nullable().optional(),
})

export const ReadView = z.object({
  id: z.string(),
  plate: z.string().nullable(),
  state: z.string().nullable(),
  typed: z.boolean(),
  candidates: z.array(Candidate),
  readAt: z.string(),
  facility: z.object({ code: z.string(), name: z.string() }).nullable(),
  blockFace: z.number().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  photo: z.number().nullable(),
  verdict: VerdictView,
})

export const ReadListQuery = z.object({
  since: Instant.optional().describe('Reads from then; today (city time) if omitted'),
  mine: z.enum(['true', 'false']).optional(),
  latest: z.enum(['true', 'false']).optional().describe('Only each ambassador’s latest read (the live map)'),
})
export const ReadList = z.object({
  reads: z.array(
    z.object({
      id: z.string(),
      plate: z.string().nullable(),
      verdict: z.string(),
      readAt: z.string(),
      lat: z.number().nullable(),
      lon: z.number().nullable(),
      facility: z.string().nullable(),
      ambassador: z.string().nullable(),
      citation: z.string().nullable(),
    }),
  ),
})

const Where = {
  facility: FacilityCode.optional(),
  lat: Lat.optional(),
  lon: Lon.optional(),
  at: Instant.optional(),
}

export const WarningBody = z.object({
  clientId: z.uuid().optional(),
  read: z.uuid().optional().describe('The plate check it follows'),
  plate: PlateField,
  state: StateField,
  violation: Code,
  note: z.string().trim().max(500).optional(),
  ...Where,
})
export const WarningView = z.object({ id: z.string(), replayed: z.boolean() })

export const CitationBody = z.object({
  clientId: z.uuid().optional().describe('The handheld’s own id: sent again, it is the same citation'),
  number: z.string().regex(/^H\d+-\d{1,7}$/).optional().describe('A handheld offline numbers its citations H<device id>-<n>'),
  read: z.uuid().optional(),
  plate: PlateField,
  state: StateField,
  vehicle: z
    .object({ make: z.string().trim().max(40).optional(), model: z.string().trim().max(40).optional(), colour: z.string().trim().max(30).optional() })
    .default({}),
  violation: Code,
  location: z.string().trim().max(200).optional(),
  photos: z.array(Base64Photo).max(6).default([]),
  ...Where,
})

const Posting = z.object({ kind: z.string(), amountCents: z.number(), at: z.string() })

export const CitationView = z.object({
  number: z.string(),
  plate: z.string(),
  state: z.string(),
  vehicle: z.record(z.string(), z.string()),
  violation: z.object({ code: z.string(), description: z.string() }),
  fineCents: z.number(),
  balanceCents: z.number(),
  status: z.string(),
  issuedAt: z.string(),
  dueOn: z.string(),
  facility: z.object({ code: z.string(), name: z.string() }).nullable(),
  location: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  photos: z.array(z.number()),
  postings: z.array(Posting),
  appeal: z
    .object({ id: z.string(), status: z.string(), filedAt: z.string(), letter: z.string().nullable(), reducedToCents: z.number().nullable() })
    .nullable(),
  paidButTicketed: z.boolean(),
  payUrl: z.string(),
  timeZone: z.string().describe('The city time zone its times and due date read in'),
})

export const StaffCitationView = CitationView.extend({
  customer: z.object({ id: z.number(), name: z.string() }).nullable(),
  ambassador: z.string().nullable(),
  voidReason: z.string().nullable(),
  read: z.string().nullable(),
  paidButTicketedDetail: z.record(z.string(), z.unknown()).nullable(),
})

export const LookupQuery = z.object({ plate: PlateField })

export const CitationListQuery = z.object({
  plate: z.string().max(20).optional(),
  status: z.enum(['open', 'past_due', 'paid', 'voided', 'dismissed']).optional(),
  flagged: z.enum(['true', 'false']).optional().describe('Only those with paid time that arrived afterwards'),
  since: Instant.optional(),
})
export const CitationList = z.object({
  citations: z.array(
    z.object({
      number: z.string(),
      plate: z.string(),
      state: z.string(),
      violation: z.string(),
      status: z.string(),
      balanceCents: z.number(),
      issuedAt: z.string(),
      dueOn: z.string(),
      facility: z.string().nullable(),
      lat: z.number().nullable(),
      lon: z.number().nullable(),
      paidButTicketed: z.boolean(),
    }),
  ),
})

export const CitationPaymentBody = z.object({
  plate: PlateField,
  payment: z.discriminatedUnion('method', [
    z.object({ method: z.literal('utility_account'), utilityAccountId: z.number().int().positive() }),
    z.object({ method: z.literal('card') }),
  ]),
})
export const CitationPaymentView = z.object({
  citation: CitationView,
  payment: z.object({ id: z.string(), clientSecret: z.string(), publishableKey: z.string().nullable(), amountCents: z.number() }).nullable(),
})

export const AppealBody = z.object({
  plate: PlateField,
  reason: z.string().trim().min(10, 'Say what happened, in a sentence or more').max(4000),
  email: z.email().max(254).optional().describe('Where the decision letter goes'),
  photos: z.array(Base64Photo).max(6).default([]),
})

export const AppealView = z.object({
  id: z.string(),
  citation: z.string(),
  plate: z.string(),
  reason: z.string(),
  status: z.string(),
  filedAt: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  photos: z.array(z.number()),
  balanceCents: z.number(),
  fineCents: z.number(),
  letter: z.string().nullable(),
  reducedToCents: z.number().nullable(),
})
export const AppealList = z.object({ appeals: z.array(AppealView) })
export const AppealListQuery = z.object({ status: z.enum(['pending', 'upheld', 'reduced', 'dismissed']).default('pending') })

export const DecisionBody = z.object({
  decision: z.enum(['uphold', 'reduce', 'dismiss']),
  reducedToCents: z.number().int().min(0).max(10_000_000).optional(),
  letter: z.string().trim().min(10, 'The letter tells the driver why').max(4000),
})

export const VoidBody = z.object({ reason: z.string().trim().min(3).max(500) })

export const ImmobiliseBody = z.object({
  kind: z.enum(['boot', 'tow']),
  plate: PlateField,
  state: StateField,
  lat: Lat.optional(),
  lon: Lon.optional(),
  location: z.string().trim().max(200).optional(),
  note: z.string().trim().max(500).optional(),
})
export const ImmobilisationView = z.object({
  id: z.string(),
  kind: z.string(),
  plate: z.string(),
  state: z.string(),
  location: z.string().nullable(),
  placedAt: z.string(),
  releasedAt: z.string().nullable(),
})
export const ScofflawList = z.object({
  plates: z.array(
    z.object({
      plate: z.string(),
      state: z.string(),
      citations: z.number(),
      listedAt: z.string(),
      immobilised: z.string().nullable(),
      immobilisationId: z.string().nullable().describe('The boot or tow in place, to release it'),
    }),
  ),
})
