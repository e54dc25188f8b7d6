import { createHash } from 'node:crypto'
import { inTransaction, type Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { raiseException } from './exceptions.ts'
import { rejectionKey, type LineStatus } from './cycles.ts'
import { CIS_ID, readCsvTable, rejectFile, type RowError } from './cycle-csv.ts'

/*
  The CIS's acknowledgement of a cycle file: per line (by its Curbline reference) billed, with the
  CIS bill it went on, or rejected, with the reason. All or nothing per file; an acknowledgement is
  final, so the same file again changes nothing and a line acknowledged otherwise before is an
  error. Each newly rejected line raises a cycle_line_rejected exception with its evidence.
*/

export interface AckResult {
  sha256: string
  rows: number
  billed: number
  rejected: number
  unchanged: number
  exceptionIds: number[]
}

interface AckRow {
  line: number
  reference: string
  status: 'billed' | 'rejected'
  reason: string | null
  billId: string | null
}

interface Found {
  id: number
  reference: string
  status: LineStatus
  cis_bill_id: string | null
  reject_reason: string | null
  export_id: number
  cycle: number
  billing_date: string
  account_number: string
  utility_account_id: number
  charge_code: string
  amount_cents: number
  description: string
  entry_id: number
  posting_id: number
  attempt: number
}

export async function importCycleAcks(
  sql: Db,
  principal: Principal | null,
  text: string,
): Promise<AckResult> {
  const { rows, errors } = readCsvTable(text, {
    required: ['reference', 'status'],
    optional: ['reason', 'bill_id'],
  })
  const acks: AckRow[] = []
  const firstLine = new Map<string, number>()
  for (const { line, values } of rows) {
    const reference = values.reference ?? ''
    const status = values.status?.toLowerCase() ?? ''
    const reason = values.reason || null
    const billId = values.bill_id || null
    const before = errors.length
    if (!/^CL-\d+-\d+(-\d+)?$/.test(reference)) {
      errors.push({
        line,
        field: 'reference',
        message: 'A Curbline reference looks like CL-123-456 (or CL-123-456-2)',
      })
    } else if (firstLine.has(reference)) {
      errors.push({
        line,
        field: 'reference',
        message: `${reference} is acknowledged twice (also on line ${firstLine.get(reference)})`,
      })
    } else {
      firstLine.set(reference, line)
    }
    if (status !== 'billed' && status !== 'rejected') {
      errors.push({ line, field: 'status', message: 'status is billed or rejected' })
    }
    if (status === 'rejected' && !reason) {
      errors.push({ line, field: 'reason', message: 'A rejected line needs its reason' })
    }
    if (reason && reason.length > 500) {
      errors.push({ line, field: 'reason', message: 'longer than 500 characters' })
    }
    if (status === 'billed' && !billId) {
      errors.push({ line, field: 'bill_id', message: 'A billed line needs the CIS bill id' })
    }
    if (billId && !CIS_ID.test(billId)) {
      errors.push({
        line,
        field: 'bill_id',
        message: 'use 1 to 40 letters, digits, dots, dashes or underscores',
      })
    }
    if (errors.length === before) {
      acks.push({ line, reference, status: status as AckRow['status'], reason, billId })
    }
  }
  const sha256 = createHash('sha256').update(text).digest('hex')
  return inTransaction(sql, async (tx) => {
    const found = await tx<Found[]>`
      select l.id, l.reference, l.status, l.cis_bill_id, l.reject_reason, l.export_id,
             x.cycle::int, x.billing_date::text, l.account_number, l.utility_account_id, l.charge_code,
             l.amount_cents, l.description, l.entry_id, l.posting_id, l.attempt::int
        from finance.cycle_export_line l join finance.cycle_export x on x.id = l.export_id
       where l.reference = any(${acks.map((a) => a.reference)}::text[])
       order by l.id
         for update of l`
    const byRef = new Map(found.map((f) => [f.reference, f]))
    const fresh: { ack: AckRow; line: Found }[] = []
    let unchanged = 0
    for (const ack of acks) {
      const line = byRef.get(ack.reference)
      const problem = line
        ? conflictOf(ack, line)
        : `No exported line has the reference ${ack.reference}`
      if (problem === 'unchanged') {
        unchanged++
      } else if (problem) {
        errors.push({ line: ack.line, field: line ? 'status' : 'reference', message: problem })
      } else if (line) {
        fresh.push({ ack, line })
      }
    }
    if (errors.length > 0) {
      throw rejectFile(errors)
    }
    await tx`
      update finance.cycle_export_line l
         set status = a.status, reject_reason = a.reason, cis_bill_id = a.bill_id, acknowledged_at = now()
        from unnest(${fresh.map((f) => f.line.id)}::bigint[], ${fresh.map((f) => f.ack.status)}::text[],
                    ${fresh.map((f) => f.ack.reason) as string[]}::text[], ${fresh.map((f) => f.ack.billId) as string[]}::text[])
             as a (id, status, reason, bill_id)
       where l.id = a.id`
    const exceptionIds: number[] = []
    for (const { ack, line } of fresh.filter((f) => f.ack.status === 'rejected')) {
      exceptionIds.push(
        await raiseException(tx, {
          key: rejectionKey(line.reference),
          kind: 'cycle_line_rejected',
          summary: `The CIS rejected ${line.reference} (cycle ${line.cycle}, ${line.billing_date}, account ${line.account_number}): ${ack.reason}`,
          amountCents: line.amount_cents,
          evidence: {
            lineId: line.id,
            exportId: line.export_id,
            cycle: line.cycle,
            billingDate: line.billing_date,
            reference: line.reference,
            attempt: line.attempt,
            accountNumber: line.account_number,
            utilityAccountId: line.utility_account_id,
            chargeCode: line.charge_code,
            amountCents: line.amount_cents,
            description: line.description,
            entryId: line.entry_id,
            postingId: line.posting_id,
            reason: ack.reason,
            ackFileSha256: sha256,
            ackLine: ack.line,
          },
        }),
      )
    }
    const result: AckResult = {
      sha256,
      rows: acks.length,
      billed: fresh.filter((f) => f.ack.status === 'billed').length,
      rejected: exceptionIds.length,
      unchanged,
      exceptionIds,
    }
    await writeAudit(tx, principal, {
      action: 'finance.cycle_ack.import',
      entity: 'finance.cycle_export_line',
      after: result,
    })
    return result
  })
}

/** Why an acknowledgement cannot apply to the line, 'unchanged' when it was applied before, or null. */
function conflictOf(ack: AckRow, line: Found): string | 'unchanged' | null {
  if (line.status === 'exported') {
    return null
  }
  if (ack.status === 'billed' && line.status === 'billed') {
    return line.cis_bill_id === ack.billId
      ? 'unchanged'
      : `${line.reference} was billed on CIS bill ${line.cis_bill_id} already; an acknowledgement is final`
  }
  if (ack.status === 'rejected' && (line.status === 'rejected' || line.status === 'requeued')) {
    return 'unchanged'
  }
  return `${line.reference} was acknowledged as ${line.status === 'requeued' ? 'rejected' : line.status} already; an acknowledgement is final`
}

export type { RowError }
