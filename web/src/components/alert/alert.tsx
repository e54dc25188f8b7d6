import type { ComponentChildren } from 'preact'
import styles from './alert.module.css'

export type AlertTone = 'error' | 'success' | 'info' | 'warning'

interface AlertProps {
  tone: AlertTone
  title?: string
  children?: ComponentChildren
}

/** Errors interrupt (role=alert); everything else is announced politely (role=status). */
export function Alert({ tone, title, children }: AlertProps) {
  return (
    <div class={`${styles.alert} ${styles[tone]}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title && <p class={styles.title}>{title}</p>}
      {children && <div class={styles.body}>{children}</div>}
    </div>
  )
}

interface FormAlertProps {
  error: string | null
  fieldErrors?: Record<string, string>
  success?: string | null
  /** Field labels by field name, so the summary reads "ZIP code: ..." rather than "zip: ...". */
  labels?: Record<string, string>
}

/** A form's alert region: the API's message and, for a 400, what each field needs. */
export function FormAlert({ error, fieldErrors = {}, success, labels = {} }: FormAlertProps) {
  const fields = Object.entries(fieldErrors)
  if (error) {
    return (
      <Alert tone="error" title={error}>
        {fields.length > 0 && (
          <ul class={styles.list}>
            {fields.map(([field, message]) => (
              <li key={field}>
                {labels[field] ?? field}: {message}
              </li>
            ))}
          </ul>
        )}
      </Alert>
    )
  }
  if (success) {
    return <Alert tone="success" title={success} />
  }
  return null
}
