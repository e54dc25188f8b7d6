import type { z } from 'zod'
import type { Db } from '../../db/connect.ts'
import { normalisePlate } from '../customers/plates.ts'
import { chargesOf, firstCharge, slotCents, termKey } from './charges.ts'
import { label, type Permit } from './permits.ts'
import { addDays, nextTerm } from './terms.ts'
import { permitTypeById, type PermitTypeFull } from './types.ts'
import { passesLeft, passesOf } from './visitors.ts'
import { paidSlots, vehiclesOf } from './vehicles.ts'
import { positionOf } from './waitlist.ts'
import type { PermitList, PermitListQuery, PermitSummary, PermitTypeView, PermitView } from './schemas.ts'

export function typeView(t: PermitTypeFull): z.infer<typeof PermitTypeView> {
  return {
    code: t.code,
    name: t.name,
    kind: t.kind,
    description: t.description,
    zone: t.zone ? { code: t.zone.code, name: t.zone.name } : null,
    priceCents: t.price_cents,
    period: t.period,
    proration: t.proration,
    refundPolicy: t.refund_policy,
    maxVehicles: t.max_vehicles,
    maxPerHousehold: t.max_per_household,
    needsApproval: t.needs_approval,
    secondVehicleCents: t.second_vehicle_cents,
    renewalWindowDays: t.renewal_window_days,
    visitorPassesPerMonth: t.visitor_passes_per_month,
    active: t.active,
    facilities: t.facilities.map((f) => ({ code: f.code, name: f.name, capacity: f.capacity })),
  }
}

interface SummaryRow {
  id: number
  public_id: string
  number: string
  type_code: string
  type_name: string
  kind: string
  customer_id: number
  customer_name: string
  status: string
  starts_on: string | null
  ends_on: string | null
  facility: string | null
  address: string | null
  plates: string[]
  created_at: Date
}

const SUMMARY = (sql: Db) => sql`
  select p.id, p.public_id, p.number, t.code as type_code, t.name as type_name, t.kind,
         c.id as customer_id, c.name as customer_name, p.status, p.starts_on::text, p.ends_on::text,
         f.code as facility, pr.address,
         array(select distinct v.plate_printed from permits.vehicle v
                where v.permit_id = p.id and upper(v.during) > now()) as plates,
         p.created_at
    from permits.permit p
    join permits.permit_type t on t.id = p.type_id
    join cis.customer c on c.id = p.customer_id
    left join parking.facility f on f.id = p.facility_id
    left join cis.premise pr on pr.id = p.premise_id`

function summary(r: SummaryRow): z.infer<typeof PermitSummary> {
  return {
    id: r.public_id,
    number: r.number,
    type: { code: r.type_code, name: r.type_name, kind: r.kind },
    customer: { id: r.customer_id, name: r.customer_name },
    status: r.status,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    facility: r.facility,
    address: r.address,
    plates: r.plates,
    createdAt: r.created_at.toISOString(),
  }
}

/**
 * Permits found by plate (on them at any time), customer, address (of the household) or
 * status: staff search, and a customer's own list. Newest first, at most 200.
 */
export async function searchPermits(
  sql: Db,
  q: z.infer<typeof PermitListQuery> & { customerId?: number },
): Promise<z.infer<typeof PermitList>> {
  const plate = q.plate ? normalisePlate(q.plate) : null
  const customer = q.customerId ?? q.customer ?? null
  const rows = await sql<SummaryRow[]>`
    ${SUMMARY(sql)}
     where (${customer}::bigint is null or p.customer_id = ${customer})
       and (${q.status ?? null}::text is null or p.status::text = ${q.status ?? null})
       and (${q.type ?? null}::text is null or t.code = ${q.type ?? null})
       and (${plate}::text is null or exists (select from permits.vehicle v where v.permit_id = p.id and v.plate = ${plate})
            or p.requested_vehicles @> ${sql.json([{ plate: plate ?? '' }] as never)})
       and (${q.address ?? null}::text is null or pr.address ilike '%' || ${q.address ?? ''} || '%')
     order by p.created_at desc, p.id desc
     limit 200`
  return { permits: rows.map(summary) }
}

export async function permitView(sql: Db, permit: Permit, today: string): Promise<z.infer<typeof PermitView>> {
  const [row]: [SummaryRow?] = await sql`${SUMMARY(sql)} where p.id = ${permit.id}`
  const type = await permitTypeById(sql, permit.type_id)
  const [vehicles, charges, passes, position, documents, account] = await Promise.all([
    vehiclesOf(sql, permit.id),
    chargesOf(sql, permit.id),
    passesOf(sql, permit.id),
    positionOf(sql, permit.id),
    sql<{ id: number; file_name: string; content_type: string; uploaded_at: Date }[]>`
      select id, file_name, content_type, uploaded_at from permits.document where permit_id = ${permit.id} order by id`,
    permit.utility_account_id
      ? sql<{ id: number; account_number: string }[]>`
          select id, account_number from cis.utility_account where id = ${permit.utility_account_id}`
      : Promise.resolve([]),
  ])
  const payments = await sql<{ id: number; public_id: string }[]>`
    select id, public_id from payments.payment
     where id = any(${charges.flatMap((c) => (c.payment_id ? [c.payment_id] : []))}::bigint[])`
  const [waitlist]: [{ status: string; offer_expires_at: Date | null }?] = await sql`
    select status, offer_expires_at from permits.waitlist where permit_id = ${permit.id}`
  const now = new Date()
  let renewal: z.infer<typeof PermitView>['renewal'] = null
  if (permit.status === 'active' && permit.starts_on && permit.ends_on) {
    const next = nextTerm({ priceCents: type.price_cents, period: type.period, proration: type.proration }, permit.starts_on, permit.ends_on)
    const extra = Math.max(0, vehicles.filter((v) => !v.temporary && v.from <= now && (!v.until || v.until > now)).length - 1)
    const opensOn = addDays(permit.ends_on, -type.renewal_window_days)
    const renewed = charges.some((c) => c.key === termKey(permit, next.startsOn) && c.status === 'paid')
    renewal = renewed
      ? null
      : {
          opensOn,
          startsOn: next.startsOn,
          endsOn: next.endsOn,
          priceCents: next.priceCents + extra * type.second_vehicle_cents,
          open: today >= opensOn,
        }
  }
  const first = permit.status === 'awaiting_payment' ? firstCharge(type, permit, today) : null
  const s = summary(row!)
  return {
    ...s,
    status: permit.status,
    eligibility: permit.eligibility,
    autoRenew: permit.auto_renew,
    payMethod: permit.pay_method,
    savedCard: permit.stripe_payment_method_id !== null,
    utilityAccount: account[0] ? { id: account[0].id, number: account[0].account_number } : null,
    reviewNote: permit.review_note,
    revokedReason: permit.revoked_reason,
    requestedVehicles: permit.requested_vehicles,
    vehicles: vehicles.map((v) => ({
      id: v.id,
      plate: v.plate,
      state: v.state,
      printed: v.plate_printed,
      temporary: v.temporary,
      from: v.from.toISOString(),
      until: v.until?.toISOString() ?? null,
      current: v.from <= now && (!v.until || v.until > now),
    })),
    charges: charges.map((c) => ({
      kind: c.kind,
      termStartsOn: c.term_starts_on,
      termEndsOn: c.term_ends_on,
      amountCents: c.amount_cents,
      method: c.method,
      status: c.status,
      failure: c.failure,
      payment: payments.find((p) => p.id === c.payment_id)?.public_id ?? null,
    })),
    passes: passes.map((p) => ({
      id: p.public_id,
      plate: p.plate,
      state: p.state,
      printed: p.plate_printed,
      validOn: p.valid_on,
      cancelled: p.cancelled_at !== null,
    })),
    passesLeftThisMonth:
      type.visitor_passes_per_month > 0 && permit.status === 'active'
        ? await passesLeft(sql, permit.id, type.visitor_passes_per_month, today)
        : null,
    waitlist: waitlist
      ? { position, status: waitlist.status, offerExpiresAt: waitlist.offer_expires_at?.toISOString() ?? null }
      : null,
    renewal,
    firstTerm: first ? { startsOn: first.term.startsOn, endsOn: first.term.endsOn, priceCents: first.amountCents } : null,
    timeZone: permit.time_zone,
    vehicleSlot:
      permit.status === 'active'
        ? { priceCents: slotCents(type, today), paidExtra: await paidSlots(sql, permit.id, today) }
        : null,
    documents: documents.map((d) => ({
      id: d.id,
      fileName: d.file_name,
      contentType: d.content_type,
      uploadedAt: d.uploaded_at.toISOString(),
    })),
  }
}

export { label }
