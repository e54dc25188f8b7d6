import { useState } from 'preact/hooks'
import { useApi } from '../../../lib/use-api.ts'
import { useForm } from '../../../lib/use-form.ts'
import type { Vehicle } from '../../../lib/types.ts'
import { TextField, PlateStateField, FieldRow } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'

const LABELS = {
  plate: 'Plate number',
  state: 'State or province',
  make: 'Make',
  model: 'Model',
  colour: 'Colour',
}

interface Props {
  customerId: number
  defaultState: string
  /** Called with the new vehicle; returns the confirmation to show. */
  onAdded: (vehicle: Vehicle) => string
}

export function AddVehicleForm({ customerId, defaultState, onAdded }: Props) {
  const api = useApi()
  const form = useForm()
  const [plate, setPlate] = useState('')
  const [state, setState] = useState(defaultState)
  const [make, setMake] = useState('')
  const [model, setModel] = useState('')
  const [colour, setColour] = useState('')

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    if (!plate.trim()) {
      problems.plate = 'Enter the plate as it is printed'
    }
    if (!state) {
      problems.state = 'Choose the state that issued the plate'
    }
    if (Object.keys(problems).length > 0) {
      form.fail('Check the vehicle details', problems)
      return
    }
    const ok = await form.submit(async () => {
      const vehicle = await api.post<Vehicle>(`/customers/${customerId}/vehicles`, {
        plate: plate.trim(),
        state,
        make: make.trim() || undefined,
        model: model.trim() || undefined,
        colour: colour.trim() || undefined,
      })
      return onAdded(vehicle)
    })
    if (ok) {
      setPlate('')
      setMake('')
      setModel('')
      setColour('')
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add a vehicle">
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={LABELS}
      />
      <FieldRow>
        <TextField
          label={LABELS.plate}
          name="plate"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          required
          maxLength={10}
          value={plate}
          onValue={setPlate}
          error={form.fieldErrors.plate}
        />
        <PlateStateField
          label={LABELS.state}
          name="state"
          required
          value={state}
          onValue={setState}
          error={form.fieldErrors.state}
        />
      </FieldRow>
      <FieldRow>
        <TextField
          label={LABELS.make}
          name="make"
          value={make}
          onValue={setMake}
          error={form.fieldErrors.make}
        />
        <TextField
          label={LABELS.model}
          name="model"
          value={model}
          onValue={setModel}
          error={form.fieldErrors.model}
        />
        <TextField
          label={LABELS.colour}
          name="colour"
          value={colour}
          onValue={setColour}
          error={form.fieldErrors.colour}
        />
      </FieldRow>
      <Button type="submit" busy={form.busy}>
        Add vehicle
      </Button>
    </form>
  )
}
