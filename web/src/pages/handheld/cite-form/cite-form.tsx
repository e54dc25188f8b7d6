import { useState } from 'preact/hooks'
import type { Violation } from '../../../lib/enforcement.ts'
import { formatCents } from '../../../lib/format.ts'
import { useForm } from '../../../lib/use-form.ts'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import {
  CheckField,
  FieldRow,
  PlateFields,
  PlateStateField,
  SelectField,
  TextField,
} from '../../../components/field/field.tsx'
import { shotFromFile } from '../photo.ts'
import styles from './cite-form.module.css'

export interface CiteInput {
  plate: string
  state: string
  violation: string
  vehicle: { make?: string; model?: string; colour?: string }
  location?: string
  photos: string[]
}

interface Props {
  plate: string
  state: string
  /** Offline, with no verdict: the plate is typed here. */
  plateEditable: boolean
  suggested: string | null
  violations: Violation[]
  /** The plate photo of the check, attached unless the ambassador takes it off. */
  photo: string | null
  onCite: (input: CiteInput) => Promise<void>
  onCancel: () => void
}

const LABELS = {
  plate: 'Plate',
  state: 'State',
  violation: 'Violation',
  make: 'Make',
  model: 'Model',
  colour: 'Colour',
  location: 'Where exactly',
  photos: 'Photos',
}
const MAX_PHOTOS = 6

/** What the ambassador may say of the vehicle, each optional, each a short box. */
const VEHICLE_FIELDS = [
  { name: 'make', label: LABELS.make, maxLength: 40 },
  { name: 'model', label: LABELS.model, maxLength: 40 },
  { name: 'colour', label: LABELS.colour, maxLength: 30 },
] as const

/**
 * The citation: the suggested violation chosen (any active code can be), the plate photo
 * attached, the vehicle's make, model and colour if the ambassador wants, more photos.
 */
export function CiteForm(props: Props) {
  const form = useForm()
  const [plate, setPlate] = useState(props.plate)
  const [state, setState] = useState(props.state)
  const active = props.violations.filter((v) => v.active)
  const [code, setCode] = useState(props.suggested ?? active[0]?.code ?? '')
  const [vehicleText, setVehicleText] = useState({ make: '', model: '', colour: '' })
  const [location, setLocation] = useState('')
  const [withPhoto, setWithPhoto] = useState(props.photo !== null)
  const [extra, setExtra] = useState<string[]>([])
  const [photoError, setPhotoError] = useState<string | undefined>()
  const chosen = active.find((v) => v.code === code)

  const addPhoto = async (file: File | null) => {
    setPhotoError(undefined)
    if (!file) {
      return
    }
    try {
      const shot = await shotFromFile(file)
      setExtra((list) => [...list, shot.dataUrl].slice(0, MAX_PHOTOS))
    } catch {
      setPhotoError('That file is not a photo this phone can read')
    }
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!plate.trim() || !state) {
      form.fail('Say which plate', {
        ...(plate.trim() ? {} : { plate: 'Required' }),
        ...(state ? {} : { state: 'Required' }),
      })
      return
    }
    if (!code) {
      form.fail('Choose the violation', { violation: 'Required' })
      return
    }
    const photos = [...(withPhoto && props.photo ? [props.photo] : []), ...extra].slice(
      0,
      MAX_PHOTOS,
    )
    const vehicle = Object.fromEntries(
      Object.entries(vehicleText)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v),
    ) as CiteInput['vehicle']
    await form.submit(() =>
      props.onCite({
        plate: plate.trim().toUpperCase(),
        state,
        violation: code,
        vehicle,
        ...(location.trim() ? { location: location.trim() } : {}),
        photos,
      }),
    )
  }

  return (
    <form
      class={styles.form}
      aria-label="Issue a citation"
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      {props.plateEditable ? (
        <PlateFields
          labels={{ plate: LABELS.plate, state: LABELS.state }}
          plateChars={9}
          plate={plate}
          state={state}
          onPlate={setPlate}
          onState={setState}
          plateError={form.fieldErrors.plate}
          stateError={form.fieldErrors.state}
        />
      ) : (
        <PlateStateField
          label="Plate state"
          name="state"
          required
          hint={`Plate ${plate}`}
          value={state}
          onValue={setState}
          error={form.fieldErrors.state}
        />
      )}
      <SelectField
        label="Violation"
        name="violation"
        required
        value={code}
        onValue={setCode}
        hint={chosen ? `Fine ${formatCents(chosen.fineCents)}` : undefined}
        error={form.fieldErrors.violation}
      >
        {active.map((v) => (
          <option key={v.code} value={v.code}>
            {v.code}: {v.description}
            {v.code === props.suggested ? ' (suggested)' : ''}
          </option>
        ))}
      </SelectField>
      <FieldRow>
        {VEHICLE_FIELDS.map((f) => (
          <TextField
            key={f.name}
            label={f.label}
            name={f.name}
            autoComplete="off"
            maxLength={f.maxLength}
            value={vehicleText[f.name]}
            onValue={(value) => setVehicleText((v) => ({ ...v, [f.name]: value }))}
            error={form.fieldErrors[f.name]}
          />
        ))}
      </FieldRow>
      <TextField
        label="Where exactly"
        name="location"
        maxLength={200}
        hint="For example: in front of 120 Fayetteville St"
        value={location}
        onValue={setLocation}
        error={form.fieldErrors.location}
      />
      <fieldset class={styles.photos}>
        <legend class={styles.legend}>Photos</legend>
        {props.photo && (
          <div class={styles.attached}>
            <img src={props.photo} alt="The plate photo of this check" class={styles.thumb} />
            <CheckField
              label="Attach the plate photo"
              name="with-photo"
              checked={withPhoto}
              onChange={setWithPhoto}
            />
          </div>
        )}
        {extra.length > 0 && (
          <ul class={styles.extra}>
            {extra.map((src, i) => (
              <li key={src.slice(-32) + String(i)}>
                <img src={src} alt={`Added photo ${i + 1}`} class={styles.thumb} />
                <Button
                  variant="quiet"
                  size="small"
                  onClick={() => setExtra((l) => l.filter((_, j) => j !== i))}
                >
                  Remove photo {i + 1}
                </Button>
              </li>
            ))}
          </ul>
        )}
        {extra.length + (withPhoto && props.photo ? 1 : 0) < MAX_PHOTOS && (
          <label class={styles.add}>
            <span>Add a photo of the car or the signs</span>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              onChange={(e) => {
                void addPhoto(e.currentTarget.files?.[0] ?? null)
                e.currentTarget.value = ''
              }}
            />
          </label>
        )}
        {photoError && (
          <p class={styles.error} role="alert">
            {photoError}
          </p>
        )}
      </fieldset>
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          Cite {code || 'this vehicle'}
          {chosen ? ` · ${formatCents(chosen.fineCents)}` : ''}
        </Button>
        <Button variant="quiet" onClick={props.onCancel} disabled={form.busy}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
