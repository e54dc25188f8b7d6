import { useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatDate } from '../../lib/format.ts'
import type { Role, StaffRole, StaffUser } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { TextField, SelectField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import styles from './admin-users-page.module.css'

const ROLE_LABELS: Record<Role, string> = {
  driver: 'Driver',
  ambassador: 'Parking ambassador',
  supervisor: 'Supervisor',
  finance: 'Finance',
  admin: 'Administrator',
}

const STAFF_ROLES: StaffRole[] = ['ambassador', 'supervisor', 'finance', 'admin']

const LABELS = {
  displayName: 'Full name',
  email: 'Work email',
  role: 'Role',
  password: 'Temporary password',
}

export function AdminUsersPage() {
  const users = useResource<{ users: StaffUser[] }>('/users')
  return (
    <Page
      title="Users"
      eyebrow="Administration"
      lede="Everyone who can sign in to Curbline. Drivers create their own accounts; you create accounts for city staff."
    >
      <div class={styles.layout}>
        <Panel title="All users">
          {users.error && <Alert tone="error" title={users.error.message} />}
          {!users.data && users.loading && <Loading label="Loading users…" />}
          {users.data && (
            <TableScroller label="Users">
              <table class={t.table}>
                <caption class="visually-hidden">Users who can sign in</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {users.data.users.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.displayName}</th>
                      <td>{u.email}</td>
                      <td>{ROLE_LABELS[u.role]}</td>
                      <td class={t.nowrap}>{formatDate(u.createdAt)}</td>
                      <td>{u.disabledAt ? `Disabled ${formatDate(u.disabledAt)}` : 'Active'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </Panel>
        <Panel
          title="Create a staff user"
          description="They sign in with this email and password, and should change the password once the option arrives."
        >
          <CreateUserForm onCreated={users.reload} />
        </Panel>
      </div>
    </Page>
  )
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi()
  const form = useForm()
  const [displayName, setDisplayName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<string>('ambassador')
  const [password, setPassword] = useState('')

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (!displayName.trim()) {
      problems.displayName = 'Enter their name'
    }
    if (!email.trim()) {
      problems.email = 'Enter their work email'
    }
    if (password.length < 10) {
      problems.password = 'Use at least 10 characters'
    }
    if (Object.keys(problems).length > 0) {
      form.fail('Check the new user’s details', problems)
      return
    }
    const ok = await form.submit(async () => {
      const created = await api.post<StaffUser>('/users', {
        displayName: displayName.trim(),
        email: email.trim(),
        role,
        password,
      })
      return `${created.displayName} can now sign in as ${ROLE_LABELS[created.role].toLowerCase()}.`
    })
    if (ok) {
      setDisplayName('')
      setEmail('')
      setPassword('')
      onCreated()
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create a staff user">
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={LABELS}
      />
      <TextField
        label={LABELS.displayName}
        name="displayName"
        autoComplete="off"
        required
        value={displayName}
        onValue={setDisplayName}
        error={form.fieldErrors.displayName}
      />
      <TextField
        label={LABELS.email}
        type="email"
        name="email"
        autoComplete="off"
        required
        value={email}
        onValue={setEmail}
        error={form.fieldErrors.email}
      />
      <SelectField
        label={LABELS.role}
        name="role"
        required
        value={role}
        onValue={setRole}
        error={form.fieldErrors.role}
      >
        {STAFF_ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </SelectField>
      <TextField
        label={LABELS.password}
        type="password"
        name="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters. Give it to them in person or by phone, not by email."
        value={password}
        onValue={setPassword}
        error={form.fieldErrors.password}
      />
      <Button type="submit" busy={form.busy}>
        Create user
      </Button>
    </form>
  )
}
