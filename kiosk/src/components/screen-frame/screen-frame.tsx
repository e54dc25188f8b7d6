import type { ComponentChildren } from 'preact'
import { useI18n } from '../../lib/i18n.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import { Brand } from '../brand/brand.tsx'
import { LanguageToggle } from '../language-toggle/language-toggle.tsx'
import { StatusBar } from '../status-bar/status-bar.tsx'
import styles from './screen-frame.module.css'

interface Props {
  subtitle: string
  connection: ConnectionState
  waiting?: number
  /** The clock's time zone: the zone's own; the browser's until one is known. */
  timeZone?: string
  /** Beside the help line: the technician's button. */
  footer?: ComponentChildren
  children: ComponentChildren
}

/** Every screen's frame: brand, language, clock and connection above; help below. */
export function ScreenFrame({ subtitle, connection, waiting, timeZone, footer, children }: Props) {
  const { t } = useI18n()
  return (
    <div class={styles.screen}>
      <header class={styles.top}>
        <Brand subtitle={subtitle} />
        <div class={styles.tools}>
          <LanguageToggle />
          <StatusBar connection={connection} waiting={waiting} timeZone={timeZone} />
        </div>
      </header>
      {connection.status === 'offline' && (
        <p class={styles.offline} role="alert">
          {t.offlineBanner}
        </p>
      )}
      <main class={styles.main}>{children}</main>
      <footer class={styles.footer}>
        <p>{t.helpLine}</p>
        {footer}
      </footer>
    </div>
  )
}
