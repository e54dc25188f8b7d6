import type { z } from 'zod'
import type { Db } from '../../db/connect.ts'
import { balanceOf, type Citation } from './citations.ts'
import type { CitationView, StaffCitationView } from './schemas.ts'

export async function citationView(sql: Db, c: Citation): Promise<z.infer<typeof CitationView>> {
  const [details]: [{ description: string; code: string | null; name: string | null; photos: number[] }?] = await sql`
    select v.description, f.code, f.name,
           coalesce((select array_agg(photo_id order by photo_id) from enforcement.citation_photo where citation_id = ${c.id}), '{}') as photos
      from enforcement.violation v left join parking.facility f on f.id = ${c.facility_id}
     where v.code = ${c.violation_code}`
  const postings = await sql<{ kind: string; amount_cents: number; at: Date }[]>`
    select kind, amount_cents, at from enforcement.citation_posting where citation_id = ${c.id} order by id`
  const [appeal]: [{ public_id: string; status: string; filed_at: Date; letter: string | null; reduced_to_cents: number | null }?] = await sql`
    select public_id, status, filed_at, letter, reduced_to_cents from enforcement.appeal
     where citation_id = ${c.id} order by filed_at desc limit 1`
  return {
    number: c.number,
    plate: c.plate_printed,
    state: c.state,
    vehicle: c.vehicle,
    violation: { code: c.violation_code, description: details?.description ?? c.violation_code },
    fineCents: c.fine_cents,
    balanceCents: await balanceOf(sql, c.id),
    status: c.status,
    issuedAt: c.issued_at.toISOString(),
    dueOn: c.due_on,
    facility: details?.code ? { code: details.code, name: details.name! } : null,
    location: c.location,
    lat: c.lat,
    lon: c.lon,
    photos: details?.photos ?? [],
    postings: postings.map((p) => ({ kind: p.kind, amountCents: Number(p.amount_cents), at: p.at.toISOString() })),
    appeal: appeal
      ? {
          id: appeal.public_id,
          status: appeal.status,
          filedAt: appeal.filed_at.toISOString(),
          letter: appeal.letter,
          reducedToCents: appeal.reduced_to_cents,
        }
      : null,
    paidButTicketed: c.paid_but_ticketed !== null,
    payUrl: `/citations/${c.number}?plate=${encodeURIComponent(c.plate)}`,
    timeZone: c.time_zone,
  }
}

export async function staffCitationView(sql: Db, c: Citation): Promise<z.infer<typeof StaffCitationView>> {
  const [who]: [{ customer: string | null; ambassador: string | null; read: string | null }?] = await sql`
    select (select name from cis.customer where id = ${c.customer_id}) as customer,
           (select display_name from app.user_account where id = ${c.user_id}) as ambassador,
           (select public_id::text from enforcement.read where id = ${c.read_id}) as read`
  return {
    ...(await citationView(sql, c)),
    customer: c.customer_id !== null && who?.customer ? { id: c.customer_id, name: who.customer } : null,
    ambassador: who?.ambassador ?? null,
    voidReason: c.void_reason,
    read: who?.read ?? null,
    paidButTicketedDetail: c.paid_but_ticketed,
  }
}
