import type { Db } from '../../db/connect.ts'
import { localTime } from '../facilities/local-time.ts'
import type { Facility } from '../facilities/facilities.ts'
import type { Tariff } from '../facilities/tariff.ts'
import { rightsAt } from '../sessions/rights.ts'
import type { RightsView } from '../sessions/schemas.ts'

/*
  What a plate check answers, in the order an ambassador would reason:
  1. outside the hours the place is enforced (a free evening, a holiday) → nothing to do;
  2. a paid session covers it → paid until T, unless the car has been seen there longer than the
     zone's time limit (feeding the meter) → over the limit;
  3. a permit or visitor pass covers it → permitted (permits are exempt from time limits);
  4. paid time ended within the grace minutes → within grace, minutes left;
  5. a time-limited free zone → chalked (first seen at T, the limit at T + max) or over the limit;
  6. otherwise → the violation to cite: expired time (a session there ended earlier today) or no
     payment (no permit, in a permit-only place).
  Digital chalking: the first sighting is the earliest read of the plate at the same block face
  (or the same zone, by CHALK_RELOCATION) with no sighting elsewhere in between, the same city day.
*/

export type VerdictKind =
  | 'paid'
  | 'permit'
  | 'grace'
  | 'chalked'
  | 'over_limit'
  | 'violation'
  | 'outside_hours'
  | 'unknown'

export interface Violation {
  code: string
  description: string
  fineCents: number
  /** A first offence of this code for the plate in 12 months: a warning may be given instead. */
  warningEligible: boolean
}

export interface Verdict {
  verdict: VerdictKind
  message: string
  until: string | null
  minutesLeft: number | null
  firstSeenAt: string | null
  limitAt: string | null
  violation: Violation | null
  rights: RightsView['rights']
  warnings: { code: string; issuedAt: string }[]
  unpaidCitations: number
  scofflaw: boolean
  immobilised: 'boot' | 'tow' | null
}

export interface VerdictPolicy {
  graceMinutes: number
  relocation: 'block_face' | 'zone'
}

export interface VerdictInput {
  plate: string
  state: string | null
  at: Date
  facility: Facility
  blockFace: number | null
  /** The read being judged, so chalking does not count it as an earlier sighting. */
  excludeReadId?: number | null
}

/** Which band of the tariff covers an instant, and whether it charges. */
export function enforcementAt(tariff: Tariff, at: Date): { enforced: boolean; charging: boolean } {
  const local = localTime(at.getTime(), tariff.timeZone)
  if (tariff.freeOnHolidays && tariff.holidays.includes(local.date)) {
    return { enforced: false, charging: false }
  }
  const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  const band = tariff.bands.find(
    (b) => b.days.includes(local.weekday) && minuteOf(b.from) <= local.minute && local.minute < minuteOf(b.to),
  )
  if (!band) {
    return { enforced: false, charging: false }
  }
  return { enforced: true, charging: band.rates.some((r) => r.cents > 0) }
}

const minutes = (ms: number) => Math.max(0, Math.ceil(ms / 60_000))

export async function verdictFor(sql: Db, q: VerdictInput, policy: VerdictPolicy): Promise<Verdict> {
  const { facility, at } = q
  const [rights, flags] = await Promise.all([
    rightsAt(sql, { plate: q.plate, state: q.state, at, facility: facility.code }),
    plateFlags(sql, q.plate, q.state, at),
  ])
  const base = {
    until: null,
    minutesLeft: null,
    firstSeenAt: null,
    limitAt: null,
    violation: null as Violation | null,
    rights: rights.rights,
    ...flags,
  }
  const hours = enforcementAt(facility.tariff, at)
  if (!hours.enforced) {
    return { ...base, verdict: 'outside_hours', message: `${facility.name} is not enforced at this time` }
  }
  const maxStay = facility.tariff.maximumStayMinutes ?? null
  const session = rights.rights.find((r) => r.kind === 'session')
  if (session) {
    if (maxStay !== null && !session.inFacility) {
      const seen = await firstSeen(sql, q, policy, maxStay)
      if (seen && at.getTime() - seen.getTime() > maxStay * 60_000) {
        return {
          ...(await violation(sql, base, q.plate, 'OVER-LIMIT', at)),
          verdict: 'over_limit',
          message: `Paid, but parked here since ${seen.toISOString()}: longer than the ${maxStay}-minute limit`,
          firstSeenAt: seen.toISOString(),
          limitAt: new Date(seen.getTime() + maxStay * 60_000).toISOString(),
        }
      }
    }
    return {
      ...base,
      verdict: 'paid',
      message: session.endsAt ? `Paid until ${session.endsAt}` : 'In the facility; pays at the exit',
      until: session.endsAt,
      minutesLeft: session.endsAt ? minutes(Date.parse(session.endsAt) - at.getTime()) : null,
    }
  }
  const permit = rights.rights.find((r) => r.kind !== 'session')
  if (permit) {
    return {
      ...base,
      verdict: 'permit',
      message: `${permit.kind === 'visitor_pass' ? 'Visitor pass' : 'Permit'} ${permit.number} (${permit.type})`,
      until: permit.endsAt,
    }
  }
  const ended = await lastSession(sql, q)
  if (ended && at.getTime() - ended.getTime() < policy.graceMinutes * 60_000) {
    const left = minutes(ended.getTime() + policy.graceMinutes * 60_000 - at.getTime())
    return {
      ...base,
      verdict: 'grace',
      message: `Paid time ended at ${ended.toISOString()}: ${left} minute${left === 1 ? '' : 's'} of grace left`,
      until: new Date(ended.getTime() + policy.graceMinutes * 60_000).toISOString(),
      minutesLeft: left,
    }
  }
  if (!hours.charging && maxStay !== null) {
    const seen = (await firstSeen(sql, q, policy, maxStay)) ?? at
    const limitAt = new Date(seen.getTime() + maxStay * 60_000)
    if (at > limitAt) {
      return {
        ...(await violation(sql, base, q.plate, 'OVER-LIMIT', at)),
        verdict: 'over_limit',
        message: `First seen here at ${seen.toISOString()}: over the ${maxStay}-minute limit`,
        firstSeenAt: seen.toISOString(),
        limitAt: limitAt.toISOString(),
      }
    }
    return {
      ...base,
      verdict: 'chalked',
      message: `First seen here at ${seen.toISOString()}; the ${maxStay}-minute limit ends at ${limitAt.toISOString()}`,
      firstSeenAt: seen.toISOString(),
      limitAt: limitAt.toISOString(),
      minutesLeft: minutes(limitAt.getTime() - at.getTime()),
    }
  }
  const today = localTime(at.getTime(), facility.tariff.timeZone).date
  const expiredToday = ended !== null && localTime(ended.getTime(), facility.tariff.timeZone).date === today
  const code = !hours.charging ? 'NO-PERMIT' : expiredToday ? 'EXPIRED' : 'NO-PAY'
  const cited = await violation(sql, base, q.plate, code, at)
  return {
    ...cited,
    verdict: 'violation',
    message: cited.violation ? `${cited.violation.description}: cite ${code}` : `Cite ${code}`,
  }
}

async function violation<T extends { violation: Violation | null }>(
  sql: Db,
  base: T,
  plate: string,
  code: string,
  at: Date,
): Promise<T> {
  const [row]: [{ code: string; description: string; fine_cents: number; warning_first: boolean; warned: boolean }?] = await sql`
    select v.code, v.description, v.fine_cents, v.warning_first,
           exists (select from enforcement.warning w
                    where w.plate = ${plate} and w.violation_code = v.code
                      and w.issued_at > ${at}::timestamptz - interval '12 months') as warned
      from enforcement.violation v where v.code = ${code} and v.active`
  if (!row) {
    return base
  }
  return {
    ...base,
    violation: {
      code: row.code,
      description: row.description,
      fineCents: row.fine_cents,
      warningEligible: row.warning_first && !row.warned,
    },
  }
}

/** Warnings in the last 12 months, unpaid citations, and whether the plate is listed or booted. */
async function plateFlags(sql: Db, plate: string, state: string | null, at: Date) {
  const [row]: [{ warnings: { code: string; issuedAt: string }[]; unpaid: number; scofflaw: boolean; immobilised: 'boot' | 'tow' | null }?] = await sql`
    select coalesce((select jsonb_agg(jsonb_build_object('code', w.violation_code, 'issuedAt', w.issued_at) order by w.issued_at desc)
                       from enforcement.warning w
                      where w.plate = ${plate} and (${state}::text is null or w.state = ${state})
                        and w.issued_at > ${at}::timestamptz - interval '12 months'), '[]') as warnings,
           (select count(*)::int from enforcement.citation c
             where c.plate = ${plate} and (${state}::text is null or c.state = ${state})
               and c.status in ('open', 'past_due')) as unpaid,
           exists (select from enforcement.scofflaw s
                    where s.plate = ${plate} and (${state}::text is null or s.state = ${state}) and s.cleared_at is null) as scofflaw,
           (select i.kind from enforcement.immobilisation i
             where i.plate = ${plate} and (${state}::text is null or i.state = ${state}) and i.released_at is null
             limit 1) as immobilised`
  return {
    warnings: row?.warnings ?? [],
    unpaidCitations: row?.unpaid ?? 0,
    scofflaw: row?.scofflaw ?? false,
    immobilised: row?.immobilised ?? null,
  }
}

/** When the plate's last paid time here ended, before the instant asked about. */
async function lastSession(sql: Db, q: VerdictInput): Promise<Date | null> {
  const [row]: [{ ends_at: Date }?] = await sql`
    select ends_at from parking.session
     where plate = ${q.plate} and facility_id = ${q.facility.id} and status = 'active'
       and ends_at <= ${q.at} and ends_at > ${q.at}::timestamptz - interval '1 day'
       and (${q.state}::text is null or state = ${q.state})
     order by ends_at desc limit 1`
  return row?.ends_at ?? null
}

/**
 * The first sighting of this stay: walking back through the plate's reads of the day, while each
 * was at the same place (block face, or zone). A sighting elsewhere ends the walk: the car moved.
 */
async function firstSeen(sql: Db, q: VerdictInput, policy: VerdictPolicy, maxStay: number): Promise<Date | null> {
  const reads = await sql<{ read_at: Date; facility_id: number | null; block_face: number | null }[]>`
    select read_at, facility_id, block_face from enforcement.read
     where plate = ${q.plate} and read_at < ${q.at} and read_at > ${q.at}::timestamptz - make_interval(mins => ${maxStay + 720})
       and (${q.excludeReadId ?? null}::bigint is null or id <> ${q.excludeReadId ?? null})
     order by read_at desc`
  const day = localTime(q.at.getTime(), q.facility.tariff.timeZone).date
  let first: Date | null = null
  for (const r of reads) {
    const samePlace =
      r.facility_id === q.facility.id && (policy.relocation === 'zone' || r.block_face === q.blockFace)
    if (!samePlace || localTime(r.read_at.getTime(), q.facility.tariff.timeZone).date !== day) {
      break
    }
    first = r.read_at
  }
  return first
}
