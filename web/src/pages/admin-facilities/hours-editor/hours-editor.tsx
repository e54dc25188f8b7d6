import { useState } from 'preact/hooks'
import { hoursSchema, type Hours } from '../../../../../api/facilities/hours.ts'
import { useForm } from '../../../lib/use-form.ts'
import { TextField, FieldRow } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import { DayPicker } from '../day-picker/day-picker.tsx'
import { useFacilityUpdate, type Facility } from '../facilities.ts'
import styles from '../rates-editor/rates-editor.module.css'

const NEW_OPENING = { days: [1, 2, 3, 4, 5], from: '07:00', to: '22:00' }

/**
 * When a lot or garage lets cars in and sells time: always, or weekly openings in local time,
 * checked with the same schema the API keeps them by before they are sent.
 */
export function HoursEditor({ facility, onSaved }: { facility: Facility; onSaved: () => void }) {
  const update = useFacilityUpdate()
  const form = useForm()
  const [always, setAlways] = useState(facility.hours === null)
  const [openings, setOpenings] = useState<Hours>(facility.hours ?? [NEW_OPENING])

  const change = (i: number, patch: Partial<Hours[number]>) =>
    setOpenings(openings.map((o, k) => (k === i ? { ...o, ...patch } : o)))

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    let hours: Hours | null = null
    if (!always) {
      const checked = hoursSchema.safeParse(openings)
      if (!checked.success) {
        const issue = checked.error.issues[0]
        form.fail('Check the opening hours', {
          hours: `${issue?.path.length ? `Opening ${Number(issue.path[0]) + 1}: ` : ''}${issue?.message ?? 'not valid'}`,
        })
        return
      }
      hours = checked.data
    }
    await form.submit(async () => {
      await update(facility.code, { hours })
      onSaved()
      return hours === null ? 'Saved: open around the clock.' : 'Opening hours saved.'
    })
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Opening hours">
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        success={form.success}
        labels={{ hours: 'Opening hours' }}
      />
      <label class={styles.check}>
        <input
          type="checkbox"
          checked={always}
          onChange={(e) => setAlways(e.currentTarget.checked)}
        />
        Open around the clock
      </label>
      {!always &&
        openings.map((o, i) => (
          <fieldset key={i} class={styles.group}>
            <legend class={styles.legend}>Opening {i + 1}</legend>
            <DayPicker days={o.days} onChange={(days) => change(i, { days })} />
            <FieldRow>
              <TextField
                label="Opens"
                name={`opening-${i}-from`}
                chars={5}
                required
                hint="HH:MM"
                value={o.from}
                onValue={(from) => change(i, { from })}
              />
              <TextField
                label="Closes"
                name={`opening-${i}-to`}
                chars={5}
                required
                hint="24:00 for midnight"
                value={o.to}
                onValue={(to) => change(i, { to })}
              />
            </FieldRow>
            {openings.length > 1 && (
              <Button
                variant="quiet"
                size="small"
                onClick={() => setOpenings(openings.filter((_, k) => k !== i))}
              >
                Remove opening {i + 1}
              </Button>
            )}
          </fieldset>
        ))}
      {!always && (
        <p>
          <Button variant="secondary" size="small" onClick={() => setOpenings([...openings, NEW_OPENING])}>
            Add an opening
          </Button>
        </p>
      )}
      <Button type="submit" busy={form.busy}>
        Save opening hours
      </Button>
    </form>
  )
}
