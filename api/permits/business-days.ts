import { localTime, zonedInstant } from '../facilities/local-time.ts'
import { addDays } from './terms.ts'

/**
 * When an offer made at an instant lapses: the end of the nth business day (Monday to Friday)
 * after the day it was made, in the city's time. An offer made on a Friday evening with three
 * business days runs to the end of the next Wednesday.
 */
export function offerDeadline(at: Date, businessDays: number, timeZone: string): Date {
  let date = localTime(at.getTime(), timeZone).date
  let left = businessDays
  while (left > 0) {
    date = addDays(date, 1)
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay()
    if (weekday !== 0 && weekday !== 6) {
      left--
    }
  }
  return new Date(zonedInstant(addDays(date, 1), 0, timeZone))
}
