import type { Db } from '../../db/connect.ts'
import { placeOf, type Placement } from './geometry.ts'
import type { PermitTypeFull } from './types.ts'

/*
  Who may hold a permit type, answered from the city's own record. A residential permit needs an
  active utility account, with a service running today, at a premise whose location lies in the
  type's zone (on its boundary counts): the CIS knows where people live, so no one uploads a
  lease. Only when the record cannot say (no account, or a premise the CIS never located) does
  the application go to staff with an uploaded proof. Other kinds are open, or go to staff when
  the type needs approval.

  A household is a premise: people on accounts at one premise share its limit of permits; two
  flats at one street address are two premises, each with its own.
*/

export type EligibilityReason =
  | 'in_zone'
  | 'not_in_zone'
  | 'no_active_service'
  | 'address_not_in_record'
  | 'household_limit'
  | 'staff_review'
  | 'open'

export interface Eligibility {
  eligible: boolean
  /** Eligible, but staff decide: with proof uploaded where the record could not say. */
  review: boolean
  needsProof: boolean
  reason: EligibilityReason
  message: string
  account: { id: number; number: string } | null
  premise: { id: number; address: string; placement: Placement | null } | null
}

interface AccountRow {
  id: number
  account_number: string
  status: string
  premise_id: number
  address: string
  lat: number | null
  lon: number | null
  serving: boolean
}

export async function eligibilityFor(
  sql: Db,
  type: PermitTypeFull,
  customerId: number,
  input: { today: string; utilityAccountId?: number | null },
): Promise<Eligibility> {
  if (type.kind !== 'residential' || !type.zone) {
    return type.needs_approval
      ? answer(true, true, false, 'staff_review', `${type.name} permits are approved by city staff; you will hear within 3 business days`)
      : answer(true, false, false, 'open', `Anyone may hold a ${type.name} permit`)
  }
  const zone = type.zone
  const accounts = await sql<AccountRow[]>`
    select a.id, a.account_number, a.status, p.id as premise_id, p.address, p.lat, p.lon,
           exists (select from cis.service_agreement s
                    where s.utility_account_id = a.id and s.status = 'active'
                      and s.start_on <= ${input.today}::date
                      and (s.end_on is null or s.end_on >= ${input.today}::date)) as serving
      from cis.account_holder h
      join cis.utility_account a on a.id = h.utility_account_id
      join cis.premise p on p.id = a.premise_id
     where h.customer_id = ${customerId}
       and (${input.utilityAccountId ?? null}::bigint is null or a.id = ${input.utilityAccountId ?? null})
     order by a.status = 'active' desc, a.id`
  const located = accounts.filter((a) => a.lat !== null && a.lon !== null)
  const placed = located.map((a) => ({ ...a, placement: placeOf(zone.boundary, a.lon!, a.lat!) }))
  const inZone = placed.filter((a) => a.placement !== 'outside')
  const good = inZone.find((a) => a.status === 'active' && a.serving)
  if (good) {
    const taken = await householdPermits(sql, type.id, good.premise_id)
    const view = viewOf(good, good.placement)
    if (type.max_per_household !== null && taken >= type.max_per_household) {
      return {
        ...answer(false, false, false, 'household_limit',
          `${good.address} already has ${taken} ${type.name} permit${taken === 1 ? '' : 's'}, the most a household may hold`),
        ...view,
      }
    }
    return {
      ...answer(true, type.needs_approval, false, 'in_zone',
        `${good.address} is in ${zone.name} and utility account ${good.account_number} has active service there`),
      ...view,
    }
  }
  const stale = inZone[0]
  if (stale) {
    return {
      ...answer(false, false, false, 'no_active_service',
        stale.status !== 'active'
          ? `Utility account ${stale.account_number} at ${stale.address} is ${stale.status}; a residential permit needs an active account`
          : `Utility account ${stale.account_number} at ${stale.address} has no service running today`),
      ...viewOf(stale, stale.placement),
    }
  }
  const outside = placed[0]
  if (outside) {
    return {
      ...answer(false, false, false, 'not_in_zone',
        `${outside.address} is not in ${zone.name}; residents of the zone may apply`),
      ...viewOf(outside, outside.placement),
    }
  }
  const unlocated = accounts[0]
  return {
    ...answer(true, true, true, 'address_not_in_record',
      unlocated
        ? `The city's record has no location for ${unlocated.address}: upload a proof of residence and staff will review it`
        : 'No utility account is linked to you: link yours, or upload a proof of residence and staff will review it'),
    ...(unlocated ? viewOf(unlocated, null) : {}),
  }
}

function answer(
  eligible: boolean,
  review: boolean,
  needsProof: boolean,
  reason: EligibilityReason,
  message: string,
): Eligibility {
  return { eligible, review, needsProof, reason, message, account: null, premise: null }
}

function viewOf(a: AccountRow, placement: Placement | null): Pick<Eligibility, 'account' | 'premise'> {
  return {
    account: { id: a.id, number: a.account_number },
    premise: { id: a.premise_id, address: a.address, placement },
  }
}

/** Permits of a type a household holds or has asked for. */
export async function householdPermits(sql: Db, typeId: number, premiseId: number): Promise<number> {
  const [row]: [{ n: number }?] = await sql`
    select count(*)::int as n from permits.permit
     where type_id = ${typeId} and premise_id = ${premiseId}
       and status in ('pending_review', 'waitlisted', 'awaiting_payment', 'active')`
  return row?.n ?? 0
}
