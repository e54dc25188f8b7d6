import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { SelectField } from '../../components/field/field.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { EditCell, TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { KIND_LABEL, STATUS_LABEL, hourFrom, titleOf, type Facilities } from './facilities.ts'
import styles from './admin-facilities-page.module.css'

/** Every lot, garage, zone and Airport facility, filtered by kind; the filter lives in the URL. */
export function AdminFacilitiesPage() {
  const { query, route } = useLocation()
  const kind = query.kind && query.kind in KIND_LABEL ? query.kind : ''
  const list = useResource<Facilities>('/facilities')
  const all = list.data?.facilities ?? []
  const shown = kind ? all.filter((f) => f.kind === kind) : all
  const kinds = Object.keys(KIND_LABEL).filter((k) => all.some((f) => f.kind === k))

  return (
    <Page
      title="Facilities and zones"
      eyebrow="Administration"
      lede="Garages, lots, on-street zones and the Airport. Open one to change its name, status or spaces, draw it on the map, or set its rates."
    >
      <Panel
        title={kind ? `${KIND_LABEL[kind]}s` : 'All facilities and zones'}
        actions={
          <div class={styles.filter}>
            <SelectField
              label="Kind"
              name="kind"
              required
              value={kind}
              onValue={(k) => route(k ? `/admin/facilities?kind=${k}` : '/admin/facilities', true)}
            >
              <option value="">All kinds</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </SelectField>
          </div>
        }
      >
        {list.error && (
          <Alert tone="error" title="The facilities could not be loaded">
            {list.error.message}
          </Alert>
        )}
        {!list.data && list.loading && <Loading label="Loading facilities…" />}
        {list.data && (
          <TableScroller label="Facilities">
            <table class={`${t.table} ${t.cards}`}>
              <caption>
                {shown.length === all.length
                  ? `${all.length} facilities and zones`
                  : `${shown.length} of ${all.length} facilities and zones`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col" class={t.num}>
                    Spaces
                  </th>
                  <th scope="col" class={t.num}>
                    An hour from now
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((f) => (
                  <tr key={f.id}>
                    <th scope="row" class={t.mono}>
                      {f.code}
                    </th>
                    <td data-label="Name">{f.name}</td>
                    <td data-label="Kind">{KIND_LABEL[f.kind] ?? f.kind}</td>
                    <td data-label="Status">
                      <span class={styles[f.status]}>{STATUS_LABEL[f.status]}</span>
                    </td>
                    <td data-label="Spaces" class={t.num}>
                      {f.capacity ?? '—'}
                    </td>
                    <td data-label="An hour from now" class={t.num}>
                      {hourFrom(f)}
                    </td>
                    <EditCell
                      href={`/admin/facilities/${encodeURIComponent(f.code)}`}
                      name={titleOf(f)}
                    />
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </Panel>
    </Page>
  )
}
