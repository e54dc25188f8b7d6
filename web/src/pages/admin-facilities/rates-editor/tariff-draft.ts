import {
  tariffSchema,
  type Tariff,
  type TariffInput,
} from '../../../../../api/facilities/tariff.ts'
import { parseDollars } from '../../../lib/format.ts'

/*
  The rates form as people type it (dollars and minutes as text) and back to a tariff, checked
  by the tariff engine's own schema. Errors are keyed by the field's path in the PATCH body
  ('tariff.bands.0.rates.1.cents'), the same keys the API's 400 details use.
*/

export interface StepDraft {
  /** Minutes the step covers; unused on the last step, which runs on. */
  minutes: string
  price: string
}

export interface BandDraft {
  days: number[]
  from: string
  to: string
  steps: StepDraft[]
}

export interface TariffDraft {
  incrementMinutes: string
  bands: BandDraft[]
  freeOnHolidays: boolean
  graceMinutes: string
  dailyMax: string
  weeklyMax: string
  minimum: string
  maximum: string
  maximumStay: string
  lostTicket: string
}

export interface ReadDraft {
  /** The tariff to send, or null while a field is wrong. */
  input: TariffInput | null
  /** The same, as the engine prices it (defaults applied). */
  tariff: Tariff | null
  errors: Record<string, string>
}

const money = (cents: number | undefined) => (cents === undefined ? '' : (cents / 100).toFixed(2))
const whole = (n: number | undefined) => (n === undefined ? '' : String(n))

export function draftOf(t: Tariff): TariffDraft {
  return {
    incrementMinutes: String(t.incrementMinutes),
    bands: t.bands.map((b) => ({
      days: [...b.days].sort(),
      from: b.from,
      to: b.to,
      steps: b.rates.map((r) => ({ minutes: whole(r.minutes), price: money(r.cents) })),
    })),
    freeOnHolidays: t.freeOnHolidays,
    graceMinutes: String(t.graceMinutes),
    dailyMax: money(t.dailyMaxCents),
    weeklyMax: money(t.weeklyMaxCents),
    minimum: money(t.minimumCents),
    maximum: money(t.maximumCents),
    maximumStay: whole(t.maximumStayMinutes),
    lostTicket: money(t.lostTicketCents),
  }
}

/**
 * The draft as a tariff. What the form does not show (time zone, holiday dates, event rates and
 * anything the engine learns later) is kept from the saved tariff.
 */
export function readDraft(draft: TariffDraft, saved: Tariff): ReadDraft {
  const errors: Record<string, string> = {}
  const minutesOf = (text: string, key: string, required: boolean): number | undefined => {
    const t = text.trim()
    if (t === '') {
      if (required) {
        errors[key] = 'Enter a number of minutes'
      }
      return undefined
    }
    if (!/^\d+$/.test(t)) {
      errors[key] = 'Enter whole minutes, e.g. 15'
      return undefined
    }
    return Number(t)
  }
  const centsOf = (text: string, key: string, required: boolean): number | undefined => {
    const t = text.trim()
    if (t === '') {
      if (required) {
        errors[key] = 'Enter a price, e.g. 0.50'
      }
      return undefined
    }
    const cents = parseDollars(t)
    if (cents === null) {
      errors[key] = 'Enter dollars and cents, e.g. 1.25'
      return undefined
    }
    return cents
  }

  draft.bands.forEach((b, i) => {
    if (b.days.length === 0) {
      errors[`tariff.bands.${i}.days`] = 'Choose at least one day'
    }
  })
  const bands = draft.bands.map((b, i) => ({
    days: [...b.days].sort(),
    from: b.from.trim(),
    to: b.to.trim(),
    rates: b.steps.map((s, j) => {
      const cents = centsOf(s.price, `tariff.bands.${i}.rates.${j}.cents`, true) ?? 0
      if (j === b.steps.length - 1) {
        return { cents }
      }
      return { minutes: minutesOf(s.minutes, `tariff.bands.${i}.rates.${j}.minutes`, true), cents }
    }),
  }))
  const input: TariffInput = {
    ...saved,
    incrementMinutes: minutesOf(draft.incrementMinutes, 'tariff.incrementMinutes', true) ?? 0,
    bands,
    freeOnHolidays: draft.freeOnHolidays,
    graceMinutes: minutesOf(draft.graceMinutes, 'tariff.graceMinutes', false) ?? 0,
    dailyMaxCents: centsOf(draft.dailyMax, 'tariff.dailyMaxCents', false),
    weeklyMaxCents: centsOf(draft.weeklyMax, 'tariff.weeklyMaxCents', false),
    minimumCents: centsOf(draft.minimum, 'tariff.minimumCents', false),
    maximumCents: centsOf(draft.maximum, 'tariff.maximumCents', false),
    maximumStayMinutes: minutesOf(draft.maximumStay, 'tariff.maximumStayMinutes', false),
    lostTicketCents: centsOf(draft.lostTicket, 'tariff.lostTicketCents', false),
  }
  if (Object.keys(errors).length > 0) {
    return { input: null, tariff: null, errors }
  }
  const parsed = tariffSchema.safeParse(input)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = ['tariff', ...issue.path.map(String)].join('.')
      errors[key] ??= issue.message
    }
    return { input: null, tariff: null, errors }
  }
  return { input: withoutUndefined(input), tariff: parsed.data, errors }
}

/** Optional limits left blank are left out of the body rather than sent as nothing. */
function withoutUndefined(input: TariffInput): TariffInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as TariffInput
}

export const NEW_BAND: BandDraft = {
  days: [1, 2, 3, 4, 5],
  from: '08:00',
  to: '18:00',
  steps: [{ minutes: '', price: '1.00' }],
}
