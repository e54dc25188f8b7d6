/*
  Utility bill cycles: a cycle bills once a month; the default calendar (cycle n on the n-th
  weekday of the month, the last weekday when the month has fewer) is filled by one function that
  the app runs for this year and next; the cycle file is written by the database from the stored
  lines, so its bytes and its SHA-256 never depend on who asks.
*/
create unique index bill_cycle_date_month
  on finance.bill_cycle_date (cycle, date_trunc('month', billing_date::timestamp));

-- Fills the months from p_from's to p_to's with the default dates, for every cycle that has no date
-- in a month yet (dates finance set are never moved). Answers how many dates it added.
create function finance.fill_bill_cycle_calendar(p_from date, p_to date) returns int
language sql as $$
  with days as (
    select d::date as day, date_trunc('month', d)::date as month,
           row_number() over (partition by date_trunc('month', d) order by d) as n
      from generate_series(date_trunc('month', p_from::timestamp),
                           date_trunc('month', p_to::timestamp) + interval '1 month - 1 day',
                           interval '1 day') d
     where extract(isodow from d) < 6
  ), months as (
    select month, max(n) as weekdays from days group by month
  ), added as (
    insert into finance.bill_cycle_date (cycle, billing_date)
    select c.cycle, d.day
      from months m
     cross join generate_series(1, 21) c (cycle)
      join days d on d.month = m.month and d.n = least(c.cycle, m.weekdays)
     order by 2, 1
    on conflict do nothing
    returning 1
  )
  select count(*)::int from added
$$;

select finance.fill_bill_cycle_calendar(date_trunc('year', current_date)::date,
                                        (date_trunc('year', current_date) + interval '2 years - 1 day')::date);

-- Cents as the cycle file writes them: dollars with two decimals, '-' for a credit.
create function finance.dollars(p_cents bigint) returns text language sql immutable as $$
  select case when p_cents < 0 then '-' else '' end
         || (abs(p_cents) / 100)::text || '.' || lpad((abs(p_cents) % 100)::text, 2, '0')
$$;

-- One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
create function finance.csv_field(p text) returns text language sql immutable as $$
  select case when p ~ '[",\r\n]' then '"' || replace(p, '"', '""') || '"' else p end
$$;

-- The cycle file: a header and the export's lines by line number, LF line ends, UTF-8.
create function finance.cycle_file(p_export_id bigint) returns text language sql stable as $$
  select 'account_number,charge_code,service,amount,description,reference' || E'\n'
         || coalesce(string_agg(
              l.account_number || ',' || l.charge_code || ',parking,' || finance.dollars(l.amount_cents)
              || ',' || finance.csv_field(l.description) || ',' || l.reference || E'\n',
              '' order by l.line_no), '')
    from finance.cycle_export_line l
   where l.export_id = p_export_id
$$;

-- The lines finance looks for: a status within an export, and a utility account's lines.
create index cycle_export_line_status on finance.cycle_export_line (export_id, status);
create index cis_payment_account on finance.cis_payment (utility_account_id, paid_on);
