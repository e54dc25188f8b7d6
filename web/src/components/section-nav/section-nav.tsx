import { useLocation } from 'preact-iso'
import styles from './section-nav.module.css'

export interface SectionLink {
  href: string
  label: string
  /** Only this path is the link's page, not everything under it (a section's home). */
  exact?: boolean
  /** Other paths that belong to this link's page (e.g. a day's report under the calendar). */
  under?: string
}

/** A section's pages, one link each; the open one (or one of its sub-pages) is marked current. */
export function SectionNav({ label, links }: { label: string; links: SectionLink[] }) {
  const { path } = useLocation()
  const current = (l: SectionLink) =>
    path === l.href ||
    (!l.exact && path.startsWith(`${l.href}/`)) ||
    (l.under !== undefined && path.startsWith(l.under))
  return (
    <nav class={styles.nav} aria-label={label}>
      <ul>
        {links.map((l) => (
          <li key={l.href}>
            <a href={l.href} aria-current={current(l) ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
