import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type { Appeal } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { SelectField } from '../../components/field/field.tsx'
import { EnforcementNav } from './enforcement-nav/enforcement-nav.tsx'
import { AppealCard } from './appeal-card.tsx'
import styles from './enforcement.module.css'

const STATUSES = [
  ['pending', 'Waiting for a decision'],
  ['upheld', 'Upheld'],
  ['reduced', 'Reduced'],
  ['dismissed', 'Dismissed'],
] as const

/** The appeals queue, oldest first, each with its evidence and the decision form. */
export function AppealsPage() {
  const { query, route } = useLocation()
  const status = STATUSES.some(([s]) => s === query.status)
    ? (query.status ?? 'pending')
    : 'pending'
  const appeals = useResource<{ appeals: Appeal[] }>(`/enforcement/appeals?status=${status}`)
  const [notice, setNotice] = useState<{ text: string } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  const list = appeals.data?.appeals ?? []

  return (
    <Page
      title="Appeals"
      eyebrow="Enforcement"
      lede="Oldest first. The plate checks, rights and sessions were gathered when each appeal was filed."
    >
      <EnforcementNav />
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      <div class={styles.filters}>
        <SelectField
          label="Show"
          name="status"
          value={status}
          onValue={(v) =>
            route(v === 'pending' ? '/supervisor/appeals' : `/supervisor/appeals?status=${v}`)
          }
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      {appeals.error && (
        <Alert tone="error" title="The appeals could not be loaded">
          {appeals.error.message}
        </Alert>
      )}
      {!appeals.data && appeals.loading && <Loading />}
      {appeals.data && list.length === 0 && (
        <p>{status === 'pending' ? 'No appeal is waiting for a decision.' : 'No appeals here.'}</p>
      )}
      {list.length > 0 && (
        <ul class={styles.appeals} aria-label="Appeals">
          {list.map((a) => (
            <li key={a.id}>
              <AppealCard
                appeal={a}
                onDecided={(text) => {
                  setNotice({ text })
                  appeals.reload()
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </Page>
  )
}
