import { useMemo, useState } from 'preact/hooks'
import { useApi } from '../../../lib/use-api.ts'
import { useForm } from '../../../lib/use-form.ts'
import type { PermitZone } from '../../../lib/types.ts'
import { FieldRow, FixedField, TextField } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import {
  ShapeEditor,
  type ContextShape,
} from '../../admin-facilities/shape-editor/shape-editor.tsx'
import {
  describeParts,
  partsOf,
  type Part,
  type Position,
} from '../../admin-facilities/shape-editor/geometry.ts'
import { GeoJsonBox } from '../../admin-facilities/geojson-box/geojson-box.tsx'
import { CODE, rekeyed, type ZoneJson } from '../permit-types.ts'
import styles from './zone-editor.module.css'

const DOWNTOWN: [number, number] = [35.7796, -78.6382]
const LABELS = { code: 'Zone code', name: 'Name', boundary: 'Boundary' }
// Drawn as outlines (polygons), as a lot is: ShapeEditor draws lines only for on-street zones.
const KIND = 'permit_zone'

type Polygon = Extract<Part, { type: 'Polygon' }>

interface Props {
  /** The zone to redraw; null draws a new one. Key the editor by it. */
  zone: PermitZone | null
  /** The other zones and the facilities, drawn in grey for orientation. */
  context: ContextShape[]
  tileUrl: string
  /** The page announces the save: a new zone's editor is replaced by the saved zone's. */
  onSaved: (zone: PermitZone) => void
  onClose: () => void
}

/** A residential permit zone's name and boundary, drawn with the facilities' shape editor. */
export function ZoneEditor({ zone, context, tileUrl, onSaved, onClose }: Props) {
  const api = useApi()
  const form = useForm()
  const [code, setCode] = useState(zone?.code ?? '')
  const [name, setName] = useState(zone?.name ?? '')
  const [saved, setSaved] = useState<unknown>(zone?.boundary ?? null)
  const savedParts = useMemo(() => polygonsOf(saved), [saved])
  const [parts, setParts] = useState<Part[]>(savedParts)
  const [seed, setSeed] = useState<Part[]>(savedParts)
  const [generation, setGeneration] = useState(0)
  const [pasted, setPasted] = useState<string | null>(null)
  const boundary = boundaryOf(parts)
  const dirty = JSON.stringify(boundary) !== JSON.stringify(boundaryOf(savedParts))
  const title = zone ? `Zone ${zone.code}` : 'the new zone'

  const redraw = (next: Part[]) => {
    setSeed(next)
    setParts(next)
    setPasted(null)
    setGeneration((g) => g + 1)
  }

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const zoneCode = code.trim().toUpperCase()
    const checks: Record<string, string> = {}
    if (!CODE.test(zoneCode)) {
      checks.code = 'Letters, digits and dashes, up to 20, starting with a letter or digit'
    }
    if (!name.trim()) {
      checks.name = 'Give the zone a name residents recognise'
    }
    if (!boundary) {
      checks.boundary = 'Draw the zone’s boundary on the map'
    }
    if (Object.keys(checks).length > 0 || !boundary) {
      form.fail('Check the zone', checks)
      return
    }
    await form.submit(async () => {
      const body: ZoneJson = { name: name.trim(), boundary }
      try {
        const result = await api.put<PermitZone>(
          `/permit-zones/${encodeURIComponent(zoneCode)}`,
          body,
        )
        setSaved(result.boundary)
        onSaved(result)
      } catch (err) {
        // boundary.coordinates.0.1 and the like are all about the one drawing
        throw rekeyed(err, (path) => (path.startsWith('boundary') ? 'boundary' : path))
      }
    })
  }

  return (
    <form
      class={styles.editor}
      aria-label={`Edit ${title}`}
      noValidate
      onSubmit={(e) => void onSubmit(e)}
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <FieldRow>
        {zone ? (
          <FixedField label={LABELS.code} value={zone.code} />
        ) : (
          <TextField
            label={LABELS.code}
            name="code"
            required
            autoCapitalize="characters"
            chars={12}
            hint="Short, e.g. C; permit types name it. It cannot be changed later."
            value={code}
            onValue={setCode}
            error={form.fieldErrors.code}
          />
        )}
        <TextField
          label={LABELS.name}
          name="name"
          required
          hint="As residents know it, e.g. Residential zone C (Five Points)."
          value={name}
          onValue={setName}
          error={form.fieldErrors.name}
        />
      </FieldRow>
      <ShapeEditor
        key={generation}
        kind={KIND}
        initial={seed}
        context={context}
        tileUrl={tileUrl}
        centre={DOWNTOWN}
        label={`Map: boundary of ${title}`}
        onChange={(next) => {
          setParts(next)
          setPasted(null)
        }}
      />
      <p class={styles.howTo}>
        Draw the boundary: click its corners, then click the first corner again to close it; or draw
        a rectangle. Zoom out with − to see more of the city. Edit vertices drags corners (a click
        on a midpoint adds one, a right-click removes one); Move shapes drags a whole outline;
        Remove shapes deletes the outline you click next. Other zones and the facilities are shown
        in grey. A home inside the boundary, or on it, is in the zone.
      </p>
      <p class={styles.summary} role="status">
        {parts.length === 0
          ? 'Nothing drawn yet: a zone needs its boundary.'
          : describeParts(KIND, parts)}
        {dirty && <strong class={styles.unsaved}> · Not saved yet</strong>}
      </p>
      {form.fieldErrors.boundary && <p class={styles.error}>{form.fieldErrors.boundary}</p>}
      <GeoJsonBox
        label="Boundary GeoJSON"
        saved={boundary ? JSON.stringify(boundary) : ''}
        pasted={pasted}
        onPasted={setPasted}
        partsOf={polygonsOf}
        notJson="That is not JSON: paste a GeoJSON Polygon, MultiPolygon or a feature of one."
        noneFound="No polygons found: paste a GeoJSON Polygon, MultiPolygon or a feature of one."
        onDraw={redraw}
      >
        The boundary as it will be saved. To take it from GIS data instead, paste a GeoJSON Polygon
        or MultiPolygon (or a feature of one) here and draw it.
      </GeoJsonBox>
      <div class={styles.actions}>
        <Button type="submit" busy={form.busy}>
          Save zone
        </Button>
        <Button variant="quiet" disabled={!dirty} onClick={() => redraw(savedParts)}>
          Undo boundary changes
        </Button>
        <Button variant="quiet" onClick={onClose}>
          Close the editor
        </Button>
      </div>
    </form>
  )
}

function polygonsOf(geometry: unknown): Part[] {
  return partsOf(geometry).filter((p): p is Polygon => p.type === 'Polygon')
}

/** The outlines as the one geometry the API keeps, or null when nothing is drawn. */
function boundaryOf(parts: Part[]): ZoneJson['boundary'] | null {
  const polygons = parts.flatMap((p): Position[][][] =>
    p.type === 'Polygon' ? [p.coordinates] : [],
  )
  const [only] = polygons
  if (!only) {
    return null
  }
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: only }
    : { type: 'MultiPolygon', coordinates: polygons }
}
