import { z } from 'zod'

/** A calendar day, YYYY-MM-DD, that exists (no 2024-02-30). */
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2024-03-31')
  .refine((d) => {
    // malformed input is the regex's to report
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) {
      return true
    }
    const date = new Date(`${d}T00:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(d)
  }, 'That day does not exist')

export const StatementQuery = z
  .object({ from: Day.optional(), to: Day.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must be on or before to',
    path: ['from'],
  })
export type StatementQuery = z.infer<typeof StatementQuery>

const Cents = z.number().int()

export const Balances = z.object({
  byFund: z.record(z.string(), Cents).describe('Cents per fund; positive means owed to the city'),
  total: Cents,
})
export type Balances = z.infer<typeof Balances>

export const StatementLine = z.object({
  entryId: z.number().int(),
  postingId: z.number().int(),
  occurredAt: z.string().describe('ISO 8601 instant'),
  description: z.string(),
  fund: z.string(),
  accountCode: z.string(),
  utilityAccountNumber: z.string().nullable(),
  amount: Cents,
  runningBalance: Cents,
})
export type StatementLine = z.infer<typeof StatementLine>

export const Statement = z.object({
  customerId: z.number().int(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  openingBalance: Cents,
  lines: z.array(StatementLine),
  totals: Balances,
  closingBalance: Cents,
})
export type Statement = z.infer<typeof Statement>
