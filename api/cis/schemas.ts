import { z } from 'zod'

export const RowErrorView = z.object({
  line: z.number().int(),
  field: z.string(),
  message: z.string(),
})
export type RowErrorView = z.infer<typeof RowErrorView>

export const ImportView = z.object({
  id: z.number().int(),
  kind: z.enum(['customers', 'bills']).nullable(),
  fileName: z.string(),
  sha256: z.string(),
  status: z.enum(['applied', 'rejected']),
  rowsTotal: z.number().int(),
  rowsApplied: z.number().int(),
  errorCount: z.number().int(),
  errors: z.array(RowErrorView),
  counts: z.record(z.string(), z.number()),
  importedBy: z.number().int().nullable(),
  createdAt: z.string(),
  durationMs: z.number().int(),
})
export type ImportView = z.infer<typeof ImportView>

export const ImportQuery = z.object({
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'a file name, without folders')
    .optional()
    .describe('Name of the uploaded file, kept with the import record (or send X-File-Name)'),
})
export type ImportQuery = z.infer<typeof ImportQuery>

export const ImportListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type ImportListQuery = z.infer<typeof ImportListQuery>

export const ImportList = z.object({ imports: z.array(ImportView) })
