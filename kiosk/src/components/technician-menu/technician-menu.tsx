import { useRef, useState } from 'preact/hooks'
import type { DeviceInfo } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import styles from './technician-menu.module.css'

interface Props {
  device: DeviceInfo
  verified: boolean
  connection: ConnectionState
  signOut: () => void
}

/** Device details and "Sign out device", behind a small button a customer is unlikely to need. */
export function TechnicianMenu({ device, verified, connection, signOut }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [confirming, setConfirming] = useState(false)

  const open = () => {
    setConfirming(false)
    dialog.current?.showModal()
  }
  const close = () => dialog.current?.close()

  return (
    <>
      <button type="button" class={styles.open} onClick={open}>
        Technician
      </button>
      <dialog ref={dialog} class={styles.dialog} aria-labelledby="tech-title">
        <h2 id="tech-title">Technician menu</h2>
        <dl class={styles.facts}>
          <div>
            <dt>Kiosk</dt>
            <dd>{device.name}</dd>
          </div>
          <div>
            <dt>Device number</dt>
            <dd>{device.id}</dd>
          </div>
          <div>
            <dt>Token</dt>
            <dd>{verified ? 'Accepted by the server' : 'Not yet re-checked (offline at start)'}</dd>
          </div>
          <div>
            <dt>Connection</dt>
            <dd>
              {connection.status}
              {connection.checkedAt && `, checked ${connection.checkedAt.toLocaleTimeString()}`}
            </dd>
          </div>
        </dl>
        {confirming ? (
          <div class={styles.confirm} role="group" aria-label="Confirm sign out">
            <p>
              The pay station stops taking payments until a technician enters a device token again.
            </p>
            <div class={styles.actions}>
              <button type="button" class={styles.danger} onClick={signOut}>
                Yes, sign out this device
              </button>
              <button type="button" class={styles.secondary} onClick={() => setConfirming(false)}>
                Keep it signed in
              </button>
            </div>
          </div>
        ) : (
          <div class={styles.actions}>
            <button type="button" class={styles.danger} onClick={() => setConfirming(true)}>
              Sign out device
            </button>
            <button type="button" class={styles.secondary} onClick={close}>
              Close
            </button>
          </div>
        )}
      </dialog>
    </>
  )
}
