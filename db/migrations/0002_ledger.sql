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
  reverses bigint unique references ledger.journal_entry (id)
);
create index on ledger.journal_entry (source, source_ref);
create index on ledger.journal_entry (occurred_at);

create table ledger.posting (
  id bigint generated always as identity primary key,
  entry_id bigint not null references ledger.journal_entry (id),
  account_id bigint not null references ledger.account (id),
  amount bigint not null check (amount <> 0)
);
create index on ledger.posting (entry_id);
create index posting_account on ledger.posting (account_id, entry_id);

-- Balances in O(1): each account's balance is the sum of at most 16 stripe rows. A posting adds
-- to the stripe of its database session, so concurrent postings to one busy revenue account
-- rarely wait on the same row lock.
create table ledger.account_balance (
  account_id bigint not null references ledger.account (id),
  stripe smallint not null check (stripe between 0 and 15),
  balance bigint not null,
  primary key (account_id, stripe)
);

-- Signed amounts: debits positive, credits negative. Every entry sums to zero.
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
  return null;
end $$;

create constraint trigger journal_entry_balanced
  after insert on ledger.journal_entry
  deferrable initially deferred
  for each row execute function ledger.check_entry_balanced();

-- Postings join only an entry written by the same transaction, and keep the stripes current.
create function ledger.after_postings() returns trigger language plpgsql as $$
begin
  if exists (
    select 1 from new_rows n join ledger.journal_entry e on e.id = n.entry_id
     where e.posted_at <> transaction_timestamp()
  ) then
    raise exception 'postings may only be added to an entry in the transaction that creates it'
      using errcode = '23514';
  end if;
  insert into ledger.account_balance (account_id, stripe, balance)
  select account_id, pg_backend_pid() % 16, sum(amount)
    from new_rows group by account_id order by account_id
  on conflict (account_id, stripe) do update
    set balance = ledger.account_balance.balance + excluded.balance;
  return null;
end $$;

create trigger posting_after_insert
  after insert on ledger.posting
  referencing new table as new_rows
  for each statement execute function ledger.after_postings();

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

-- Balance stripes change only through postings.
create function ledger.guard_balance() returns trigger language plpgsql as $$
begin
  if pg_trigger_depth() < 2 then
    raise exception 'account balances change only by posting to the ledger' using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger account_balance_guard before insert or update or delete on ledger.account_balance
  for each row execute function ledger.guard_balance();

/*
  Posts one entry in one round trip. Accounts are given by code; the receivable accounts of
  customers and utility accounts ('ar:<fund>:cu:<id>', 'ar:<fund>:ua:<id>') are opened on first
  use. A key seen before returns the original entry (replayed = true) when the body matches,
  and raises 'idempotency_conflict' when it does not.
*/
create function ledger.post_entry(
  p_key text, p_body_hash text, p_source text, p_source_ref text, p_description text,
  p_occurred_at timestamptz, p_codes text[], p_amounts bigint[], p_reverses bigint default null
) returns table (entry_id bigint, replayed boolean) language plpgsql as $$
declare
  v_id bigint;
  v_hash text;
  v_missing text;
begin
  insert into ledger.journal_entry
    (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses)
  values (p_key, p_body_hash, p_source, p_source_ref, p_description, p_occurred_at, p_reverses)
  on conflict (idempotency_key) do nothing
  returning id into v_id;

  if v_id is null then
    select e.id, e.body_hash into v_id, v_hash from ledger.journal_entry e
     where e.idempotency_key = p_key;
    if v_hash <> p_body_hash then
      raise exception 'idempotency key % was used for a different entry', p_key
        using errcode = 'P0409';
    end if;
    return query select v_id, true;
    return;
  end if;

  if array_length(p_codes, 1) is distinct from array_length(p_amounts, 1) then
    raise exception 'codes and amounts differ in length' using errcode = '22023';
  end if;

  perform ledger.open_receivables(p_codes);

  select c into v_missing from unnest(p_codes) c
   where not exists (select 1 from ledger.account a where a.code = c) limit 1;
  if v_missing is not null then
    raise exception 'no ledger account %', v_missing using errcode = 'P0404';
  end if;

  insert into ledger.posting (entry_id, account_id, amount)
  select v_id, a.id, l.amount
    from unnest(p_codes, p_amounts) as l (code, amount)
    join ledger.account a on a.code = l.code;

  return query select v_id, false;
end $$;

-- Opens receivable accounts named in codes that do not exist yet.
create function ledger.open_receivables(p_codes text[]) returns void language sql as $$
  insert into ledger.account (code, name, type, fund, customer_id, utility_account_id)
  select m.code,
         initcap(replace(m.fund, '_', ' ')) || ' receivable',
         'asset', m.fund::ledger.fund,
         case when m.owner = 'cu' then m.owner_id end,
         case when m.owner = 'ua' then m.owner_id end
    from (
      select c as code, (regexp_match(c, '^ar:([a-z_]+):(cu|ua):(\d+)$')) as p
        from unnest(p_codes) c
    ) r
    cross join lateral (select r.code, r.p[1] as fund, r.p[2] as owner, r.p[3]::bigint as owner_id) m
   where r.p is not null
     and not exists (select 1 from ledger.account a where a.code = r.code)
  on conflict (code) do nothing
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
