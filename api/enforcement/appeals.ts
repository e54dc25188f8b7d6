import type Stripe from 'stripe'
import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { AppError } from '../http/errors.ts'
import { notifyCustomer } from '../permits/notify.ts'
import { rightsAt } from '../sessions/rights.ts'
import { chargedAndPaid, citationByNumber, dismiss, refundOverpaid, settleStatus, takeBack, type Citation } from './citations.ts'

/*
  Appeals. A driver (signed in or not: the citation number and plate are enough) gives a reason
  and evidence; the records that bear on it are attached on filing (the plate checks around the
  time, the rights the plate held then, the payments of the citation), so the supervisor reads
  everything in one place. The decision (uphold, reduce, dismiss) comes with a letter to the
  driver and posts to the ledger: a reduction or dismissal takes back what it no longer charges
  and returns what was paid beyond it.
*/

export interface Appeal {
  id: number
  public_id: string
  citation_id: number
  reason: string
  evidence: Record<string, unknown>
  contact_email: string | null
  status: 'pending' | 'upheld' | 'reduced' | 'dismissed'
  decided_at: Date | null
  reduced_to_cents: number | null
  letter: string | null
  filed_at: Date
}

export async function fileAppeal(
  sql: Db,
  input: { citation: Citation; reason: string; email: string | null; photoIds: number[]; principal: Principal | null },
): Promise<Appeal> {
  const { citation } = input
  if (citation.status === 'voided' || citation.status === 'dismissed') {
    throw new AppError('conflict', `Citation ${citation.number} is ${citation.status}: there is nothing to appeal`)
  }
  const at = citation.issued_at
  const facility = citation.facility_id
    ? ((await sql<{ code: string }[]>`select code from parking.facility where id = ${citation.facility_id}`)[0]?.code ?? null)
    : null
  const [reads, rights, payments] = await Promise.all([
    sql`
      select r.public_id as id, r.read_at as "at", r.verdict, r.detail->>'message' as message, f.code as facility,
             r.block_face as "blockFace", r.photo_id as photo
        from enforcement.read r left join parking.facility f on f.id = r.facility_id
       where r.plate = ${citation.plate}
         and r.read_at between ${at}::timestamptz - interval '4 hours' and ${at}::timestamptz + interval '1 hour'
       order by r.read_at`,
    rightsAt(sql, { plate: citation.plate, state: citation.state, at, facility }),
    sql`
      select kind, amount_cents as "amountCents", at from enforcement.citation_posting
       where citation_id = ${citation.id} order by id`,
  ])
  const sessions = await sql`
    select s.public_id as id, f.code as facility, s.starts_at as "startsAt", s.ends_at as "endsAt", s.channel
      from parking.session s join parking.facility f on f.id = s.facility_id
     where s.plate = ${citation.plate} and s.status in ('active', 'open')
       and s.starts_at < ${at}::timestamptz + interval '1 day' and coalesce(s.ends_at, 'infinity') > ${at}::timestamptz - interval '1 day'
     order by s.starts_at`
  const evidence = { reads, rightsAtIssue: rights, sessionsThatDay: sessions, postings: payments }
  try {
    return await inTransaction(sql, async (tx) => {
      const [appeal]: [Appeal?] = await tx`
        insert into enforcement.appeal (citation_id, reason, evidence, contact_email, status)
        values (${citation.id}, ${input.reason}, ${tx.json(evidence as never)}, ${input.email}, 'pending')
        returning *`
      for (const photoId of input.photoIds) {
        await tx`insert into enforcement.appeal_photo (appeal_id, photo_id) values (${appeal!.id}, ${photoId}) on conflict do nothing`
      }
      await writeAudit(tx, input.principal, { action: 'appeal.file', entity: 'enforcement.citation', entityId: citation.id })
      return appeal!
    })
  } catch (err) {
    if ((err as { constraint_name?: string }).constraint_name === 'appeal_pending') {
      throw new AppError('conflict', `Citation ${citation.number} already has an appeal waiting for a decision`)
    }
    throw err
  }
}

export interface Decision {
  appeal: string
  decision: 'uphold' | 'reduce' | 'dismiss'
  reducedToCents: number | null
  letter: string
  now: Date
}

export async function decideAppeal(sql: Db, stripe: Stripe | null, principal: Principal, d: Decision): Promise<Appeal> {
  const decided = await inTransaction(sql, async (tx) => {
    const [appeal]: [Appeal?] = await tx`select * from enforcement.appeal where public_id = ${d.appeal} for update`
    if (!appeal) {
      throw new AppError('not_found', 'Appeal not found')
    }
    if (appeal.status !== 'pending') {
      throw new AppError('conflict', `This appeal was decided already (${appeal.status})`)
    }
    const [{ number }] = (await tx`select number from enforcement.citation where id = ${appeal.citation_id}`) as unknown as [{ number: string }]
    const citation = await citationByNumber(tx, number, { lock: true })
    const reason = `appeal decided: ${d.letter.slice(0, 120)}`
    if (d.decision === 'reduce') {
      const { fines, fees, reductions } = await chargedAndPaid(tx, citation.id)
      const to = d.reducedToCents ?? -1
      if (to < 0 || to >= fines + fees + reductions) {
        throw new AppError('invalid', `A reduction is to less than the $${((fines + fees + reductions) / 100).toFixed(2)} charged`, [
          { field: 'body.reducedToCents', message: 'Less than what is charged now' },
        ])
      }
      await takeBack(tx, citation, { kind: 'reduction', to, reason, at: d.now })
      await settleStatus(tx, citation)
    } else if (d.decision === 'dismiss') {
      await dismiss(tx, citation, reason, d.now)
    }
    const status = d.decision === 'uphold' ? 'upheld' : d.decision === 'reduce' ? 'reduced' : 'dismissed'
    const [done]: [Appeal?] = await tx`
      update enforcement.appeal
         set status = ${status}, decided_by = ${principal.kind === 'user' ? principal.userId : null},
             decided_at = ${d.now}, reduced_to_cents = ${d.decision === 'reduce' ? d.reducedToCents : null},
             letter = ${d.letter}
       where id = ${appeal.id} returning *`
    await writeAudit(tx, principal, {
      action: `appeal.${status}`,
      entity: 'enforcement.citation',
      entityId: citation.id,
      after: { decision: d.decision, reducedToCents: d.reducedToCents, letter: d.letter },
    })
    if (appeal.contact_email) {
      await tx`
        insert into app.notification (dedupe_key, kind, channel, recipient, customer_id, subject, body, data)
        values (${`appeal-decided-email:${appeal.public_id}`}, 'appeal_decided', 'email', ${appeal.contact_email},
                ${citation.customer_id}, ${`Your appeal of citation ${citation.number}: ${status}`}, ${d.letter},
                ${tx.json({ citation: citation.number, decision: status } as never)})
        on conflict (dedupe_key) do nothing`
    } else if (citation.customer_id !== null) {
      await notifyCustomer(tx, {
        dedupeKey: `appeal-decided:${appeal.public_id}`,
        kind: 'appeal_decided',
        customerId: citation.customer_id,
        subject: `Your appeal of citation ${citation.number}: ${status}`,
        body: d.letter,
        data: { citation: citation.number, decision: status },
      })
    }
    return { appeal: done!, citationId: citation.id }
  })
  await refundOverpaid(sql, stripe, decided.citationId)
  return decided.appeal
}
