export const API_BASE = '/api/v1'

export interface FieldError {
  field: string
  message: string
}

/** The API's one error shape, plus status 0 for a request that never reached the server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly requestId: string | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** 400 details as messages keyed by the last part of the field path ('body.plate' -> 'plate'). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    if (!Array.isArray(this.details)) {
      return out
    }
    for (const d of this.details as unknown[]) {
      if (isFieldError(d)) {
        const key = d.field.split('.').pop() ?? d.field
        out[key] ??= d.message
      }
    }
    return out
  }
}

function isFieldError(value: unknown): value is FieldError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldError).field === 'string' &&
    typeof (value as FieldError).message === 'string'
  )
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: Method
  body?: unknown
  /** A body sent as it is, e.g. a CSV file's text or an uploaded file, in place of JSON. */
  raw?: { body: string | Blob; contentType: string }
  csrfToken?: string | null
  accept?: string
  signal?: AbortSignal
}

export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' }
  if (options.raw) {
    headers['content-type'] = options.raw.contentType
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
  }
  if (method !== 'GET' && options.csrfToken) {
    headers['x-csrf-token'] = options.csrfToken
  }
  let res: Response
  try {
    res = await fetch(API_BASE + path, {
      method,
      headers,
      body: options.raw
        ? options.raw.body
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') {
      throw err
    }
    throw new ApiError(
      0,
      'network',
      'Curbline could not be reached. Check your connection and try again.',
    )
  }
  if (!res.ok) {
    throw await errorOf(res)
  }
  return res
}

export async function apiJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(path, options)
  return (await res.json()) as T
}

async function errorOf(res: Response): Promise<ApiError> {
  const fallback = `The server answered ${res.status} ${res.statusText}`.trim()
  try {
    const body = (await res.json()) as { error?: Partial<Record<string, unknown>> }
    const e = body.error ?? {}
    return new ApiError(
      res.status,
      typeof e.code === 'string' ? e.code : 'unknown',
      typeof e.message === 'string' ? e.message : fallback,
      e.details ?? null,
      typeof e.requestId === 'string' ? e.requestId : res.headers.get('x-request-id'),
    )
  } catch {
    return new ApiError(res.status, 'unknown', fallback, null, res.headers.get('x-request-id'))
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) {
    return err.message
  }
  return 'Something went wrong'
}
