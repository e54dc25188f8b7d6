import { useEffect, useRef } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import styles from './idle-warning.module.css'

/** "Are you still there?" with the seconds left; any touch (the button too) keeps the screen. */
export function IdleWarning({ seconds }: { seconds: number | null }) {
  const { t } = useI18n()
  const dialog = useRef<HTMLDialogElement>(null)
  const open = seconds !== null

  useEffect(() => {
    const d = dialog.current
    if (!d) {
      return
    }
    if (open && !d.open) {
      d.showModal()
    } else if (!open && d.open) {
      d.close()
    }
  }, [open])

  return (
    <dialog
      ref={dialog}
      class={styles.dialog}
      aria-labelledby="idle-title"
      aria-describedby="idle-text"
    >
      <h2 id="idle-title">{t.idleTitle}</h2>
      <p id="idle-text">{seconds !== null && t.idleText(seconds)}</p>
      <button type="button" class="btn btn-primary" onClick={() => dialog.current?.close()}>
        {t.idleMore}
      </button>
    </dialog>
  )
}
