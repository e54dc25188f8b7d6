import { useEffect, useRef } from 'preact/hooks'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import type { ParkingFacility } from '../../lib/types.ts'
import { facilityTitle, limitText, occupancyText, priceNow } from '../../lib/parking.ts'
import styles from './facility-map.module.css'

const COLOUR: Record<string, string> = {
  on_street_zone: '#0b6e4f',
  garage: '#1d4e89',
  surface_lot: '#1d4e89',
}
const SELECTED = '#d83933'

interface Props {
  facilities: ParkingFacility[]
  /** Tile URL template; empty draws the shapes on a blank ground. */
  tileUrl: string
  /** The region's accessible name. */
  label: string
  /** The facility to fly to, highlight and open the popup of. */
  selected: string | null
  /** Called with a facility's code when its shape is clicked. */
  onSelect?: (code: string) => void
  size?: 'normal' | 'compact'
}

/**
 * Leaflet, drawn once per list: zones as their block faces, lots as their outlines, each with a
 * popup of its price now and time limit. Without a tile URL the geometry is drawn on a blank
 * background. The view starts on downtown; a selected facility is flown to and highlighted.
 */
export function FacilityMap({
  facilities,
  tileUrl,
  label,
  selected,
  onSelect,
  size = 'normal',
}: Props) {
  const container = useRef<HTMLDivElement>(null)
  const layers = useRef(new Map<string, { layer: L.GeoJSON; style: L.PathOptions }>())
  const map = useRef<L.Map | null>(null)
  const select = useRef(onSelect)
  select.current = onSelect

  useEffect(() => {
    if (!container.current) {
      return
    }
    const m = L.map(container.current, { scrollWheelZoom: false })
    map.current = m
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        maxZoom: 19,
        attribution: '&copy; OpenStreetMap contributors',
      }).addTo(m)
    }
    const downtown = L.latLngBounds([])
    for (const f of facilities) {
      if (!f.geometry) {
        continue
      }
      const style: L.PathOptions = {
        color: COLOUR[f.kind] ?? '#7a4b00',
        weight: f.kind === 'on_street_zone' ? 5 : 2,
        fillOpacity: 0.25,
      }
      const layer = L.geoJSON(f.geometry, { style })
      layer.bindPopup(
        `<strong>${escapeHtml(facilityTitle(f))}</strong><br>${escapeHtml(f.kind === 'on_street_zone' ? f.name : (f.address ?? ''))}` +
          `<br>${escapeHtml(priceNow(f))} · limit ${escapeHtml(limitText(f.maximumStayMinutes))}` +
          `<br>${escapeHtml(occupancyText(f))}`,
      )
      layer.on('click', () => select.current?.(f.code))
      layer.addTo(m)
      layers.current.set(f.code, { layer, style })
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
  }, [facilities, tileUrl])

  useEffect(() => {
    const entry = selected ? layers.current.get(selected) : undefined
    if (!entry || !map.current) {
      return
    }
    const { layer, style } = entry
    layer.setStyle({ ...style, color: SELECTED, weight: (style.weight ?? 2) + 3 })
    layer.bringToFront()
    map.current.fitBounds(layer.getBounds(), { maxZoom: 17 })
    layer.openPopup()
    container.current?.scrollIntoView({ block: 'nearest' })
    return () => layer.setStyle(style)
  }, [selected, facilities])

  return (
    <div
      ref={container}
      class={size === 'compact' ? `${styles.map} ${styles.compact}` : styles.map}
      role="region"
      aria-label={label}
    />
  )
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
