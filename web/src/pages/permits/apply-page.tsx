import { useEffect, useId, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession } from '../../lib/use-session.ts'
import { useResource } from '../../lib/use-api.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import { ApiError } from '../../lib/api.ts'
import { formatCents } from '../../lib/format.ts'
import type { Customer, Eligibility, Permit, PermitType } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button, ButtonLink } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import { TypeChoice } from './type-choice.tsx'
import { EligibilityAnswer } from './eligibility-answer.tsx'
import { VehiclePicker, plateKey, type PlateChoice } from './vehicle-picker.tsx'
import { countedPlaces, priceText, prorationText, termText } from './permits.ts'
import styles from './permits.module.css'

const LABELS = {
  type: 'Permit type',
  facility: 'Place',
  utilityAccountId: 'Utility account',
  vehicles: 'Vehicles',
  plate: 'Plate',
  state: 'State',
}

/**
 * Apply for a permit: the type, the city's answer on whether I may hold it (from my utility
 * account's address), the place where the type counts spaces, my vehicles, automatic renewal,
 * and the first term's price. Applied, the permit's own page says what happens next.
 */
export function ApplyPage() {
  const { user } = useSession()
  const { query } = useLocation()
  const customerId = user?.customerId ?? null
  const types = useResource<{ types: PermitType[] }>('/permit-types')
  const customer = useResource<Customer>(customerId === null ? null : `/customers/${customerId}`)
  const [code, setCode] = useState<string | null>(query.type?.toUpperCase() ?? null)
  const type = types.data?.types.find((t) => t.code === code) ?? null

  if (customerId === null) {
    return (
      <Page title="Apply for a permit">
        <Alert tone="warning" title="This sign-in has no customer record">
          Call customer services to have your account connected, then apply.
        </Alert>
      </Page>
    )
  }
  return (
    <Page
      title="Apply for a permit"
      eyebrow="Parking permits"
      lede="Residential permits are decided from the city’s own record of your utility account: no lease to upload when the record shows you live in the zone."
    >
      {types.error && (
        <Alert tone="error" title="Permit types could not be loaded">
          <p>{types.error.message}</p>
          <Button variant="secondary" size="small" onClick={types.reload}>
            Try again
          </Button>
        </Alert>
      )}
      {customer.error && (
        <Alert tone="error" title="Your vehicles and utility accounts could not be loaded">
          {customer.error.message}
        </Alert>
      )}
      {(!types.data || !customer.data) && (types.loading || customer.loading) && (
        <Loading label="Loading permit types…" />
      )}
      {types.data && customer.data && (
        <div class={styles.stack}>
          <Panel title="Which permit?">
            <div class={styles.typeGrid}>
              <TypeChoice types={types.data.types} value={code} onValue={setCode} />
            </div>
          </Panel>
          {type ? (
            <Application key={type.code} type={type} customer={customer.data} />
          ) : (
            <p class={styles.empty}>
              Choose a permit type to see whether you may hold it, and its price.
            </p>
          )}
        </div>
      )}
    </Page>
  )
}

function Application({ type, customer }: { type: PermitType; customer: Customer }) {
  const { route } = useLocation()
  const purchase = usePurchase()
  const form = useForm()
  const id = useId()
  const accounts = customer.utilityAccounts
  const [accountId, setAccountId] = useState<number | null>(null)
  const eligibility = useResource<Eligibility>(
    `/permit-types/${encodeURIComponent(type.code)}/eligibility${accountId === null ? '' : `?utilityAccountId=${accountId}`}`,
  )
  const answer = eligibility.data
  // the account the record went by is the one shown as chosen
  useEffect(() => {
    if (accountId === null && answer?.account) {
      setAccountId(answer.account.id)
    }
  }, [accountId, answer])

  const places = countedPlaces(type)
  const [facility, setFacility] = useState<string | null>(
    places.length === 1 ? (places[0]?.code ?? null) : null,
  )
  const [typed, setTyped] = useState<PlateChoice[]>([])
  const first = customer.vehicles[0]
  const [chosen, setChosen] = useState<string[]>(first ? [plateKey(first)] : [])
  const [autoRenew, setAutoRenew] = useState(false)
  const [problems, setProblems] = useState<Record<string, string>>({})
  const [refused, setRefused] = useState<Eligibility | null>(null)

  const options: PlateChoice[] = [
    ...customer.vehicles.map((v) => ({
      plate: v.plate,
      state: v.state,
      printed: v.platePrinted,
      detail: '',
    })),
    ...typed,
  ]
  const vehicles = chosen
    .map((k) => options.find((o) => plateKey(o) === k))
    .filter((o): o is PlateChoice => o !== undefined)
  const term = answer?.firstTerm ?? null
  // the API prices each further vehicle for the same first term, as it will charge it
  const slot = answer?.vehicleSlotCents ?? type.secondVehicleCents
  const extra = Math.max(0, vehicles.length - 1) * slot
  const total = term ? term.priceCents + extra : null
  const shown = refused ?? answer ?? null
  const canApply = shown !== null && shown.eligible

  const apply = async (event: Event) => {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (vehicles.length === 0) {
      found.vehicles = 'Choose at least one vehicle, or add its plate'
    }
    if (places.length > 1 && facility === null) {
      found.facility = 'Choose where you will park'
    }
    setProblems(found)
    if (Object.keys(found).length > 0) {
      form.fail('Check the application', found)
      return
    }
    await form.submit(async () => {
      try {
        const { data } = await purchase.pay<Permit>('/permits', {
          type: type.code,
          ...(facility ? { facility } : {}),
          ...(accountId !== null ? { utilityAccountId: accountId } : {}),
          vehicles: vehicles.map((v) => ({ plate: v.printed, state: v.state })),
          autoRenew,
        })
        purchase.done()
        route(`/permits/${data.id}?applied=1`)
      } catch (err) {
        if (err instanceof ApiError && err.code === 'not_eligible') {
          const details = err.details as { eligibility?: Eligibility } | null
          if (details?.eligibility) {
            setRefused({
              ...details.eligibility,
              firstTerm: answer?.firstTerm ?? details.eligibility.firstTerm,
            })
          }
        }
        throw err
      }
    })
  }

  const vehicleHint =
    type.maxVehicles === 1
      ? 'One vehicle.'
      : `Up to ${type.maxVehicles}. The first is included${
          type.secondVehicleCents > 0
            ? `; each other costs ${formatCents(slot)} for the first term, then ${formatCents(type.secondVehicleCents)} a term.`
            : ' and so are the others.'
        }`

  return (
    <form onSubmit={apply} noValidate aria-label={`Apply: ${type.name}`} class={styles.applyLayout}>
      <div class={styles.stack}>
        <Panel
          title={type.zone ? 'Do you live in the zone?' : 'Who may hold it'}
          description={type.description || undefined}
        >
          <EligibilityAnswer
            type={type}
            answer={shown}
            loading={eligibility.loading}
            error={eligibility.error}
            accounts={accounts}
            accountId={accountId}
            onAccount={(a) => {
              setAccountId(a)
              setRefused(null)
            }}
          />
        </Panel>
        {places.length > 1 && (
          <Panel
            title="Where will you park?"
            description="Spaces are counted at each place; when none is free you join its waitlist."
          >
            <fieldset
              class={problems.facility ? `${c.choices} ${c.invalid}` : c.choices}
            >
              <legend class={c.legend}>Place</legend>
              {problems.facility && <p class={styles.error}>{problems.facility}</p>}
              <ul class={c.options}>
                {places.map((f) => (
                  <li key={f.code}>
                    <label class={c.option}>
                      <input
                        type="radio"
                        name={`${id}-facility`}
                        checked={facility === f.code}
                        onChange={() => setFacility(f.code)}
                      />
                      <span class={c.optionText}>
                        <span class={c.optionName}>{f.name}</span>
                        <span class={c.optionDetail}>{f.capacity} permit spaces</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          </Panel>
        )}
        <Panel title="Vehicles">
          <VehiclePicker
            vehicles={customer.vehicles}
            typed={typed}
            onTyped={setTyped}
            chosen={chosen}
            onChosen={(keys) => {
              setChosen(keys)
              setProblems(({ vehicles: _, ...rest }) => rest)
            }}
            max={type.maxVehicles}
            hint={vehicleHint}
            error={problems.vehicles}
            defaultState={accounts[0]?.premise.state ?? ''}
          />
        </Panel>
      </div>
      <div class={styles.aside}>
        <Panel title="Price and renewal">
          {term ? (
            <dl class={styles.summary}>
              <div>
                <dt>First term</dt>
                <dd>{termText(term.startsOn, term.endsOn)}, if you pay today</dd>
              </div>
              <div>
                <dt>Permit</dt>
                <dd>{formatCents(term.priceCents)}</dd>
              </div>
              {extra > 0 && (
                <div>
                  <dt>More vehicles</dt>
                  <dd>
                    {vehicles.length - 1} × {formatCents(slot)}
                  </dd>
                </div>
              )}
              <div class={styles.total}>
                <dt>Total</dt>
                <dd>{total === null ? '—' : formatCents(total)}</dd>
              </div>
              <div>
                <dt>Then</dt>
                <dd>{priceText(type)} for each renewal</dd>
              </div>
            </dl>
          ) : (
            eligibility.loading && <Loading label="Working out the price…" />
          )}
          <p class={styles.hint}>
            {prorationText(type)}{' '}
            {type.needsApproval || shown?.review
              ? 'You pay once city staff approve the application.'
              : places.length > 0
                ? 'You pay when a space is yours: at once, or when it is offered from the waitlist.'
                : 'You pay on the next page, on your utility bill or by card.'}
          </p>
          <label class={styles.check}>
            <input
              type="checkbox"
              checked={autoRenew}
              onChange={(e) => setAutoRenew(e.currentTarget.checked)}
            />
            <span>
              <span class={c.optionName}>Renew automatically</span>
              <span class={c.optionDetail}>
                Five days before a term ends, renew with the way you paid (your utility bill, or the
                card you pay with). You can turn this off at any time.
              </span>
            </span>
          </label>
        </Panel>
        <div>
          <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
          <div class={styles.actions}>
            <Button type="submit" busy={form.busy} disabled={!canApply}>
              Apply for this permit
            </Button>
            <ButtonLink variant="quiet" href="/permits">
              Back to my permits
            </ButtonLink>
          </div>
        </div>
      </div>
    </form>
  )
}
