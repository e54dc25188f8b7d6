import { useDevice } from './lib/use-device.ts'
import { useConnection } from './lib/use-connection.ts'
// Screens are bundled with the shell rather than loaded lazily: a pay station must keep working
// when the network drops, and a chunk fetched later might not arrive.
import { SetupScreen } from './components/setup-screen/setup-screen.tsx'
import { HomeScreen } from './components/home-screen/home-screen.tsx'
import styles from './app.module.css'

export function App() {
  const device = useDevice()
  const connection = useConnection()
  const { state } = device

  if (state.status === 'checking') {
    return (
      <main class={styles.starting}>
        <p role="status">Starting the pay station…</p>
      </main>
    )
  }
  if (state.status === 'unconfigured') {
    return <SetupScreen problem={state.problem} connect={device.connect} connection={connection} />
  }
  return (
    <HomeScreen
      device={state.device}
      verified={state.verified}
      connection={connection}
      signOut={device.signOut}
    />
  )
}
