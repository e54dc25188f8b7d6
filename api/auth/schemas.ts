import { z } from 'zod'

export const Email = z.string().trim().toLowerCase().email().max(254)
export const Password = z.string().min(10, 'Use at least 10 characters').max(200)

export const SignInBody = z.object({ email: Email, password: z.string().min(1).max(200) })
export type SignInBody = z.infer<typeof SignInBody>

export const RegisterBody = z.object({
  email: Email,
  name: z.string().trim().min(1).max(200),
  password: Password,
  phone: z.string().trim().max(40).optional(),
})
export type RegisterBody = z.infer<typeof RegisterBody>

export const RoleName = z.enum(['driver', 'ambassador', 'supervisor', 'finance', 'admin'])
export type RoleName = z.infer<typeof RoleName>

export const Me = z.object({
  user: z.object({
    id: z.number().int(),
    email: z.string(),
    displayName: z.string(),
    role: RoleName,
    customerId: z.number().int().nullable(),
  }),
  csrfToken: z.string(),
  timeZone: z.string().describe('The city’s time zone: days and times read in it'),
})
export type Me = z.infer<typeof Me>

export const StaffUserBody = z.object({
  email: Email,
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(['ambassador', 'supervisor', 'finance', 'admin']),
  password: Password,
})
export type StaffUserBody = z.infer<typeof StaffUserBody>

export const UserView = z.object({
  id: z.number().int(),
  email: z.string(),
  displayName: z.string(),
  role: RoleName,
  customerId: z.number().int().nullable(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
})

export type UserView = z.infer<typeof UserView>

export const DeviceKindName = z.enum(['kiosk', 'handheld', 'gate', 'ivr'])

export const DeviceBody = z.object({
  kind: DeviceKindName,
  name: z.string().trim().min(1).max(100),
  location: z.string().trim().max(200).optional(),
  /** The facility or zone code a kiosk or gate stands at. */
  facility: z.string().trim().min(1).max(20).optional(),
  /** A kiosk's Stripe Terminal reader, as Stripe names it. */
  stripeReader: z
    .string()
    .trim()
    .regex(/^tmr_[A-Za-z0-9]+$/, 'A Stripe Terminal reader id, e.g. tmr_FDOt2wlRZEdpd7')
    .optional(),
})
export type DeviceBody = z.infer<typeof DeviceBody>

export const DeviceView = z.object({
  id: z.number().int(),
  kind: DeviceKindName,
  name: z.string(),
  location: z.string().nullable(),
  facility: z.string().nullable(),
  stripeReader: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})

export type DeviceView = z.infer<typeof DeviceView>

export const NewDeviceView = z.object({ device: DeviceView, token: z.string() })
