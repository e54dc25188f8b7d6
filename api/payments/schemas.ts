import { z } from 'zod'

export const BalancePaymentBody = z.object({
  utilityAccountId: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Pay the parking balance of this one of my utility accounts; my own parking balance when omitted'),
  amountCents: z
    .number()
    .int()
    .positive()
    .max(10_000_000)
    .optional()
    .describe('How much of the balance to pay; all of it when omitted'),
})
export type BalancePaymentBody = z.infer<typeof BalancePaymentBody>

export const PaymentView = z.object({
  id: z.string(),
  purpose: z.enum(['session', 'permit', 'citation', 'account_balance']),
  amountCents: z.number().int(),
  method: z.enum(['card', 'cash', 'utility_bill']),
  status: z.enum(['requires_payment', 'processing', 'succeeded', 'failed', 'canceled']),
  failure: z.string().nullable(),
  flagged: z.boolean().describe('Stripe took another amount than the purchase: not fulfilled, for finance to look at'),
  createdAt: z.string(),
  succeededAt: z.string().nullable(),
})
export type PaymentView = z.infer<typeof PaymentView>

export const CardPaymentStarted = z.object({
  payment: PaymentView,
  clientSecret: z.string().describe("For Stripe's Payment Element in the browser"),
  publishableKey: z.string().nullable(),
})

export const PaymentParams = z.object({ id: z.uuid('A payment id (UUID)') })

export const RefundBody = z.object({
  amountCents: z.number().int().positive().max(10_000_000).optional().describe('All that is left when omitted'),
  reason: z.string().trim().min(3, 'Say why, in a few words').max(500),
})
export type RefundBody = z.infer<typeof RefundBody>

export const RefundView = z.object({
  id: z.string(),
  payment: z.string(),
  amountCents: z.number().int(),
  reason: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed', 'canceled']),
  failure: z.string().nullable(),
  createdAt: z.string(),
})
export type RefundView = z.infer<typeof RefundView>

export const PaymentOptions = z.object({
  card: z.boolean().describe('Cards are taken (Stripe is configured)'),
  publishableKey: z.string().nullable().describe("For Stripe.js's Payment Element"),
})

export const ParkingOwedList = z.object({
  owed: z.array(
    z.object({
      utilityAccountId: z.number().int().nullable().describe('Null: owed on my own record'),
      accountEnding: z.string().nullable().describe('The utility account, its last four digits'),
      owedCents: z.number().int(),
    }),
  ),
})
