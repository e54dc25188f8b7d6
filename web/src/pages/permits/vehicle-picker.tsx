import { useId, useState } from 'preact/hooks'
import type { Vehicle } from '../../lib/types.ts'
import { checkPlate } from '../../../../api/customers/plates.ts'
import { PlateFields } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import styles from './permits.module.css'

export interface PlateChoice {
  plate: string
  state: string
  printed: string
  /** What the driver knows it by: "Blue Honda Civic", or that it was typed in. */
  detail: string
}

export const plateKey = (v: { plate: string; state: string }) => `${v.plate}/${v.state}`

interface Props {
  /** My registered vehicles. */
  vehicles: Vehicle[]
  /** Plates typed in here, kept beside the registered ones. */
  typed: PlateChoice[]
  onTyped: (typed: PlateChoice[]) => void
  chosen: string[]
  onChosen: (keys: string[]) => void
  max: number
  hint: string
  error?: string
  defaultState: string
}

/** Which vehicles go on the permit: my registered ones, and any plate typed in. */
export function VehiclePicker(props: Props) {
  const { vehicles, typed, chosen, max } = props
  const id = useId()
  const [plate, setPlate] = useState('')
  const [state, setState] = useState(props.defaultState)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const options: PlateChoice[] = [
    ...vehicles.map((v) => ({
      plate: v.plate,
      state: v.state,
      printed: v.platePrinted,
      detail: [v.colour, v.make, v.model].filter(Boolean).join(' ') || 'Registered vehicle',
    })),
    ...typed,
  ]
  const full = chosen.length >= max

  const toggle = (key: string, on: boolean) =>
    props.onChosen(on ? [...chosen.filter((k) => k !== key), key] : chosen.filter((k) => k !== key))

  const add = () => {
    const checked = checkPlate(plate, state)
    if (!checked.ok) {
      setErrors({
        [checked.field]:
          plate.trim() || checked.field === 'state'
            ? checked.message
            : 'Enter the plate as it is printed',
      })
      return
    }
    setErrors({})
    const key = plateKey(checked)
    if (!options.some((o) => plateKey(o) === key)) {
      props.onTyped([...typed, { ...checked, detail: 'Typed in' }])
    }
    if (!chosen.includes(key) && !full) {
      props.onChosen([...chosen, key])
    }
    setPlate('')
  }

  return (
    <fieldset
      class={props.error ? `${c.choices} ${c.invalid}` : c.choices}
      aria-describedby={`${id}-hint${props.error ? ` ${id}-error` : ''}`}
    >
      <legend class={c.legend}>Vehicles on the permit</legend>
      <p class={styles.hint} id={`${id}-hint`}>
        {props.hint}
      </p>
      {props.error && (
        <p class={styles.error} id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {props.error}
        </p>
      )}
      {options.length > 0 && (
        <ul class={c.options}>
          {options.map((o) => {
            const key = plateKey(o)
            const on = chosen.includes(key)
            return (
              <li key={key}>
                <label class={c.option}>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && full}
                    onChange={(e) => toggle(key, e.currentTarget.checked)}
                  />
                  <PlateChip printed={o.printed} state={o.state} />
                  <span class={c.optionDetail}>{o.detail}</span>
                </label>
              </li>
            )
          })}
        </ul>
      )}
      <div
        class={styles.addPlate}
        role="group"
        aria-labelledby={`${id}-other`}
        onKeyDown={(e) => {
          // Enter in the plate adds it here rather than sending the whole application
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
            e.preventDefault()
            add()
          }
        }}
      >
        <p class={styles.subLegend} id={`${id}-other`}>
          {vehicles.length > 0 ? 'A vehicle not listed' : 'Your vehicle'}
        </p>
        <PlateFields
          plateHint="As printed, e.g. HBT-4821"
          plate={plate}
          state={state}
          onPlate={(v) => {
            setPlate(v)
            setErrors({})
          }}
          onState={(v) => {
            setState(v)
            setErrors({})
          }}
          plateError={errors.plate}
          stateError={errors.state}
        />
        <Button variant="secondary" size="small" disabled={full} onClick={add}>
          Add this plate
        </Button>
      </div>
    </fieldset>
  )
}
