import { useState } from 'preact/hooks'
import { problemOf, type Problem } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import { useI18n, type Messages } from '../../lib/i18n.ts'
import { ScreenFrame } from '../screen-frame/screen-frame.tsx'
import styles from './setup-screen.module.css'

interface Props {
  problem: Problem | null
  connect: (token: string) => Promise<void>
  connection: ConnectionState
}

/** First run, or after the token was revoked: a technician enters the kiosk's device token. */
export function SetupScreen({ problem, connect, connection }: Props) {
  const { t } = useI18n()
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (!token.trim()) {
      setError(t.setupPasteFirst)
      return
    }
    setBusy(true)
    setError(null)
    try {
      await connect(token)
    } catch (err) {
      setError(describe(problemOf(err), t))
      setBusy(false)
    }
  }

  const message = error ?? (problem ? describe(problem, t) : null)
  return (
    <ScreenFrame subtitle={t.payStation} connection={connection}>
      <div class={styles.main}>
        <div class={styles.card}>
          <p class={styles.eyebrow}>{t.setupEyebrow}</p>
          <h1>{t.setupTitle}</h1>
          <p class={styles.lede}>{t.setupLede}</p>
          {message && (
            <div class={styles.error} role="alert">
              {message}
            </div>
          )}
          <form onSubmit={onSubmit} noValidate aria-label={t.setupTitle}>
            <label class={styles.label} for="device-token">
              {t.setupTokenLabel}
            </label>
            <textarea
              id="device-token"
              class={styles.input}
              rows={3}
              autoComplete="off"
              autoCapitalize="off"
              spellcheck={false}
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
            <button
              type="submit"
              class={styles.submit}
              disabled={busy}
              aria-busy={busy || undefined}
            >
              {busy ? t.setupChecking : t.setupSubmit}
            </button>
          </form>
        </div>
      </div>
    </ScreenFrame>
  )
}

function describe(problem: Problem, t: Messages): string {
  switch (problem.kind) {
    case 'unauthorized':
      return t.setupUnauthorized(problem.detail)
    case 'not_kiosk':
      return t.setupNotKiosk(problem.deviceKind)
    case 'network':
      return t.setupNetwork
    case 'other':
      return t.setupOther
  }
}
