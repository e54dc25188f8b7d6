import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { Paying, Permit, PermitType, Vehicle } from '../../lib/types.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, formatDate, formatDateTime } from '../../lib/format.ts'
import { checkPlate, printedPlate } from '../../../../api/customers/plates.ts'
import { PlateFields, SelectField, TextField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { CardPayment } from '../../components/card-payment/card-payment.tsx'
import { InlineChoice } from './inline-choice.tsx'
import type { CardDue, PermitVehicle } from './permits.ts'
import styles from './permits.module.css'

const LABELS = {
  vehicle: 'Vehicle',
  plate: 'Plate number',
  state: 'State or province',
  temporaryDays: 'Days',
  days: 'Days',
  replaces: 'Vehicle swapped',
}
const OTHER = 'other'
const TEMPORARY_MAX_DAYS = 14
const KINDS = [
  { value: 'add', label: 'Another vehicle of mine' },
  { value: 'temporary', label: 'A rental or loaner, for a few days' },
] as const

interface Props {
  permit: Permit
  type: PermitType
  registered: Vehicle[]
  /** The vehicle being swapped out, or null to add one. */
  swapping: PermitVehicle | null
  onCancelSwap: () => void
  onChanged: (permit: Permit | null, message: string) => void
}

/**
 * Put a vehicle on the permit: another one (priced when it is beyond those paid for this term),
 * a rental or loaner for a few days, or one in place of another (a swap).
 */
export function AddPermitVehicle({
  permit,
  type,
  registered,
  swapping,
  onCancelSwap,
  onChanged,
}: Props) {
  const id = useId()
  const purchase = usePurchase()
  const form = useForm()
  const onPermit = permit.vehicles.filter((v) => v.current)
  const offered = registered.filter(
    (r) => !onPermit.some((v) => v.plate === r.plate && v.state === r.state),
  )
  const [kind, setKind] = useState<'add' | 'temporary'>('add')
  const [picked, setSource] = useState(offered[0] ? `${offered[0].id}` : OTHER)
  // a vehicle just put on the permit is no longer offered: the next one is
  const source =
    picked === OTHER || offered.some((r) => `${r.id}` === picked)
      ? picked
      : offered[0]
        ? `${offered[0].id}`
        : OTHER
  const [plate, setPlate] = useState('')
  const [state, setState] = useState('')
  const [days, setDays] = useState('3')
  // Swap moves focus here, to the first field of the swap
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (swapping) {
      formRef.current?.querySelector<HTMLElement>('select, input')?.focus()
    }
  }, [swapping])
  const [card, setCard] = useState<{ due: CardDue; amountCents: number; printed: string } | null>(
    null,
  )

  const kept = onPermit.filter((v) => !v.temporary).length
  const full = kept >= type.maxVehicles
  // the API prices the next vehicle and counts those paid for, as it will charge them
  const price = permit.vehicleSlot?.priceCents ?? 0
  const charged = kept > 0 && price > 0 && kept > (permit.vehicleSlot?.paidExtra ?? 0)
  const temporaryOn = onPermit.some((v) => v.temporary)
  const mode = swapping ? 'swap' : kind
  const paidHow =
    permit.payMethod === 'card'
      ? 'to the card you paid with'
      : `on your utility bill${permit.utilityAccount ? `, account ${permit.utilityAccount.number}` : ''}`

  const priceNote =
    mode === 'swap'
      ? `No charge: the new vehicle takes the place of ${swapping?.printed ?? 'the old one'} from now.`
      : mode === 'temporary'
        ? temporaryOn
          ? 'A permit has one temporary vehicle at a time: remove the one on it first.'
          : `No charge: a rental or loaner rides beside your vehicles for up to ${TEMPORARY_MAX_DAYS} days.`
        : full
          ? `The permit holds its most vehicles (${type.maxVehicles}): swap one instead.`
          : charged
            ? `Another vehicle costs ${formatCents(price)} for the rest of this term${permit.endsOn ? ` (to ${formatDate(permit.endsOn)})` : ''}, charged ${paidHow}.`
            : kept === 0
              ? 'No charge: the first vehicle comes with the permit.'
              : type.secondVehicleCents === 0
                ? 'No charge: more vehicles cost nothing extra on this permit.'
                : 'No charge: this term already pays for another vehicle.'
  const blocked = (mode === 'add' && full) || (mode === 'temporary' && temporaryOn)

  const submit = async (event: Event) => {
    event.preventDefault()
    const chosen = source === OTHER ? null : offered.find((r) => `${r.id}` === source)
    const problems: Record<string, string> = {}
    const checked = chosen
      ? checkPlate(chosen.platePrinted, chosen.state)
      : checkPlate(plate, state)
    if (!chosen) {
      if (!plate.trim()) {
        problems.plate = 'Enter the plate as it is printed'
      } else if (!checked.ok && checked.field === 'plate') {
        problems.plate = checked.message
      }
      if (!state) {
        problems.state = 'Choose the state or province that issued the plate'
      }
    }
    const n = Number(days)
    if (mode === 'temporary' && !(Number.isInteger(n) && n >= 1 && n <= TEMPORARY_MAX_DAYS)) {
      problems.days = `A whole number of days, 1 to ${TEMPORARY_MAX_DAYS}`
    }
    if (Object.keys(problems).length > 0 || !checked.ok) {
      form.fail('Check the vehicle', problems)
      return
    }
    const printed = chosen ? chosen.platePrinted : printedPlate(plate)
    await form.submit(async () => {
      const { data } = await purchase.pay<Paying>(`/permits/${permit.id}/vehicles`, {
        plate: printed,
        state: checked.state,
        ...(swapping ? { replaces: swapping.id } : {}),
        ...(mode === 'temporary' ? { temporaryDays: n } : {}),
      })
      purchase.done()
      if (data.payment) {
        if (!data.payment.publishableKey) {
          throw new Error('Card payment is not set up here')
        }
        setCard({ due: data.payment, amountCents: price, printed })
        return
      }
      onChanged(data.permit, addedMessage(permit, data.permit, printed, swapping, paidHow))
    })
  }

  if (card) {
    return (
      <div>
        <p>
          {card.printed} goes on the permit once the card payment of {formatCents(card.amountCents)}{' '}
          goes through.
        </p>
        <CardPayment
          paymentId={card.due.id}
          clientSecret={card.due.clientSecret}
          publishableKey={card.due.publishableKey ?? ''}
          amountCents={card.amountCents}
          onPaid={() =>
            onChanged(
              null,
              `Paid ${formatCents(card.amountCents)} by card: ${card.printed} is on the permit.`,
            )
          }
        />
      </div>
    )
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={swapping ? `Swap ${swapping.printed}` : 'Add a vehicle'}
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      {!swapping && (
        <InlineChoice
          legend="What kind of vehicle?"
          value={kind}
          onValue={setKind}
          choices={KINDS}
        />
      )}
      {offered.length > 0 && (
        <SelectField label="Vehicle" name="vehicle" required value={source} onValue={setSource}>
          {offered.map((r) => (
            <option key={r.id} value={`${r.id}`}>
              {r.platePrinted} ({r.state})
              {r.make ? ` · ${[r.colour, r.make, r.model].filter(Boolean).join(' ')}` : ''}
            </option>
          ))}
          <option value={OTHER}>Another plate…</option>
        </SelectField>
      )}
      {source === OTHER && (
        <PlateFields
          plateHint="As printed, e.g. HBT-4821"
          plate={plate}
          state={state}
          onPlate={setPlate}
          onState={setState}
          plateError={form.fieldErrors.plate}
          stateError={form.fieldErrors.state}
        />
      )}
      {mode === 'temporary' && (
        <TextField
          label="Days"
          name="days"
          hint={`From now, 1 to ${TEMPORARY_MAX_DAYS} days (never past the end of the term).`}
          inputMode="numeric"
          required
          chars={3}
          maxLength={2}
          value={days}
          onValue={setDays}
          error={form.fieldErrors.days ?? form.fieldErrors.temporaryDays}
        />
      )}
      <p class={styles.price} id={`${id}-price`}>
        {priceNote}
      </p>
      <div class={styles.actions}>
        <Button type="submit" busy={form.busy} disabled={blocked} aria-describedby={`${id}-price`}>
          {mode === 'swap'
            ? 'Swap vehicle'
            : mode === 'temporary'
              ? 'Add temporary vehicle'
              : charged && !full
                ? `Add vehicle for ${formatCents(price)}`
                : 'Add vehicle'}
        </Button>
        {swapping && (
          <Button variant="quiet" onClick={onCancelSwap}>
            Cancel swap
          </Button>
        )}
      </div>
    </form>
  )
}

function addedMessage(
  before: Permit,
  after: Permit,
  printed: string,
  swapped: PermitVehicle | null,
  paidHow: string,
): string {
  const charge = after.charges.length > before.charges.length ? after.charges.at(-1) : undefined
  const added = after.vehicles.filter((v) => v.current && v.printed === printed).at(-1)
  if (swapped) {
    return `${printed} took the place of ${swapped.printed} on the permit.`
  }
  if (added?.temporary && added.until) {
    return `${printed} is on the permit until ${formatDateTime(added.until)}.`
  }
  if (charge?.kind === 'vehicle_slot' && charge.status === 'paid') {
    return `${printed} is on the permit. ${formatCents(charge.amountCents)} was charged ${paidHow}.`
  }
  return `${printed} is on the permit.`
}
