import styles from './loading.module.css'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class={styles.loading} role="status">
      <span class={styles.dot} aria-hidden="true" />
      {label}
    </p>
  )
}
