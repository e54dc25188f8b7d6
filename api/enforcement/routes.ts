import type { Context } from 'hono'
import { router } from '../http/route.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { AppEnv } from '../http/context.ts'
import { normaliseJurisdiction, normalisePlate, printedPlate } from '../customers/plates.ts'
import { facilityByCode } from '../facilities/facilities.ts'
import { localTime, zonedInstant } from '../facilities/local-time.ts'
import { stripeClient } from '../payments/stripe.ts'
import { writeAudit } from '../auth/audit.ts'
import { plateReader } from './reader.ts'
import { correctRead, readByPublicId, recordRead, type CheckedAt } from './reads.ts'
import { facilityShapes, placeAt } from './places.ts'
import { photoBytes, readPhoto } from './photos.ts'
import { citationByNumber, issueCitation, issueWarning, voidCitation, type Location } from './citations.ts'
import { decideAppeal, type Appeal } from './appeals.ts'
import { immobilise, release, type Immobilisation } from './immobilisations.ts'
import { staffCitationView } from './views.ts'
import {
  AppealList,
  AppealListQuery,
  AppealParams,
  AppealView,
  CitationBody,
  CitationList,
  CitationListQuery,
  CitationNumberParams,
  CorrectBody,
  DecisionBody,
  ImmobilisationParams,
  ImmobilisationView,
  ImmobiliseBody,
  ReadPhotoParams,
  ReadBody,
  ReadList,
  ReadListQuery,
  ReadParams,
  ReadView,
  ScofflawList,
  StaffCitationView,
  ViolationBody,
  ViolationList,
  ViolationParams,
  ViolationView,
  VoidBody,
  WarningBody,
  WarningView,
} from './schemas.ts'

export const enforcement = router('/enforcement', 'Enforcement')

const ON_BEAT = ['ambassador', 'supervisor', 'handheld'] as const
const STAFF = ['ambassador', 'supervisor', 'finance', 'admin'] as const
const DECIDERS = ['supervisor', 'admin'] as const

function plateOf(plate: string, state: string | undefined): { plate: string; state: string | null; printed: string } {
  return { plate: normalisePlate(plate), state: state ? normaliseJurisdiction(state) : null, printed: printedPlate(plate) }
}

const atOf = (at: string | undefined) => (at ? new Date(at) : new Date())

/** Where a warning or citation was given: named, or found from GPS, or where its check was. */
async function locationOf(
  c: Context<AppEnv>,
  body: { facility?: string | undefined; lat?: number | undefined; lon?: number | undefined; location?: string | undefined },
  read: CheckedAt | null,
): Promise<Location> {
  const { sql } = c.get('deps')
  const lat = body.lat ?? read?.lat ?? null
  const lon = body.lon ?? read?.lon ?? null
  if (body.facility) {
    const facility = await facilityByCode(sql, body.facility)
    const place = lat !== null && lon !== null ? placeAt((await facilityShapes(sql)).filter((s) => s.id === facility.id), lat, lon) : null
    return { facilityId: facility.id, blockFace: place?.blockFace ?? null, lat, lon, location: body.location ?? null }
  }
  if (read?.facility_id) {
    return { facilityId: read.facility_id, blockFace: read.block_face, lat, lon, location: body.location ?? null }
  }
  const place = lat !== null && lon !== null ? placeAt(await facilityShapes(sql), lat, lon) : null
  return { facilityId: place?.facilityId ?? null, blockFace: place?.blockFace ?? null, lat, lon, location: body.location ?? null }
}

async function readOf(c: Context<AppEnv>, id: string | undefined) {
  if (!id) {
    return null
  }
  const read = await readByPublicId(c.get('deps').sql, id)
  if (!read) {
    throw new AppError('invalid', 'That plate check does not exist', [{ field: 'body.read', message: 'Unknown check' }])
  }
  return read
}

// ---- violation codes

enforcement.route(
  {
    method: 'get',
    path: '/violations',
    summary: 'Violation codes, their fines and late-fee schedules',
    access: [...STAFF, 'handheld'],
    responses: { 200: { description: 'Every code', schema: ViolationList } },
  },
  async (c) => {
    const rows = await c.get('deps').sql<{ code: string; description: string; fine_cents: number; late_fees: { daysAfterDue: number; cents: number }[]; warning_first: boolean; active: boolean }[]>`
      select code, description, fine_cents, late_fees, warning_first, active from enforcement.violation order by code`
    return c.json({
      violations: rows.map((v) => ({
        code: v.code,
        description: v.description,
        fineCents: Number(v.fine_cents),
        lateFees: v.late_fees,
        warningFirst: v.warning_first,
        active: v.active,
      })),
    })
  },
)

enforcement.route(
  {
    method: 'put',
    path: '/violations/:code',
    summary: 'Create or change a violation code (fine changes apply to new citations only)',
    access: ['admin'],
    params: ViolationParams,
    body: ViolationBody,
    responses: { 200: { description: 'The code as saved', schema: ViolationView } },
  },
  async (c, { params, body, principal }) => {
    const { sql } = c.get('deps')
    const lateFees = [...body.lateFees].sort((a, b) => a.daysAfterDue - b.daysAfterDue)
    await sql`
      insert into enforcement.violation (code, description, fine_cents, late_fees, warning_first, active)
      values (${params.code}, ${body.description}, ${body.fineCents}, ${sql.json(lateFees as never)}, ${body.warningFirst}, ${body.active})
      on conflict (code) do update set description = excluded.description, fine_cents = excluded.fine_cents,
        late_fees = excluded.late_fees, warning_first = excluded.warning_first, active = excluded.active, updated_at = now()`
    await writeAudit(sql, principal, { action: 'violation.save', entity: 'enforcement.violation', entityId: params.code, after: body })
    return c.json({ code: params.code, ...body, lateFees })
  },
)

// ---- plate checks

enforcement.route(
  {
    method: 'post',
    path: '/reads',
    summary: 'Check a plate: a photo and/or the typed plate, where and when',
    description:
      'Reads the plate from the photo (ranked candidates, the plates holding a right there tried ' +
      'first), finds the zone from GPS when it is not named, and answers with the verdict: paid ' +
      'until, permit, grace, chalked (first seen), over the limit, the violation to cite, outside ' +
      'enforcement hours, or unknown. Every check is recorded. A check captured offline is sent ' +
      'with its own clientId and time: sent twice, it is one check.',
    access: [...ON_BEAT],
    body: ReadBody,
    responses: { 200: { description: 'The check and its verdict', schema: ReadView } },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const plate = body.plate ? plateOf(body.plate, body.state) : null
    const read = await recordRead(
      sql,
      config,
      principal,
      {
        clientId: body.clientId ?? null,
        image: body.image ? photoBytes(body.image, 'body.image') : null,
        region: body.region ?? null,
        plate: plate ? { plate: plate.plate, state: plate.state } : null,
        lat: body.lat ?? null,
        lon: body.lon ?? null,
        at: atOf(body.at),
        facility: body.facility ?? null,
      },
      body.image && !plate ? plateReader() : null,
    )
    if (read.replayed) {
      c.header('Idempotent-Replayed', 'true')
    }
    return c.json(read)
  },
)

enforcement.route(
  {
    method: 'post',
    path: '/reads/:id/plate',
    summary: 'Confirm or correct the plate of a check; the verdict is judged again',
    access: [...ON_BEAT],
    params: ReadParams,
    body: CorrectBody,
    responses: { 200: { description: 'The check and its verdict', schema: ReadView } },
  },
  async (c, { params, body, principal }) => {
    const { sql, config } = c.get('deps')
    const plate = plateOf(body.plate, body.state)
    return c.json(await correctRead(sql, config, { id: params.id, plate: plate.plate, state: plate.state, principal }))
  },
)

enforcement.route(
  {
    method: 'get',
    path: '/reads',
    summary: 'Plate checks: mine today (the route map), or every ambassador’s latest (the live map)',
    access: ['ambassador', 'supervisor', 'admin'],
    query: ReadListQuery,
    responses: { 200: { description: 'Newest first, at most 500', schema: ReadList } },
  },
  async (c, { query, principal }) => {
    const { sql, config } = c.get('deps')
    const own = principal?.kind === 'user' && (principal.role === 'ambassador' || query.mine === 'true') ? principal.userId : null
    const since = query.since
      ? new Date(query.since)
      : new Date(zonedInstant(localTime(Date.now(), config.CITY_TIME_ZONE).date, 0, config.CITY_TIME_ZONE))
    const rows = await sql<{ public_id: string; plate: string | null; verdict: string; read_at: Date; lat: number | null; lon: number | null; code: string | null; ambassador: string | null; citation: string | null }[]>`
      select * from (
        select ${query.latest === 'true' ? sql`distinct on (coalesce(r.user_id, -r.device_id))` : sql``}
               r.public_id, r.plate, r.verdict, r.read_at, r.lat, r.lon, f.code,
               coalesce(u.display_name, d.name) as ambassador,
               (select c.number from enforcement.citation c where c.read_id = r.id limit 1) as citation
          from enforcement.read r
          left join parking.facility f on f.id = r.facility_id
          left join app.user_account u on u.id = r.user_id
          left join app.device d on d.id = r.device_id
         where r.read_at >= ${since} and (${own}::bigint is null or r.user_id = ${own})
         order by ${query.latest === 'true' ? sql`coalesce(r.user_id, -r.device_id), r.read_at desc` : sql`r.read_at desc`}
      ) x order by read_at desc limit 500`
    return c.json({
      reads: rows.map((r) => ({
        id: r.public_id,
        plate: r.plate,
        verdict: r.verdict,
        readAt: r.read_at.toISOString(),
        lat: r.lat,
        lon: r.lon,
        facility: r.code,
        ambassador: r.ambassador,
        citation: r.citation,
      })),
    })
  },
)

enforcement.route(
  {
    method: 'get',
    path: '/photos/:id',
    summary: 'A photo taken with a plate check, a citation or an appeal (staff)',
    access: [...STAFF],
    params: ReadPhotoParams,
    responses: { 200: { description: 'The image' }, 404: { description: 'Not found' } },
  },
  async (c, { params }) => {
    const { sql, config } = c.get('deps')
    const photo = await readPhoto(sql, config, params.id)
    if (!photo) {
      throw notFound('Photo')
    }
    return c.body(new Uint8Array(photo.bytes), 200, { 'content-type': photo.contentType, 'cache-control': 'private, max-age=3600' })
  },
)

// ---- warnings and citations

enforcement.route(
  {
    method: 'post',
    path: '/warnings',
    summary: 'Warn instead of citing (a first offence): recorded and shown on later checks',
    access: [...ON_BEAT],
    body: WarningBody,
    responses: { 201: { description: 'Warned', schema: WarningView } },
  },
  async (c, { body, principal }) => {
    const read = await readOf(c, body.read)
    const plate = plateOf(body.plate, body.state)
    const warned = await issueWarning(c.get('deps').sql, principal, {
      clientId: body.clientId ?? null,
      plate: plate.plate,
      state: plate.state!,
      violationCode: body.violation,
      readId: read?.id ?? null,
      issuedAt: body.at ? new Date(body.at) : (read?.read_at ?? new Date()),
      note: body.note ?? null,
      ...(await locationOf(c, body, read)),
    })
    return c.json(warned, warned.replayed ? 200 : 201)
  },
)

enforcement.route(
  {
    method: 'post',
    path: '/citations',
    summary: 'Issue a citation, with photos and where it was given',
    description:
      'Posts the fine to the ledger: against the owner’s account when the plate is a known ' +
      'customer’s vehicle (it is then on their statement). A handheld offline numbers its ' +
      'citations H<device>-<n> and sends them later with their clientId; sent twice, one citation.',
    access: [...ON_BEAT],
    body: CitationBody,
    responses: { 201: { description: 'The citation (its notice: /citations/{number})', schema: StaffCitationView } },
  },
  async (c, { body, principal }) => {
    const { sql, config } = c.get('deps')
    const read = await readOf(c, body.read)
    const plate = plateOf(body.plate, body.state)
    const photos = body.photos.map((p, i) => photoBytes(p, `body.photos.${i}`))
    const issued = await issueCitation(sql, config, principal, {
      clientId: body.clientId ?? null,
      number: body.number ?? null,
      plate: plate.plate,
      state: plate.state!,
      printed: plate.printed,
      vehicle: body.vehicle as Record<string, string>,
      violationCode: body.violation,
      readId: read?.id ?? null,
      issuedAt: body.at ? new Date(body.at) : new Date(),
      photos,
      ...(await locationOf(c, body, read)),
    })
    return c.json(await staffCitationView(sql, issued.citation), issued.replayed ? 200 : 201)
  },
)

enforcement.route(
  {
    method: 'get',
    path: '/citations',
    summary: 'Citations: by plate, status, flagged as paid but ticketed, since a time',
    access: [...STAFF],
    query: CitationListQuery,
    responses: { 200: { description: 'Newest first, at most 200', schema: CitationList } },
  },
  async (c, { query, principal }) => {
    const { sql } = c.get('deps')
    const plate = query.plate ? normalisePlate(query.plate) : null
    const own = principal?.kind === 'user' && principal.role === 'ambassador' ? principal.userId : null
    const rows = await sql<{ number: string; plate_printed: string; state: string; violation_code: string; status: string; balance: number; issued_at: Date; due_on: string; code: string | null; lat: number | null; lon: number | null; flagged: boolean }[]>`
      select c.number, c.plate_printed, c.state, c.violation_code, c.status,
             (select coalesce(sum(p.amount_cents), 0) from enforcement.citation_posting p where p.citation_id = c.id)::bigint as balance,
             c.issued_at, c.due_on::text, f.code, c.lat, c.lon, c.paid_but_ticketed is not null as flagged
        from enforcement.citation c left join parking.facility f on f.id = c.facility_id
       where (${plate}::text is null or c.plate = ${plate})
         and (${query.status ?? null}::text is null or c.status = ${query.status ?? null})
         and (${query.flagged === 'true'} = false or c.paid_but_ticketed is not null)
         and (${query.since ?? null}::timestamptz is null or c.issued_at >= ${query.since ?? null})
         and (${own}::bigint is null or c.user_id = ${own})
       order by c.issued_at desc limit 200`
    return c.json({
      citations: rows.map((r) => ({
        number: r.number,
        plate: r.plate_printed,
        state: r.state,
        violation: r.violation_code,
        status: r.status,
        balanceCents: Number(r.balance),
        issuedAt: r.issued_at.toISOString(),
        dueOn: r.due_on,
        facility: r.code,
        lat: r.lat,
        lon: r.lon,
        paidButTicketed: r.flagged,
      })),
    })
  },
)

enforcement.route(
  {
    method: 'get',
    path: '/citations/:number',
    summary: 'A citation, for staff: with its owner, ambassador, check and ledger history',
    access: [...STAFF],
    params: CitationNumberParams,
    responses: { 200: { description: 'The citation', schema: StaffCitationView } },
  },
  async (c, { params }) => {
    const { sql } = c.get('deps')
    return c.json(await staffCitationView(sql, await citationByNumber(sql, params.number)))
  },
)

enforcement.route(
  {
    method: 'post',
    path: '/citations/:number/void',
    summary: 'Void an unpaid citation, with the reason (audited; the fine is reversed)',
    access: [...DECIDERS],
    params: CitationNumberParams,
    body: VoidBody,
    idempotency: 'required',
    responses: { 200: { description: 'Voided', schema: StaffCitationView }, 409: { description: 'Paid, or ended already' } },
  },
  async (c, { params, body, principal }) => {
    const { sql } = c.get('deps')
    const voided = await voidCitation(sql, principal!, { number: params.number, reason: body.reason, now: new Date() })
    return c.json(await staffCitationView(sql, voided))
  },
)

// ---- appeals (supervisors)

function appealView(a: Appeal & { number: string; plate: string; fine_cents: number; balance: number; photos: number[] }) {
  return {
    id: a.public_id,
    citation: a.number,
    plate: a.plate,
    reason: a.reason,
    status: a.status,
    filedAt: a.filed_at.toISOString(),
    evidence: a.evidence,
    photos: a.photos,
    balanceCents: Number(a.balance),
    fineCents: Number(a.fine_cents),
    letter: a.letter,
    reducedToCents: a.reduced_to_cents,
  }
}

async function appealsWhere(c: Context<AppEnv>, status: string | null, id: string | null) {
  return c.get('deps').sql<(Appeal & { number: string; plate: string; fine_cents: number; balance: number; photos: number[] })[]>`
    select a.*, c.number, c.plate_printed as plate, c.fine_cents,
           (select coalesce(sum(p.amount_cents), 0) from enforcement.citation_posting p where p.citation_id = c.id)::bigint as balance,
           coalesce((select array_agg(photo_id order by photo_id) from enforcement.appeal_photo where appeal_id = a.id), '{}') as photos
      from enforcement.appeal a join enforcement.citation c on c.id = a.citation_id
     where (${status}::text is null or a.status = ${status}) and (${id}::uuid is null or a.public_id = ${id})
     order by a.filed_at
     limit 200`
}

enforcement.route(
  {
    method: 'get',
    path: '/appeals',
    summary: 'The appeals queue: oldest first, with the evidence gathered on filing',
    access: [...DECIDERS],
    query: AppealListQuery,
    responses: { 200: { description: 'Appeals', schema: AppealList } },
  },
  async (c, { query }) => c.json({ appeals: (await appealsWhere(c, query.status, null)).map(appealView) }),
)

enforcement.route(
  {
    method: 'post',
    path: '/appeals/:id/decision',
    summary: 'Decide an appeal: uphold, reduce or dismiss, with a letter to the driver',
    description: 'A reduction or dismissal posts to the ledger and returns what was paid beyond what is now owed.',
    access: [...DECIDERS],
    params: AppealParams,
    body: DecisionBody,
    idempotency: 'required',
    responses: { 200: { description: 'Decided', schema: AppealView }, 409: { description: 'Decided already' } },
  },
  async (c, { params, body, principal }) => {
    const { config, sql } = c.get('deps')
    if (body.decision === 'reduce' && body.reducedToCents === undefined) {
      throw new AppError('invalid', 'Say what the citation is reduced to', [{ field: 'body.reducedToCents', message: 'Required to reduce' }])
    }
    await decideAppeal(sql, stripeClient(config), principal!, {
      appeal: params.id,
      decision: body.decision,
      reducedToCents: body.reducedToCents ?? null,
      letter: body.letter,
      now: new Date(),
    })
    const [decided] = await appealsWhere(c, null, params.id)
    return c.json(appealView(decided!))
  },
)

// ---- scofflaws, boots and tows

enforcement.route(
  {
    method: 'get',
    path: '/scofflaws',
    summary: 'Plates with three or more unpaid past-due citations: boot-eligible',
    access: [...STAFF],
    responses: { 200: { description: 'Listed plates', schema: ScofflawList } },
  },
  async (c) => {
    const rows = await c.get('deps').sql<{ plate: string; state: string; citations: number; listed_at: Date; kind: string | null; immobilisation: string | null }[]>`
      select s.plate, s.state, s.citations, s.listed_at, i.kind, i.public_id::text as immobilisation
        from enforcement.scofflaw s
        left join enforcement.immobilisation i on i.plate = s.plate and i.state = s.state and i.released_at is null
       where s.cleared_at is null order by s.citations desc, s.listed_at`
    return c.json({
      plates: rows.map((r) => ({
        plate: r.plate,
        state: r.state,
        citations: r.citations,
        listedAt: r.listed_at.toISOString(),
        immobilised: r.kind,
        immobilisationId: r.immobilisation,
      })),
    })
  },
)

const immobilisationView = (i: Immobilisation) => ({
  id: i.public_id,
  kind: i.kind,
  plate: i.plate,
  state: i.state,
  location: i.location,
  placedAt: i.placed_at.toISOString(),
  releasedAt: i.released_at?.toISOString() ?? null,
})

enforcement.route(
  {
    method: 'post',
    path: '/immobilisations',
    summary: 'Boot or tow a scofflaw plate',
    access: ['ambassador', 'supervisor'],
    body: ImmobiliseBody,
    responses: { 201: { description: 'Recorded', schema: ImmobilisationView }, 409: { description: 'Not listed, or already booted' } },
  },
  async (c, { body, principal }) => {
    const plate = plateOf(body.plate, body.state)
    const made = await immobilise(c.get('deps').sql, principal!, {
      kind: body.kind,
      plate: plate.plate,
      state: plate.state!,
      lat: body.lat ?? null,
      lon: body.lon ?? null,
      location: body.location ?? null,
      note: body.note ?? null,
    })
    return c.json(immobilisationView(made), 201)
  },
)

enforcement.route(
  {
    method: 'post',
    path: '/immobilisations/:id/release',
    summary: 'Release a boot or tow, once the plate owes nothing past due',
    access: [...DECIDERS],
    params: ImmobilisationParams,
    responses: { 200: { description: 'Released', schema: ImmobilisationView }, 409: { description: 'Citations still past due (named)' } },
  },
  async (c, { params, principal }) =>
    c.json(immobilisationView(await release(c.get('deps').sql, principal!, { id: params.id, now: new Date() }))),
)
