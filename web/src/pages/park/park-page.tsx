import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession } from '../../lib/use-session.ts'
import { useResource } from '../../lib/use-api.ts'
import { useLiveQuote } from '../../lib/use-live-quote.ts'
import type { Customer, FacilityDetail, FacilityListing, ParkingQuote } from '../../lib/types.ts'
import { formatDuration, facilityTitle, samePlate } from '../../lib/parking.ts'
import { isValidPlate, normalisePlate, printedPlate } from '../../../../api/customers/plates.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'
import { ONLINE_MAXIMUM_MINUTES, findFacility, refusal } from './facilities.ts'
import { StepList, type StepInfo } from './step-list.tsx'
import { ZoneStep } from './zone-step.tsx'
import { VehicleStep, type VehicleChoice } from './vehicle-step.tsx'
import { TimeStep } from './time-step.tsx'
import { PayStep } from './pay-step.tsx'
import styles from './park-page.module.css'

export type Step = 'zone' | 'vehicle' | 'time' | 'pay'
const STEPS: Step[] = ['zone', 'vehicle', 'time', 'pay']

/**
 * Pay for parking, in four steps: where (zone number or the map), which vehicle, how long (with
 * a live itemised price), and how to pay. The choices ride along in the address when the driver
 * goes to sign in, so they come back to the payment step with nothing to type again.
 */
export function ParkPage() {
  const session = useSession()
  const { query } = useLocation()
  const customerId = session.user?.customerId ?? null
  const facilities = useResource<FacilityListing>('/facilities')
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)

  const [zoneText, setZoneText] = useState(query.zone ?? '')
  const [zone, setZone] = useState<string | null>(query.zone ? query.zone.toUpperCase() : null)
  const [vehicle, setVehicle] = useState<VehicleChoice | null>(null)
  const [plate, setPlate] = useState(query.plate ?? '')
  const [plateState, setPlateState] = useState(query.state?.toUpperCase() ?? '')
  const [minutes, setMinutes] = useState(() => {
    const m = Number(query.minutes)
    return Number.isInteger(m) && m > 0 ? m : 60
  })
  const [step, setStep] = useState<Step>(() => firstStep(query))

  const all = facilities.data?.facilities ?? null
  const facility = all && zone ? findFacility(all, zone) : null
  const detail = useResource<FacilityDetail>(facility ? `/facilities/${facility.code}` : null)
  const tariff = detail.data?.code === facility?.code ? (detail.data?.tariff ?? null) : null

  // Coming back from sign-in to a zone that cannot be paid for here starts at the zone again.
  useEffect(() => {
    if (all && zone && (!facility || refusal(facility))) {
      setZone(null)
      setStep('zone')
    }
  }, [all, zone, facility])

  // A signed-in driver's plate is one of their vehicles when it matches, else "another".
  const vehicles = customer.data?.vehicles ?? null
  useEffect(() => {
    if (vehicle !== null || vehicles === null) {
      return
    }
    const match = plate
      ? vehicles.find((v) => samePlate(v.platePrinted, plate) && v.state === plateState)
      : undefined
    const first = vehicles[0]
    if (match) {
      setVehicle({ kind: 'vehicle', id: match.id })
    } else if (plate || !first) {
      setVehicle({ kind: 'other' })
    } else {
      setVehicle({ kind: 'vehicle', id: first.id })
    }
  }, [vehicles, vehicle, plate, plateState])

  const chosenVehicle =
    vehicle?.kind === 'vehicle' ? (vehicles?.find((v) => v.id === vehicle.id) ?? null) : null
  const printed = chosenVehicle ? chosenVehicle.platePrinted : printedPlate(plate)
  const jurisdiction = chosenVehicle ? chosenVehicle.state : plateState

  const increment = tariff?.incrementMinutes ?? null
  const max = facility
    ? Math.min(facility.maximumStayMinutes ?? ONLINE_MAXIMUM_MINUTES, ONLINE_MAXIMUM_MINUTES)
    : null
  // A new place keeps the time chosen when it fits there, else the nearest that does.
  useEffect(() => {
    if (increment === null || max === null) {
      return
    }
    const longest = Math.floor(max / increment) * increment
    setMinutes((m) => Math.min(longest, Math.max(increment, Math.ceil(m / increment) * increment)))
  }, [increment, max])

  const pricing = facility !== null && (step === 'time' || step === 'pay')
  // with the plate, so a plate that already has time here is priced as the extension it buys
  const plateKnown = printed !== '' && jurisdiction !== '' && isValidPlate(normalisePlate(printed))
  const quote = useLiveQuote<ParkingQuote>(
    pricing ? '/quotes' : null,
    pricing
      ? { facility: facility.code, minutes, ...(plateKnown ? { plate: printed, state: jurisdiction } : {}) }
      : null,
  )

  // Focus follows the step, except on arrival, where the page heading has it.
  const heading = useRef<HTMLHeadingElement>(null)
  const arrived = useRef(false)
  useEffect(() => {
    if (!arrived.current) {
      arrived.current = true
      return
    }
    heading.current?.focus()
  }, [step])

  const next = useMemo(() => {
    const q = new URLSearchParams()
    if (facility) {
      q.set('zone', facility.code)
    }
    if (printed) {
      q.set('plate', printed)
    }
    if (jurisdiction) {
      q.set('state', jurisdiction)
    }
    q.set('minutes', String(minutes))
    return `/park?${q.toString()}`
  }, [facility, printed, jurisdiction, minutes])

  const steps: StepInfo<Step>[] = [
    { id: 'zone', title: 'Where', summary: facility ? facilityTitle(facility) : null },
    {
      id: 'vehicle',
      title: 'Vehicle',
      summary: printed && jurisdiction ? `${printed} (${jurisdiction})` : null,
    },
    { id: 'time', title: 'How long', summary: formatDuration(minutes) },
    { id: 'pay', title: 'Pay', summary: null },
  ]
  const reached = STEPS.indexOf(step)

  return (
    <Page
      title="Pay for parking"
      eyebrow="Parking"
      lede="Pay by the zone or lot number on the signs. You get a receipt with a QR code for adding time from your phone."
    >
      {facilities.error && (
        <Alert tone="error" title="Zones and lots could not be loaded">
          <p>{facilities.error.message}</p>
          <Button variant="secondary" size="small" onClick={facilities.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {((!all && facilities.loading) || session.state.status === 'loading') && (
        <Loading label="Loading zones and lots…" />
      )}
      {all && session.state.status !== 'loading' && (
        <div class={styles.layout}>
          <StepList
            steps={steps}
            current={step}
            reachable={(id) => STEPS.indexOf(id) < reached}
            onChange={setStep}
          />
          <section class={styles.step} aria-labelledby="park-step-heading">
            {step === 'zone' && (
              <ZoneStep
                heading={heading}
                facilities={all}
                tileUrl={facilities.data?.map.tileUrl ?? ''}
                text={zoneText}
                onText={setZoneText}
                onChosen={(code) => {
                  setZone(code)
                  setStep('vehicle')
                }}
              />
            )}
            {step === 'vehicle' && (
              <VehicleStep
                heading={heading}
                signedIn={session.user !== null}
                vehicles={customerId === null ? [] : vehicles}
                loading={customerId !== null && customer.loading && !customer.data}
                choice={vehicle ?? { kind: 'other' }}
                onChoice={setVehicle}
                plate={plate}
                onPlate={setPlate}
                state={plateState}
                onState={setPlateState}
                next={next}
                onBack={() => setStep('zone')}
                onDone={() => setStep('time')}
              />
            )}
            {step === 'time' && facility && (
              <TimeStep
                heading={heading}
                facility={facility}
                increment={increment}
                max={max ?? ONLINE_MAXIMUM_MINUTES}
                detailError={detail.error?.message ?? null}
                minutes={minutes}
                onMinutes={setMinutes}
                quote={quote}
                onBack={() => setStep('vehicle')}
                onDone={() => setStep('pay')}
              />
            )}
            {step === 'pay' && facility && (
              <PayStep
                heading={heading}
                facility={facility}
                plate={printed}
                state={jurisdiction}
                minutes={minutes}
                quote={quote}
                signedIn={session.user !== null}
                accounts={customer.data?.utilityAccounts ?? []}
                accountsLoading={customerId !== null && customer.loading && !customer.data}
                accountsError={customer.error?.message ?? null}
                next={next}
                onBack={() => setStep('time')}
              />
            )}
          </section>
        </div>
      )}
    </Page>
  )
}

/**
 * Where a visit with choices in its address starts: back from sign-in (minutes given) at the
 * payment step, from a receipt's "Park here again" (zone and plate) at the time, else at the
 * first choice still to make.
 */
function firstStep(query: Record<string, string | undefined>): Step {
  const vehicle = Boolean(query.plate && query.state)
  if (!query.zone) {
    return 'zone'
  }
  if (!vehicle) {
    return 'vehicle'
  }
  return query.minutes ? 'pay' : 'time'
}
