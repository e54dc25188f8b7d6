import { useRef } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import type { PermitTypes, Permits } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { ReviewQueue } from './review-queue/review-queue.tsx'
import { PermitSearch } from './permit-search/permit-search.tsx'
import { decides } from './permits.ts'
import styles from './staff-permits-page.module.css'

const TABS = [
  { id: 'queue', label: 'Review queue' },
  { id: 'search', label: 'Search' },
] as const
type Tab = (typeof TABS)[number]['id']

/**
 * Permits for city staff: the applications waiting for a decision, oldest first, and a search
 * over every permit. The open tab and the search live in the URL, so a search can be shared.
 */
export function StaffPermitsPage() {
  const { query, route } = useLocation()
  const { user } = useSession()
  const tab: Tab = query.tab === 'search' ? 'search' : 'queue'
  const types = useResource<PermitTypes>('/permit-types')
  const pending = useResource<Permits>('/permits?status=pending_review')
  const tabs = useRef<(HTMLButtonElement | null)[]>([])
  const canDecide = decides(user?.role)

  const open = (next: Tab, focus = false) => {
    if (next !== tab) {
      route(next === 'search' ? '/staff/permits?tab=search' : '/staff/permits', true)
    }
    if (focus) {
      tabs.current[TABS.findIndex((t) => t.id === next)]?.focus()
    }
  }

  // Arrow keys move between tabs (and open them), as the ARIA tabs pattern has it.
  const onKeyDown = (event: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab)
    const last = TABS.length - 1
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + TABS.length) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null
    const target = to === null ? undefined : TABS[to]
    if (target) {
      event.preventDefault()
      open(target.id, true)
    }
  }

  const waiting = pending.data?.permits.length
  return (
    <Page
      title="Permits"
      eyebrow="Permits"
      lede={
        canDecide
          ? 'Decide applications waiting for review, and find any permit by plate, customer, address, status or type.'
          : 'Applications waiting for review, and every permit by plate, customer, address, status or type.'
      }
    >
      {canDecide && (
        <p class={styles.more}>
          <a href="/staff/permits/waitlists">Waitlists for permit spaces</a>
        </p>
      )}
      <div class={styles.card}>
        <div role="tablist" aria-label="Permit work" class={styles.tablist} onKeyDown={onKeyDown}>
          {TABS.map((t, i) => (
            <button
              key={t.id}
              ref={(el) => {
                tabs.current[i] = el
              }}
              type="button"
              role="tab"
              id={`permits-tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={tab === t.id ? `permits-panel-${t.id}` : undefined}
              tabIndex={tab === t.id ? 0 : -1}
              class={styles.tab}
              onClick={() => open(t.id)}
            >
              {t.label}
              {t.id === 'queue' && waiting !== undefined && waiting > 0 && (
                <>
                  {' '}
                  <span class={styles.count}>
                    {waiting >= 200 ? '200+' : waiting}
                    <span class="visually-hidden"> waiting</span>
                  </span>
                </>
              )}
            </button>
          ))}
        </div>
        {/* Only the open tab's panel is rendered; the closed one's fetches wait until it opens. */}
        <div
          role="tabpanel"
          id={`permits-panel-${tab}`}
          aria-labelledby={`permits-tab-${tab}`}
          tabIndex={0}
          class={styles.panel}
        >
          <h2 class="visually-hidden">{tab === 'queue' ? 'Review queue' : 'Search permits'}</h2>
          {tab === 'queue' ? (
            <ReviewQueue list={pending} canDecide={canDecide} />
          ) : (
            <PermitSearch types={types.data} />
          )}
        </div>
      </div>
    </Page>
  )
}
