import { useState } from 'preact/hooks'
import { useSession, useLeaveWhenSignedIn } from '../../lib/use-session.ts'
import { useForm } from '../../lib/use-form.ts'
import { Page } from '../../components/page/page.tsx'
import { TextField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import styles from './register-page.module.css'

const LABELS = {
  name: 'Full name',
  email: 'Email address',
  phone: 'Mobile phone',
  password: 'Password',
}

export function RegisterPage() {
  const session = useSession()
  const form = useForm()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [phone, setPhone] = useState('')
  const [password, setPassword] = useState('')
  const next = useLeaveWhenSignedIn()

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (!name.trim()) {
      problems.name = 'Enter your name'
    }
    if (!email.trim()) {
      problems.email = 'Enter your email address'
    }
    if (password.length < 10) {
      problems.password = 'Use at least 10 characters'
    }
    if (Object.keys(problems).length > 0) {
      form.fail('Check the details below', problems)
      return
    }
    await form.submit(async () => {
      await session.register({
        name: name.trim(),
        email: email.trim(),
        password,
        phone: phone.trim() || undefined,
      })
    })
  }

  return (
    <Page
      title="Create a driver account"
      eyebrow="Curbline account"
      lede="One account for parking in the city. You can link your utility account afterwards."
      width="narrow"
    >
      <div class={styles.card}>
        <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
        <form onSubmit={onSubmit} noValidate aria-label="Create a driver account">
          <TextField
            label={LABELS.name}
            name="name"
            autoComplete="name"
            required
            value={name}
            onValue={setName}
            error={form.fieldErrors.name}
          />
          <TextField
            label={LABELS.email}
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onValue={setEmail}
            error={form.fieldErrors.email}
          />
          <TextField
            label={LABELS.phone}
            type="tel"
            name="phone"
            autoComplete="tel"
            hint="For parking reminders by text message."
            value={phone}
            onValue={setPhone}
            error={form.fieldErrors.phone}
          />
          <TextField
            label={LABELS.password}
            type="password"
            name="password"
            autoComplete="new-password"
            required
            hint="At least 10 characters. A short phrase is easy to remember and hard to guess."
            value={password}
            onValue={setPassword}
            error={form.fieldErrors.password}
          />
          <div class={styles.actions}>
            <Button type="submit" busy={form.busy}>
              Create account
            </Button>
            <a href={next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'}>
              I already have an account
            </a>
          </div>
        </form>
      </div>
    </Page>
  )
}
