import { useEffect, useRef } from 'preact/hooks'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import type { ParkingFacility } from '../../lib/types.ts'
import styles from './points-map.module.css'

export interface MapPoint {
  id: string
  lat: number
  lon: number
  colour: string
  /** The popup's lines, as text (escaped here). */
  lines: string[]
  /** Drawn larger, e.g. a citation or the newest check. */
  strong?: boolean
}

interface Props {
  points: MapPoint[]
  /** The zones and lots, drawn faintly so a blank ground still shows the streets' shape. */
  facilities: ParkingFacility[]
  /** Tile URL template; empty draws on a blank ground. */
  tileUrl: string
  /** The region's accessible name. */
  label: string
  /** Follow the points: fit them in view each time they change. */
  follow?: boolean
}

/**
 * Points on a Leaflet map (checks, citations, ambassadors), over the facilities' shapes. The
 * base layer is drawn once; the points are redrawn when they change, keeping the view unless
 * `follow` asks to fit them.
 */
export function PointsMap({ points, facilities, tileUrl, label, follow = true }: Props) {
  const container = useRef<HTMLDivElement>(null)
  const map = useRef<L.Map | null>(null)
  const layer = useRef<L.LayerGroup | null>(null)
  const fitted = useRef(false)

  useEffect(() => {
    if (!container.current) {
      return
    }
    const m = L.map(container.current, { scrollWheelZoom: false })
    map.current = m
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(
        m,
      )
    }
    const downtown = L.latLngBounds([])
    for (const f of facilities) {
      if (!f.geometry) {
        continue
      }
      const shape = L.geoJSON(f.geometry, {
        style: { color: '#7a8794', weight: f.kind === 'on_street_zone' ? 3 : 1, fillOpacity: 0.08 },
        interactive: false,
      }).addTo(m)
      if (!f.kind.startsWith('airport') && f.kind !== 'cell_phone_lot') {
        downtown.extend(shape.getBounds())
      }
    }
    if (downtown.isValid()) {
      m.fitBounds(downtown, { padding: [16, 16] })
    } else {
      m.setView([35.7796, -78.6382], 14)
    }
    layer.current = L.layerGroup().addTo(m)
    fitted.current = false
    return () => {
      m.remove()
      map.current = null
      layer.current = null
    }
  }, [facilities, tileUrl])

  useEffect(() => {
    const m = map.current
    const group = layer.current
    if (!m || !group) {
      return
    }
    group.clearLayers()
    const bounds = L.latLngBounds([])
    for (const p of points) {
      const marker = L.circleMarker([p.lat, p.lon], {
        radius: p.strong ? 10 : 7,
        color: '#fff',
        weight: 2,
        fillColor: p.colour,
        fillOpacity: 0.95,
      })
      marker.bindPopup(p.lines.map(escapeHtml).join('<br>'))
      marker.addTo(group)
      bounds.extend([p.lat, p.lon])
    }
    if (bounds.isValid() && (follow || !fitted.current)) {
      m.fitBounds(bounds.pad(0.3), { maxZoom: 16, animate: false })
      fitted.current = true
    }
  }, [points, follow, facilities, tileUrl])

  return <div ref={container} class={styles.map} role="region" aria-label={label} />
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
