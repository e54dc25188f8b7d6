import { SectionNav } from '../../../components/section-nav/section-nav.tsx'

const LINKS = [
  { href: '/finance', label: 'Closes', exact: true, under: '/finance/days/' },
  { href: '/finance/exceptions', label: 'Exceptions' },
  { href: '/finance/payouts', label: 'Payouts' },
  { href: '/finance/cash', label: 'Kiosk cash' },
  { href: '/finance/cycles', label: 'Bill cycles and GL' },
]

/** The finance console's pages. */
export function FinanceNav() {
  return <SectionNav label="Finance" links={LINKS} />
}
