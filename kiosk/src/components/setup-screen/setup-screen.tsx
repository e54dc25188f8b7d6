import { useState } from 'preact/hooks'
import { problemOf } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import { Brand } from '../brand/brand.tsx'
import { StatusBar } from '../status-bar/status-bar.tsx'
import styles from './setup-screen.module.css'

interface Props {
  problem: string | null
  connect: (token: string) => Promise<void>
  connection: ConnectionState
}

/** First run, or after the token was revoked: a technician enters the kiosk's device token. */
export function SetupScreen({ problem, connect, connection }: Props) {
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (!token.trim()) {
      setError('Paste the device token from the Devices page first.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await connect(token)
    } catch (err) {
      setError(problemOf(err))
      setBusy(false)
    }
  }

  const message = error ?? problem
  return (
    <div class={styles.screen}>
      <header class={styles.top}>
        <Brand subtitle="Pay station" />
        <StatusBar connection={connection} />
      </header>
      <main class={styles.main}>
        <div class={styles.card}>
          <p class={styles.eyebrow}>Technician setup</p>
          <h1>Set up this pay station</h1>
          <p class={styles.lede}>
            An administrator registers the kiosk on the Devices page of Curbline and receives its
            device token once. Paste that token here to bring the pay station into service.
          </p>
          {message && (
            <div class={styles.error} role="alert">
              {message}
            </div>
          )}
          <form onSubmit={onSubmit} noValidate aria-label="Set up this pay station">
            <label class={styles.label} for="device-token">
              Device token
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
              {busy ? 'Checking the token…' : 'Connect this kiosk'}
            </button>
          </form>
        </div>
      </main>
    </div>
  )
}
