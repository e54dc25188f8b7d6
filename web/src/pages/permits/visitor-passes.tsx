import { useState } from 'preact/hooks'
import { useApi } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { messageOf } from '../../lib/api.ts'
import { formatDate } from '../../lib/format.ts'
import { formatLocalDay } from '../../lib/parking.ts'
import type { Permit, PermitType } from '../../lib/types.ts'
import { checkPlate, printedPlate } from '../../../../api/customers/plates.ts'
import { addDays } from '../../../../api/permits/terms.ts'
import { Panel, SubPanel } from '../../components/panel/panel.tsx'
import { PlateFields, TextField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import { InlineChoice } from './inline-choice.tsx'
import { today, type VisitorPass } from './permits.ts'
import styles from './permits.module.css'

const LABELS = { plate: 'Visitor’s plate', state: 'State or province', validOn: 'Day' }
/** How far ahead a pass can be issued (api/permits/visitors.ts). */
const DAYS_AHEAD = 30
const WHEN = [
  { value: 'today', label: 'Today' },
  { value: 'later', label: 'Another day' },
] as const

interface Props {
  permit: Permit
  type: PermitType | null
  onChanged: (permit: Permit | null, message: string) => void
}

/** Day passes for visitors' plates: issue one for a day, see what is left, cancel a future one. */
export function VisitorPasses({ permit, type, onChanged }: Props) {
  const api = useApi()
  const form = useForm()
  const [plate, setPlate] = useState('')
  const [state, setState] = useState('')
  const [when, setWhen] = useState<'today' | 'later'>('today')
  const [day, setDay] = useState(() => addDays(today(permit.timeZone), 1))
  const [cancelling, setCancelling] = useState<string | null>(null)
  const [cancelError, setCancelError] = useState<string | null>(null)
  const perMonth = type?.visitorPassesPerMonth ?? null
  const left = permit.passesLeftThisMonth
  const active = permit.status === 'active'
  const lastDay = [
    addDays(today(permit.timeZone), DAYS_AHEAD),
    permit.endsOn ?? addDays(today(permit.timeZone), DAYS_AHEAD),
  ].sort()[0]

  const issue = async (event: Event) => {
    event.preventDefault()
    const problems: Record<string, string> = {}
    const checked = checkPlate(plate, state)
    if (!plate.trim()) {
      problems.plate = 'Enter the visitor’s plate as it is printed'
    } else if (!checked.ok && checked.field === 'plate') {
      problems.plate = checked.message
    }
    if (!state) {
      problems.state = 'Choose the state or province that issued the plate'
    }
    if (when === 'later' && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      problems.validOn = 'Choose the day of the visit'
    }
    if (Object.keys(problems).length > 0) {
      form.fail('Check the pass', problems)
      return
    }
    const printed = printedPlate(plate)
    const ok = await form.submit(async () => {
      const next = await api.post<Permit>(`/permits/${permit.id}/visitor-passes`, {
        plate: printed,
        state,
        ...(when === 'later' ? { validOn: day } : {}),
      })
      const pass = next.passes.find((p) => p.printed === printed && !p.cancelled)
      onChanged(
        next,
        `Pass issued: ${printed} (${state}) may park on ${pass ? formatLocalDay(pass.validOn) : 'the day chosen'}.`,
      )
    })
    if (ok) {
      setPlate('')
    }
  }

  const cancel = async (pass: VisitorPass) => {
    setCancelling(pass.id)
    setCancelError(null)
    try {
      await api.del(`/permits/${permit.id}/visitor-passes/${pass.id}`)
      onChanged(
        null,
        `The pass for ${pass.printed} on ${formatLocalDay(pass.validOn)} was cancelled.`,
      )
    } catch (err) {
      setCancelError(messageOf(err))
    } finally {
      setCancelling(null)
    }
  }

  return (
    <Panel
      title="Visitor passes"
      description={
        perMonth
          ? `${perMonth} day passes a month for visitors’ plates, valid wherever this permit is.`
          : 'Day passes for visitors’ plates.'
      }
    >
      {active && left !== null && (
        <p class={styles.passesLeft}>
          <strong>{left}</strong> {left === 1 ? 'pass' : 'passes'} left this month
          {perMonth ? ` of ${perMonth}` : ''}
        </p>
      )}
      {active && (
        <form onSubmit={issue} noValidate aria-label="Issue a visitor pass">
          <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
          <PlateFields
            labels={LABELS}
            names={{ plate: 'visitor-plate', state: 'visitor-state' }}
            plate={plate}
            state={state}
            onPlate={setPlate}
            onState={setState}
            plateError={form.fieldErrors.plate}
            stateError={form.fieldErrors.state}
          />
          <InlineChoice legend="Day" value={when} onValue={setWhen} choices={WHEN}>
            {when === 'later' && (
              <TextField
                type="date"
                label="Day of the visit"
                name="valid-on"
                hint={`Up to ${DAYS_AHEAD} days ahead${lastDay ? `, until ${formatDate(lastDay)}` : ''}.`}
                required
                value={day}
                onValue={setDay}
                error={form.fieldErrors.validOn}
              />
            )}
          </InlineChoice>
          <Button type="submit" busy={form.busy} disabled={left !== null && left <= 0}>
            Issue pass
          </Button>
        </form>
      )}
      {permit.passes.length > 0 && (
        <SubPanel title="Passes issued">
          {cancelError && <Alert tone="error" title={cancelError} />}
          <TableScroller label="Visitor passes issued">
            <table class={tableStyles.table}>
              <caption class="visually-hidden">Visitor passes on permit {permit.number}</caption>
              <thead>
                <tr>
                  <th scope="col">Plate</th>
                  <th scope="col">Day</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {permit.passes.map((p) => {
                  const future = !p.cancelled && p.validOn > today(permit.timeZone)
                  return (
                    <tr key={p.id}>
                      <th scope="row" class={tableStyles.nowrap}>
                        {p.printed} <span class={tableStyles.muted}>{p.state}</span>
                      </th>
                      <td class={tableStyles.nowrap}>{formatLocalDay(p.validOn)}</td>
                      <td>{passStatus(p, permit.timeZone)}</td>
                      <td>
                        {future && active && (
                          <Button
                            variant="quiet"
                            size="small"
                            busy={cancelling === p.id}
                            aria-label={`Cancel the pass for ${p.printed} on ${formatLocalDay(p.validOn)}`}
                            onClick={() => void cancel(p)}
                          >
                            Cancel
                          </Button>
                        )}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </TableScroller>
        </SubPanel>
      )}
    </Panel>
  )
}

function passStatus(p: VisitorPass, timeZone: string): string {
  if (p.cancelled) {
    return 'Cancelled'
  }
  const now = today(timeZone)
  return p.validOn === now ? 'Today' : p.validOn > now ? 'Coming up' : 'Used'
}
