import type { JSX } from 'preact'
import { useState } from 'preact/hooks'
import type { DeviceInfo } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import { StatusBar } from '../status-bar/status-bar.tsx'
import { Brand } from '../brand/brand.tsx'
import { TechnicianMenu } from '../technician-menu/technician-menu.tsx'
import styles from './home-screen.module.css'

interface Props {
  device: DeviceInfo
  /** False when the kiosk started offline and runs as the device it last verified. */
  verified: boolean
  connection: ConnectionState
  signOut: () => void
}

interface Service {
  id: string
  title: string
  detail: string
  icon: JSX.Element
}

const ticketIcon = (
  <svg
    viewBox="0 0 24 24"
    width="40"
    height="40"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
  >
    <path d="M6 3h12v18l-3-2-3 2-3-2-3 2z" stroke-linejoin="round" />
    <path d="M9 8h6M9 12h6M9 16h3" stroke-linecap="round" />
  </svg>
)

const SERVICES: Service[] = [
  {
    id: 'pay-parking',
    title: 'Pay for parking',
    detail: 'By plate or zone number, with card or cash',
    icon: <span>P</span>,
  },
  {
    id: 'pay-citation',
    title: 'Pay a citation',
    detail: 'Scan the QR code on your ticket or enter its number',
    icon: ticketIcon,
  },
]

const NOT_YET =
  'Not available yet: this service arrives at the pay station with the parking module. Please use another way to pay for now.'

export function HomeScreen({ device, verified, connection, signOut }: Props) {
  const [tapped, setTapped] = useState<string | null>(null)
  return (
    <div class={styles.screen}>
      <header class={styles.top}>
        <Brand subtitle={device.name} />
        <StatusBar connection={connection} />
      </header>

      <main class={styles.main}>
        <h1 class={styles.welcome}>Welcome. What would you like to do?</h1>
        {connection.status === 'offline' && (
          <p class={styles.offline} role="alert">
            This pay station is offline. Payments made now are saved and sent when it reconnects.
          </p>
        )}
        <ul class={styles.services}>
          {SERVICES.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                class={`${styles.service} ${tapped === s.id ? styles.tapped : ''}`}
                aria-disabled="true"
                aria-describedby={`${s.id}-note`}
                onClick={() => setTapped(s.id)}
              >
                <span class={styles.icon} aria-hidden="true">
                  {s.icon}
                </span>
                <span class={styles.text}>
                  <span class={styles.badge}>Coming soon</span>
                  <span class={styles.title}>{s.title}</span>
                  <span class={styles.detail}>{s.detail}</span>
                </span>
              </button>
              <p id={`${s.id}-note`} class={styles.note}>
                {NOT_YET}
              </p>
            </li>
          ))}
        </ul>
      </main>

      <footer class={styles.footer}>
        <p>City Department of Customer Services · Help: call 311</p>
        <TechnicianMenu
          device={device}
          verified={verified}
          connection={connection}
          signOut={signOut}
        />
      </footer>
    </div>
  )
}
