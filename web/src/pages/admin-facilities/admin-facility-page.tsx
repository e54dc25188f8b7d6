import { useMemo, useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import { tariffSchema } from '../../../../api/facilities/tariff.ts'
import { useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { messageOf } from '../../lib/api.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { TextField, SelectField, FieldRow } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import {
  KIND_LABEL,
  STATUS_LABEL,
  titleOf,
  useFacilityUpdate,
  type Facilities,
  type Facility,
  type FacilityStatus,
  type FacilityWithTariff,
} from './facilities.ts'
import { ShapeEditor } from './shape-editor/shape-editor.tsx'
import { GeoJsonBox } from './geojson-box/geojson-box.tsx'
import { combine, describeParts, drawsLines, partsOf, type Part } from './shape-editor/geometry.ts'
import { RatesEditor } from './rates-editor/rates-editor.tsx'
import { HoursEditor } from './hours-editor/hours-editor.tsx'
import styles from './admin-facility-page.module.css'

const DOWNTOWN: [number, number] = [35.7796, -78.6382]

/**
 * One facility or zone: its details, its shape on the map and its rates, each saved on its own.
 * The list gives the map its neighbours and tile URL; the facility itself comes with its tariff.
 */
export function AdminFacilityPage() {
  const { params } = useRoute()
  const code = params.code ?? ''
  const one = useResource<FacilityWithTariff>(`/facilities/${encodeURIComponent(code)}`)
  const list = useResource<Facilities>('/facilities')
  const error = one.error ?? list.error

  if (one.error?.status === 404) {
    return (
      <Page title="No such facility or zone" eyebrow="Administration" width="narrow">
        <p>There is no facility or zone with the code {code}.</p>
        <p>
          <a href="/admin/facilities">All facilities and zones</a>
        </p>
      </Page>
    )
  }
  if (error) {
    return (
      <Page title="Facility" eyebrow="Administration">
        <Alert tone="error" title="The facility could not be loaded">
          {error.message}
        </Alert>
      </Page>
    )
  }
  if (!one.data || !list.data) {
    return <Loading label="Loading the facility…" />
  }
  const reload = () => {
    one.reload()
    list.reload()
  }
  return (
    <FacilityEditor key={one.data.code} facility={one.data} data={list.data} onSaved={reload} />
  )
}

interface EditorProps {
  facility: FacilityWithTariff
  data: Facilities
  onSaved: () => void
}

function FacilityEditor({ facility, data, onSaved }: EditorProps) {
  const tariff = useMemo(() => tariffSchema.safeParse(facility.tariff), [facility.tariff])
  return (
    <Page
      title={titleOf(facility)}
      eyebrow="Administration · Facilities and zones"
      lede={`${KIND_LABEL[facility.kind] ?? facility.kind}${facility.kind === 'on_street_zone' ? ` · ${facility.name}` : ''}${facility.address ? ` · ${facility.address}` : ''}`}
    >
      <p class={styles.back}>
        <a href="/admin/facilities">All facilities and zones</a>
      </p>
      <div class={styles.stack}>
        <Panel title="Details">
          <DetailsForm facility={facility} onSaved={onSaved} />
        </Panel>
        {facility.kind !== 'on_street_zone' && (
          <Panel
            title="Opening hours"
            description={`When it lets cars in and sells time, in local time (${facility.timeZone}). Outside them no time is sold and no gate opens.`}
          >
            <HoursEditor facility={facility} onSaved={onSaved} />
          </Panel>
        )}
        <Panel
          title="Shape on the map"
          description={
            drawsLines(facility.kind)
              ? 'An on-street zone is its block faces: draw a line along each curb that is part of the zone.'
              : 'A lot or garage is its outline: draw the polygon around it.'
          }
        >
          <ShapePanel facility={facility} data={data} onSaved={onSaved} />
        </Panel>
        <Panel
          title="Rates"
          description={`Prices by local day and time in ${facility.timeZone}. The preview prices your changes with the same tariff engine before they are saved.`}
        >
          {tariff.success ? (
            <RatesEditor facility={facility} saved={tariff.data} onSaved={onSaved} />
          ) : (
            // the API reads every tariff with this schema, so only a web app older than the API
            // can meet one it does not understand
            <Alert tone="error" title="This tariff cannot be edited here">
              This page does not understand the saved tariff; reload to get the current version of
              Curbline.
            </Alert>
          )}
        </Panel>
      </div>
    </Page>
  )
}

const DETAIL_LABELS = { name: 'Name', status: 'Status', capacity: 'Spaces' }

function DetailsForm({ facility, onSaved }: { facility: Facility; onSaved: () => void }) {
  const update = useFacilityUpdate()
  const form = useForm()
  const [name, setName] = useState(facility.name)
  const [status, setStatus] = useState<string>(facility.status)
  const [capacity, setCapacity] = useState(
    facility.capacity === null ? '' : String(facility.capacity),
  )

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const spaces = capacity.trim()
    if (spaces !== '' && !/^\d+$/.test(spaces)) {
      form.fail('Check the details', {
        capacity: 'Enter a whole number of spaces, or leave it blank',
      })
      return
    }
    await form.submit(async () => {
      await update(facility.code, {
        name: name.trim(),
        status: status as FacilityStatus,
        capacity: spaces === '' ? null : Number(spaces),
      })
      onSaved()
      return 'Details saved.'
    })
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Details">
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={DETAIL_LABELS}
      />
      <TextField
        label={DETAIL_LABELS.name}
        name="name"
        required
        value={name}
        onValue={setName}
        error={form.fieldErrors.name}
      />
      <FieldRow>
        <SelectField
          label={DETAIL_LABELS.status}
          name="status"
          required
          hint="Closed stops sales and quotes here."
          value={status}
          onValue={setStatus}
          error={form.fieldErrors.status}
        >
          {Object.entries(STATUS_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField
          label={DETAIL_LABELS.capacity}
          name="capacity"
          inputMode="numeric"
          chars={7}
          hint="Blank when there is no fixed number."
          value={capacity}
          onValue={setCapacity}
          error={form.fieldErrors.capacity}
        />
      </FieldRow>
      <Button type="submit" busy={form.busy}>
        Save details
      </Button>
    </form>
  )
}

function ShapePanel({ facility, data, onSaved }: EditorProps) {
  const update = useFacilityUpdate()
  const [saved, setSaved] = useState<unknown>(facility.geometry)
  const savedParts = useMemo(() => partsOf(saved), [saved])
  const [parts, setParts] = useState<Part[]>(savedParts)
  // What the map is drawn from; a new generation redraws it (undo, pasted GeoJSON).
  const [seed, setSeed] = useState<Part[]>(savedParts)
  const [generation, setGeneration] = useState(0)
  const [pasted, setPasted] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null)
  const combined = combine(facility.kind, parts)
  const dirty = JSON.stringify(combined) !== JSON.stringify(combine(facility.kind, savedParts))
  const context = useMemo(
    () => data.facilities.filter((f) => f.id !== facility.id),
    [data, facility.id],
  )
  const centre: [number, number] =
    facility.lat !== null && facility.lon !== null ? [facility.lat, facility.lon] : DOWNTOWN

  const redraw = (next: Part[]) => {
    setSeed(next)
    setParts(next)
    setPasted(null)
    setGeneration((g) => g + 1)
  }

  const save = async () => {
    setMessage(null)
    if (!combined.ok) {
      setMessage({ tone: 'error', text: combined.message })
      return
    }
    setBusy(true)
    try {
      await update(facility.code, { geometry: combined.geometry })
      setSaved(combined.geometry)
      setMessage({ tone: 'success', text: 'Shape saved. The parking map shows it now.' })
      onSaved()
    } catch (err) {
      setMessage({ tone: 'error', text: messageOf(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class={styles.shape}>
      <ShapeEditor
        key={generation}
        kind={facility.kind}
        initial={seed}
        context={context}
        tileUrl={data.map.tileUrl}
        centre={centre}
        label={`Map: shape of ${titleOf(facility)}`}
        onChange={(next) => {
          setParts(next)
          setPasted(null)
          setMessage(null)
        }}
      />
      <p class={styles.howTo}>
        {drawsLines(facility.kind)
          ? 'Draw a block face: click along the curb, then click the last point again or choose Finish.'
          : 'Draw an outline: click its corners, then click the first corner again to close it; or draw a rectangle.'}{' '}
        Edit vertices drags points (a click on a midpoint adds one, a right-click removes one); Move
        shapes drags a whole shape; Remove shapes deletes the shape you click next. Other facilities
        are shown in grey.
      </p>
      <p class={styles.summary} role="status">
        {describeParts(facility.kind, parts)}
        {dirty && <strong class={styles.unsaved}> · Not saved yet</strong>}
      </p>
      {!combined.ok && <Alert tone="warning" title={combined.message} />}
      {message && <Alert tone={message.tone} title={message.text} />}
      <GeoJsonBox
        label="GeoJSON to be saved"
        saved={combined.ok ? JSON.stringify(combined.geometry) : ''}
        pasted={pasted}
        onPasted={setPasted}
        partsOf={partsOf}
        notJson="That is not JSON: paste a GeoJSON geometry or feature."
        noneFound="No lines or polygons found: paste a GeoJSON geometry or feature."
        onDraw={(next) => {
          setMessage(null)
          redraw(next)
        }}
      >
        The shape as it will be saved. To draw it from survey or GIS data instead, paste a GeoJSON
        geometry or feature here and use it.
      </GeoJsonBox>
      <div class={styles.actions}>
        <Button busy={busy} onClick={() => void save()}>
          Save shape
        </Button>
        <Button
          variant="quiet"
          disabled={!dirty}
          onClick={() => {
            setMessage(null)
            redraw(savedParts)
          }}
        >
          Undo changes
        </Button>
      </div>
    </div>
  )
}
