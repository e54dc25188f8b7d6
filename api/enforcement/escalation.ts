import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import { localTime } from '../facilities/local-time.ts'
import { addDays } from '../permits/terms.ts'
import { rightsAt } from '../sessions/rights.ts'
import { CITATION_LATE_FEES, citationByNumber, dismiss, moveBalance, refundOverpaid, settleStatus, type Citation } from './citations.ts'

/*
  The daily escalation, safe to run any number of times: each late-fee step of each citation is
  an entry keyed by the citation and the step, so a second run adds nothing.
  - A citation past its due date is past due; each step of its late-fee schedule is added once,
    when that many days have passed since the due date.
  - A plate with three or more unpaid past-due citations is on the scofflaw list (boot-eligible,
    shown on plate checks) until it has fewer.
*/

export const SCOFFLAW_CITATIONS = 3

export async function escalate(sql: Db, now: Date, timeZone: string): Promise<{ lateFees: number; pastDue: number; listed: number; cleared: number }> {
  const today = localTime(now.getTime(), timeZone).date
  const due = await sql<{ number: string }[]>`
    select number from enforcement.citation where status in ('open', 'past_due') and due_on < ${today}::date`
  let lateFees = 0
  let pastDue = 0
  for (const { number } of due) {
    await inTransaction(sql, async (tx) => {
      const citation = await citationByNumber(tx, number, { lock: true })
      if (citation.status !== 'open' && citation.status !== 'past_due') {
        return
      }
      for (const [i, step] of citation.late_fees.entries()) {
        if (today > addDays(citation.due_on, step.daysAfterDue)) {
          const before = await tx`select 1 from enforcement.citation_posting where entry_key = ${lateKey(citation, i)}`
          if (before.length === 0) {
            await moveBalance(tx, citation, {
              kind: 'late_fee',
              key: lateKey(citation, i),
              amountCents: step.cents,
              description: `Citation ${citation.number}: late fee ${i + 1}, ${step.daysAfterDue} days after the due date`,
              occurredAt: now,
              other: CITATION_LATE_FEES,
            })
            lateFees++
          }
        }
      }
      const settled = await settleStatus(tx, citation, today)
      if (citation.status === 'open' && settled.status === 'past_due') {
        pastDue++
      }
    })
  }
  const listed = await sql`
    insert into enforcement.scofflaw (plate, state, listed_at, citations)
    select plate, state, ${now}, count(*)::int from enforcement.citation
     where status = 'past_due' group by plate, state having count(*) >= ${SCOFFLAW_CITATIONS}
    on conflict (plate, state) where cleared_at is null do update set citations = excluded.citations
    returning (xmax = 0) as inserted`
  const cleared = await sql`
    update enforcement.scofflaw s set cleared_at = ${now}
     where s.cleared_at is null
       and (select count(*) from enforcement.citation c
             where c.plate = s.plate and c.state = s.state and c.status = 'past_due') < ${SCOFFLAW_CITATIONS}
    returning 1`
  return { lateFees, pastDue, listed: listed.filter((r) => r.inserted).length, cleared: cleared.length }
}

const lateKey = (c: Citation, step: number) => `enforcement.citation:${c.number}:late:${step}`

/**
 * "Paid but ticketed": a session or permit covering a citation's time and place that arrived
 * after it was issued (a kiosk sale sent after the kiosk was offline, a gate's lag). Open
 * citations of the last week are checked again; a covered one is flagged, and dismissed with its
 * ledger reversal when the policy says so.
 */
export async function paidButTicketed(
  sql: Db,
  stripe: Stripe | null,
  input: { now: Date; policy: 'dismiss' | 'flag' },
): Promise<number> {
  const recent = await sql<{ number: string; plate: string; state: string; issued_at: Date; code: string | null }[]>`
    select c.number, c.plate, c.state, c.issued_at, f.code
      from enforcement.citation c left join parking.facility f on f.id = c.facility_id
     where c.status in ('open', 'past_due', 'paid') and c.paid_but_ticketed is null
       and c.issued_at > ${input.now}::timestamptz - interval '7 days' and c.facility_id is not null`
  let found = 0
  for (const c of recent) {
    const rights = await rightsAt(sql, { plate: c.plate, state: c.state, at: c.issued_at, facility: c.code })
    if (rights.rights.length === 0) {
      continue
    }
    found++
    const covered = { foundAt: input.now.toISOString(), rights: rights.rights }
    const citationId = await inTransaction(sql, async (tx) => {
      const citation = await citationByNumber(tx, c.number, { lock: true })
      await tx`update enforcement.citation set paid_but_ticketed = ${tx.json(covered as never)} where id = ${citation.id}`
      if (input.policy === 'dismiss') {
        await dismiss(tx, citation, 'paid time covering it arrived after it was issued', input.now)
      }
      return citation.id
    })
    if (input.policy === 'dismiss') {
      await refundOverpaid(sql, stripe, citationId)
    }
  }
  return found
}
