-- Double-entry ledger. Append-only: corrections are reversing entries.
create schema ledger;

create type ledger.fund as enum
  ('parking', 'electric', 'water', 'sewer', 'gas', 'solid_waste', 'stormwater', 'fire', 'general');

create type ledger.account_type as enum ('asset', 'liability', 'revenue', 'expense', 'equity');

create table ledger.account (
  id bigint generated always as identity primary key,
  code text not null unique,
  name text not null,
  type ledger.account_type not null,
  fund ledger.fund not null,
  -- receivables belong to a utility account (billed with its cycle) or directly to a customer
  customer_id bigint references cis.customer (id),
  utility_account_id bigint references cis.utility_account (id),
  created_at timestamptz not null default now(),
  check (num_nonnulls(customer_id, utility_account_id) <= 1)
);
create index on ledger.account (customer_id) where customer_id is not null;
create index on ledger.account (utility_account_id) where utility_account_id is not null;

create table ledger.journal_entry (
  id bigint generated always as identity primary key,
  idempotency_key text not null unique,
  -- sha256 of the entry's content, so a replayed key with a different body is caught
  body_hash text not null,
  source text not null,
  source_ref text,
  description text not null,
  occurred_at timestamptz not null,
  posted_at timestamptz not null default transaction_timestamp(),
  -- the writing transaction, so postings can only join an entry of their own transaction
  tx xid8 not null default pg_current_xact_id(),
  reverses bigint references ledger.journal_entry (id)
);
-- Entries are found by idempotency key (which names the source and its reference) or by date.
-- BRIN for the date: entries arrive roughly in time order, and it costs the writer next to nothing.
create index journal_entry_occurred_at on ledger.journal_entry using brin (occurred_at);
-- an entry is reversed at most once; partial, so ordinary entries add nothing to the index
create unique index journal_entry_reverses_key on ledger.journal_entry (reverses)
  where reverses is not null;

-- No foreign keys: post_entry resolves accounts itself and the posting trigger checks the entry,
-- while every account gets a stripe row whose own key is checked. An FK here would share-lock the
-- busy revenue account's row on every posting, a multixact per concurrent writer.
create table ledger.posting (
  id bigint generated always as identity,
  entry_id bigint not null,
  account_id bigint not null,
  amount bigint not null check (amount <> 0),
  primary key (entry_id, id)
);
create index posting_account on ledger.posting (account_id, entry_id);

-- Balances in O(1): an account's balance is the sum of at most 64 stripe rows. A posting adds to
-- the stripe of its database session (backend pid mod 64), so concurrent postings to one busy
-- revenue account do not queue on one row lock. Free space on each page keeps updates HOT.
create table ledger.account_balance (
  account_id bigint not null references ledger.account (id),
  stripe smallint not null check (stripe between 0 and 63),
  balance bigint not null,
  primary key (account_id, stripe)
) with (fillfactor = 50);

-- Signed amounts: debits positive, credits negative. Every entry sums to zero, and a reversal
-- is the exact negation of the entry it reverses.
create function ledger.check_entry_balanced() returns trigger language plpgsql as $$
declare
  total bigint;
  lines int;
begin
  select coalesce(sum(amount), 0), count(*) into total, lines
    from ledger.posting where entry_id = new.id;
  if lines < 2 then
    raise exception 'journal entry % has % posting(s); an entry needs at least two', new.id, lines
      using errcode = '23514';
  end if;
  if total <> 0 then
    raise exception 'journal entry % does not balance: postings sum to %', new.id, total
      using errcode = '23514';
  end if;
  if new.reverses is null then
    return null;
  end if;
  if exists (
    (select account_id, -amount from ledger.posting where entry_id = new.reverses
     except all
     select account_id, amount from ledger.posting where entry_id = new.id)
    union all
    (select account_id, amount from ledger.posting where entry_id = new.id
     except all
     select account_id, -amount from ledger.posting where entry_id = new.reverses)
  ) then
    raise exception 'journal entry % is not the negation of entry % that it reverses',
      new.id, new.reverses using errcode = '23514';
  end if;
  return null;
end $$;

create constraint trigger journal_entry_balanced
  after insert on ledger.journal_entry
  deferrable initially deferred
  for each row execute function ledger.check_entry_balanced();

/*
  Postings inserted by any statement other than post_entry's: they may only join an entry written
  by the same transaction, and they move the stripes. One statement, so a set-based load pays once;
  the entry check is a correlated subquery per entry, so its cached plan stays an index lookup
  whatever the size of the first batch a session sees.
*/
create function ledger.after_postings() returns trigger language plpgsql as $$
begin
  with foreign_entry as (
    select d.entry_id from (select distinct entry_id from new_rows) d
     where (select e.tx from ledger.journal_entry e where e.id = d.entry_id)
           is distinct from pg_current_xact_id()
     limit 1
  )
  insert into ledger.account_balance (account_id, stripe, balance)
  select n.account_id, pg_backend_pid() % 64, sum(n.amount)
    from new_rows n
   where not exists (select from foreign_entry f where ledger.reject_foreign_posting(f.entry_id))
   group by n.account_id order by n.account_id
  on conflict (account_id, stripe) do update
    set balance = ledger.account_balance.balance + excluded.balance;
  return null;
end $$;

create function ledger.reject_foreign_posting(p_entry_id bigint) returns boolean
language plpgsql as $$
begin
  raise exception 'postings may only be added to an entry in the transaction that creates it (entry %)',
    p_entry_id using errcode = '23514';
end $$;

-- post_entry moves the stripes itself in the statement that inserts its postings and marks that
-- statement, which spares the hottest path a trigger call; every other insert goes through here.
create trigger posting_after_insert
  after insert on ledger.posting
  referencing new table as new_rows
  for each statement
  when (current_setting('ledger.posting_statement', true)
        is distinct from statement_timestamp()::text)
  execute function ledger.after_postings();

create function ledger.reject_change() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is not allowed; post a reversing entry',
    tg_op, tg_table_name using errcode = '42501';
end $$;

create trigger journal_entry_append_only before update or delete on ledger.journal_entry
  for each row execute function ledger.reject_change();
create trigger journal_entry_no_truncate before truncate on ledger.journal_entry
  for each statement execute function ledger.reject_change();
create trigger posting_append_only before update or delete on ledger.posting
  for each row execute function ledger.reject_change();
create trigger posting_no_truncate before truncate on ledger.posting
  for each statement execute function ledger.reject_change();
-- postings rely on accounts staying put (they carry no foreign key)
create trigger account_no_delete before delete on ledger.account
  for each row execute function ledger.reject_change();
create trigger account_no_truncate before truncate on ledger.account
  for each statement execute function ledger.reject_change();
create function ledger.reject_account_id_change() returns trigger language plpgsql as $$
begin
  raise exception 'ledger account ids never change' using errcode = '42501';
end $$;
create trigger account_id_fixed before update of id on ledger.account
  for each row execute function ledger.reject_account_id_change();

-- Balance stripes change only through postings: in the posting trigger (depth 1) or in
-- post_entry's marked statement.
create function ledger.reject_balance_write() returns trigger language plpgsql as $$
begin
  raise exception 'account balances change only by posting to the ledger' using errcode = '42501';
end $$;
create trigger account_balance_guard
  before insert or update or delete on ledger.account_balance
  for each statement
  when (pg_trigger_depth() < 1
        and current_setting('ledger.posting_statement', true)
            is distinct from statement_timestamp()::text)
  execute function ledger.reject_balance_write();
create trigger account_balance_no_truncate before truncate on ledger.account_balance
  for each statement execute function ledger.reject_balance_write();

/*
  Posts one entry in one round trip. Accounts are given by code; the receivable accounts of
  customers and utility accounts ('ar:<fund>:cu:<id>', 'ar:<fund>:ua:<id>') are opened on first
  use. A key seen before returns the original entry (replayed = true) when the body matches,
  and raises 'idempotency_conflict' when it does not.
*/
create function ledger.post_entry(
  p_key text, p_body_hash text, p_source text, p_source_ref text, p_description text,
  p_occurred_at timestamptz, p_codes text[], p_amounts bigint[], p_reverses bigint default null
) returns table (entry_id bigint, replayed boolean) language plpgsql
-- a custom plan per call would be re-planned every time: the array lengths make it look cheaper
set plan_cache_mode = force_generic_plan as $$
declare
  v_hash text;
begin
  if cardinality(p_codes) is distinct from cardinality(p_amounts) then
    raise exception 'codes and amounts differ in length' using errcode = '22023';
  end if;

  insert into ledger.journal_entry
    (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses)
  values (p_key, p_body_hash, p_source, p_source_ref, p_description, p_occurred_at, p_reverses)
  on conflict (idempotency_key) do nothing
  returning id into entry_id;

  if entry_id is null then
    select e.id, e.body_hash into entry_id, v_hash from ledger.journal_entry e
     where e.idempotency_key = p_key;
    if v_hash <> p_body_hash then
      raise exception 'idempotency key % was used for a different entry', p_key
        using errcode = 'P0409';
    end if;
    replayed := true;
    return next;
    return;
  end if;

  -- the mark lasts for this one statement: the posting trigger stands aside, the guard lets the
  -- stripes through; coalesce opens a receivable only for a code with no account yet
  perform set_config('ledger.posting_statement', statement_timestamp()::text, true);
  with lines as (
    insert into ledger.posting (entry_id, account_id, amount)
    select post_entry.entry_id,
           coalesce((select a.id from ledger.account a where a.code = l.code),
                    ledger.open_receivable(l.code)),
           l.amount
      from unnest(p_codes, p_amounts) as l (code, amount)
    returning account_id, amount
  )
  insert into ledger.account_balance (account_id, stripe, balance)
  select account_id, pg_backend_pid() % 64, sum(amount)
    from lines group by account_id order by account_id
  on conflict (account_id, stripe) do update
    set balance = ledger.account_balance.balance + excluded.balance;
  perform set_config('ledger.posting_statement', '', true);

  replayed := false;
  return next;
end $$;

-- Opens the receivable accounts named in codes ('ar:<fund>:cu:<id>', 'ar:<fund>:ua:<id>') that
-- do not exist yet; other codes are left alone.
create function ledger.open_receivables(p_codes text[]) returns void language plpgsql as $$
begin
  insert into ledger.account (code, name, type, fund, customer_id, utility_account_id)
  select r.code,
         initcap(replace(r.p[1], '_', ' ')) || ' receivable',
         'asset', r.p[1]::ledger.fund,
         case when r.p[2] = 'cu' then r.p[3]::bigint end,
         case when r.p[2] = 'ua' then r.p[3]::bigint end
    from (
      -- offset 0 keeps the subquery whole, so each code's regexp runs once, not once per use
      select c as code, regexp_match(c, '^ar:([a-z_]+):(cu|ua):(\d+)$') as p
        from unnest(p_codes) c
      offset 0
    ) r
   where r.p is not null
     and not exists (select 1 from ledger.account a where a.code = r.code)
  on conflict (code) do nothing;
end $$;

-- The id of the account with this code, opening it when it is a receivable; else P0404.
create function ledger.open_receivable(p_code text) returns bigint language plpgsql as $$
declare
  v_id bigint;
begin
  perform ledger.open_receivables(array[p_code]);
  select a.id into v_id from ledger.account a where a.code = p_code;
  if v_id is null then
    raise exception 'no ledger account %', p_code using errcode = 'P0404';
  end if;
  return v_id;
end $$;

-- The receivable accounts a customer answers for: their own and those of the utility accounts they
-- hold. Parallel unsafe on purpose: a query that reads through it stays serial, as its few hundred
-- rows take less time than starting parallel workers would.
create function ledger.customer_accounts(p_customer_id bigint)
returns table (account_id bigint, code text, fund ledger.fund, utility_account_number text)
language sql stable parallel unsafe as $$
  select a.id, a.code, a.fund, null::text
    from ledger.account a
   where a.customer_id = p_customer_id
  union all
  select a.id, a.code, a.fund, u.account_number::text
    from cis.account_holder h
    join cis.utility_account u on u.id = h.utility_account_id
    join ledger.account a on a.utility_account_id = u.id
   where h.customer_id = p_customer_id
$$;

-- The house accounts every city needs from day one. Revenue per facility is added by parking.
insert into ledger.account (code, name, type, fund) values
  ('revenue:electric', 'Electric service revenue', 'revenue', 'electric'),
  ('revenue:water', 'Water service revenue', 'revenue', 'water'),
  ('revenue:sewer', 'Sewer service revenue', 'revenue', 'sewer'),
  ('revenue:gas', 'Gas service revenue', 'revenue', 'gas'),
  ('revenue:solid_waste', 'Solid waste service revenue', 'revenue', 'solid_waste'),
  ('revenue:stormwater', 'Stormwater service revenue', 'revenue', 'stormwater'),
  ('revenue:fire', 'Fire service revenue', 'revenue', 'fire'),
  ('revenue:parking', 'Parking revenue', 'revenue', 'parking'),
  ('clearing:stripe', 'Stripe clearing', 'asset', 'general'),
  ('cash:kiosk', 'Kiosk cash on hand', 'asset', 'parking'),
  ('cash:utility_payments', 'Utility payments received (CIS)', 'asset', 'general'),
  ('bank:operating', 'Operating bank account', 'asset', 'general'),
  ('expense:stripe_fees', 'Card processing fees', 'expense', 'general'),
  ('equity:opening_balances', 'Opening balances', 'equity', 'general');
