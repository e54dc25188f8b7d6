import { useSession } from '../../lib/use-session.ts'
import { useResource } from '../../lib/use-api.ts'
import type { CitationRow } from '../../lib/enforcement.ts'
import { noticePath } from '../../lib/enforcement.ts'
import { formatCents, formatDate } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { CitationStatus } from '../../components/citation-status/citation-status.tsx'
import { LookupForm } from './lookup-form.tsx'
import styles from './citation-page.module.css'

/** Pay or appeal a parking citation: by the notice's number and plate, or a driver's own list. */
export function CitationLookupPage() {
  const { user } = useSession()
  const driver = user?.role === 'driver'
  const mine = useResource<{ citations: CitationRow[] }>(driver ? '/citations/mine' : null)
  const own = mine.data?.citations ?? []
  return (
    <Page
      title="Pay or appeal a citation"
      eyebrow="Parking citations"
      lede="Enter the citation number and the plate from the notice. No account is needed."
      width="narrow"
    >
      <LookupForm />
      {driver && own.length > 0 && (
        <div class={styles.mine}>
          <Panel title="Citations on my vehicles">
            <ul class={styles.mineList}>
              {own.map((c) => (
                <li key={c.number}>
                  <a href={noticePath(c.number, c.plate)}>{c.number}</a>
                  <span>
                    {c.plate} · {c.violation} · {formatDate(c.issuedAt)}
                  </span>
                  <span>
                    <CitationStatus status={c.status} /> {formatCents(c.balanceCents)} owed
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        </div>
      )}
    </Page>
  )
}
