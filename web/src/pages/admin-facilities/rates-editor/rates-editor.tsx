import type { ComponentChildren } from 'preact'
import { useId, useMemo, useState } from 'preact/hooks'
import type { Tariff } from '../../../../../api/facilities/tariff.ts'
import { messageOf } from '../../../lib/api.ts'
import { formatCents, formatDate } from '../../../lib/format.ts'
import { TextField, FieldRow } from '../../../components/field/field.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import { fieldErrorsByPath, useFacilityUpdate, type Facility } from '../facilities.ts'
import { QuotePreview } from './quote-preview.tsx'
import { DayPicker } from '../day-picker/day-picker.tsx'
import { NEW_BAND, draftOf, readDraft, type BandDraft, type TariffDraft } from './tariff-draft.ts'
import styles from './rates-editor.module.css'

interface RatesEditorProps {
  facility: Facility
  saved: Tariff
  onSaved: (updated: Facility) => void
}

type Status =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved' } | { kind: 'failed'; message: string }

/**
 * The tariff as fields: the increment, each band's days, hours and rate steps, and the limits.
 * Holiday dates, event rates and the time zone are kept as saved. Mistakes show beside their
 * field as they are typed (the engine's own schema checks them); the API's 400 lands the same way.
 */
export function RatesEditor({ facility, saved, onSaved }: RatesEditorProps) {
  const update = useFacilityUpdate()
  // What the API holds now: the tariff loaded with the page, then each one saved from here.
  const [baseline, setBaseline] = useState<Tariff>(saved)
  const [draft, setDraft] = useState<TariffDraft>(() => draftOf(saved))
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({})
  const [savedVersion, setSavedVersion] = useState(0)
  const read = useMemo(() => readDraft(draft, baseline), [draft, baseline])
  const errors = { ...read.errors, ...serverErrors }
  const err = (key: string) => errors[`tariff.${key}`]
  const inc = read.tariff?.incrementMinutes ?? baseline.incrementMinutes

  const change = (next: TariffDraft) => {
    setDraft(next)
    setServerErrors({})
    if (status.kind !== 'busy') {
      setStatus({ kind: 'idle' })
    }
  }
  const set =
    <K extends keyof TariffDraft>(key: K) =>
    (value: TariffDraft[K]) =>
      change({ ...draft, [key]: value })
  const setBand = (i: number, band: BandDraft | null) =>
    change({
      ...draft,
      bands:
        band === null
          ? draft.bands.filter((_, j) => j !== i)
          : draft.bands.map((b, j) => (j === i ? band : b)),
    })

  const save = async (event: Event) => {
    event.preventDefault()
    const { input, tariff } = read
    if (!input || !tariff) {
      setStatus({ kind: 'failed', message: 'Fix the rates marked below, then save again.' })
      return
    }
    setStatus({ kind: 'busy' })
    try {
      const updated = await update(facility.code, { tariff: input })
      setBaseline(tariff)
      setStatus({ kind: 'saved' })
      setSavedVersion((v) => v + 1)
      onSaved(updated)
    } catch (e) {
      setServerErrors(fieldErrorsByPath(e))
      setStatus({ kind: 'failed', message: messageOf(e) })
    }
  }

  const loose = Object.entries(errors).filter(([key]) => !placed(key))
  return (
    <div class={styles.layout}>
      <form onSubmit={save} noValidate aria-label="Rates" class={styles.form}>
        {status.kind === 'failed' && (
          <Alert tone="error" title={status.message}>
            {loose.length > 0 && (
              <ul>
                {loose.map(([key, message]) => (
                  <li key={key}>{message}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {status.kind === 'saved' && (
          <Alert
            tone="success"
            title="Rates saved. Quotes and new sessions use them from now on."
          />
        )}

        <Group legend="Selling time">
          <TextField
            label="Increment (minutes)"
            name="incrementMinutes"
            inputMode="numeric"
            chars={5}
            required
            hint="Time is sold in whole increments; a part increment counts whole."
            value={draft.incrementMinutes}
            onValue={set('incrementMinutes')}
            error={err('incrementMinutes')}
          />
        </Group>

        {draft.bands.length === 0 && (
          <p class={styles.muted}>No charging hours: parking here is free at all times.</p>
        )}
        {draft.bands.map((band, i) => (
          <BandFields
            key={i}
            index={i}
            band={band}
            increment={inc}
            error={(key) => err(`bands.${i}.${key}`)}
            onChange={(b) => setBand(i, b)}
          />
        ))}
        <p>
          <Button
            variant="secondary"
            size="small"
            onClick={() => change({ ...draft, bands: [...draft.bands, NEW_BAND] })}
          >
            Add charging hours
          </Button>
        </p>

        <Group legend="Limits">
          <FieldRow>
            <Money
              label="Daily maximum"
              name="dailyMax"
              draft={draft}
              set={set}
              error={err('dailyMaxCents')}
            />
            <Money
              label="Weekly maximum"
              name="weeklyMax"
              draft={draft}
              set={set}
              error={err('weeklyMaxCents')}
            />
          </FieldRow>
          <FieldRow>
            <Money
              label="Minimum purchase"
              name="minimum"
              draft={draft}
              set={set}
              error={err('minimumCents')}
            />
            <Money
              label="Maximum purchase"
              name="maximum"
              draft={draft}
              set={set}
              error={err('maximumCents')}
            />
          </FieldRow>
          <FieldRow>
            <TextField
              label="Maximum stay (minutes)"
              name="maximumStay"
              inputMode="numeric"
              chars={6}
              hint="Blank: no time limit."
              value={draft.maximumStay}
              onValue={set('maximumStay')}
              error={err('maximumStayMinutes')}
            />
            <TextField
              label="Grace period (minutes)"
              name="graceMinutes"
              inputMode="numeric"
              chars={6}
              hint="Stays this short are free."
              value={draft.graceMinutes}
              onValue={set('graceMinutes')}
              error={err('graceMinutes')}
            />
          </FieldRow>
          <Money
            label="Lost-ticket rate"
            name="lostTicket"
            draft={draft}
            set={set}
            hint="Charged at a gate for a stay whose entry is unknown."
            error={err('lostTicketCents')}
          />
          <Check
            label="Free on holidays"
            checked={draft.freeOnHolidays}
            onChange={set('freeOnHolidays')}
            hint={holidayHint(baseline)}
          />
        </Group>
        {baseline.events.length > 0 && (
          <p class={styles.muted}>
            Event rates are kept as they are:{' '}
            {baseline.events
              .map((e) => `${e.name} (${formatDate(e.from)}, ${formatCents(e.cents)})`)
              .join('; ')}
            .
          </p>
        )}
        <div class={styles.actions}>
          <Button type="submit" busy={status.kind === 'busy'}>
            Save rates
          </Button>
          <Button variant="quiet" onClick={() => change(draftOf(baseline))}>
            Undo changes
          </Button>
        </div>
      </form>
      <section class={styles.side} aria-labelledby="quote-preview">
        <h3 id="quote-preview">What stays cost</h3>
        <QuotePreview facility={facility} edited={read.tariff} savedVersion={savedVersion} />
      </section>
    </div>
  )
}

interface BandFieldsProps {
  index: number
  band: BandDraft
  increment: number
  error: (key: string) => string | undefined
  onChange: (band: BandDraft | null) => void
}

function BandFields({ index, band, increment, error, onChange }: BandFieldsProps) {
  const set = (patch: Partial<BandDraft>) => onChange({ ...band, ...patch })
  const setStep = (j: number, patch: Partial<BandDraft['steps'][number]>) =>
    set({ steps: band.steps.map((s, k) => (k === j ? { ...s, ...patch } : s)) })
  const last = band.steps.length - 1
  const daysError = error('days')
  return (
    <Group legend={`Charging hours ${index + 1}`}>
      <DayPicker days={band.days} onChange={(days) => set({ days })} error={daysError} />
      <FieldRow>
        <TextField
          label="From"
          name={`band-${index}-from`}
          chars={5}
          required
          hint="HH:MM"
          value={band.from}
          onValue={(from) => set({ from })}
          error={error('from')}
        />
        <TextField
          label="To"
          name={`band-${index}-to`}
          chars={5}
          required
          hint="24:00 for midnight"
          value={band.to}
          onValue={(to) => set({ to })}
          error={error('to')}
        />
      </FieldRow>
      {error('rates') && <p class={styles.error}>{error('rates')}</p>}
      <ol class={styles.steps}>
        {band.steps.map((s, j) => {
          const step = band.steps.length > 1 ? `Step ${j + 1}: ` : ''
          return (
            <li key={j} class={styles.step}>
              <TextField
                label={
                  step ? `${step}price per ${increment} minutes` : `Price per ${increment} minutes`
                }
                name={`band-${index}-step-${j}-price`}
                prefix="$"
                inputMode="decimal"
                chars={7}
                required
                value={s.price}
                onValue={(price) => setStep(j, { price })}
                error={error(`rates.${j}.cents`)}
              />
              {j < last ? (
                <TextField
                  label={`${step}for how many minutes`}
                  name={`band-${index}-step-${j}-minutes`}
                  inputMode="numeric"
                  chars={6}
                  required
                  value={s.minutes}
                  onValue={(minutes) => setStep(j, { minutes })}
                  error={error(`rates.${j}.minutes`)}
                />
              ) : (
                <p class={styles.runsOn}>
                  {j === 0 ? 'for the whole stay' : 'for the rest of the stay'}
                </p>
              )}
              {band.steps.length > 1 && (
                <Button
                  variant="quiet"
                  size="small"
                  aria-label={`Remove step ${j + 1}`}
                  onClick={() => set({ steps: band.steps.filter((_, k) => k !== j) })}
                >
                  Remove
                </Button>
              )}
            </li>
          )
        })}
      </ol>
      <div class={styles.bandActions}>
        <Button
          variant="secondary"
          size="small"
          onClick={() =>
            set({
              steps: [
                ...band.steps.slice(0, last),
                { ...(band.steps[last] ?? { price: '' }), minutes: '60' },
                { minutes: '', price: band.steps[last]?.price ?? '' },
              ],
            })
          }
        >
          Add a rate step
        </Button>
        <Button variant="danger" size="small" onClick={() => onChange(null)}>
          Remove these hours
        </Button>
      </div>
    </Group>
  )
}

function Group({ legend, children }: { legend: string; children: ComponentChildren }) {
  return (
    <fieldset class={styles.group}>
      <legend class={styles.legend}>{legend}</legend>
      {children}
    </fieldset>
  )
}

type MoneyName = 'dailyMax' | 'weeklyMax' | 'minimum' | 'maximum' | 'lostTicket'

interface MoneyProps {
  label: string
  name: MoneyName
  draft: TariffDraft
  set: <K extends keyof TariffDraft>(key: K) => (value: TariffDraft[K]) => void
  hint?: string
  error?: string
}

function Money({ label, name, draft, set, hint, error }: MoneyProps) {
  return (
    <TextField
      label={label}
      name={name}
      prefix="$"
      inputMode="decimal"
      chars={8}
      hint={hint}
      value={draft[name]}
      onValue={set(name)}
      error={error}
    />
  )
}

function Check(props: {
  label: string
  checked: boolean
  onChange: (on: boolean) => void
  hint: string
}) {
  const id = useId()
  return (
    <div class={styles.check}>
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
        aria-describedby={`${id}-hint`}
      />
      <label for={id}>{props.label}</label>
      <p id={`${id}-hint`} class={styles.hint}>
        {props.hint}
      </p>
    </div>
  )
}

function holidayHint(t: Tariff): string {
  const n = t.holidays.length
  if (n === 0) {
    return 'No holidays are listed in this tariff.'
  }
  const next = t.holidays.find((d) => d >= new Date().toISOString().slice(0, 10))
  return `${n} holiday${n === 1 ? ' is' : 's are'} listed${next ? `; the next is ${formatDate(next)}` : ''}.`
}

// Errors the form shows beside a field; anything else is listed in the alert.
const PLACED = [
  /^tariff\.(incrementMinutes|dailyMaxCents|weeklyMaxCents|minimumCents|maximumCents|maximumStayMinutes|graceMinutes|lostTicketCents)$/,
  /^tariff\.bands\.\d+\.(days|from|to|rates)$/,
  /^tariff\.bands\.\d+\.rates\.\d+\.(cents|minutes)$/,
]

function placed(key: string): boolean {
  return PLACED.some((re) => re.test(key))
}
