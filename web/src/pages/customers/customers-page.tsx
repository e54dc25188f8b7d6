import { useEffect, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type { CustomerPage } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { TextField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import styles from './customers-page.module.css'

const PAGE_SIZE = 20

/** Find a customer by name, email, utility account number or plate; the search lives in the URL. */
export function CustomersPage() {
  const { query, route } = useLocation()
  const q = query.q ?? ''
  const offset = Math.max(0, Number(query.offset ?? 0) || 0)
  const [draft, setDraft] = useState(q)
  useEffect(() => setDraft(q), [q])

  const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) })
  if (q) {
    params.set('q', q)
  }
  const results = useResource<CustomerPage>(`/customers?${params.toString()}`)

  const go = (nextQ: string, nextOffset: number) => {
    const p = new URLSearchParams()
    if (nextQ) {
      p.set('q', nextQ)
    }
    if (nextOffset > 0) {
      p.set('offset', String(nextOffset))
    }
    const search = p.toString()
    route(search ? `/customers?${search}` : '/customers')
  }

  const onSubmit = (event: Event) => {
    event.preventDefault()
    go(draft.trim(), 0)
  }

  const data = results.data
  const shown = data?.customers.length ?? 0
  return (
    <Page
      title="Customers"
      eyebrow="Customer records"
      lede="Look up a customer to see their utility accounts, vehicles, balances and statement."
    >
      <div class={styles.stack}>
        <form class={styles.search} role="search" aria-label="Customers" onSubmit={onSubmit}>
          <TextField
            label="Name, email, account number or plate"
            name="q"
            autoComplete="off"
            spellcheck={false}
            required
            hint="An account number has 10 digits; a plate is matched without spaces or dashes."
            value={draft}
            onValue={setDraft}
          />
          <div class={styles.submit}>
            <Button type="submit">Search</Button>
          </div>
        </form>
        <Panel title={q ? `Results for “${q}”` : 'All customers'}>
          {results.error && (
            <Alert tone="error" title="The search could not be run">
              <p>{results.error.message}</p>
            </Alert>
          )}
          {!data && results.loading && <Loading label="Searching…" />}
          {data && shown === 0 && (
            <p class={t.muted}>
              {offset > 0 ? 'No more customers match.' : 'No customers match this search.'}
            </p>
          )}
          {data && shown > 0 && (
            <TableScroller label="Customers found">
              {/* Explicit roles keep it a table for screen readers when a phone stacks it. */}
              <table class={`${t.table} ${t.cards}`} role="table">
                <caption class="visually-hidden">Customers found, in name order</caption>
                <thead role="rowgroup">
                  <tr role="row">
                    <th scope="col" role="columnheader">
                      Name
                    </th>
                    <th scope="col" role="columnheader">
                      Customer ID
                    </th>
                    <th scope="col" role="columnheader">
                      Email
                    </th>
                    <th scope="col" role="columnheader">
                      Utility accounts
                    </th>
                    <th scope="col" role="columnheader">
                      Plates
                    </th>
                  </tr>
                </thead>
                <tbody role="rowgroup">
                  {data.customers.map((c) => (
                    <tr key={c.id} role="row">
                      <th scope="row" role="rowheader" class={styles.name}>
                        <a href={`/customers/${c.id}`}>{c.name}</a>
                      </th>
                      <td role="cell" class={t.mono} data-label="Customer ID">
                        {c.cisCustomerId ?? '—'}
                      </td>
                      <td role="cell" class={styles.email} data-label="Email">
                        {c.email ?? '—'}
                      </td>
                      <td role="cell" class={t.mono} data-label="Utility accounts">
                        {c.accountNumbers.length > 0 ? c.accountNumbers.join(', ') : '—'}
                      </td>
                      <td role="cell" class={t.mono} data-label="Plates">
                        {c.plates.length > 0
                          ? c.plates.map((p) => `${p.plate} (${p.state})`).join(', ')
                          : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
          {data && (offset > 0 || data.nextOffset !== null) && (
            <nav class={styles.pager} aria-label="Pages of results">
              <Button
                variant="secondary"
                size="small"
                disabled={offset === 0}
                onClick={() => go(q, Math.max(0, offset - PAGE_SIZE))}
              >
                Previous
              </Button>
              <p class={styles.range}>
                {shown > 0 ? `Showing ${offset + 1}–${offset + shown}` : 'No more results'}
              </p>
              <Button
                variant="secondary"
                size="small"
                disabled={data.nextOffset === null}
                onClick={() => go(q, data.nextOffset ?? offset)}
              >
                Next
              </Button>
            </nav>
          )}
        </Panel>
      </div>
    </Page>
  )
}
