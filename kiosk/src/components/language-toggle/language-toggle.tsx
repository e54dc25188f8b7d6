import { useI18n } from '../../lib/i18n.ts'
import styles from './language-toggle.module.css'

/** English or Spanish, on every screen; the button names the other language in that language. */
export function LanguageToggle() {
  const { lang, t, setLang } = useI18n()
  return (
    <button
      type="button"
      class={styles.toggle}
      lang={t.switchLanguageLang}
      onClick={() => setLang(lang === 'en' ? 'es' : 'en')}
    >
      <svg
        viewBox="0 0 24 24"
        width="28"
        height="28"
        aria-hidden="true"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
      >
        <circle cx="12" cy="12" r="9" />
        <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z" />
      </svg>
      {t.switchLanguage}
    </button>
  )
}
