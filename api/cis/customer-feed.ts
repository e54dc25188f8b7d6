import type { Writable } from 'node:stream'
import type { Tx } from '../../db/connect.ts'
import type { Applied, ApplyContext, Feed, FoundErrors } from './feed.ts'
import { collectErrors } from './feed.ts'

/**
 * Customers, premises, utility accounts, holders and service agreements: one row per service
 * agreement (or per holder without one). Rows are staged, checked against each other, then
 * upserted by the CIS's ids; a record whose values did not change is not touched.
 */
export const customerFeed: Feed = {
  async stage(tx: Tx): Promise<Writable> {
    await tx`drop table if exists pg_temp.cis_stage_customers`
    await tx`
      create temp table cis_stage_customers (
        line int not null,
        cis_customer_id text not null,
        customer_name text not null,
        email text,
        phone text,
        mailing_address text,
        premise_id text not null,
        service_address text not null,
        city text not null,
        state text not null,
        zip text not null,
        lat double precision,
        lon double precision,
        account_number text not null,
        bill_cycle smallint not null,
        account_status text not null,
        opened_on date not null,
        closed_on date,
        relationship text,
        agreement_id text,
        service cis.service,
        agreement_status text,
        start_on date,
        end_on date
      ) on commit drop`
    return tx`copy pg_temp.cis_stage_customers from stdin`.writable()
  },

  async validate(tx: Tx): Promise<FoundErrors> {
    await tx`analyze pg_temp.cis_stage_customers`
    return collectErrors([
      tx`
        with f as (
          select distinct on (cis_customer_id)
                 cis_customer_id, line, customer_name, email, phone, mailing_address
            from pg_temp.cis_stage_customers order by cis_customer_id, line)
        select s.line, 'cis_customer_id' as field,
               format('customer %s has another name, email, phone or mailing address on line %s',
                      s.cis_customer_id, f.line) as message,
               count(*) over ()::int as total
          from pg_temp.cis_stage_customers s join f using (cis_customer_id)
         where (s.customer_name, s.email, s.phone, s.mailing_address)
               is distinct from (f.customer_name, f.email, f.phone, f.mailing_address)
         order by s.line limit 100`,
      tx`
        with f as (
          select distinct on (premise_id)
                 premise_id, line, service_address, city, state, zip, lat, lon
            from pg_temp.cis_stage_customers order by premise_id, line)
        select s.line, 'premise_id' as field,
               format('premise %s has another address or location on line %s', s.premise_id, f.line)
                 as message,
               count(*) over ()::int as total
          from pg_temp.cis_stage_customers s join f using (premise_id)
         where (s.service_address, s.city, s.state, s.zip, s.lat, s.lon)
               is distinct from (f.service_address, f.city, f.state, f.zip, f.lat, f.lon)
         order by s.line limit 100`,
      tx`
        with f as (
          select distinct on (account_number)
                 account_number, line, premise_id, bill_cycle, account_status, opened_on, closed_on
            from pg_temp.cis_stage_customers order by account_number, line)
        select s.line, 'account_number' as field,
               format('account %s has another premise, cycle, status or dates on line %s',
                      s.account_number, f.line) as message,
               count(*) over ()::int as total
          from pg_temp.cis_stage_customers s join f using (account_number)
         where (s.premise_id, s.bill_cycle, s.account_status, s.opened_on, s.closed_on)
               is distinct from (f.premise_id, f.bill_cycle, f.account_status, f.opened_on,
                                 f.closed_on)
         order by s.line limit 100`,
      tx`
        with f as (
          select distinct on (account_number, cis_customer_id)
                 account_number, cis_customer_id, line,
                 coalesce(relationship, 'primary') as relationship
            from pg_temp.cis_stage_customers order by account_number, cis_customer_id, line)
        select s.line, 'relationship' as field,
               format('customer %s holds account %s as %s on line %s', s.cis_customer_id,
                      s.account_number, f.relationship, f.line) as message,
               count(*) over ()::int as total
          from pg_temp.cis_stage_customers s join f using (account_number, cis_customer_id)
         where coalesce(s.relationship, 'primary') <> f.relationship
         order by s.line limit 100`,
      tx`
        select line, 'agreement_id' as field,
               format('agreement %s appears more than once; first on line %s', agreement_id, first)
                 as message,
               count(*) over ()::int as total
          from (
            select line, agreement_id, min(line) over (partition by agreement_id) as first
              from pg_temp.cis_stage_customers where agreement_id is not null
          ) d
         where line <> first
         order by line limit 100`,
    ])
  },

  async apply(tx: Tx, context: ApplyContext): Promise<Applied> {
    await tx`drop table if exists pg_temp.cis_changed`
    await tx`create temp table cis_changed (kind text not null, key text not null) on commit drop`

    const [customers]: [Upserted?] = await tx`
      with src as (
        select distinct on (cis_customer_id)
               cis_customer_id, customer_name, email, phone, mailing_address
          from pg_temp.cis_stage_customers order by cis_customer_id, line
      ), up as (
        insert into cis.customer as c (cis_customer_id, name, email, phone, mailing_address)
        select cis_customer_id, customer_name, email, phone, mailing_address from src
        on conflict (cis_customer_id) do update
          set name = excluded.name, email = excluded.email, phone = excluded.phone,
              mailing_address = excluded.mailing_address, updated_at = now()
          where (c.name, c.email, c.phone, c.mailing_address)
                is distinct from (excluded.name, excluded.email, excluded.phone,
                                  excluded.mailing_address)
        returning c.cis_customer_id, c.xmax = 0 as inserted
      ), mark as (
        insert into pg_temp.cis_changed (kind, key) select 'customer', cis_customer_id from up
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
        from up`
    context.log(`customers upserted`)

    const [premises]: [Upserted?] = await tx`
      with src as (
        select distinct on (premise_id) premise_id, service_address, city, state, zip, lat, lon
          from pg_temp.cis_stage_customers order by premise_id, line
      ), up as (
        insert into cis.premise as p (cis_premise_id, address, city, state, zip, lat, lon)
        select premise_id, service_address, city, state, zip, lat, lon from src
        on conflict (cis_premise_id) do update
          set address = excluded.address, city = excluded.city, state = excluded.state,
              zip = excluded.zip, lat = excluded.lat, lon = excluded.lon, updated_at = now()
          where (p.address, p.city, p.state, p.zip, p.lat, p.lon)
                is distinct from (excluded.address, excluded.city, excluded.state, excluded.zip,
                                  excluded.lat, excluded.lon)
        returning p.cis_premise_id, p.xmax = 0 as inserted
      ), mark as (
        insert into pg_temp.cis_changed (kind, key) select 'premise', cis_premise_id from up
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
        from up`
    context.log(`premises upserted`)

    const [accounts]: [Upserted?] = await tx`
      with src as (
        select distinct on (account_number)
               account_number, premise_id, bill_cycle, account_status, opened_on, closed_on
          from pg_temp.cis_stage_customers order by account_number, line
      ), up as (
        insert into cis.utility_account as a
          (account_number, premise_id, bill_cycle, status, opened_on, closed_on)
        select s.account_number, p.id, s.bill_cycle, s.account_status, s.opened_on, s.closed_on
          from src s join cis.premise p on p.cis_premise_id = s.premise_id
        on conflict (account_number) do update
          set premise_id = excluded.premise_id, bill_cycle = excluded.bill_cycle,
              status = excluded.status, opened_on = excluded.opened_on,
              closed_on = excluded.closed_on, updated_at = now()
          where (a.premise_id, a.bill_cycle, a.status, a.opened_on, a.closed_on)
                is distinct from (excluded.premise_id, excluded.bill_cycle, excluded.status,
                                  excluded.opened_on, excluded.closed_on)
        returning a.account_number, a.xmax = 0 as inserted
      ), mark as (
        insert into pg_temp.cis_changed (kind, key) select 'account', account_number from up
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
        from up`
    context.log(`accounts upserted`)

    const [holders]: [Upserted?] = await tx`
      with src as (
        select distinct on (account_number, cis_customer_id)
               account_number, cis_customer_id, coalesce(relationship, 'primary') as relationship
          from pg_temp.cis_stage_customers order by account_number, cis_customer_id, line
      ), up as (
        insert into cis.account_holder as h (customer_id, utility_account_id, relationship)
        select c.id, a.id, s.relationship
          from src s
          join cis.customer c on c.cis_customer_id = s.cis_customer_id
          join cis.utility_account a on a.account_number = s.account_number
        on conflict (customer_id, utility_account_id) do update
          set relationship = excluded.relationship
          where h.relationship is distinct from excluded.relationship
        returning h.customer_id, h.utility_account_id, h.xmax = 0 as inserted
      ), mark as (
        insert into pg_temp.cis_changed (kind, key)
        select 'holder', customer_id || ':' || utility_account_id from up
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
        from up`
    context.log(`holders upserted`)

    const [agreements]: [Upserted?] = await tx`
      with up as (
        insert into cis.service_agreement as g
          (cis_agreement_id, utility_account_id, service, status, start_on, end_on)
        select s.agreement_id, a.id, s.service, s.agreement_status, s.start_on, s.end_on
          from pg_temp.cis_stage_customers s
          join cis.utility_account a on a.account_number = s.account_number
         where s.agreement_id is not null
        on conflict (cis_agreement_id) do update
          set utility_account_id = excluded.utility_account_id, service = excluded.service,
              status = excluded.status, start_on = excluded.start_on, end_on = excluded.end_on,
              updated_at = now()
          where (g.utility_account_id, g.service, g.status, g.start_on, g.end_on)
                is distinct from (excluded.utility_account_id, excluded.service, excluded.status,
                                  excluded.start_on, excluded.end_on)
        returning g.cis_agreement_id, g.xmax = 0 as inserted
      ), mark as (
        insert into pg_temp.cis_changed (kind, key) select 'agreement', cis_agreement_id from up
      )
      select count(*) filter (where inserted)::int as inserted,
             count(*) filter (where not inserted)::int as updated
        from up`
    context.log(`agreements upserted`)

    // a row counts as applied when anything it describes was inserted or changed
    const [applied]: [{ n: number }?] = await tx`
      with changed as (select kind, key from pg_temp.cis_changed)
      select count(*)::int as n
        from pg_temp.cis_stage_customers s
        left join cis.customer c on c.cis_customer_id = s.cis_customer_id
        left join cis.utility_account a on a.account_number = s.account_number
       where s.cis_customer_id in (select key from changed where kind = 'customer')
          or s.premise_id in (select key from changed where kind = 'premise')
          or s.account_number in (select key from changed where kind = 'account')
          or s.agreement_id in (select key from changed where kind = 'agreement')
          or (c.id || ':' || a.id) in (select key from changed where kind = 'holder')`

    if ((applied?.n ?? 0) > 10_000) {
      // a big load changes the tables' shape; the bill file that follows plans better for knowing
      await tx`
        analyze cis.customer, cis.premise, cis.utility_account, cis.account_holder,
                cis.service_agreement`
    }
    const counts: Record<string, number> = {}
    const all = { customers, premises, accounts, holders, agreements }
    for (const [name, u] of Object.entries(all)) {
      counts[`${name}Inserted`] = u?.inserted ?? 0
      counts[`${name}Updated`] = u?.updated ?? 0
    }
    return { rowsApplied: applied?.n ?? 0, counts }
  },
}

interface Upserted {
  inserted: number
  updated: number
}
