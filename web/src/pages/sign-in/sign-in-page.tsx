import { useState } from 'preact/hooks'
import { useSession, useLeaveWhenSignedIn } from '../../lib/use-session.ts'
import { useForm } from '../../lib/use-form.ts'
import { Page } from '../../components/page/page.tsx'
import { TextField } from '../../components/field/field.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import styles from './sign-in-page.module.css'

export function SignInPage() {
  const session = useSession()
  const form = useForm()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const next = useLeaveWhenSignedIn()

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const missing: Record<string, string> = {}
    if (!email.trim()) {
      missing.email = 'Enter your email address'
    }
    if (!password) {
      missing.password = 'Enter your password'
    }
    if (Object.keys(missing).length > 0) {
      form.fail('Enter your email address and password', missing)
      return
    }
    await form.submit(async () => {
      await session.signIn(email.trim(), password)
    })
  }

  const notice = session.state.status === 'signed_out' ? session.state.notice : null

  return (
    <Page
      title="Sign in"
      eyebrow="Curbline account"
      lede="Pay for parking, manage your vehicles and see your utility and parking statement in one place."
    >
      <div class={styles.layout}>
        <div class={styles.card}>
          {notice && !form.error && <Alert tone="info" title={notice} />}
          <FormAlert
            error={form.error}
            fieldErrors={form.fieldErrors}
            labels={{ email: 'Email address', password: 'Password' }}
          />
          <form onSubmit={onSubmit} noValidate aria-label="Sign in">
            <TextField
              label="Email address"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onValue={setEmail}
              error={form.fieldErrors.email}
            />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onValue={setPassword}
              error={form.fieldErrors.password}
            />
            <Button type="submit" busy={form.busy}>
              Sign in
            </Button>
          </form>
        </div>
        <aside class={styles.aside} aria-labelledby="new-here">
          <h2 id="new-here">New to Curbline?</h2>
          <p>Drivers can create an account in a minute. With it you can:</p>
          <ul class={styles.benefits}>
            <li>see your utility bills and parking charges on one statement</li>
            <li>link the utility accounts for your home or business</li>
            <li>keep the vehicles you park in the city on file</li>
          </ul>
          <ButtonLink
            variant="secondary"
            href={next ? `/register?next=${encodeURIComponent(next)}` : '/register'}
          >
            Create a driver account
          </ButtonLink>
          <p>
            Looking for somewhere to park? <a href="/parking">See the parking map</a>: garages,
            lots and on-street zones with what an hour costs now, no account needed.
          </p>
          <p class={styles.staff}>
            City staff: use the email and password your administrator gave you.
          </p>
        </aside>
      </div>
    </Page>
  )
}
