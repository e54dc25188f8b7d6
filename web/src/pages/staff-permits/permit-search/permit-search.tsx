import { useEffect, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../../lib/use-api.ts'
import { formatDate } from '../../../lib/format.ts'
import type { PermitTypes, Permits } from '../../../lib/types.ts'
import { TextField, SelectField } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Alert, FormAlert } from '../../../components/alert/alert.tsx'
import { Loading } from '../../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../../components/table/table.tsx'
import { StatusBadge } from '../status-badge/status-badge.tsx'
import { STATUS_LABEL, permitHref } from '../permits.ts'
import styles from './permit-search.module.css'

const FILTERS = ['plate', 'customer', 'address', 'status', 'type'] as const
type Filter = (typeof FILTERS)[number]
type Filters = Record<Filter, string>

const LABELS: Record<Filter, string> = {
  plate: 'Plate',
  customer: 'Customer number',
  address: 'Address',
  status: 'Status',
  type: 'Permit type',
}

const SEARCH_LIMIT = 200

function filtersOf(query: Record<string, string | undefined>): Filters {
  return {
    plate: query.plate ?? '',
    customer: query.customer ?? '',
    address: query.address ?? '',
    status: query.status ?? '',
    type: query.type ?? '',
  }
}

function searchOf(filters: Filters): string {
  const p = new URLSearchParams()
  for (const name of FILTERS) {
    const value = filters[name].trim()
    if (value) {
      p.set(name, value)
    }
  }
  return p.toString()
}

/** Staff search: by plate (on the permit at any time), customer, household address, status or type. */
export function PermitSearch({ types }: { types: PermitTypes | null }) {
  const { query, route } = useLocation()
  const applied = filtersOf(query)
  const search = searchOf(applied)
  const [draft, setDraft] = useState<Filters>(applied)
  const [checks, setChecks] = useState<Record<string, string>>({})
  // A search this form routed to already shows its draft, and what was typed since the click
  // must stay; only a search from elsewhere (back, forward, a link) replaces the draft.
  const routed = useRef<string | null>(null)
  useEffect(() => {
    if (search !== routed.current) {
      setDraft(filtersOf(query))
    }
    routed.current = null
  }, [search])

  const results = useResource<Permits>(`/permits${search ? `?${search}` : ''}`)
  const set = (name: Filter) => (value: string) => setDraft((d) => ({ ...d, [name]: value }))

  const onSubmit = (event: Event) => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (draft.customer.trim() && !/^\d+$/.test(draft.customer.trim())) {
      found.customer = 'Enter the customer’s number, digits only'
    }
    const address = draft.address.trim()
    if (address.length === 1) {
      found.address = 'Enter at least 2 characters of the address'
    }
    setChecks(found)
    if (Object.keys(found).length > 0) {
      return
    }
    const next = searchOf(draft)
    routed.current = next
    route(`/staff/permits?tab=search${next ? `&${next}` : ''}`)
  }

  const clear = () => {
    setChecks({})
    setDraft(filtersOf({}))
    routed.current = ''
    route('/staff/permits?tab=search')
  }

  const apiErrors = results.error?.status === 400 ? results.error.fieldErrors() : {}
  const errors = { ...apiErrors, ...checks }
  const data = results.data
  const shown = data?.permits.length ?? 0

  return (
    <div class={styles.stack}>
      <form class={styles.form} role="search" aria-label="Permits" onSubmit={onSubmit} noValidate>
        <FormAlert
          error={Object.keys(checks).length > 0 ? 'Check the search' : null}
          fieldErrors={checks}
          labels={LABELS}
        />
        <div class={styles.fields}>
          <TextField
            label={LABELS.plate}
            name="plate"
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            chars={10}
            hint="On the permit now or before; spaces and dashes are ignored."
            value={draft.plate}
            onValue={set('plate')}
            error={errors.plate}
          />
          <TextField
            label={LABELS.customer}
            name="customer"
            inputMode="numeric"
            autoComplete="off"
            chars={10}
            hint="From their page’s address: /customers/1234."
            value={draft.customer}
            onValue={set('customer')}
            error={errors.customer}
          />
          <TextField
            label={LABELS.address}
            name="address"
            autoComplete="off"
            hint="Part of the household’s street address."
            value={draft.address}
            onValue={set('address')}
            error={errors.address}
          />
          <SelectField
            label={LABELS.status}
            name="status"
            value={draft.status}
            onValue={set('status')}
            error={errors.status}
          >
            <option value="">Any status</option>
            {Object.entries(STATUS_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={LABELS.type}
            name="type"
            value={draft.type}
            onValue={set('type')}
            error={errors.type}
          >
            <option value="">Any type</option>
            {(types?.types ?? []).map((type) => (
              <option key={type.code} value={type.code}>
                {type.name}
                {type.active ? '' : ' (retired)'}
              </option>
            ))}
          </SelectField>
        </div>
        <div class={styles.buttons}>
          <Button type="submit">Search</Button>
          <Button variant="quiet" onClick={clear}>
            Clear filters
          </Button>
        </div>
      </form>

      <section aria-labelledby="permit-results" class={styles.results}>
        <h3 id="permit-results" class={styles.resultsTitle}>
          {search ? 'Permits found' : 'Newest permits'}
        </h3>
        {results.error && results.error.status !== 400 && (
          <Alert tone="error" title="The search could not be run">
            <p>{results.error.message}</p>
          </Alert>
        )}
        {results.error?.status === 400 && (
          <Alert tone="error" title={results.error.message}>
            Correct the fields marked above and search again.
          </Alert>
        )}
        {!data && results.loading && <Loading label="Searching…" />}
        {data && shown === 0 && <p class={t.muted}>No permits match this search.</p>}
        {data && shown > 0 && (
          <TableScroller label="Permits found">
            <table class={`${t.table} ${t.cards}`} role="table">
              <caption>
                {shown >= SEARCH_LIMIT
                  ? `The ${SEARCH_LIMIT} newest matching permits; narrow the search to see older ones`
                  : `${shown} permit${shown === 1 ? '' : 's'}, newest first`}
              </caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">
                    Permit
                  </th>
                  <th scope="col" role="columnheader">
                    Type
                  </th>
                  <th scope="col" role="columnheader">
                    Holder
                  </th>
                  <th scope="col" role="columnheader">
                    Status
                  </th>
                  <th scope="col" role="columnheader">
                    Term
                  </th>
                  <th scope="col" role="columnheader">
                    Plates now
                  </th>
                  <th scope="col" role="columnheader">
                    Where
                  </th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                {data.permits.map((p) => (
                  <tr key={p.id} role="row">
                    <th scope="row" role="rowheader" class={`${t.mono} ${t.nowrap}`}>
                      <a href={permitHref(p.id)}>{p.number}</a>
                    </th>
                    <td role="cell" data-label="Type">
                      {p.type.name}
                    </td>
                    <td role="cell" data-label="Holder">
                      <a href={`/customers/${p.customer.id}`}>{p.customer.name}</a>
                    </td>
                    <td role="cell" data-label="Status">
                      <StatusBadge status={p.status} />
                    </td>
                    <td role="cell" data-label="Term" class={t.nowrap}>
                      {p.startsOn && p.endsOn
                        ? `${formatDate(p.startsOn)} – ${formatDate(p.endsOn)}`
                        : `Applied ${formatDate(p.createdAt)}`}
                    </td>
                    <td role="cell" data-label="Plates now" class={t.mono}>
                      {p.plates.length > 0 ? p.plates.join(', ') : '—'}
                    </td>
                    <td role="cell" data-label="Where">
                      {[p.address, p.facility].filter(Boolean).join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </section>
    </div>
  )
}
