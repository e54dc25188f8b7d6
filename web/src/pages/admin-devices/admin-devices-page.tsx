import { useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { messageOf } from '../../lib/api.ts'
import { formatDate, formatDateTime } from '../../lib/format.ts'
import type { Device } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { TextField, SelectField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import styles from './admin-devices-page.module.css'

const KIND_LABELS: Record<Device['kind'], string> = {
  kiosk: 'Kiosk',
  handheld: 'Handheld',
  gate: 'Gate',
  ivr: 'Pay-by-phone line',
}
const LABELS = { kind: 'Kind of device', name: 'Name', location: 'Location', facility: 'Facility or zone' }

interface NewDevice {
  device: Device
  token: string
}

export function AdminDevicesPage() {
  const devices = useResource<{ devices: Device[] }>('/devices')
  const [issued, setIssued] = useState<NewDevice | null>(null)
  return (
    <Page
      title="Devices"
      eyebrow="Administration"
      lede="Pay-station kiosks and ambassadors’ handhelds connect with a device token. Revoke a token at once if a device is lost or replaced."
    >
      <div class={styles.layout}>
        <Panel title="Registered devices">
          {devices.error && <Alert tone="error" title={devices.error.message} />}
          {!devices.data && devices.loading && <Loading label="Loading devices…" />}
          {devices.data && (
            <DeviceTable devices={devices.data.devices} onRevoked={devices.reload} />
          )}
        </Panel>
        <div class={styles.side}>
          {issued && <IssuedToken issued={issued} onDone={() => setIssued(null)} />}
          <Panel title="Register a device">
            <RegisterDeviceForm
              onRegistered={(made) => {
                setIssued(made)
                devices.reload()
              }}
            />
          </Panel>
        </div>
      </div>
    </Page>
  )
}

function DeviceTable({ devices, onRevoked }: { devices: Device[]; onRevoked: () => void }) {
  const api = useApi()
  const [confirming, setConfirming] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const revoke = async (d: Device) => {
    setBusy(true)
    setError(null)
    try {
      await api.post(`/devices/${d.id}/revoke`)
      setConfirming(null)
      onRevoked()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  if (devices.length === 0) {
    return <p>No devices are registered yet.</p>
  }
  return (
    <>
      {error && <Alert tone="error" title={error} />}
      <TableScroller label="Devices">
        <table class={t.table}>
          <caption class="visually-hidden">Registered devices</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Location</th>
              <th scope="col">Facility</th>
              <th scope="col">Last seen</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.name}</th>
                <td>{KIND_LABELS[d.kind]}</td>
                <td class={d.location ? undefined : t.muted}>{d.location ?? '—'}</td>
                <td class={d.facility ? undefined : t.muted}>{d.facility ?? '—'}</td>
                <td class={t.nowrap}>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : 'Never'}</td>
                <td>
                  {d.revokedAt ? (
                    <span class={styles.revoked}>Revoked {formatDate(d.revokedAt)}</span>
                  ) : (
                    <span class={styles.active}>Active</span>
                  )}
                </td>
                <td class={t.actions}>
                  {!d.revokedAt &&
                    (confirming === d.id ? (
                      <span class={styles.confirm}>
                        <Button
                          variant="danger"
                          size="small"
                          busy={busy}
                          onClick={() => void revoke(d)}
                        >
                          Confirm revoke
                        </Button>
                        <Button variant="quiet" size="small" onClick={() => setConfirming(null)}>
                          Cancel
                        </Button>
                      </span>
                    ) : (
                      <Button
                        variant="danger"
                        size="small"
                        aria-label={`Revoke ${d.name}`}
                        onClick={() => setConfirming(d.id)}
                      >
                        Revoke
                      </Button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
    </>
  )
}

function RegisterDeviceForm({ onRegistered }: { onRegistered: (made: NewDevice) => void }) {
  const api = useApi()
  const form = useForm()
  const [kind, setKind] = useState<string>('kiosk')
  const [name, setName] = useState('')
  const [location, setLocation] = useState('')
  const [facility, setFacility] = useState('')

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (!name.trim()) {
      form.fail('Give the device a name', {
        name: 'Enter a name people will recognise, like “Kiosk 4 – Main St lot”',
      })
      return
    }
    let made: NewDevice | null = null
    const ok = await form.submit(async () => {
      made = await api.post<NewDevice>('/devices', {
        kind,
        name: name.trim(),
        location: location.trim() || undefined,
        facility: facility.trim() || undefined,
      })
    })
    if (ok && made) {
      setName('')
      setLocation('')
      setFacility('')
      onRegistered(made)
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Register a device">
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <SelectField
        label={LABELS.kind}
        name="kind"
        required
        value={kind}
        onValue={setKind}
        error={form.fieldErrors.kind}
      >
        <option value="kiosk">Kiosk (pay station)</option>
        <option value="handheld">Handheld (ambassador’s phone)</option>
        <option value="gate">Gate (garage or Airport entry/exit)</option>
        <option value="ivr">Pay-by-phone line (IVR)</option>
      </SelectField>
      <TextField
        label={LABELS.name}
        name="name"
        required
        value={name}
        onValue={setName}
        error={form.fieldErrors.name}
      />
      <TextField
        label={LABELS.location}
        name="location"
        hint="Where it stands, e.g. “City Hall Garage, level 1”."
        value={location}
        onValue={setLocation}
        error={form.fieldErrors.location}
      />
      <TextField
        label={LABELS.facility}
        name="facility"
        hint="The zone number or facility code a kiosk or gate sells for, e.g. 101 or G-CIVIC."
        value={facility}
        onValue={setFacility}
        error={form.fieldErrors.facility}
      />
      <Button type="submit" busy={form.busy}>
        Register device
      </Button>
    </form>
  )
}

/** The token exists only in this reply: the server keeps a hash. */
function IssuedToken({ issued, onDone }: { issued: NewDevice; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  const setupUrl = `${location.origin}/kiosk/?token=${encodeURIComponent(issued.token)}`
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.token)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <section class={styles.token} aria-labelledby="new-token" role="region">
      <h2 id="new-token">Token for {issued.device.name}</h2>
      <p>
        <strong>This is the only time the token is shown.</strong> Enter it on the device now, or
        keep it somewhere safe until you do.
      </p>
      <label class={styles.tokenLabel} for="token-value">
        Device token
      </label>
      <textarea
        id="token-value"
        class={styles.tokenValue}
        rows={2}
        readOnly
        value={issued.token}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div class={styles.tokenActions}>
        <Button variant="secondary" size="small" onClick={() => void copy()}>
          Copy token
        </Button>
        <Button variant="quiet" size="small" onClick={onDone}>
          I have saved it
        </Button>
      </div>
      {copied && <p role="status">Copied to the clipboard.</p>}
      {issued.device.kind === 'kiosk' && (
        <p class={styles.setup}>
          On the kiosk itself you can also open{' '}
          <code class={styles.url}>{setupUrl}</code> once to set it up.
        </p>
      )}
    </section>
  )
}
