import styles from './brand.module.css'

/** The Curbline mark and name, with the kiosk's own name beneath once it is known. */
export function Brand({ subtitle }: { subtitle: string }) {
  return (
    <div class={styles.brand}>
      <svg class={styles.mark} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#005ea2" />
        <path
          d="M9 24V8h8.5a5.5 5.5 0 0 1 0 11H13v5z"
          fill="none"
          stroke="#fff"
          stroke-width="3"
          stroke-linejoin="round"
        />
        <path d="M6 27h20" stroke="#ffbe2e" stroke-width="2.5" stroke-linecap="round" />
      </svg>
      <div class={styles.text}>
        <p class={styles.name}>Curbline</p>
        <p class={styles.subtitle}>{subtitle}</p>
      </div>
    </div>
  )
}
