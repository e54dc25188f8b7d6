/*
  A bill is one row: its service lines as two parallel arrays, its total beside them. At city
  scale a bill file is 700,000 bills of 4.4 million lines; storing a row per line, with its own
  primary key and account index, was the largest single step of the import. Readers that want
  lines use the view cis.bill_charge, which has the old table's columns.
*/
create table cis.bill (
  bill_id text primary key,
  utility_account_id bigint not null,
  bill_date date not null,
  bill_cycle smallint not null check (bill_cycle between 1 and 21),
  -- each service once
  services cis.service[] not null,
  amounts bigint[] not null,
  total_cents bigint not null,
  import_id bigint not null,
  check (cardinality(services) >= 1 and cardinality(services) = cardinality(amounts))
);
create index on cis.bill (utility_account_id, bill_date desc);

insert into cis.bill
  (bill_id, utility_account_id, bill_date, bill_cycle, services, amounts, total_cents, import_id)
select bill_id, min(utility_account_id), min(bill_date), min(bill_cycle),
       array_agg(service order by service), array_agg(amount_cents order by service),
       sum(amount_cents), min(import_id)
  from cis.bill_charge
 group by bill_id;

drop table cis.bill_charge;

create view cis.bill_charge as
select b.bill_id, l.service, b.utility_account_id, b.bill_date, b.bill_cycle, l.amount_cents,
       b.import_id
  from cis.bill b
  cross join lateral unnest(b.services, b.amounts) as l (service, amount_cents);

-- A city's 770,000 service agreements arrive in one customer file, each joined to its utility
-- account by the import itself; checking the foreign key row by row was a third of that file's
-- import. Utility accounts are never deleted (a closed one keeps its row), so none can dangle.
alter table cis.service_agreement drop constraint service_agreement_utility_account_id_fkey;
