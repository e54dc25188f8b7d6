import type { Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import type { Config } from '../config.ts'
import { AppError } from '../http/errors.ts'
import { facilityByCode, facilityById, type Facility } from '../facilities/facilities.ts'
import { facilityShapes, placeAt } from './places.ts'
import { storePhoto } from './photos.ts'
import { verdictFor, type Verdict } from './verdict.ts'

/*
  A plate check: what the handheld saw (a photo, a typed plate, or both), where and when, and what
  it meant. Every check is recorded (who, where, when, plate, verdict) for audit and appeals,
  once per handheld id, with the time and place it was made: a check captured offline and sent
  later is judged as of then.
*/

export interface PlateCandidate {
  plate: string
  state?: string | null
  score: number
  reasons: string[]
}

/** Reads a plate photo: ranked candidates, the right-holders at that place tried first. */
export type PlateReader = (image: Buffer, opts: { region: Region | null; holders: string[] }) => Promise<PlateCandidate[]>

export interface Region {
  x: number
  y: number
  w: number
  h: number
}

export interface ReadInput {
  clientId: string | null
  image: Buffer | null
  region: Region | null
  plate: { plate: string; state: string | null } | null
  lat: number | null
  lon: number | null
  at: Date
  facility: string | null
}

export interface ReadResult {
  id: string
  plate: string | null
  state: string | null
  typed: boolean
  candidates: PlateCandidate[]
  readAt: string
  facility: { code: string; name: string } | null
  blockFace: number | null
  lat: number | null
  lon: number | null
  photo: number | null
  verdict: Verdict | { verdict: 'unknown'; message: string }
  replayed: boolean
}

interface ReadRow {
  id: number
  public_id: string
  user_id: number | null
  plate: string | null
  state: string | null
  typed: boolean
  candidates: PlateCandidate[]
  read_at: Date
  facility_id: number | null
  block_face: number | null
  lat: number | null
  lon: number | null
  photo_id: number | null
  verdict: string
  detail: ReadResult['verdict']
}

/** Plates that hold a right at a place and time: the ones a blurred read is most likely to be. */
export async function rightHolders(sql: Db, facilityId: number, at: Date): Promise<string[]> {
  const rows = await sql<{ plate: string }[]>`
    select plate from parking.session
     where facility_id = ${facilityId} and status in ('active', 'open') and starts_at <= ${at}
       and coalesce(ends_at, 'infinity') > ${at} and plate is not null
    union
    select v.plate from permits.vehicle v
      join permits.permit p on p.id = v.permit_id
      join permits.type_facility tf on tf.type_id = p.type_id and tf.facility_id = ${facilityId}
     where v.during @> ${at}::timestamptz and (p.facility_id is null or p.facility_id = ${facilityId})
    union
    select vp.plate from permits.visitor_pass vp
      join permits.permit p on p.id = vp.permit_id
      join permits.type_facility tf on tf.type_id = p.type_id and tf.facility_id = ${facilityId}
     where vp.during @> ${at}::timestamptz and vp.cancelled_at is null`
  return rows.map((r) => r.plate)
}

async function where(sql: Db, input: Pick<ReadInput, 'facility' | 'lat' | 'lon'>): Promise<{ facility: Facility | null; blockFace: number | null }> {
  const shapes = input.lat !== null && input.lon !== null ? await facilityShapes(sql) : []
  if (input.facility) {
    const facility = await facilityByCode(sql, input.facility)
    const place = input.lat !== null && input.lon !== null ? placeAt(shapes.filter((s) => s.id === facility.id), input.lat, input.lon) : null
    return { facility, blockFace: place?.blockFace ?? null }
  }
  if (input.lat === null || input.lon === null) {
    return { facility: null, blockFace: null }
  }
  const place = placeAt(shapes, input.lat, input.lon)
  return place ? { facility: await facilityById(sql, place.facilityId), blockFace: place.blockFace } : { facility: null, blockFace: null }
}

export async function recordRead(
  sql: Db,
  config: Config,
  principal: Principal | null,
  input: ReadInput,
  reader: PlateReader | null,
): Promise<ReadResult> {
  if (input.clientId) {
    const prior = await readByClientId(sql, input.clientId)
    if (prior) {
      return { ...(await readView(sql, prior)), replayed: true }
    }
  }
  if (!input.image && !input.plate) {
    throw new AppError('invalid', 'Send a photo of the plate, or type it', [{ field: 'body', message: 'image or plate' }])
  }
  const { facility, blockFace } = await where(sql, input)
  let candidates: PlateCandidate[] = []
  let plate = input.plate?.plate ?? null
  let state = input.plate?.state ?? null
  if (input.image && !plate) {
    if (!reader) {
      throw new AppError('service_unavailable', 'Plate reading is not available on this server; type the plate')
    }
    const holders = facility ? await rightHolders(sql, facility.id, input.at) : []
    candidates = await reader(input.image, { region: input.region, holders })
    plate = candidates[0]?.plate ?? null
    state = candidates[0]?.state ?? null
  }
  const photoId = input.image ? await storePhoto(sql, config, input.image) : null
  const verdict: ReadResult['verdict'] =
    !plate
      ? { verdict: 'unknown', message: 'No plate could be read: take another photo or type it' }
      : !facility
        ? { verdict: 'unknown', message: 'Not in a known zone or facility: choose where you are' }
        : await verdictFor(sql, { plate, state, at: input.at, facility, blockFace }, policyOf(config))
  const [row]: [ReadRow?] = await sql`
    insert into enforcement.read
      (client_id, user_id, device_id, plate, state, typed, candidates, read_at, lat, lon,
       facility_id, block_face, verdict, detail, photo_id)
    values (${input.clientId}, ${principal?.kind === 'user' ? principal.userId : null},
            ${principal?.kind === 'device' ? principal.deviceId : null}, ${plate}, ${state},
            ${input.plate !== null}, ${sql.json(candidates as never)}, ${input.at}, ${input.lat},
            ${input.lon}, ${facility?.id ?? null}, ${blockFace}, ${verdict.verdict},
            ${sql.json(verdict as never)}, ${photoId})
    on conflict (client_id) do nothing
    returning *`
  if (!row) {
    // the same handheld id arrived twice at once: the first one's answer
    return { ...(await readView(sql, (await readByClientId(sql, input.clientId!))!)), replayed: true }
  }
  return { ...(await readView(sql, row)), replayed: false }
}

/**
 * The ambassador confirms or corrects the plate with one tap: the check is judged again for that
 * plate, as of when and where it was made.
 */
export async function correctRead(
  sql: Db,
  config: Config,
  input: { id: string; plate: string; state: string | null; principal: Principal | null },
): Promise<ReadResult> {
  const [read]: [ReadRow?] = await sql`select * from enforcement.read where public_id = ${input.id}`
  if (!read) {
    throw new AppError('not_found', 'Plate check not found')
  }
  // an ambassador corrects their own checks; supervisors and handhelds any
  if (input.principal?.kind === 'user' && input.principal.role === 'ambassador' && read.user_id !== input.principal.userId) {
    throw new AppError('not_found', 'Plate check not found')
  }
  const facility = read.facility_id ? await facilityById(sql, read.facility_id) : null
  const verdict: ReadResult['verdict'] = facility
    ? await verdictFor(
        sql,
        { plate: input.plate, state: input.state, at: read.read_at, facility, blockFace: read.block_face, excludeReadId: read.id },
        policyOf(config),
      )
    : { verdict: 'unknown', message: 'Not in a known zone or facility: choose where you are' }
  const [row]: [ReadRow?] = await sql`
    update enforcement.read
       set plate = ${input.plate}, state = ${input.state}, typed = true, verdict = ${verdict.verdict},
           detail = ${sql.json(verdict as never)}
     where id = ${read.id}
    returning *`
  return { ...(await readView(sql, row!)), replayed: false }
}

export function policyOf(config: Config) {
  return { graceMinutes: config.ENFORCEMENT_GRACE_MINUTES, relocation: config.CHALK_RELOCATION }
}

async function readByClientId(sql: Db, clientId: string): Promise<ReadRow | undefined> {
  const [row]: [ReadRow?] = await sql`select * from enforcement.read where client_id = ${clientId}`
  return row
}

/** Where and when a check was made, for the warning or citation that follows it. */
export interface CheckedAt {
  id: number
  plate: string | null
  state: string | null
  facility_id: number | null
  block_face: number | null
  lat: number | null
  lon: number | null
  read_at: Date
}

export async function readByPublicId(sql: Db, id: string): Promise<CheckedAt | null> {
  const [row] = await sql<CheckedAt[]>`
    select id, plate, state, facility_id, block_face, lat, lon, read_at from enforcement.read where public_id = ${id}`
  return row ?? null
}

async function readView(sql: Db, row: ReadRow): Promise<Omit<ReadResult, 'replayed'>> {
  const facility = row.facility_id ? await facilityById(sql, row.facility_id) : null
  return {
    id: row.public_id,
    plate: row.plate,
    state: row.state,
    typed: row.typed,
    candidates: row.candidates,
    readAt: row.read_at.toISOString(),
    facility: facility ? { code: facility.code, name: facility.name } : null,
    blockFace: row.block_face,
    lat: row.lat,
    lon: row.lon,
    photo: row.photo_id,
    verdict: row.detail,
  }
}
