import type { Writable } from 'node:stream'
import type { Tx } from '../../db/connect.ts'
import { postStaged } from '../ledger/post-batch.ts'
import type { Applied, ApplyContext, Feed, FoundErrors } from './feed.ts'
import { collectErrors } from './feed.ts'

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
      select b.bill_id from cis.bill b
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
      // a repeated service, and a bill whose rows disagree: hashing finds the suspect bills
      // (sorting millions of lines cost four times as much), a sort of their lines words it
      tx`
        with suspect as materialized (
          select bill_id from pg_temp.cis_stage_bills
           group by bill_id, service having count(*) > 1
          union
          select bill_id from pg_temp.cis_stage_bills
           group by bill_id
          having min(account_number) <> max(account_number) or min(bill_date) <> max(bill_date)
              or min(bill_cycle) <> max(bill_cycle)
        ), w as (
          select line, bill_id, service, account_number, bill_date, bill_cycle,
                 lag(service) over b as prev_service, lag(line) over b as prev_line,
                 -- the bill's first line, as text so one min() carries the whole row
                 min(array[lpad(line::text, 10, '0'), account_number, bill_date::text,
                           bill_cycle::text]) over (partition by bill_id) as first
            from pg_temp.cis_stage_bills
           where bill_id in (select bill_id from suspect)
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
    // a bill is one row, its lines in file order: both arrays are filled from the same rows in the
    // same order, and a hash aggregate needs no sort of millions of lines (validation has made
    // each service unique within its bill)
    const [stored]: [{ lines: number; bills: number }?] = await tx`
      with ins as (
        insert into cis.bill
          (bill_id, utility_account_id, bill_date, bill_cycle, services, amounts, total_cents,
           import_id)
        select s.bill_id, a.id, s.bill_date, s.bill_cycle,
               array_agg(s.service), array_agg(s.amount_cents),
               sum(s.amount_cents), ${context.importId}
          from pg_temp.cis_stage_bills s
          join cis.utility_account a on a.account_number = s.account_number
         where s.bill_id not in (select bill_id from pg_temp.cis_known_bills)
         group by s.bill_date, s.bill_cycle, s.bill_id, a.id
         -- stored run by run, so that the run's ledger lines are read, staged and posted in the
         -- order of their entries and the posting key is filled at its end
         order by s.bill_date, s.bill_cycle, s.bill_id
        returning cardinality(services) as lines
      )
      select coalesce(sum(lines), 0)::int as lines, count(*)::int as bills from ins`
    const lines = stored?.lines ?? 0
    context.log(`bill lines stored: ${lines}`)
    if (lines > 100_000) {
      await tx`analyze cis.bill`
    }

    // One entry per bill run (bill date and cycle), as a utility's billing journal posts it: Dr
    // each account's receivable per service line, naming its bill, Cr revenue per service. Read
    // from this import's bill rows, whose lines are unnested once into a temporary table that
    // carries the number of their run, so the joins below are on single columns.
    await tx`drop table if exists pg_temp.cis_runs`
    await tx`
      create temp table cis_runs on commit drop as
      select row_number() over (order by bill_date, bill_cycle)::int as n, bill_date, bill_cycle,
             format('%s:%s:%s', ${context.importId}::bigint, bill_date, bill_cycle) as ref
        from (select distinct bill_date, bill_cycle from cis.bill
               -- zero lines are kept with their bill but post nothing
               where import_id = ${context.importId} and not amounts <@ '{0}'::bigint[]) r`
    await tx`analyze pg_temp.cis_runs`
    await tx`drop table if exists pg_temp.cis_new_lines`
    await tx`
      create temp table cis_new_lines on commit drop as
      select r.n, b.bill_id, b.utility_account_id as ua, b.bill_cycle,
             l.service::text::ledger.fund as fund, l.amount
        from cis.bill b
        join pg_temp.cis_runs r using (bill_date, bill_cycle)
        cross join lateral unnest(b.services, b.amounts) as l (service, amount)
       where b.import_id = ${context.importId} and l.amount <> 0`
    await tx`analyze pg_temp.cis_new_lines`
    await tx`select ledger.create_stage()`
    const [staged]: [{ runs: number; known: number }?] = await tx`
      with run as (
        insert into pg_temp.ledger_stage_entry
          (n, idempotency_key, body_hash, source, source_ref, description, occurred_at)
        -- the run's content is its share of this file: the file's digest and the run name it
        select n, 'cis-bills:' || ref,
               encode(sha256(convert_to(format('%s:%s:%s',
                 (select sha256 from cis.import where id = ${context.importId}), bill_date,
                 bill_cycle), 'UTF8')), 'hex'),
               'cis_bill_run', ref,
               format('Utility bills, cycle %s, billed %s', bill_cycle, bill_date),
               (bill_date + time '12:00') at time zone ${context.timeZone}
          from pg_temp.cis_runs
        returning 1
      )
      select (select count(*) from run)::int as runs,
             (select count(*) from pg_temp.cis_known_bills)::int as known`
    await tx`
      select ledger.open_utility_receivables(array_agg(ua), array_agg(fund))
        from (select distinct ua, fund from pg_temp.cis_new_lines) x
       where not exists (
         select from ledger.account r where r.utility_account_id = x.ua and r.fund = x.fund)`
    await tx`
      insert into pg_temp.ledger_stage_line (n, account_id, amount, memo)
      select l.n, ar.id, l.amount, format('Utility bill %s (cycle %s)', l.bill_id, l.bill_cycle)
        from pg_temp.cis_new_lines l
        join ledger.account ar on ar.utility_account_id = l.ua and ar.fund = l.fund`
    await tx`
      insert into pg_temp.ledger_stage_line (n, code, amount)
      select l.n, 'revenue:' || l.fund, -sum(l.amount)
        from pg_temp.cis_new_lines l
       group by l.n, l.fund
      having sum(l.amount) <> 0`
    context.log(`bill runs staged: ${staged?.runs ?? 0} (${stored?.bills ?? 0} bills)`)
    const results = await postStaged(tx)
    const posted = results.filter((r) => !r.replayed).length
    context.log(`bill runs posted: ${posted}`)
    const bills = stored?.bills ?? 0
    return {
      rowsApplied: lines,
      counts: {
        billLines: lines,
        bills,
        billsAlreadyImported: staged?.known ?? 0,
        ledgerEntries: posted,
      },
    }
  },
}
