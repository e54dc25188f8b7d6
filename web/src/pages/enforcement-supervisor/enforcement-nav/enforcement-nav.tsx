import { useLocation } from 'preact-iso'
import styles from './enforcement-nav.module.css'

const LINKS = [
  { href: '/supervisor/citations', label: 'Citations' },
  { href: '/supervisor/appeals', label: 'Appeals' },
  { href: '/supervisor/live', label: 'Live map' },
  { href: '/supervisor/scofflaws', label: 'Scofflaws' },
]

/** The supervisor's enforcement pages, one link each; the open one is marked current. */
export function EnforcementNav() {
  const { path } = useLocation()
  return (
    <nav class={styles.nav} aria-label="Enforcement">
      <ul>
        {LINKS.map((l) => (
          <li key={l.href}>
            <a
              href={l.href}
              aria-current={path === l.href || path.startsWith(`${l.href}/`) ? 'page' : undefined}
            >
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
