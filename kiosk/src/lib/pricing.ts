import { quote, TariffError } from '../../../api/facilities/tariff.ts'
import { maximumStay, type KioskFacility } from './facilities.ts'

const MINUTE = 60_000
const CHOICES = [15, 30, 60, 120, 180, 240, 480, 720]

/** What a stay of this many minutes from now costs at the facility, or null if it is not sold. */
export function priceFor(facility: KioskFacility, minutes: number, now: Date): number | null {
  try {
    return quote(facility.tariff, now, new Date(now.getTime() + minutes * MINUTE)).totalCents
  } catch (err) {
    if (err instanceof TariffError) {
      return null
    }
    throw err
  }
}

/**
 * The durations the kiosk offers: a meter's usual choices in whole increments (a part increment
 * is charged whole), up to the maximum stay, which is offered itself when it is not one of them.
 */
export function durationChoices(facility: KioskFacility): number[] {
  const step = facility.tariff.incrementMinutes
  const max = maximumStay(facility) ?? CHOICES[CHOICES.length - 1] ?? 720
  const list = CHOICES.filter((m) => m <= max && m % step === 0)
  if (list.length === 0) {
    list.push(Math.min(step, max))
  }
  if (!list.includes(max) && max <= 24 * 60) {
    list.push(max)
  }
  return list.sort((a, b) => a - b)
}
