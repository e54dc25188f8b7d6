import { useId, useState } from 'preact/hooks'
import type { ParkingFacility } from '../../../lib/types.ts'
import { SelectField } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { tableStyles as t } from '../../../components/table/table.tsx'
import { KIND_LABEL as FACILITY_KIND, titleOf } from '../../admin-facilities/facilities.ts'
import styles from './facility-chooser.module.css'

/** Chosen facilities by code, each with its capacity as typed ('' for no limit). */
export type Chosen = Record<string, string>

interface Props {
  facilities: ParkingFacility[]
  chosen: Chosen
  onChange: (next: Chosen) => void
  /** Errors by key: 'facilities' for the whole list, 'capacity-CODE' for one facility's spaces. */
  errors: Record<string, string>
}

/**
 * Where a permit type is valid: a checkbox per facility, and for a chosen one an optional number
 * of spaces, which makes the type count its permits there and keep a waitlist.
 */
export function FacilityChooser({ facilities, chosen, onChange, errors }: Props) {
  const [kind, setKind] = useState('')
  const id = useId()
  const kinds = Object.keys(FACILITY_KIND).filter((k) => facilities.some((f) => f.kind === k))
  const shown = facilities.filter((f) =>
    kind === 'chosen' ? f.code in chosen : kind ? f.kind === kind : true,
  )
  const count = Object.keys(chosen).length
  const counted = Object.values(chosen).filter((c) => c.trim() !== '').length

  const toggle = (code: string, on: boolean) => {
    const next = { ...chosen }
    if (on) {
      next[code] = ''
    } else {
      delete next[code]
    }
    onChange(next)
  }
  const chooseShown = (on: boolean) => {
    const next = { ...chosen }
    for (const f of shown) {
      if (on) {
        next[f.code] ??= ''
      } else {
        delete next[f.code]
      }
    }
    onChange(next)
  }

  return (
    <fieldset
      class={errors.facilities ? `${styles.chooser} ${styles.invalid}` : styles.chooser}
      aria-describedby={`${id}-hint${errors.facilities ? ` ${id}-error` : ''}`}
    >
      {/* the page's heading above says it too; the legend names the group for screen readers */}
      <legend class="visually-hidden">Where it is valid</legend>
      <p id={`${id}-hint`} class={styles.hint}>
        Where a permit of this type counts as paid parking. Give a number of spaces to limit how
        many permits may hold a space there: applicants beyond it join the waitlist, and where more
        than one place counts spaces, applicants choose one. Blank spaces: no limit.
      </p>
      {errors.facilities && (
        <p id={`${id}-error`} class={styles.error}>
          <span class="visually-hidden">Error: </span>
          {errors.facilities}
        </p>
      )}
      <div class={styles.tools}>
        <div class={styles.filter}>
          <SelectField label="Show" name="facility-kind" required value={kind} onValue={setKind}>
            <option value="">Every facility and zone</option>
            <option value="chosen">Only those chosen</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {FACILITY_KIND[k]}s
              </option>
            ))}
          </SelectField>
        </div>
        <Button variant="secondary" size="small" onClick={() => chooseShown(true)}>
          Choose all shown
        </Button>
        <Button variant="quiet" size="small" onClick={() => chooseShown(false)}>
          Clear all shown
        </Button>
      </div>
      <p class={styles.count} role="status">
        {count === 0
          ? 'No places chosen.'
          : `${count} place${count === 1 ? '' : 's'} chosen${counted > 0 ? `, ${counted} with a set number of spaces` : ''}.`}
      </p>
      <div
        class={styles.scroller}
        role="region"
        aria-label="Facilities and zones to choose from"
        tabIndex={0}
      >
        <table class={`${t.table} ${styles.table}`}>
          <caption class="visually-hidden">
            Facilities and zones: tick where the permit is valid
          </caption>
          <thead>
            <tr>
              <th scope="col">Valid at</th>
              <th scope="col">Kind</th>
              <th scope="col">Spaces for permits</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => {
              const on = f.code in chosen
              const error = errors[`capacity-${f.code}`] ?? errors[`facility-${f.code}`]
              const box = `${id}-${f.code}`
              return (
                <tr key={f.code} class={on ? styles.on : undefined}>
                  <th scope="row">
                    <span class={styles.check}>
                      <input
                        id={box}
                        type="checkbox"
                        checked={on}
                        onChange={(e) => toggle(f.code, e.currentTarget.checked)}
                      />
                      <label for={box}>
                        {titleOf(f)}
                        {f.kind !== 'on_street_zone' && (
                          <>
                            {' '}
                            <span class={styles.code}>{f.code}</span>
                          </>
                        )}
                      </label>
                    </span>
                  </th>
                  <td>{FACILITY_KIND[f.kind] ?? f.kind}</td>
                  <td>
                    {on ? (
                      <>
                        <input
                          class={error ? `${styles.spaces} ${styles.spacesInvalid}` : styles.spaces}
                          inputMode="numeric"
                          aria-label={`Spaces for permits at ${titleOf(f)}`}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? `${box}-error` : undefined}
                          placeholder="No limit"
                          value={chosen[f.code]}
                          onInput={(e) => onChange({ ...chosen, [f.code]: e.currentTarget.value })}
                        />
                        {error && (
                          <p id={`${box}-error`} class={styles.error}>
                            <span class="visually-hidden">Error: </span>
                            {error}
                          </p>
                        )}
                      </>
                    ) : (
                      <span class={t.muted}>—</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </fieldset>
  )
}
