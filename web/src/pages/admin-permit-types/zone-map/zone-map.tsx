import { useEffect, useRef } from 'preact/hooks'
import type { PermitZone } from '../../../lib/types.ts'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import styles from './zone-map.module.css'

interface ContextShape {
  code: string
  kind: string
  geometry: unknown
}

interface Props {
  zones: PermitZone[]
  /** Facilities drawn faintly underneath, so a map without tiles still shows the streets' blocks. */
  context: ContextShape[]
  tileUrl: string
  label: string
  /** The zone to highlight. */
  selected: string | null
  onSelect: (code: string) => void
}

const ZONE = { color: '#1a4480', fillColor: '#005ea2', fillOpacity: 0.15, weight: 2 }
const SELECTED = { color: '#d83933', fillColor: '#d83933', fillOpacity: 0.2, weight: 4 }
const FACILITY = {
  color: '#8a94a0',
  fillColor: '#8a94a0',
  fillOpacity: 0.08,
  weight: 2,
  interactive: false,
}

/** Every residential permit zone on one small map, each labelled with its code; a click picks one. */
export function ZoneMap({ zones, context, tileUrl, label, selected, onSelect }: Props) {
  const container = useRef<HTMLDivElement>(null)
  const layers = useRef(new Map<string, L.GeoJSON>())
  const select = useRef(onSelect)
  select.current = onSelect

  useEffect(() => {
    const el = container.current
    if (!el) {
      return
    }
    const map = L.map(el, { scrollWheelZoom: false })
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(
        map,
      )
    }
    for (const f of context) {
      if (f.geometry && !f.kind.startsWith('airport') && f.kind !== 'cell_phone_lot') {
        L.geoJSON(f.geometry as GeoJSON.GeoJsonObject, {
          style: { ...FACILITY, weight: f.kind === 'on_street_zone' ? 3 : 1 },
          interactive: false,
        }).addTo(map)
      }
    }
    const bounds = L.latLngBounds([])
    for (const z of zones) {
      const layer = L.geoJSON(z.boundary as unknown as GeoJSON.GeoJsonObject, { style: ZONE })
      layer.bindTooltip(`Zone ${z.code}`, { permanent: true, direction: 'center' })
      layer.on('click', () => select.current(z.code))
      layer.addTo(map)
      layers.current.set(z.code, layer)
      bounds.extend(layer.getBounds())
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16] })
    } else {
      map.setView([35.7796, -78.6382], 14)
    }
    return () => {
      map.remove()
      layers.current.clear()
    }
  }, [zones, context, tileUrl])

  useEffect(() => {
    const layer = selected ? layers.current.get(selected) : undefined
    if (!layer) {
      return
    }
    layer.setStyle(SELECTED)
    layer.bringToFront()
    return () => layer.setStyle(ZONE)
  }, [selected, zones, context, tileUrl])

  return <div ref={container} class={styles.map} role="region" aria-label={label} />
}
