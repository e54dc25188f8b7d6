import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { Alert } from '../../../components/alert/alert.tsx'
import { Button } from '../../../components/button/button.tsx'
import type { Part } from '../shape-editor/geometry.ts'
import styles from './geojson-box.module.css'

interface Props {
  /** The text box's name, e.g. "GeoJSON to be saved". */
  label: string
  /** The drawing as the JSON to be saved, shown until something is pasted. */
  saved: string
  /** What was pasted, or null to show what is saved; the page clears it when the map changes. */
  pasted: string | null
  onPasted: (text: string | null) => void
  /** The parts of a pasted geometry the page can draw; none found is refused with noneFound. */
  partsOf: (geometry: unknown) => Part[]
  notJson: string
  noneFound: string
  onDraw: (parts: Part[]) => void
  /** What the box is for, above it. */
  children: ComponentChildren
}

/** The shape as GeoJSON, to copy, or to replace with GeoJSON pasted from survey or GIS data. */
export function GeoJsonBox(props: Props) {
  const { label, saved, pasted, onPasted, partsOf, notJson, noneFound, onDraw, children } = props
  const [error, setError] = useState<string | null>(null)

  const draw = () => {
    setError(null)
    let value: unknown
    try {
      value = JSON.parse(pasted ?? '')
    } catch {
      setError(notJson)
      return
    }
    const parts = partsOf(value)
    if (parts.length === 0) {
      setError(noneFound)
      return
    }
    onDraw(parts)
  }

  return (
    <details class={styles.geojson}>
      <summary>GeoJSON</summary>
      <p class={styles.about}>{children}</p>
      <textarea
        aria-label={label}
        rows={4}
        spellcheck={false}
        value={pasted ?? saved}
        onInput={(e) => onPasted(e.currentTarget.value)}
      />
      {error && <Alert tone="error" title={error} />}
      <Button variant="secondary" size="small" disabled={pasted === null} onClick={draw}>
        Draw this GeoJSON on the map
      </Button>
    </details>
  )
}
