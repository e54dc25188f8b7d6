import type { Writable } from 'node:stream'
import type { Tx } from '../../db/connect.ts'
import { postEntries } from '../ledger/post-batch.ts'
import { receivable, type NewEntry } from '../ledger/post.ts'
import type { Applied, ApplyContext, Feed, FoundErrors } from './feed.ts'
import { collectErrors } from './feed.ts'

/** Bills per round trip when reading new bills back to post them. */
const POST_BATCH = 20_000

/**
 * Utility bill charges: one row per service line of a bill. A bill comes whole in one file; a
 * bill imported before is skipped when it is identical and refused when it is not (the CIS
 * corrects a bill with a new bill id). Each new bill is one journal entry.
 */
export const billFeed: Feed = {
  async stage(tx: Tx): Promise<Writable> {
    await tx`drop table if exists pg_temp.cis_stage_bills`
    await tx`
      create temp table cis_stage_bills (
        line int not null,
        bill_id text not null,
        account_number text not null,
        bill_date date not null,
        bill_cycle smallint not null,
        service cis.service not null,
        amount_cents bigint not null
      ) on commit drop`
    return tx`copy pg_temp.cis_stage_bills from stdin`.writable()
  },

  async validate(tx: Tx): Promise<FoundErrors> {
    await tx`analyze pg_temp.cis_stage_bills`
    // bills of this file imported before: skipped when identical, errors when not
    await tx`drop table if exists pg_temp.cis_known_bills`
    await tx`
      create temp table cis_known_bills on commit drop as
      select distinct b.bill_id from cis.bill_charge b
       where b.bill_id in (select bill_id from pg_temp.cis_stage_bills)`
    await tx`analyze pg_temp.cis_known_bills`
    return collectErrors([
      tx`
        select s.line, 'account_number' as field,
               format('there is no utility account %s; import it in a customer file first',
                      s.account_number) as message,
               count(*) over ()::int as total
          from pg_temp.cis_stage_bills s
         where not exists (
           select 1 from cis.utility_account a where a.account_number = s.account_number)
         order by s.line limit 100`,
      // one sort serves both checks: a repeated service, and a bill whose rows disagree
      tx`
        with w as (
          select line, bill_id, service, account_number, bill_date, bill_cycle,
                 lag(service) over b as prev_service, lag(line) over b as prev_line,
                 -- the bill's first line, as text so one min() carries the whole row
                 min(array[lpad(line::text, 10, '0'), account_number, bill_date::text,
                           bill_cycle::text]) over (partition by bill_id) as first
            from pg_temp.cis_stage_bills
          window b as (partition by bill_id order by service, line)
        ), found as (
          select line, 'service' as field,
                 format('bill %s has a second %s line; the first is on line %s', bill_id, service,
                        prev_line) as message
            from w where service = prev_service
          union all
          select line, 'bill_id' as field,
                 format('bill %s has another account, date or cycle than on line %s', bill_id,
                        first[1]::int) as message
            from w
           where array[account_number, bill_date::text, bill_cycle::text] <> first[2:4]
        )
        select line, field, message, count(*) over ()::int as total
          from found order by line limit 100`,
      tx`
        with known as (
          select b.bill_id, b.service, b.amount_cents, a.account_number, b.bill_date, b.bill_cycle,
                 b.import_id
            from cis.bill_charge b
            join cis.utility_account a on a.id = b.utility_account_id
           where b.bill_id in (select bill_id from pg_temp.cis_known_bills)
        ), differs as (
          select s.line, 'amount' as field,
                 format('bill %s was imported before (import %s) with other charges; %s',
                        s.bill_id, k.import_id, 'the CIS corrects a bill with a new bill id')
                   as message
            from pg_temp.cis_stage_bills s
            join (select distinct bill_id, import_id from known) k using (bill_id)
           where not exists (
             select 1 from known x
              where x.bill_id = s.bill_id and x.service = s.service
                and x.amount_cents = s.amount_cents and x.account_number = s.account_number
                and x.bill_date = s.bill_date and x.bill_cycle = s.bill_cycle)
          union all
          select f.line, 'service' as field,
                 format('bill %s was imported before with a %s line that this file lacks',
                        x.bill_id, x.service) as message
            from known x
            join (select bill_id, min(line) as line from pg_temp.cis_stage_bills group by bill_id) f
              using (bill_id)
           where not exists (
             select 1 from pg_temp.cis_stage_bills s
              where s.bill_id = x.bill_id and s.service = x.service)
        )
        select line, field, message, count(*) over ()::int as total
          from differs order by line limit 100`,
    ])
  },

  async apply(tx: Tx, context: ApplyContext): Promise<Applied> {
    const [lines]: [{ n: number }?] = await tx`
      with ins as (
        insert into cis.bill_charge
          (bill_id, service, utility_account_id, bill_date, bill_cycle, amount_cents, import_id)
        select s.bill_id, s.service, a.id, s.bill_date, s.bill_cycle, s.amount_cents,
               ${context.importId}
          from pg_temp.cis_stage_bills s
          join cis.utility_account a on a.account_number = s.account_number
         where s.bill_id not in (select bill_id from pg_temp.cis_known_bills)
         order by s.bill_id, s.service
        returning 1
      )
      select count(*)::int as n from ins`
    context.log(`bill lines stored: ${lines?.n ?? 0}`)
    if ((lines?.n ?? 0) > 100_000) {
      await tx`analyze cis.bill_charge`
    }

    await tx`drop table if exists pg_temp.cis_new_bills`
    await tx`
      create temp table cis_new_bills on commit drop as
      select row_number() over ()::int as n, s.bill_id, a.id as utility_account_id,
             s.bill_date, s.bill_cycle,
             -- unordered, so the grouping can hash instead of sorting millions of lines
             array_agg(s.service::text) as services, array_agg(s.amount_cents::int) as amounts
        from pg_temp.cis_stage_bills s
        join cis.utility_account a on a.account_number = s.account_number
       where s.amount_cents <> 0
         and s.bill_id not in (select bill_id from pg_temp.cis_known_bills)
       group by s.bill_id, a.id, s.bill_date, s.bill_cycle`
    await tx`create index on pg_temp.cis_new_bills (n)`
    const [totals]: [{ bills: number; known: number }?] = await tx`
      select (select count(*) from pg_temp.cis_new_bills)::int as bills,
             (select count(*) from pg_temp.cis_known_bills)::int as known`
    const bills = totals?.bills ?? 0
    context.log(`bills to post: ${bills}`)

    let posted = 0
    for (let from = 0; from < bills; from += POST_BATCH) {
      const rows = await tx<NewBill[]>`
        select bill_id, utility_account_id, bill_cycle, services, amounts,
               (bill_date + time '12:00') at time zone ${context.timeZone} as occurred_at
          from pg_temp.cis_new_bills
         where n > ${from} and n <= ${from + POST_BATCH}
         order by n`
      const results = await postEntries(tx, rows.map(billEntry))
      posted += results.filter((r) => !r.replayed).length
      context.log(`bills posted: ${Math.min(from + POST_BATCH, bills)} of ${bills}`)
    }
    return {
      rowsApplied: lines?.n ?? 0,
      counts: {
        billLines: lines?.n ?? 0,
        bills,
        billsAlreadyImported: totals?.known ?? 0,
        ledgerEntries: posted,
      },
    }
  },
}

interface NewBill {
  bill_id: string
  utility_account_id: number
  bill_cycle: number
  services: string[]
  amounts: number[]
  occurred_at: Date
}

/** Dr the account's receivable, Cr the service's revenue, per line; a credit line flips both. */
export function billEntry(bill: NewBill): NewEntry {
  const lines = bill.services
    .map((service, i) => ({ service, amount: bill.amounts[i] ?? 0 }))
    .sort((a, b) => (a.service < b.service ? -1 : 1))
    .flatMap(({ service, amount }) => [
      { account: receivable.ofUtilityAccount(service, bill.utility_account_id), amount },
      { account: `revenue:${service}`, amount: -amount },
    ])
  return {
    key: `cis-bill:${bill.bill_id}`,
    source: 'cis_bill',
    sourceRef: bill.bill_id,
    description: `Utility bill ${bill.bill_id} (cycle ${bill.bill_cycle})`,
    occurredAt: bill.occurred_at,
    lines,
  }
}
