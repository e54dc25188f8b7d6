import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession, homeOf } from '../../lib/use-session.ts'
import { messageOf } from '../../lib/api.ts'
import type { Role, SessionUser } from '../../lib/types.ts'
import styles from './header.module.css'

const ROLE_NAMES: Record<Role, string> = {
  driver: 'Driver',
  ambassador: 'Parking ambassador',
  supervisor: 'Supervisor',
  finance: 'Finance',
  admin: 'Administrator',
}

interface NavLink {
  href: string
  label: string
}

/** Anyone can pay for parking and see the map without an account. */
const PUBLIC_LINKS: NavLink[] = [
  { href: '/park', label: 'Pay for parking' },
  { href: '/parking', label: 'Parking map' },
  { href: '/sign-in', label: 'Sign in' },
]

function linksFor(user: SessionUser): NavLink[] {
  if (user.role === 'driver') {
    return [
      { href: '/', label: 'Home' },
      { href: '/park', label: 'Pay for parking' },
      { href: '/permits', label: 'Permits' },
      { href: '/account', label: 'My account' },
      { href: '/parking', label: 'Parking map' },
    ]
  }
  if (user.role === 'ambassador') {
    return [
      { href: '/handheld', label: 'Handheld' },
      { href: '/ambassador', label: 'Ambassador home' },
      { href: '/parking', label: 'Parking map' },
    ]
  }
  const links: NavLink[] = [
    { href: homeOf(user), label: 'Home' },
    { href: '/parking', label: 'Parking map' },
  ]
  if (user.role === 'supervisor') {
    links.push({ href: '/handheld', label: 'Handheld' })
  }
  if (user.role === 'supervisor' || user.role === 'admin') {
    links.push({ href: '/supervisor/citations', label: 'Enforcement' })
  }
  if (user.role === 'supervisor' || user.role === 'finance' || user.role === 'admin') {
    links.push({ href: '/customers', label: 'Customers' }, { href: '/staff/permits', label: 'Permits' })
  }
  if (user.role === 'finance' || user.role === 'admin') {
    links.push(
      { href: '/finance/exceptions', label: 'Exceptions' },
      { href: '/finance/payouts', label: 'Reconciliation' },
      { href: '/finance/cycles', label: 'Bill cycles' },
      { href: '/cis-imports', label: 'CIS imports' },
    )
  }
  if (user.role === 'admin') {
    links.push({ href: '/finance', label: 'Finance' })
  }
  if (user.role === 'admin') {
    links.push(
      { href: '/admin/users', label: 'Users' },
      { href: '/admin/devices', label: 'Devices' },
      { href: '/admin/facilities', label: 'Facilities' },
      { href: '/admin/permit-types', label: 'Permit types' },
      { href: '/admin/violations', label: 'Violation codes' },
    )
  }
  return links
}

/** A section's link stays current on its sub-pages, e.g. Customers on one customer's record. */
function current(path: string, href: string): boolean {
  return (
    path === href ||
    (href === '/customers' && path.startsWith('/customers/')) ||
    (href === '/permits' && path.startsWith('/permits/')) ||
    (href === '/staff/permits' && path.startsWith('/staff/permits/')) ||
    (href === '/admin/permit-types' && path.startsWith('/admin/permit-types/')) ||
    (href === '/admin/facilities' && path.startsWith('/admin/facilities/')) ||
    (href === '/supervisor/citations' && path.startsWith('/supervisor/')) ||
    (href === '/finance/payouts' &&
      (path.startsWith('/finance/payouts/') || path === '/finance/cash')) ||
    (href === '/finance' && path.startsWith('/finance/days/'))
  )
}

export function Header() {
  const session = useSession()
  const { path, route } = useLocation()
  const [error, setError] = useState<string | null>(null)
  const user = session.user

  const signOut = async () => {
    setError(null)
    try {
      await session.signOut()
      route('/sign-in')
    } catch (err) {
      setError(messageOf(err))
    }
  }

  return (
    <header class={styles.header}>
      <a class={styles.skip} href="#main">
        Skip to main content
      </a>
      <div class={styles.strip}>
        <div class={styles.inner}>
          <span>An official service of the City Department of Customer Services</span>
        </div>
      </div>
      <div class={styles.inner}>
        <div class={styles.bar}>
          <a class={styles.brand} href={user ? homeOf(user) : '/'}>
            <svg class={styles.mark} viewBox="0 0 32 32" aria-hidden="true">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <path
                d="M9 24V8h8.5a5.5 5.5 0 0 1 0 11H13v5z"
                fill="none"
                stroke="#fff"
                stroke-width="3"
                stroke-linejoin="round"
              />
              <path d="M6 27h20" stroke="#ffbe2e" stroke-width="2.5" stroke-linecap="round" />
            </svg>
            <span class={styles.brandText}>
              <span class={styles.name}>Curbline</span>
              <span class={styles.tagline}>City parking &amp; utility services</span>
            </span>
          </a>

          {user && (
            <div class={styles.account}>
              <p class={styles.who}>
                <span class="visually-hidden">Signed in as </span>
                <span class={styles.userName}>{user.displayName}</span>
                <span class={styles.role}>{ROLE_NAMES[user.role]}</span>
              </p>
              <button type="button" class={styles.signOut} onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          )}
        </div>

        {(user || session.state.status === 'signed_out') && (
          <nav class={styles.nav} aria-label="Main">
            <ul>
              {(user ? linksFor(user) : PUBLIC_LINKS).map((link) => (
                <li key={link.href}>
                  <a href={link.href} aria-current={current(path, link.href) ? 'page' : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
      {error && (
        <div class={styles.error} role="alert">
          Signing out failed: {error}
        </div>
      )}
    </header>
  )
}
