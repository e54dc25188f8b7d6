import { useEffect, useRef } from 'preact/hooks'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
// Geoman's bundle extends the global L, which Leaflet's build sets on window as it loads.
import '@geoman-io/leaflet-geoman-free'
import '@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css'
import { drawsLines, partsOf, type Part, type Position } from './geometry.ts'
import styles from './shape-editor.module.css'

export interface ContextShape {
  code: string
  kind: string
  geometry: unknown
}

interface ShapeEditorProps {
  /** The facility's kind: zones are drawn as lines, lots and garages as outlines. */
  kind: string
  /** The shapes to start from; later changes to it are ignored (key the editor to reset it). */
  initial: Part[]
  /** Neighbouring facilities, drawn faintly for orientation when there are no map tiles. */
  context: ContextShape[]
  tileUrl: string
  /** Where to look when nothing is drawn yet, [lat, lon]. */
  centre: [number, number]
  label: string
  onChange: (parts: Part[]) => void
}

const EDITING = { color: '#005ea2', fillColor: '#005ea2', fillOpacity: 0.25 }
const NEIGHBOUR = { color: '#8a94a0', fillColor: '#8a94a0', fillOpacity: 0.08, weight: 2 }

// Geoman's button titles name its tools in GIS terms; these say what they do here.
const WORDS = {
  buttonTitles: {
    drawLineButton: 'Draw a block face',
    drawPolyButton: 'Draw an outline',
    drawRectButton: 'Draw a rectangle',
    editButton: 'Edit vertices',
    dragButton: 'Move shapes',
    deleteButton: 'Remove shapes',
  },
  tooltips: {
    finishLine: 'Click the last point again, or Finish, to end the block face',
    finishPoly: 'Click the first point to close the outline',
  },
}

/**
 * Leaflet with the Geoman toolbar: draw block faces or outlines, drag their vertices (right-click
 * one to delete it), move or remove whole shapes. Reports the shapes after every change. Without
 * a tile URL the map is a blank ground with the neighbouring facilities drawn in grey.
 */
export function ShapeEditor(props: ShapeEditorProps) {
  const container = useRef<HTMLDivElement>(null)
  const onChange = useRef(props.onChange)
  onChange.current = props.onChange
  const setup = useRef(props)

  useEffect(() => {
    const el = container.current
    if (!el) {
      return
    }
    const { kind, initial, context, tileUrl, centre } = setup.current
    const lines = drawsLines(kind)
    const map = L.map(el, { scrollWheelZoom: false, minZoom: 3, maxZoom: 20 })
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 19, attribution: '&copy; OpenStreetMap contributors' }).addTo(
        map,
      )
    }
    for (const other of context) {
      for (const part of partsOf(other.geometry)) {
        layerOf(
          part,
          { ...NEIGHBOUR, weight: other.kind === 'on_street_zone' ? 4 : 1 },
          true,
        ).addTo(map)
      }
    }

    const group = L.featureGroup().addTo(map)
    const style = { ...EDITING, weight: lines ? 6 : 3 }
    for (const part of initial) {
      group.addLayer(layerOf(part, style, false))
    }

    map.pm.setLang('en', WORDS, 'en')
    map.pm.setGlobalOptions({
      layerGroup: group,
      pathOptions: style,
      snappable: true,
      allowSelfIntersection: false,
    })
    map.pm.addControls({
      position: 'topleft',
      drawMarker: false,
      drawCircleMarker: false,
      drawCircle: false,
      drawText: false,
      drawPolyline: lines,
      drawPolygon: !lines,
      drawRectangle: !lines,
      cutPolygon: false,
      rotateMode: false,
      editMode: true,
      dragMode: true,
      removalMode: true,
    })
    // Geoman titles the button's wrapper; the button itself needs the name for screen readers.
    for (const wrapper of el.querySelectorAll<HTMLElement>('.button-container[title]')) {
      wrapper
        .querySelector('.leaflet-buttons-control-button')
        ?.setAttribute('aria-label', wrapper.title)
    }

    const report = () => onChange.current(group.getLayers().flatMap(partOf))
    const watch = (layer: L.Layer) => {
      layer.on('pm:edit', report)
      layer.on('pm:dragend', report)
    }
    group.eachLayer(watch)
    map.on('pm:create', (e) => {
      watch(e.layer)
      report()
    })
    map.on('pm:remove', report)

    const drawn = group.getBounds()
    if (drawn.isValid()) {
      map.fitBounds(drawn, { padding: [48, 48], maxZoom: 18 })
    } else {
      map.setView(centre, 18)
    }
    return () => {
      map.remove()
    }
  }, [])

  return (
    <div
      ref={container}
      class={styles.map}
      role="region"
      aria-label={props.label}
      data-kind={props.kind}
    />
  )
}

const latLng = ([lon, lat]: Position): L.LatLngTuple => [lat, lon]

function layerOf(part: Part, style: L.PathOptions, neighbour: boolean): L.Layer {
  const options = neighbour ? { ...style, interactive: false, pmIgnore: true } : style
  switch (part.type) {
    case 'LineString':
      return L.polyline(part.coordinates.map(latLng), options)
    case 'Polygon':
      return L.polygon(
        part.coordinates.map((ring) => ring.map(latLng)),
        options,
      )
    case 'Point':
      return L.circleMarker(latLng(part.coordinates), { ...options, radius: 7 })
  }
}

function partOf(layer: L.Layer): Part[] {
  if (layer instanceof L.Polyline || layer instanceof L.CircleMarker) {
    return partsOf(layer.toGeoJSON(6).geometry)
  }
  return []
}
