import { useState } from 'preact/hooks'
import { useForm } from '../../../lib/use-form.ts'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import { TextField } from '../../../components/field/field.tsx'
import {
  forgetDevice,
  readDevice,
  saveDevice,
  verifyDevice,
  type HandheldDevice,
} from '../device.ts'
import styles from './this-phone.module.css'

/**
 * Setting this phone up as a city handheld: its device token (from Admin → Devices) lets it
 * number citations it writes offline. Also how to put the handheld on the home screen.
 */
export function ThisPhone() {
  const form = useForm()
  const [device, setDevice] = useState<HandheldDevice | null>(() => readDevice())
  const [token, setToken] = useState('')

  const connect = async (e: Event) => {
    e.preventDefault()
    if (!token.trim()) {
      form.fail('Enter the handheld’s token', { token: 'Required' })
      return
    }
    await form.submit(async () => {
      const verified = await verifyDevice(token.trim())
      saveDevice(verified)
      setDevice(verified)
      setToken('')
      return `This phone is ${verified.name}.`
    })
  }

  return (
    <details class={styles.phone}>
      <summary>This phone</summary>
      <div class={styles.body}>
        <h3 class={styles.title}>Citations written offline</h3>
        {device ? (
          <>
            <p>
              This phone is <strong>{device.name}</strong> (device {device.id}). A citation written
              while offline is numbered here, <strong>H{device.id}-…</strong>, so the notice you
              leave carries its number; it is sent under the handheld’s token when the network is
              back.
            </p>
            <Button
              variant="quiet"
              size="small"
              onClick={() => {
                forgetDevice()
                setDevice(null)
                form.clear()
              }}
            >
              Stop using the handheld token
            </Button>
          </>
        ) : (
          <>
            <p>
              Without a handheld token, a citation written offline waits on the phone and gets the
              city’s number when it is sent; the owner is sent the notice. With the city handheld’s
              token, offline citations are numbered at once.
            </p>
            <form aria-label="Handheld token" noValidate onSubmit={(e) => void connect(e)}>
              <FormAlert error={form.error} success={form.success} />
              <TextField
                label="Handheld device token"
                name="token"
                type="password"
                autoComplete="off"
                hint="An administrator registers the handheld under Devices and gives you its token."
                value={token}
                onValue={setToken}
                error={form.fieldErrors.token}
              />
              <Button type="submit" variant="secondary" busy={form.busy}>
                Use this token
              </Button>
            </form>
          </>
        )}
        <h3 class={styles.title}>On your home screen</h3>
        <p>
          Add Curbline Handheld to the home screen from the browser’s menu (“Install app” or “Add to
          Home Screen”). It opens full screen and starts without a signal; checks and citations made
          offline are sent when the network is back.
        </p>
      </div>
    </details>
  )
}
