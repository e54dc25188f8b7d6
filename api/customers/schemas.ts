import { z } from 'zod'
import { Balances } from '../ledger/schemas.ts'
import { isValidPlate, normaliseJurisdiction, normalisePlate } from './plates.ts'

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const VehicleParams = z.object({ id: Id, vehicleId: Id })
export type VehicleParams = z.infer<typeof VehicleParams>

export const UtilityAccountParams = z.object({ id: Id, accountId: Id })
export type UtilityAccountParams = z.infer<typeof UtilityAccountParams>

export const CustomerSearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})
export type CustomerSearchQuery = z.infer<typeof CustomerSearchQuery>

export const VehicleListQuery = z.object({
  includeRemoved: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})
export type VehicleListQuery = z.infer<typeof VehicleListQuery>

const OptionalText = z.string().trim().max(40).optional()

export const VehicleBody = z.object({
  plate: z
    .string()
    .max(20)
    .refine((p) => isValidPlate(normalisePlate(p)), {
      message: 'A plate has 1 to 8 letters (A-Z) and digits, not counting spaces, dashes and dots',
    }),
  state: z.string().refine((s) => normaliseJurisdiction(s) !== null, {
    message: 'Use the 2-letter code of a US state or territory or a Canadian province',
  }),
  make: OptionalText,
  model: OptionalText,
  colour: OptionalText,
})
export type VehicleBody = z.infer<typeof VehicleBody>

export const LinkBody = z.object({
  // printed on bills as '1234-567-890'; the separators are not part of the number
  accountNumber: z
    .string()
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{10}$/, 'An account number has 10 digits')),
  zip: z.string().trim().regex(/^\d{5}$/, 'A ZIP code has 5 digits'),
  lastBillAmountCents: z.number().int().min(-100_000_000).max(100_000_000),
})
export type LinkBody = z.infer<typeof LinkBody>

export const VehicleView = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  plate: z.string(),
  state: z.string(),
  platePrinted: z.string(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  colour: z.string().nullable(),
  addedAt: z.string(),
  removedAt: z.string().nullable(),
})
export type VehicleView = z.infer<typeof VehicleView>

export const UtilityAccountView = z.object({
  id: z.number().int(),
  accountNumber: z.string(),
  billCycle: z.number().int(),
  status: z.enum(['active', 'inactive', 'closed']),
  relationship: z.enum(['primary', 'co_holder', 'linked']),
  premise: z.object({ address: z.string(), city: z.string(), state: z.string(), zip: z.string() }),
  services: z.array(z.string()),
  lastBill: z
    .object({ billId: z.string(), billDate: z.string(), amount: z.number().int() })
    .nullable(),
})
export type UtilityAccountView = z.infer<typeof UtilityAccountView>

export const CustomerView = z.object({
  id: z.number().int(),
  cisCustomerId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  utilityAccounts: z.array(UtilityAccountView),
  vehicles: z.array(VehicleView),
  balances: Balances,
})
export type CustomerView = z.infer<typeof CustomerView>

export const CustomerSummary = z.object({
  id: z.number().int(),
  cisCustomerId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  accountNumbers: z.array(z.string()),
  plates: z.array(z.object({ plate: z.string(), state: z.string() })),
})
export type CustomerSummary = z.infer<typeof CustomerSummary>

export const CustomerPage = z.object({
  customers: z.array(CustomerSummary),
  limit: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable(),
})
export type CustomerPage = z.infer<typeof CustomerPage>
