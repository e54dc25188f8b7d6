import { z } from 'zod'
import { localTime } from './local-time.ts'

/*
  A facility's opening hours: when its gates let cars in and its lot sells time, as weekly spans
  of local time in the facility's time zone. No hours means open around the clock, as garages,
  the Airport and the street itself are (an on-street zone's enforcement hours are its tariff's
  bands, not opening hours). Pure code, so the web app and the kiosk tell open from closed as the
  API does.
*/

const hhmm = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day as HH:MM, 00:00 to 24:00')

export const openingSchema = z
  .object({
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1),
    from: hhmm,
    to: hhmm,
  })
  .refine((o) => minuteOfDay(o.from) < minuteOfDay(o.to), {
    message: 'opening hours end after they start (use 24:00 for midnight)',
    path: ['to'],
  })

export const hoursSchema = z.array(openingSchema).min(1, 'give at least one opening, or none for always open')

export type Hours = z.infer<typeof hoursSchema>

function minuteOfDay(t: string): number {
  const [h, m] = t.split(':').map(Number) as [number, number]
  return h * 60 + m
}

/** Open at the instant: no hours at all, or the local weekday and time in one of the spans. */
export function isOpenAt(hours: Hours | null, timeZone: string, at: Date): boolean {
  if (hours === null) {
    return true
  }
  const local = localTime(at.getTime(), timeZone)
  return hours.some(
    (o) =>
      o.days.includes(local.weekday) &&
      minuteOfDay(o.from) <= local.minute &&
      local.minute < minuteOfDay(o.to),
  )
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** When a closed facility next opens, to the quarter hour, looking a week ahead; null: never. */
export function nextOpeningAt(hours: Hours | null, timeZone: string, at: Date): Date | null {
  if (hours === null) {
    return null
  }
  const quarter = 15 * 60_000
  const start = Math.ceil(at.getTime() / quarter) * quarter
  for (let t = start; t <= at.getTime() + 7 * 86_400_000; t += quarter) {
    if (isOpenAt(hours, timeZone, new Date(t))) {
      return new Date(t)
    }
  }
  return null
}

/** When a closed facility next opens, as its signs say it: 'Monday 07:00'; null: never. */
export function nextOpening(hours: Hours | null, timeZone: string, at: Date): string | null {
  const opens = nextOpeningAt(hours, timeZone, at)
  if (opens === null) {
    return null
  }
  const local = localTime(opens.getTime(), timeZone)
  const hh = String(Math.floor(local.minute / 60)).padStart(2, '0')
  const mm = String(local.minute % 60).padStart(2, '0')
  return `${DAY_NAMES[local.weekday]} ${hh}:${mm}`
}
