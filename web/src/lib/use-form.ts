import { useCallback, useState } from 'preact/hooks'
import { ApiError, messageOf } from './api.ts'

export interface FormStatus {
  busy: boolean
  /** The form-level message for the alert region. */
  error: string | null
  /** Per-field messages from the API's 400 details or from checks made here. */
  fieldErrors: Record<string, string>
  success: string | null
}

export interface Form extends FormStatus {
  /** Runs a submission: clears old messages, shows busy, turns an ApiError into messages. */
  submit: (run: () => Promise<string | null | void>) => Promise<boolean>
  fail: (message: string, fieldErrors?: Record<string, string>) => void
  clear: () => void
}

const IDLE: FormStatus = { busy: false, error: null, fieldErrors: {}, success: null }

export function useForm(): Form {
  const [status, setStatus] = useState<FormStatus>(IDLE)

  const submit = useCallback(async (run: () => Promise<string | null | void>) => {
    setStatus({ ...IDLE, busy: true })
    try {
      const success = await run()
      setStatus({ ...IDLE, success: success ?? null })
      return true
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fieldErrors() : {}
      setStatus({ ...IDLE, error: messageOf(err), fieldErrors })
      return false
    }
  }, [])

  const fail = useCallback((message: string, fieldErrors: Record<string, string> = {}) => {
    setStatus({ ...IDLE, error: message, fieldErrors })
  }, [])

  const clear = useCallback(() => setStatus(IDLE), [])
  return { ...status, submit, fail, clear }
}
