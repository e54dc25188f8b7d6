import { SectionNav } from '../../../components/section-nav/section-nav.tsx'

const LINKS = [
  { href: '/supervisor/citations', label: 'Citations' },
  { href: '/supervisor/appeals', label: 'Appeals' },
  { href: '/supervisor/live', label: 'Live map' },
  { href: '/supervisor/scofflaws', label: 'Scofflaws' },
]

/** The supervisor's enforcement pages. */
export function EnforcementNav() {
  return <SectionNav label="Enforcement" links={LINKS} />
}
