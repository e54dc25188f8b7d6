import type { StaffRole } from '../../lib/types.ts'
import { useSession } from '../../lib/use-session.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import styles from './staff-home-page.module.css'

interface Tool {
  href: string
  title: string
  description: string
}

interface RoleHome {
  title: string
  eyebrow: string
  duty: string
  tools: Tool[]
  coming: string[]
}

const API_DOCS: Tool = {
  href: '/api/docs',
  title: 'API documentation',
  description: 'Every endpoint Curbline offers today, with the shapes of its requests and replies.',
}

const CUSTOMERS: Tool = {
  href: '/customers',
  title: 'Customers',
  description:
    'Find a customer by name, email, account number or plate, and read their balances and statement.',
}

const CIS_IMPORTS: Tool = {
  href: '/cis-imports',
  title: 'CIS imports',
  description: 'Import the utility’s customers and bills files, and review recent imports.',
}

const FINANCE: Tool = {
  href: '/finance',
  title: 'Finance',
  description:
    'The daily closes, Stripe payout and kiosk cash reconciliation, the exceptions queue, bill-cycle exports and the GL export.',
}

const PERMITS: Tool = {
  href: '/staff/permits',
  title: 'Permits',
  description:
    'The review queue for applications (with uploaded proofs), permit search by plate, customer or address, and revocation.',
}

const WAITLISTS: Tool = {
  href: '/staff/permits/waitlists',
  title: 'Permit waitlists',
  description: 'Who is waiting for a space in each garage or lot that limits its permits, and open offers.',
}

const HANDHELD: Tool = {
  href: '/handheld',
  title: 'Handheld',
  description:
    'Photograph or type a plate and see at once whether it is paid, permitted or within its time limit; warn or cite with the photo, even without a signal.',
}

const LIVE_MAP: Tool = {
  href: '/supervisor/live',
  title: 'Ambassadors on the map',
  description: 'Where each ambassador checked a plate last, refreshed every 30 seconds.',
}

const CITATIONS: Tool = {
  href: '/supervisor/citations',
  title: 'Citations',
  description:
    'Find citations by plate or status, see those paid but ticketed, and void one with a reason (kept in the audit log).',
}

const APPEALS: Tool = {
  href: '/supervisor/appeals',
  title: 'Appeals',
  description:
    'The appeals queue, oldest first, with the checks, rights, sessions and photos for each, and a decision with a letter.',
}

const SCOFFLAWS: Tool = {
  href: '/supervisor/scofflaws',
  title: 'Scofflaws, boots and tows',
  description: 'Plates with three or more citations past due; boot or tow them, and release them once paid.',
}

// Finance's home is the finance console (pages/finance), with its closes, queue and tools.
const HOMES: Record<Exclude<StaffRole, 'finance'>, RoleHome> = {
  ambassador: {
    title: 'Ambassador home',
    eyebrow: 'Parking ambassador',
    duty:
      'You patrol the city’s on-street zones, lots, garages and the Airport: check whether a parked vehicle is paid, permitted or within its time limit, warn first-time offenders, and cite with photos and GPS.',
    tools: [HANDHELD, API_DOCS],
    coming: [],
  },
  supervisor: {
    title: 'Supervisor home',
    eyebrow: 'Enforcement supervisor',
    duty:
      'You plan the ambassadors’ beats, void citations with a recorded reason, and decide appeals from drivers.',
    tools: [CITATIONS, APPEALS, LIVE_MAP, SCOFFLAWS, HANDHELD, PERMITS, WAITLISTS, CUSTOMERS, API_DOCS],
    coming: ['Beats: which blocks each ambassador walks today'],
  },
  admin: {
    title: 'Administrator home',
    eyebrow: 'Administrator',
    duty:
      'You decide who may use Curbline and which pay stations and handhelds may connect, and you set up the city’s parking: facilities, zones, tariffs, permit types and violation codes.',
    tools: [
      {
        href: '/admin/users',
        title: 'Users',
        description: 'See everyone who can sign in, and create accounts for city staff.',
      },
      {
        href: '/admin/devices',
        title: 'Devices',
        description: 'Register kiosks and handhelds, hand out their tokens, and revoke lost ones.',
      },
      {
        href: '/admin/facilities',
        title: 'Facilities and zones',
        description:
          'Open, close or rename a garage, lot or zone, draw it on the map, and set its rates with a preview of what stays cost.',
      },
      {
        href: '/admin/permit-types',
        title: 'Permit types and zones',
        description:
          'Who may hold each permit, where it is valid, its price and renewal rules, and the residential zones drawn on the map.',
      },
      {
        href: '/admin/violations',
        title: 'Violation codes',
        description: 'The codes ambassadors cite, their fines and late-fee schedules, and which allow a warning first.',
      },
      CITATIONS,
      APPEALS,
      PERMITS,
      WAITLISTS,
      FINANCE,
      CUSTOMERS,
      CIS_IMPORTS,
      API_DOCS,
    ],
    coming: [],
  },
}

function StaffHome({ role }: { role: Exclude<StaffRole, 'finance'> }) {
  const { user } = useSession()
  const home = HOMES[role]
  const firstName = user?.displayName.split(' ')[0]
  return (
    <Page title={home.title} eyebrow={home.eyebrow} lede={home.duty}>
      {firstName && <p class={styles.greeting}>Welcome back, {firstName}.</p>}
      <div class={home.coming.length > 0 ? styles.columns : styles.single}>
        <Panel title="Available now">
          <ul class={styles.tools}>
            {home.tools.map((tool) => (
              <li key={tool.href}>
                <a class={styles.tool} href={tool.href}>
                  <span class={styles.toolTitle}>{tool.title}</span>
                  <span class={styles.toolText}>{tool.description}</span>
                </a>
              </li>
            ))}
          </ul>
        </Panel>
        {home.coming.length > 0 && (
          <Panel
            title="Arriving with the parking modules"
            description="These parts of your work move into Curbline as each module is delivered."
          >
            <ul class={styles.coming}>
              {home.coming.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </Panel>
        )}
      </div>
    </Page>
  )
}

export const AmbassadorHome = () => <StaffHome role="ambassador" />
export const SupervisorHome = () => <StaffHome role="supervisor" />
export const AdminHome = () => <StaffHome role="admin" />
