import { useId, useState } from 'preact/hooks'
import type { RefObject } from 'preact'
import type { Vehicle } from '../../lib/types.ts'
import { checkPlate } from '../../../../api/customers/plates.ts'
import { PlateFields } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import styles from './park-page.module.css'

export type VehicleChoice = { kind: 'vehicle'; id: number } | { kind: 'other' }

const LABELS = { plate: 'Plate number', state: 'State or province', vehicle: 'Vehicle' }

interface Props {
  heading: RefObject<HTMLHeadingElement | null>
  signedIn: boolean
  /** My vehicles (signed in); null while they load. */
  vehicles: Vehicle[] | null
  loading: boolean
  choice: VehicleChoice
  onChoice: (choice: VehicleChoice) => void
  plate: string
  onPlate: (plate: string) => void
  state: string
  onState: (state: string) => void
  /** Where sign-in returns to, with the choices made so far. */
  next: string
  onBack: () => void
  onDone: () => void
}

/** Which vehicle: one of mine, or a plate and state typed in (always, when signed out). */
export function VehicleStep(props: Props) {
  const { heading, signedIn, vehicles, loading, choice, onChoice } = props
  const id = useId()
  const [errors, setErrors] = useState<Record<string, string>>({})
  const mine = vehicles ?? []
  const typing = choice.kind === 'other' || mine.length === 0

  const done = (event: Event) => {
    event.preventDefault()
    if (!typing) {
      props.onDone()
      return
    }
    const problems: Record<string, string> = {}
    const checked = checkPlate(props.plate, props.state)
    if (!props.plate.trim()) {
      problems.plate = 'Enter the plate as it is printed'
    } else if (!checked.ok && checked.field === 'plate') {
      problems.plate = checked.message
    }
    if (!props.state) {
      problems.state = 'Choose the state or province that issued the plate'
    }
    setErrors(problems)
    if (Object.keys(problems).length === 0) {
      props.onDone()
    }
  }

  return (
    <>
      <h2 id="park-step-heading" ref={heading} tabIndex={-1} class={styles.stepHeading}>
        Which vehicle?
      </h2>
      {loading && <Loading label="Loading your vehicles…" />}
      <form onSubmit={done} noValidate aria-label="Which vehicle?">
        <FormAlert
          error={Object.keys(errors).length > 0 ? 'Check the plate' : null}
          fieldErrors={errors}
          labels={LABELS}
        />
        {signedIn && mine.length > 0 && (
          <fieldset class={c.choices}>
            <legend class={c.legend}>Your vehicles</legend>
            <ul class={`${c.options} ${styles.vehicles}`}>
              {mine.map((v) => (
                <li key={v.id}>
                  <label class={c.option}>
                    <input
                      type="radio"
                      name={`${id}-vehicle`}
                      checked={choice.kind === 'vehicle' && choice.id === v.id}
                      onChange={() => onChoice({ kind: 'vehicle', id: v.id })}
                    />
                    <PlateChip printed={v.platePrinted} state={v.state} />
                    <span class={c.optionDetail}>
                      {[v.colour, v.make, v.model].filter(Boolean).join(' ') || 'No description'}
                    </span>
                  </label>
                </li>
              ))}
              <li>
                <label class={c.option}>
                  <input
                    type="radio"
                    name={`${id}-vehicle`}
                    checked={choice.kind === 'other'}
                    onChange={() => onChoice({ kind: 'other' })}
                  />
                  <span class={c.optionName}>Another vehicle</span>
                </label>
              </li>
            </ul>
          </fieldset>
        )}
        {typing && !loading && (
          <PlateFields
            plateHint="As printed, e.g. HBT-4821"
            stateHint="The state on the plate"
            plate={props.plate}
            state={props.state}
            onPlate={(v) => {
              props.onPlate(v)
              setErrors(({ plate: _, ...rest }) => rest)
            }}
            onState={(v) => {
              props.onState(v)
              setErrors(({ state: _, ...rest }) => rest)
            }}
            plateError={errors.plate}
            stateError={errors.state}
          />
        )}
        {!signedIn && (
          <p class={styles.aside}>
            Drivers with an account can{' '}
            <a href={`/sign-in?next=${encodeURIComponent(props.next)}`}>sign in</a> to choose from
            their saved vehicles.
          </p>
        )}
        <div class={styles.actions}>
          <Button type="submit">Continue</Button>
          <Button variant="quiet" onClick={props.onBack}>
            Back
          </Button>
        </div>
      </form>
    </>
  )
}
