import { useEffect, useRef, useState } from 'preact/hooks'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import { useResource } from '../../lib/use-api.ts'
import { formatCents } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import styles from './parking-map-page.module.css'

interface Facility {
  id: number
  code: string
  name: string
  kind: string
  address: string | null
  lat: number | null
  lon: number | null
  geometry: GeoJSON.Geometry | null
  capacity: number | null
  status: 'open' | 'closed' | 'event'
  maximumStayMinutes: number | null
  hourNowCents: number | null
}

interface FacilityList {
  facilities: Facility[]
  map: { tileUrl: string }
}

const KIND_LABEL: Record<string, string> = {
  surface_lot: 'Surface lot',
  garage: 'Garage',
  on_street_zone: 'On-street zone',
  airport_garage: 'Airport garage',
  airport_lot: 'Airport lot',
  cell_phone_lot: 'Airport cell-phone lot',
}

const COLOUR: Record<string, string> = {
  on_street_zone: '#0b6e4f',
  garage: '#1d4e89',
  surface_lot: '#1d4e89',
}

function priceNow(f: Facility): string {
  if (f.status === 'closed') {
    return 'Closed'
  }
  if (f.hourNowCents === null) {
    return '—'
  }
  return f.hourNowCents === 0 ? 'Free now' : `${formatCents(f.hourNowCents)} an hour`
}

function limit(f: Facility): string {
  const m = f.maximumStayMinutes
  if (m === null) {
    return 'No limit'
  }
  return m % 60 === 0 ? `${m / 60} hour${m === 60 ? '' : 's'}` : `${m} minutes`
}

/** Where the city sells parking: the map, and the same facilities as a table. */
export function ParkingMapPage() {
  const list = useResource<FacilityList>('/facilities')
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <Page
      title="Parking map"
      eyebrow="Public parking"
      lede="Garages, lots and on-street zones downtown, and the Airport, with what an hour costs from now."
    >
      {list.error && (
        <Alert tone="error" title="The parking map could not be loaded">
          {list.error.message}
        </Alert>
      )}
      {!list.data && list.loading && <Loading />}
      {list.data && (
        <div class={styles.layout}>
          <FacilityMap data={list.data} selected={selected} />
          <TableScroller label="Facilities and zones">
            <table class={tableStyles.table}>
              <caption class={styles.caption}>Facilities and zones</caption>
              <thead>
                <tr>
                  <th scope="col">Zone or facility</th>
                  <th scope="col">Kind</th>
                  <th scope="col">An hour from now</th>
                  <th scope="col">Time limit</th>
                  <th scope="col">Spaces</th>
                </tr>
              </thead>
              <tbody>
                {list.data.facilities.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">
                      <button type="button" class={styles.link} onClick={() => setSelected(f.code)}>
                        {f.kind === 'on_street_zone' ? `Zone ${f.code}` : f.name}
                      </button>
                      <span class={styles.sub}>
                        {f.kind === 'on_street_zone' ? f.name : `Code ${f.code}`}
                      </span>
                    </th>
                    <td>{KIND_LABEL[f.kind] ?? f.kind}</td>
                    <td>{priceNow(f)}</td>
                    <td>{limit(f)}</td>
                    <td>{f.capacity ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </div>
      )}
    </Page>
  )
}

/**
 * Leaflet, drawn once per list: zones as their block faces, lots as their outlines. Without a
 * tile URL the geometry is drawn on a blank background. The view starts on downtown; choosing a
 * row in the table flies there and opens its popup.
 */
function FacilityMap({ data, selected }: { data: FacilityList; selected: string | null }) {
  const container = useRef<HTMLDivElement>(null)
  const layers = useRef(new Map<string, L.GeoJSON>())
  const map = useRef<L.Map | null>(null)

  useEffect(() => {
    if (!container.current) {
      return
    }
    const m = L.map(container.current, { scrollWheelZoom: false })
    map.current = m
    if (data.map.tileUrl) {
      L.tileLayer(data.map.tileUrl, {
        maxZoom: 19,
        attribution: '&copy; OpenStreetMap contributors',
      }).addTo(m)
    }
    const downtown = L.latLngBounds([])
    for (const f of data.facilities) {
      if (!f.geometry) {
        continue
      }
      const colour = COLOUR[f.kind] ?? '#7a4b00'
      const layer = L.geoJSON(f.geometry, {
        style: { color: colour, weight: f.kind === 'on_street_zone' ? 5 : 2, fillOpacity: 0.25 },
      })
      const title = f.kind === 'on_street_zone' ? `Zone ${f.code}` : f.name
      layer.bindPopup(
        `<strong>${escapeHtml(title)}</strong><br>${escapeHtml(f.kind === 'on_street_zone' ? f.name : f.address ?? '')}` +
          `<br>${escapeHtml(priceNow(f))} · limit ${escapeHtml(limit(f))}`,
      )
      layer.addTo(m)
      layers.current.set(f.code, layer)
      if (!f.kind.startsWith('airport') && f.kind !== 'cell_phone_lot') {
        downtown.extend(layer.getBounds())
      }
    }
    if (downtown.isValid()) {
      m.fitBounds(downtown, { padding: [16, 16] })
    } else {
      m.setView([35.7796, -78.6382], 14)
    }
    return () => {
      m.remove()
      map.current = null
      layers.current.clear()
    }
  }, [data])

  useEffect(() => {
    const layer = selected ? layers.current.get(selected) : undefined
    if (layer && map.current) {
      map.current.fitBounds(layer.getBounds(), { maxZoom: 17 })
      layer.openPopup()
      container.current?.scrollIntoView({ block: 'nearest' })
    }
  }, [selected])

  return (
    <div
      ref={container}
      class={styles.map}
      role="region"
      aria-label="Map of parking facilities and zones"
    />
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
