import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import type { CitationRow } from '../../lib/enforcement.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'
import { CheckField, SelectField, TextField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { CitationStatus } from '../../components/citation-status/citation-status.tsx'
import { EnforcementNav } from './enforcement-nav/enforcement-nav.tsx'
import { VoidForm } from './void-form.tsx'
import styles from './enforcement.module.css'

const STATUSES = [
  ['', 'Any status'],
  ['open', 'Open'],
  ['past_due', 'Past due'],
  ['paid', 'Paid'],
  ['voided', 'Voided'],
  ['dismissed', 'Dismissed'],
] as const

/**
 * Citations, newest first: by plate and status, or only those paid but ticketed (paid time that
 * arrived after the citation). A supervisor voids an unpaid one here, with the reason.
 */
export function CitationsPage() {
  const { query, route } = useLocation()
  const { user } = useSession()
  const plate = query.plate ?? ''
  const status = query.status ?? ''
  const flagged = query.flagged === 'true'
  const params = new URLSearchParams()
  if (plate) {
    params.set('plate', plate)
  }
  if (status) {
    params.set('status', status)
  }
  if (flagged) {
    params.set('flagged', 'true')
  }
  const list = useResource<{ citations: CitationRow[] }>(
    `/enforcement/citations${params.size > 0 ? `?${params}` : ''}`,
  )
  const [draft, setDraft] = useState({ plate, status, flagged })
  useEffect(() => setDraft({ plate, status, flagged }), [plate, status, flagged])
  const [voiding, setVoiding] = useState<CitationRow | null>(null)
  const [notice, setNotice] = useState<{ text: string } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  const canVoid = user?.role === 'supervisor' || user?.role === 'admin'

  const search = (e: Event) => {
    e.preventDefault()
    const next = new URLSearchParams()
    if (draft.plate.trim()) {
      next.set('plate', draft.plate.trim().toUpperCase())
    }
    if (draft.status) {
      next.set('status', draft.status)
    }
    if (draft.flagged) {
      next.set('flagged', 'true')
    }
    route(`/supervisor/citations${next.size > 0 ? `?${next}` : ''}`)
  }

  const rows = list.data?.citations ?? []
  return (
    <Page
      title="Citations"
      eyebrow="Enforcement"
      lede="Newest first. Open one for its photos, ledger and appeal; void an unpaid one with the reason."
    >
      <EnforcementNav />
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      <form class={styles.filters} role="search" aria-label="Find citations" onSubmit={search}>
        <TextField
          label="Plate"
          name="plate"
          autoCapitalize="characters"
          autoComplete="off"
          spellcheck={false}
          maxLength={12}
          value={draft.plate}
          onValue={(v) => setDraft((d) => ({ ...d, plate: v }))}
        />
        <SelectField
          label="Status"
          name="status"
          value={draft.status}
          onValue={(v) => setDraft((d) => ({ ...d, status: v }))}
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <CheckField
          label="Paid but ticketed only"
          name="flagged"
          hint="Paid time or a permit covering the citation arrived afterwards"
          checked={draft.flagged}
          onChange={(v) => setDraft((d) => ({ ...d, flagged: v }))}
        />
        <div class={styles.filterButtons}>
          <Button type="submit">Search</Button>
          {(plate || status || flagged) && (
            <Button variant="quiet" onClick={() => route('/supervisor/citations')}>
              Clear
            </Button>
          )}
        </div>
      </form>
      {list.error && (
        <Alert tone="error" title="The citations could not be loaded">
          {list.error.message}
        </Alert>
      )}
      {!list.data && list.loading && <Loading />}
      {list.data && rows.length === 0 && <p>No citation matches.</p>}
      {rows.length > 0 && (
        <TableScroller label="Citations found">
          <table class={t.table}>
            <caption>
              {rows.length >= 200
                ? 'The newest 200 citations that match'
                : `${rows.length} citation${rows.length === 1 ? '' : 's'}`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Plate</th>
                <th scope="col">Violation</th>
                <th scope="col">Issued</th>
                <th scope="col">Status</th>
                <th scope="col" class={t.num}>
                  Owed
                </th>
                <th scope="col">Where</th>
                {canVoid && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.number}>
                  <th scope="row" class={t.nowrap}>
                    <a href={`/supervisor/citations/${encodeURIComponent(c.number)}`}>{c.number}</a>
                  </th>
                  <td class={t.mono}>
                    {c.plate} <span class={t.muted}>{c.state}</span>
                  </td>
                  <td>{c.violation}</td>
                  <td class={t.nowrap}>
                    {formatDateTime(c.issuedAt, cityTimeZone())}
                    <span class={styles.sub}>Due {formatDate(c.dueOn)}</span>
                  </td>
                  <td>
                    <CitationStatus status={c.status} />
                    {c.paidButTicketed && <span class={styles.flag}>Paid but ticketed</span>}
                  </td>
                  <td class={t.num}>{formatCents(c.balanceCents)}</td>
                  <td>{c.facility ?? '—'}</td>
                  {canVoid && (
                    <td>
                      {(c.status === 'open' || c.status === 'past_due') && (
                        <Button
                          variant="quiet"
                          size="small"
                          aria-label={`Void ${c.number}`}
                          onClick={() => setVoiding(c)}
                        >
                          Void…
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      {voiding && (
        <VoidForm
          key={voiding.number}
          number={voiding.number}
          balanceCents={voiding.balanceCents}
          focusOnOpen
          onCancel={() => setVoiding(null)}
          onDone={(voided) => {
            setVoiding(null)
            setNotice({
              text: `Citation ${voided.number} voided. ${voided.plate} owes nothing on it.`,
            })
            list.reload()
          }}
        />
      )}
    </Page>
  )
}
