import type { ParkingFacility } from '../../lib/types.ts'
import { facilityTitle } from '../../lib/parking.ts'

/** The longest a driver can buy online where the facility sets no limit. */
export const ONLINE_MAXIMUM_MINUTES = 24 * 60

/** Why a facility cannot be paid for here, or null when it can. */
export function refusal(f: ParkingFacility): string | null {
  if (f.gated) {
    return `${f.name} has gates: take a ticket at the entry and pay at the exit.`
  }
  if (f.status === 'closed') {
    return `${facilityTitle(f)} is closed.`
  }
  if (!f.openNow) {
    return `${facilityTitle(f)} is closed now${f.opensAt ? `; it opens ${f.opensAt}` : ''}.`
  }
  return null
}

/** The facility a typed zone number or code names, in any case. */
export function findFacility(list: ParkingFacility[], text: string): ParkingFacility | null {
  const code = text.trim().toUpperCase()
  return code === '' ? null : (list.find((f) => f.code.toUpperCase() === code) ?? null)
}
