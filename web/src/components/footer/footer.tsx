import styles from './footer.module.css'

export function Footer() {
  return (
    <footer class={styles.footer}>
      <div class={styles.inner}>
        <p>
          Curbline is run by the City Department of Customer Services, which also bills electric,
          water, sewer, gas, solid waste, stormwater and fire services.
        </p>
        <p>
          <a href="/api/docs">API documentation</a>
        </p>
      </div>
    </footer>
  )
}
