import type { z } from 'zod'
import type { PermitTypeBody, ZoneBody } from '../../../../api/permits/schemas.ts'
import { ApiError } from '../../lib/api.ts'

/** What PUT /permit-types/{code} takes. */
export type PermitTypeJson = z.infer<typeof PermitTypeBody>
/** What PUT /permit-zones/{code} takes. */
export type ZoneJson = z.infer<typeof ZoneBody>

/** Codes as the API keeps them: capitals, digits and dashes, up to 20. */
export const CODE = /^[A-Z0-9][A-Z0-9-]{0,19}$/

/**
 * The error with its 400 details keyed for the form: each detail's path in the request, less
 * its 'body.'/'params.' prefix ('body.facilities.2.capacity' is 'facilities.2.capacity'), goes
 * through keyOf, so useForm files it under the key of the one field it is about.
 */
export function rekeyed(err: unknown, keyOf: (path: string) => string): unknown {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) {
    return err
  }
  const details = (err.details as unknown[]).map((d) => {
    if (typeof d !== 'object' || d === null) {
      return d
    }
    const { field, message } = d as { field?: unknown; message?: unknown }
    if (typeof field !== 'string' || typeof message !== 'string') {
      return d
    }
    // useForm keys by what follows the last dot, so the key itself has none
    return {
      field: keyOf(field.replace(/^(body|params|query)\.?/, '')).replace(/\./g, '-'),
      message,
    }
  })
  return new ApiError(err.status, err.code, err.message, details, err.requestId)
}
