import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type {
  FacilityListing,
  PermitType,
  PermitTypes,
  PermitZone,
  PermitZones,
} from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel, SubPanel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { EditCell, TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import type { ContextShape } from '../admin-facilities/shape-editor/shape-editor.tsx'
import { KIND_LABEL, priceText } from '../staff-permits/permits.ts'
import { ZoneMap } from './zone-map/zone-map.tsx'
import { ZoneEditor } from './zone-editor/zone-editor.tsx'
import styles from './admin-permit-types-page.module.css'

/**
 * The permit types the city issues (each opens to edit) and the residential zones whose
 * residents are eligible, on a map, with an editor for a zone's boundary. The zone being edited
 * lives in the URL (?zone=A, or ?zone=new).
 */
export function AdminPermitTypesPage() {
  const { query, route } = useLocation()
  const types = useResource<PermitTypes>('/permit-types')
  const zones = useResource<PermitZones>('/permit-zones')
  const facilities = useResource<FacilityListing>('/facilities')
  const [outcome, setOutcome] = useState<string | null>(null)
  const editorRef = useRef<HTMLDivElement>(null)
  const editing = query.zone ?? null
  const zoneList = zones.data?.zones ?? []
  const zone =
    editing && editing !== 'new' ? (zoneList.find((z) => z.code === editing) ?? null) : null

  const context = useMemo<ContextShape[]>(
    () =>
      (facilities.data?.facilities ?? []).map((f) => ({
        code: f.code,
        kind: f.kind,
        geometry: f.geometry,
      })),
    [facilities.data],
  )
  const editorContext = useMemo<ContextShape[]>(
    () => [
      ...context,
      ...zoneList
        .filter((z) => z.code !== editing)
        .map((z) => ({ code: z.code, kind: 'permit_zone', geometry: z.boundary })),
    ],
    [context, zoneList, editing],
  )

  const edit = (code: string | null) => {
    setOutcome(null)
    route(
      code ? `/admin/permit-types?zone=${encodeURIComponent(code)}` : '/admin/permit-types',
      true,
    )
  }

  useEffect(() => {
    if (editing) {
      editorRef.current?.scrollIntoView({ block: 'start' })
    }
  }, [editing])

  return (
    <Page
      title="Permit types and zones"
      eyebrow="Administration"
      lede="What permits the city issues, to whom, where and for how much; and the residential zones whose households may hold a zone’s permit."
    >
      <div class={styles.stack}>
        <Panel
          title="Permit types"
          description="Open a type to change its price, rules or places. Permits already issued keep what they paid for; a new price applies from their next renewal."
          actions={<ButtonLink href="/admin/permit-types/new">New permit type</ButtonLink>}
        >
          {types.error && (
            <Alert tone="error" title="The permit types could not be loaded">
              {types.error.message}
            </Alert>
          )}
          {!types.data && types.loading && <Loading label="Loading permit types…" />}
          {types.data && types.data.types.length === 0 && (
            <p class={t.muted}>No permit types yet. Start with New permit type.</p>
          )}
          {types.data && types.data.types.length > 0 && (
            <TableScroller label="Permit types">
              <table class={`${t.table} ${t.cards}`}>
                <caption>
                  {types.data.types.length} permit types, by kind and name; retired ones are no
                  longer issued
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Price</th>
                    <th scope="col">Places</th>
                    <th scope="col">Issued</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {types.data.types.map((type) => (
                    <tr key={type.code}>
                      <th scope="row" class={`${t.mono} ${t.nowrap}`}>
                        {type.code}
                      </th>
                      <td data-label="Name">{type.name}</td>
                      <td data-label="Kind">{KIND_LABEL[type.kind] ?? type.kind}</td>
                      <td data-label="Price" class={t.nowrap}>
                        {priceText(type.priceCents, type.period)}
                      </td>
                      <td data-label="Places">{placesText(type)}</td>
                      <td data-label="Issued">
                        {type.active ? (
                          <span class={styles.active}>Active</span>
                        ) : (
                          <span class={styles.retired}>Retired</span>
                        )}
                      </td>
                      <EditCell
                        href={`/admin/permit-types/${encodeURIComponent(type.code)}`}
                        name={type.name}
                      />
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroller>
          )}
        </Panel>

        <Panel
          title="Residential permit zones"
          description="A household whose home the city’s record places inside a zone (or on its boundary) may hold that zone’s residential permits."
          actions={
            <Button variant="secondary" onClick={() => edit('new')}>
              New zone
            </Button>
          }
        >
          {(zones.error ?? facilities.error) && (
            <Alert tone="error" title="The zones could not be loaded">
              {(zones.error ?? facilities.error)?.message}
            </Alert>
          )}
          {(!zones.data || !facilities.data) && (zones.loading || facilities.loading) && (
            <Loading label="Loading zones…" />
          )}
          <div aria-live="polite">{outcome && <Alert tone="success" title={outcome} />}</div>
          {zones.data && facilities.data && (
            <div class={styles.zones}>
              <div>
                {zoneList.length === 0 ? (
                  <p class={t.muted}>No zones yet. Draw one with New zone.</p>
                ) : (
                  <TableScroller label="Residential permit zones">
                    <table class={t.table}>
                      <caption class="visually-hidden">Residential permit zones</caption>
                      <thead>
                        <tr>
                          <th scope="col">Code</th>
                          <th scope="col">Name</th>
                          <th scope="col">Permit types</th>
                          <th scope="col">
                            <span class="visually-hidden">Actions</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {zoneList.map((z) => (
                          <tr key={z.code} class={z.code === editing ? styles.selected : undefined}>
                            <th scope="row" class={t.mono}>
                              {z.code}
                            </th>
                            <td>{z.name}</td>
                            <td>{typesOfZone(types.data, z)}</td>
                            <td class={t.actions}>
                              <Button
                                variant="quiet"
                                size="small"
                                aria-label={`Edit zone ${z.code}`}
                                onClick={() => edit(z.code)}
                              >
                                Edit
                              </Button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroller>
                )}
              </div>
              <ZoneMap
                zones={zoneList}
                context={context}
                tileUrl={facilities.data.map.tileUrl}
                label="Map of the residential permit zones"
                selected={editing}
                onSelect={(code) => edit(code)}
              />
            </div>
          )}
          {zones.data && facilities.data && editing && (editing === 'new' || zone) && (
            <div ref={editorRef}>
              <SubPanel title={zone ? `Zone ${zone.code}: name and boundary` : 'New zone'}>
                <ZoneEditor
                  key={editing}
                  zone={zone}
                  context={editorContext}
                  tileUrl={facilities.data.map.tileUrl}
                  onClose={() => edit(null)}
                  onSaved={(saved) => {
                    zones.reload()
                    route(`/admin/permit-types?zone=${encodeURIComponent(saved.code)}`, true)
                    setOutcome(
                      `Zone ${saved.code} saved. Eligibility for its residential permits follows this boundary from now on.`,
                    )
                  }}
                />
              </SubPanel>
            </div>
          )}
          {zones.data && !zones.loading && editing && editing !== 'new' && !zone && (
            <Alert tone="warning" title={`There is no zone ${editing}`}>
              <Button variant="secondary" size="small" onClick={() => edit(null)}>
                Close
              </Button>
            </Alert>
          )}
        </Panel>
      </div>
    </Page>
  )
}

function placesText(type: PermitType): string {
  const n = type.facilities.length
  const counted = type.facilities.filter((f) => f.capacity !== null)
  const where = n === 0 ? 'Nowhere yet' : `${n} place${n === 1 ? '' : 's'}`
  const zone = type.zone ? `Zone ${type.zone.code} residents · ` : ''
  if (counted.length === 0) {
    return `${zone}${where}`
  }
  const spaces = counted.map((f) => `${f.code}: ${f.capacity} spaces`).join(', ')
  return `${zone}${where} (${spaces})`
}

function typesOfZone(types: PermitTypes | null, zone: PermitZone): string {
  const using = (types?.types ?? []).filter((type) => type.zone?.code === zone.code)
  return using.length > 0 ? using.map((type) => type.code).join(', ') : 'None'
}
