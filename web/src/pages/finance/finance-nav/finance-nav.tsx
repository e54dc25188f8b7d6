import { useLocation } from 'preact-iso'
import styles from './finance-nav.module.css'

const LINKS = [
  { href: '/finance', label: 'Closes' },
  { href: '/finance/exceptions', label: 'Exceptions' },
  { href: '/finance/payouts', label: 'Payouts' },
  { href: '/finance/cash', label: 'Kiosk cash' },
  { href: '/finance/cycles', label: 'Bill cycles and GL' },
]

/** The finance console's pages, one link each; the open one (or its parent) is marked current. */
export function FinanceNav() {
  const { path } = useLocation()
  const current = (href: string) =>
    href === '/finance'
      ? path === '/finance' || path.startsWith('/finance/days/')
      : path === href || path.startsWith(`${href}/`)
  return (
    <nav class={styles.nav} aria-label="Finance">
      <ul>
        {LINKS.map((l) => (
          <li key={l.href}>
            <a href={l.href} aria-current={current(l.href) ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
