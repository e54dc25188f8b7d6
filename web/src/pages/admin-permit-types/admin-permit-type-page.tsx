import { useMemo, useState } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, parseDollars } from '../../lib/format.ts'
import type { FacilityListing, PermitType, PermitTypes, PermitZones } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import {
  CheckField,
  FieldRow,
  FixedField,
  RadioGroup,
  SelectField,
  TextAreaField,
  TextField,
} from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { KIND_LABEL, PERIOD_LABEL } from '../staff-permits/permits.ts'
import { FacilityChooser, type Chosen } from './facility-chooser/facility-chooser.tsx'
import { CODE, rekeyed, type PermitTypeJson } from './permit-types.ts'
import styles from './admin-permit-type-page.module.css'

type Kind = PermitTypeJson['kind']
type Period = PermitTypeJson['period']
type Proration = PermitTypeJson['proration']

const KIND_HINT: Record<Kind, string> = {
  residential:
    'For households in a zone: eligibility is answered from the city’s utility record (an active account at a home in the zone).',
  employee: 'For employees; staff usually confirm employment before it can be paid.',
  monthly_garage: 'A monthly space in a garage or lot, usually with a set number of spaces.',
  airport_employee: 'For badge-holding Airport employees, in the Airport’s lots.',
  contractor: 'Work vehicles of contractors on city jobs.',
  disability: 'Disability parking, often free and without a time limit.',
}

const PRORATION: readonly { value: Proration; label: string; hint: string }[] = [
  {
    value: 'none',
    label: 'From the day it is bought, at the full price',
    hint: 'Each term runs one whole period from its first day: a monthly permit bought on March 10 runs through April 9.',
  },
  {
    value: 'daily',
    label: 'On the calendar, the first term charged by the day',
    hint: 'Terms follow calendar months, half-years or years; a permit bought part-way pays for the days left, so an annual permit bought on July 1 costs about half.',
  },
  {
    value: 'monthly',
    label: 'On the calendar, the first term charged by the month',
    hint: 'Terms follow the calendar; a permit bought part-way pays for the months left, the current month counted whole.',
  },
]

const REFUNDS: readonly { value: Proration; label: string; hint: string }[] = [
  { value: 'none', label: 'Nothing', hint: 'A cancelled or revoked permit gives nothing back.' },
  {
    value: 'daily',
    label: 'The unused days',
    hint: 'Gives back the days left in each paid term, as a share of what it cost; the day of cancellation counts as used.',
  },
  {
    value: 'monthly',
    label: 'The unused whole months',
    hint: 'Gives back the whole months left in each paid term, as a share of what it cost; the current month counts as used.',
  },
]

const LABELS = {
  code: 'Code',
  name: 'Name',
  kind: 'Kind',
  description: 'Description for drivers',
  zone: 'Residential zone',
  priceCents: 'Price of a whole period',
  period: 'Period',
  proration: 'How terms run and the first is priced',
  refundPolicy: 'What cancelling gives back',
  maxVehicles: 'Vehicles on one permit',
  maxPerHousehold: 'Permits a household may hold',
  needsApproval: 'Staff approve each application',
  secondVehicleCents: 'Price of each further vehicle',
  renewalWindowDays: 'Renewal opens, days before the term ends',
  visitorPassesPerMonth: 'Visitor passes a month',
  active: 'Issued now',
  facilities: 'Where it is valid',
} as const

interface Draft {
  code: string
  name: string
  kind: Kind
  description: string
  zone: string
  price: string
  period: Period
  proration: Proration
  refundPolicy: Proration
  maxVehicles: string
  maxPerHousehold: string
  needsApproval: boolean
  secondVehicle: string
  renewalWindowDays: string
  visitorPassesPerMonth: string
  active: boolean
  facilities: Chosen
}

const NEW_TYPE: Draft = {
  code: '',
  name: '',
  kind: 'residential',
  description: '',
  zone: '',
  price: '',
  period: 'annual',
  proration: 'daily',
  refundPolicy: 'none',
  maxVehicles: '1',
  maxPerHousehold: '',
  needsApproval: false,
  secondVehicle: '0.00',
  renewalWindowDays: '30',
  visitorPassesPerMonth: '0',
  active: true,
  facilities: {},
}

function draftOf(t: PermitType): Draft {
  return {
    code: t.code,
    name: t.name,
    kind: t.kind as Kind,
    description: t.description,
    zone: t.zone?.code ?? '',
    price: (t.priceCents / 100).toFixed(2),
    period: t.period as Period,
    proration: t.proration as Proration,
    refundPolicy: t.refundPolicy as Proration,
    maxVehicles: String(t.maxVehicles),
    maxPerHousehold: t.maxPerHousehold === null ? '' : String(t.maxPerHousehold),
    needsApproval: t.needsApproval,
    secondVehicle: (t.secondVehicleCents / 100).toFixed(2),
    renewalWindowDays: String(t.renewalWindowDays),
    visitorPassesPerMonth: String(t.visitorPassesPerMonth),
    active: t.active,
    facilities: Object.fromEntries(
      t.facilities.map((f) => [f.code, f.capacity === null ? '' : String(f.capacity)]),
    ),
  }
}

/**
 * One permit type, or a new one at /admin/permit-types/new: every rule in one form, saved with
 * PUT /permit-types/{code}. Mistakes found here or by the API are shown beside their fields.
 */
export function AdminPermitTypePage() {
  const { params } = useRoute()
  const param = params.code ?? ''
  const types = useResource<PermitTypes>('/permit-types')
  const zones = useResource<PermitZones>('/permit-zones')
  const facilities = useResource<FacilityListing>('/facilities')
  // The type as last saved here, which the list may not have caught up with.
  const [saved, setSaved] = useState<PermitType | null>(null)
  // A type created here keeps its form (and the message saying so) as the address becomes its own.
  const [created, setCreated] = useState<string | null>(null)
  const isNew = param === 'new'
  const code = param.toUpperCase()
  const type =
    saved?.code === code ? saved : (types.data?.types.find((t) => t.code === code) ?? null)
  const error = types.error ?? zones.error ?? facilities.error

  if (error) {
    return (
      <Page title="Permit type" eyebrow="Administration">
        <Alert tone="error" title="The permit type could not be loaded">
          {error.message}
        </Alert>
      </Page>
    )
  }
  if (!types.data || !zones.data || !facilities.data) {
    return <Loading label="Loading the permit type…" />
  }
  if (!isNew && !type) {
    return (
      <Page title="No such permit type" eyebrow="Administration" width="narrow">
        <p>There is no permit type with the code {code}.</p>
        <p>
          <a href="/admin/permit-types">All permit types</a>
        </p>
      </Page>
    )
  }
  return (
    <Page
      title={type ? type.name : 'New permit type'}
      eyebrow="Administration · Permit types"
      lede={
        type
          ? `${KIND_LABEL[type.kind] ?? type.kind} · ${type.code}${type.active ? '' : ' · retired'}`
          : 'Who may hold it, where it is valid, what it costs and how its terms run.'
      }
    >
      <p class={styles.back}>
        <a href="/admin/permit-types">← Permit types and zones</a>
      </p>
      <TypeForm
        key={isNew || created === code ? 'new' : code}
        type={type}
        zones={zones.data}
        facilities={facilities.data}
        onSaved={(next) => {
          setSaved(next)
          if (isNew) {
            setCreated(next.code)
          }
          types.reload()
        }}
      />
    </Page>
  )
}

interface FormProps {
  /** The saved type; null for a new one (the form stays mounted when it is first saved). */
  type: PermitType | null
  zones: PermitZones
  facilities: FacilityListing
  onSaved: (type: PermitType) => void
}

function TypeForm({ type, zones, facilities, onSaved }: FormProps) {
  const api = useApi()
  const form = useForm()
  const { route } = useLocation()
  const [draft, setDraft] = useState<Draft>(() => (type ? draftOf(type) : NEW_TYPE))
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }))
  const residential = draft.kind === 'residential'
  const price = parseDollars(draft.price)
  const perVehicle = parseDollars(draft.secondVehicle)
  const chosenFacilities = useMemo(
    () => facilities.facilities.filter((f) => f.code in draft.facilities),
    [facilities, draft.facilities],
  )
  const errors = form.fieldErrors
  const labels = useMemo(() => {
    const out: Record<string, string> = { ...LABELS }
    for (const f of facilities.facilities) {
      out[`capacity-${f.code}`] = `Spaces at ${f.code}`
      out[`facility-${f.code}`] = `Place ${f.code}`
    }
    return out
  }, [facilities])

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    const checked = check(draft, type === null)
    if (!checked.ok) {
      form.fail('Check the permit type', checked.errors)
      return
    }
    const { code, body } = checked
    await form.submit(async () => {
      try {
        const result = await api.put<PermitType>(`/permit-types/${encodeURIComponent(code)}`, body)
        onSaved(result)
        setDraft(draftOf(result))
        if (type === null) {
          route(`/admin/permit-types/${encodeURIComponent(result.code)}`, true)
          return `Permit type ${result.code} created.${result.active ? ' Drivers can apply for it now.' : ''}`
        }
        return `${result.name} saved. Permits already issued keep what they paid for; a new price applies from their next renewal.`
      } catch (err) {
        throw rekeyed(err, (path) => {
          const place = /^facilities\.(\d+)(?:\.(\w+))?/.exec(path)
          if (!place) {
            return path
          }
          const at = body.facilities[Number(place[1])]
          if (!at) {
            return 'facilities'
          }
          return place[2] === 'capacity' ? `capacity-${at.code}` : `facility-${at.code}`
        })
      }
    })
  }

  return (
    <form
      class={styles.form}
      aria-label="Permit type"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
    >
      <Panel title="What it is">
        <FieldRow>
          {type ? (
            <FixedField label={LABELS.code} value={type.code} />
          ) : (
            <TextField
              label={LABELS.code}
              name="code"
              required
              autoCapitalize="characters"
              spellcheck={false}
              chars={20}
              hint="Letters, digits and dashes, up to 20, e.g. RES-C. Permit numbers start with it; it cannot be changed later."
              value={draft.code}
              onValue={set('code')}
              error={errors.code}
            />
          )}
          <TextField
            label={LABELS.name}
            name="name"
            required
            hint="As drivers see it, e.g. Residential permit, zone C."
            value={draft.name}
            onValue={set('name')}
            error={errors.name}
          />
        </FieldRow>
        <FieldRow>
          <SelectField
            label={LABELS.kind}
            name="kind"
            required
            hint={KIND_HINT[draft.kind]}
            value={draft.kind}
            onValue={(k) => set('kind')(k as Kind)}
            error={errors.kind}
          >
            {Object.entries(KIND_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          {residential && (
            <SelectField
              label={LABELS.zone}
              name="zone"
              required
              hint="Households whose home the city’s record places in this zone are eligible. Zones are drawn on the permit types page."
              value={draft.zone}
              onValue={set('zone')}
              error={errors.zone}
            >
              <option value="">Choose a zone…</option>
              {zones.zones.map((z) => (
                <option key={z.code} value={z.code}>
                  {z.code}: {z.name}
                </option>
              ))}
            </SelectField>
          )}
        </FieldRow>
        <TextAreaField
          label={LABELS.description}
          name="description"
          maxLength={2000}
          hint="Who it is for and where it may be used, shown when drivers choose a permit."
          value={draft.description}
          onValue={set('description')}
          error={errors.description}
        />
        <CheckField
          label={LABELS.active}
          name="active"
          checked={draft.active}
          onChange={set('active')}
          hint="Drivers can apply and holders renew. Untick to retire the type: permits already issued run to the end of their term."
          error={errors.active}
        />
      </Panel>

      <Panel title="Price and terms">
        <FieldRow>
          <TextField
            label={LABELS.priceCents}
            name="price"
            prefix="$"
            inputMode="decimal"
            chars={9}
            required
            hint={`For one whole ${draft.period === 'annual' ? 'year' : draft.period === 'semester' ? 'half-year' : 'month'}; $0 for a free permit.`}
            value={draft.price}
            onValue={set('price')}
            error={errors.priceCents}
          />
          <SelectField
            label={LABELS.period}
            name="period"
            required
            hint="How long a term runs; a renewal adds one whole period."
            value={draft.period}
            onValue={(p) => set('period')(p as Period)}
            error={errors.period}
          >
            {Object.entries(PERIOD_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </FieldRow>
        <RadioGroup
          legend={LABELS.proration}
          name="proration"
          hint="Renewals are always one whole period at the full price."
          value={draft.proration}
          onValue={set('proration')}
          choices={PRORATION}
          error={errors.proration}
        />
        <RadioGroup
          legend={LABELS.refundPolicy}
          name="refundPolicy"
          hint="When a holder cancels, or staff revoke a permit and choose to refund."
          value={draft.refundPolicy}
          onValue={set('refundPolicy')}
          choices={REFUNDS}
          error={errors.refundPolicy}
        />
        <FieldRow>
          <TextField
            label={LABELS.renewalWindowDays}
            name="renewalWindowDays"
            inputMode="numeric"
            chars={4}
            required
            hint="Holders may renew from this many days before their term ends (1–120)."
            value={draft.renewalWindowDays}
            onValue={set('renewalWindowDays')}
            error={errors.renewalWindowDays}
          />
        </FieldRow>
        {price !== null && (
          <p class={styles.preview}>
            A whole term costs {price === 0 ? 'nothing' : formatCents(price)}
            {perVehicle
              ? `, and ${formatCents(perVehicle)} more for each vehicle beyond the first`
              : ''}
            .
          </p>
        )}
      </Panel>

      <Panel title="Vehicles, households and visitors">
        <FieldRow>
          <TextField
            label={LABELS.maxVehicles}
            name="maxVehicles"
            inputMode="numeric"
            chars={4}
            required
            hint="Plates on one permit at a time, 1 to 10."
            value={draft.maxVehicles}
            onValue={set('maxVehicles')}
            error={errors.maxVehicles}
          />
          <TextField
            label={LABELS.secondVehicleCents}
            name="secondVehicle"
            prefix="$"
            inputMode="decimal"
            chars={9}
            required
            hint="Each term, for each vehicle beyond the first; one added mid-term pays for the rest of it. $0 for free."
            value={draft.secondVehicle}
            onValue={set('secondVehicle')}
            error={errors.secondVehicleCents}
          />
        </FieldRow>
        <FieldRow>
          {residential && (
            <TextField
              label={LABELS.maxPerHousehold}
              name="maxPerHousehold"
              inputMode="numeric"
              chars={4}
              hint="A household is one home in the city’s record; everyone living there shares it. Blank for no limit."
              value={draft.maxPerHousehold}
              onValue={set('maxPerHousehold')}
              error={errors.maxPerHousehold}
            />
          )}
          <TextField
            label={LABELS.visitorPassesPerMonth}
            name="visitorPassesPerMonth"
            inputMode="numeric"
            chars={4}
            required
            hint="Day passes a holder may give visitors’ plates each calendar month, 0 to 62."
            value={draft.visitorPassesPerMonth}
            onValue={set('visitorPassesPerMonth')}
            error={errors.visitorPassesPerMonth}
          />
        </FieldRow>
        <CheckField
          label={LABELS.needsApproval}
          name="needsApproval"
          checked={draft.needsApproval}
          onChange={set('needsApproval')}
          hint={
            residential
              ? 'Every application waits in the review queue until a supervisor approves it. Without this, residents the record places in the zone are approved at once; those it cannot place always go to staff with a proof.'
              : 'Every application waits in the review queue until a supervisor approves it, before it can be paid. Without this, anyone may hold one.'
          }
          error={errors.needsApproval}
        />
      </Panel>

      <Panel title="Where it is valid">
        <FacilityChooser
          facilities={facilities.facilities}
          chosen={draft.facilities}
          onChange={set('facilities')}
          errors={errors}
        />
        {chosenFacilities.length === 0 && (
          <p class={styles.warning}>
            With no places chosen, a permit of this type is valid nowhere.
          </p>
        )}
      </Panel>

      <div class={styles.submit}>
        <FormAlert error={form.error} fieldErrors={errors} success={form.success} labels={labels} />
        <div class={styles.buttons}>
          <Button type="submit" busy={form.busy}>
            {type ? 'Save permit type' : 'Create permit type'}
          </Button>
          <a href="/admin/permit-types" class={styles.cancel}>
            Back to the list
          </a>
        </div>
      </div>
    </form>
  )
}

type Checked =
  { ok: true; code: string; body: PermitTypeJson } | { ok: false; errors: Record<string, string> }

/** The draft as the API's body, or what is wrong with it, by field. */
function check(d: Draft, isNew: boolean): Checked {
  const errors: Record<string, string> = {}
  const code = d.code.trim().toUpperCase()
  if (isNew && !CODE.test(code)) {
    errors.code = 'Letters, digits and dashes, up to 20, starting with a letter or digit'
  }
  if (!d.name.trim()) {
    errors.name = 'Give the type a name'
  }
  const residential = d.kind === 'residential'
  if (residential && !d.zone) {
    errors.zone = 'Choose the zone whose residents are eligible'
  }
  const priceCents = parseDollars(d.price)
  if (priceCents === null) {
    errors.priceCents = 'Enter an amount in dollars, e.g. 40 or 40.00'
  }
  const secondVehicleCents = parseDollars(d.secondVehicle)
  if (secondVehicleCents === null) {
    errors.secondVehicleCents = 'Enter an amount in dollars, e.g. 20 or 0'
  }
  const whole = (key: string, text: string, min: number, max: number): number | null => {
    const value = text.trim()
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      errors[key] = `A whole number from ${min} to ${max}`
      return null
    }
    return Number(value)
  }
  const maxVehicles = whole('maxVehicles', d.maxVehicles, 1, 10)
  const maxPerHousehold =
    residential && d.maxPerHousehold.trim() !== ''
      ? whole('maxPerHousehold', d.maxPerHousehold, 1, 50)
      : null
  const renewalWindowDays = whole('renewalWindowDays', d.renewalWindowDays, 1, 120)
  const visitorPassesPerMonth = whole('visitorPassesPerMonth', d.visitorPassesPerMonth, 0, 62)
  const facilities = Object.entries(d.facilities).map(([code, text]) => ({
    code,
    capacity: text.trim() === '' ? null : whole(`capacity-${code}`, text, 0, 100_000),
  }))
  if (
    Object.keys(errors).length > 0 ||
    priceCents === null ||
    secondVehicleCents === null ||
    maxVehicles === null ||
    renewalWindowDays === null ||
    visitorPassesPerMonth === null
  ) {
    return { ok: false, errors }
  }
  return {
    ok: true,
    code: isNew ? code : d.code,
    body: {
      name: d.name.trim(),
      kind: d.kind,
      description: d.description.trim(),
      zone: residential ? d.zone : null,
      priceCents,
      period: d.period,
      proration: d.proration,
      refundPolicy: d.refundPolicy,
      maxVehicles,
      maxPerHousehold,
      needsApproval: d.needsApproval,
      secondVehicleCents,
      renewalWindowDays,
      visitorPassesPerMonth,
      active: d.active,
      facilities,
    },
  }
}
