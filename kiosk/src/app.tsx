import { useEffect, useMemo, useState } from 'preact/hooks'
import { useDevice } from './lib/use-device.ts'
import { useConnection } from './lib/use-connection.ts'
import {
  formatsFor,
  I18nContext,
  LOCALES,
  MESSAGES,
  useI18n,
  type I18n,
  type Lang,
} from './lib/i18n.ts'
// Screens are bundled with the shell rather than loaded lazily: a pay station must keep working
// when the network drops, and a chunk fetched later might not arrive.
import { SetupScreen } from './components/setup-screen/setup-screen.tsx'
import { PayStation } from './components/pay-station/pay-station.tsx'
import styles from './app.module.css'

export function App() {
  const [lang, setLang] = useState<Lang>('en')
  const i18n = useMemo<I18n>(
    () => ({ lang, t: MESSAGES[lang], f: formatsFor(lang), setLang }),
    [lang],
  )
  useEffect(() => {
    document.documentElement.lang = LOCALES[lang]
    document.title = `Curbline · ${i18n.t.payStation}`
  }, [lang, i18n])

  return (
    <I18nContext.Provider value={i18n}>
      <Kiosk />
    </I18nContext.Provider>
  )
}

function Kiosk() {
  const { t } = useI18n()
  const device = useDevice()
  const connection = useConnection()
  const { state } = device

  if (state.status === 'checking') {
    return (
      <main class={styles.starting}>
        <p role="status">{t.starting}</p>
      </main>
    )
  }
  if (state.status === 'unconfigured') {
    return <SetupScreen problem={state.problem} connect={device.connect} connection={connection} />
  }
  return (
    <PayStation
      device={state.device}
      token={state.token}
      verified={state.verified}
      connection={connection}
      signOut={device.signOut}
    />
  )
}
