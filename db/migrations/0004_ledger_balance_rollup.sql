/*
  Balances leave the posting transaction.

  The ledger's own functions (post_entry, post_staged, roll_up_balances) mark the statements they
  run in: the transaction-local setting ledger.own_statement holds that statement's timestamp while
  they write, which lets that statement, and no other, past the guards below.

  Measured with bench:ledger (32 clients, one entry per transaction, half on revenue:parking):
  upserting a balance stripe in every posting transaction cost about a quarter of the throughput
  of plain inserts, and the commit-time balance check queued for every entry about a fifth. Now:

  - ledger.account_balance holds each account's balance up to a watermark transaction id. Only
    ledger.roll_up_balances() writes it; the jobs process runs it every second.
  - A balance read adds the postings of transactions at or after the watermark, found by the
    index on (account_id, tx): a second or two of postings while the roll-up runs. The read is
    exact at any moment, rolled up or not.
  - post_entry checks an entry's lines as it writes them and seals the entry: no other statement
    may add postings to a sealed entry, so the deferred check is queued only for entries written
    some other way (set-based loads, reversals, hand-written SQL).
*/

-- Postings carry their transaction id (as bigint: BRIN has no operator class for xid8), so a
-- balance read can find the postings the last roll-up did not include.
alter table ledger.posting add column tx bigint;
alter table ledger.posting disable trigger posting_append_only;
update ledger.posting p set tx = e.tx::text::bigint
  from ledger.journal_entry e where e.id = p.entry_id;
alter table ledger.posting enable trigger posting_append_only;
alter table ledger.posting
  alter column tx set default pg_current_xact_id()::text::bigint,
  alter column tx set not null;

drop index ledger.posting_account;
create index posting_account on ledger.posting (account_id, tx);
-- The roll-up reads postings by transaction range. Postings are appended in roughly that order,
-- so a BRIN index serves it for next to nothing per posting. (Entry lookups keep the B-tree
-- primary key: a BRIN there made every commit-time check of a bulk insert read the whole
-- unsummarised tail of the table, quadratic in the size of the load.)
create index posting_tx on ledger.posting using brin (tx)
  with (pages_per_range = 16, autosummarize = on);

-- A reversal's original is proven by the commit-time check (it must be the exact negation of the
-- original's postings), so the foreign key, a trigger call on every entry, goes.
alter table ledger.journal_entry drop constraint journal_entry_reverses_fkey;

-- Sealed: written whole by post_entry, which checked it; nothing may add postings to it later.
alter table ledger.journal_entry add column sealed boolean not null default false;

drop trigger posting_after_insert on ledger.posting;
drop function ledger.after_postings();

/*
  Postings inserted by any statement other than post_entry's may only join an unsealed entry of
  their own transaction and carry its transaction id. The entry check is a correlated subquery per
  entry, so its cached plan stays an index lookup whatever the size of the first batch a session
  sees.
*/
create function ledger.check_postings() returns trigger language plpgsql as $$
declare
  v_entry bigint;
begin
  select d.entry_id into v_entry
    from (select distinct entry_id from new_rows) d
   where (select e.tx = pg_current_xact_id() and not e.sealed
            from ledger.journal_entry e where e.id = d.entry_id) is not true
   limit 1;
  if found then
    raise exception 'postings may only be added to an unsealed entry of the transaction that '
      'creates it (entry %)', v_entry using errcode = '23514';
  end if;
  if exists (select from new_rows where tx <> pg_current_xact_id()::text::bigint) then
    raise exception 'a posting''s tx is the id of the transaction that writes it'
      using errcode = '23514';
  end if;
  return null;
end $$;

create trigger posting_check after insert on ledger.posting
  referencing new table as new_rows
  for each statement
  when (current_setting('ledger.own_statement', true)
        is distinct from statement_timestamp()::text)
  execute function ledger.check_postings();

-- The commit-time check, for every entry that post_entry did not write and check itself.
drop trigger journal_entry_balanced on ledger.journal_entry;
create constraint trigger journal_entry_balanced
  after insert on ledger.journal_entry
  deferrable initially deferred
  for each row
  when (current_setting('ledger.own_statement', true)
        is distinct from statement_timestamp()::text)
  execute function ledger.check_entry_balanced();

-- Balances up to the watermark: one row per account, written by the roll-up alone.
drop trigger account_balance_guard on ledger.account_balance;
drop trigger account_balance_no_truncate on ledger.account_balance;
drop table ledger.account_balance;

create table ledger.account_balance (
  account_id bigint primary key references ledger.account (id),
  balance bigint not null
);

create table ledger.balance_watermark (
  one boolean primary key default true check (one),
  -- every posting of a transaction whose id is below this is in account_balance, none above
  watermark bigint not null,
  rolled_at timestamptz not null default now()
);
insert into ledger.balance_watermark (watermark) values (0);

drop trigger if exists account_balance_guard on ledger.account_balance;
create trigger account_balance_guard
  before insert or update or delete on ledger.account_balance
  for each statement when (current_setting('ledger.own_statement', true)
        is distinct from statement_timestamp()::text)
  execute function ledger.reject_balance_write();
create trigger account_balance_no_truncate before truncate on ledger.account_balance
  for each statement execute function ledger.reject_balance_write();
create trigger balance_watermark_guard
  before insert or update or delete on ledger.balance_watermark
  for each statement when (current_setting('ledger.own_statement', true)
        is distinct from statement_timestamp()::text)
  execute function ledger.reject_balance_write();
create trigger balance_watermark_no_truncate before truncate on ledger.balance_watermark
  for each statement execute function ledger.reject_balance_write();

/*
  Adds the postings of every transaction that has finished since the last roll-up to the account
  balances and moves the watermark up to the oldest transaction still running. One at a time (the
  advisory lock), and in READ COMMITTED so that each statement sees the last roll-up's work.
  Returns the new watermark and the number of accounts it moved; nothing when another roll-up holds
  the lock.
*/
create function ledger.roll_up_balances()
returns table (watermark bigint, accounts bigint) language plpgsql as $$
declare
  v_from bigint;
begin
  if current_setting('transaction_isolation') <> 'read committed' then
    raise exception 'ledger.roll_up_balances runs in a read committed transaction'
      using errcode = '25000';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('ledger.roll_up_balances')) then
    return;
  end if;
  select w.watermark into v_from from ledger.balance_watermark w;
  perform set_config('ledger.own_statement', statement_timestamp()::text, true);
  -- one statement, one snapshot: its xmin is the oldest transaction still running, and every
  -- transaction below it has finished, committed ones visible here
  return query
  with hi as (
    select greatest(pg_snapshot_xmin(pg_current_snapshot())::text::bigint, v_from) as tx
  ), moved as (
    select p.account_id, sum(p.amount)::bigint as amount
      from ledger.posting p, hi
     where p.tx >= v_from and p.tx < hi.tx
     group by p.account_id
  ), applied as (
    insert into ledger.account_balance as b (account_id, balance)
    select account_id, amount from moved order by account_id
    on conflict (account_id) do update set balance = b.balance + excluded.balance
    returning 1
  )
  update ledger.balance_watermark w set watermark = hi.tx, rolled_at = now()
    from hi
  returning w.watermark, (select count(*) from applied);
  perform set_config('ledger.own_statement', '', true);
end $$;

-- Balances of the given accounts: rolled up, plus the postings since the watermark.
create function ledger.account_balances(p_account_ids bigint[])
returns table (account_id bigint, balance bigint) language sql stable as $$
  select a.id,
         (coalesce(b.balance, 0)
          + coalesce((select sum(p.amount) from ledger.posting p
                       where p.account_id = a.id and p.tx >= w.watermark), 0))::bigint
    from unnest(p_account_ids) as a (id)
    cross join ledger.balance_watermark w
    left join ledger.account_balance b on b.account_id = a.id
$$;

/*
  Posts one entry in one round trip, as before, and now checks its lines itself: at least two,
  summing to zero (a zero or null amount is refused by the posting table). It seals the entry, so
  the commit-time check is not queued for it. A reversal is written unsealed and left to the
  commit-time check, which also proves it the exact negation of its original.
*/
drop function ledger.post_entry(text, text, text, text, text, timestamptz, text[], bigint[], bigint);

/*
  Posts one entry in one round trip, as before, and now checks its lines itself: at least two,
  none zero, summing to zero. It seals the entry, so the commit-time check is not queued for it.
  A reversal is written unsealed and left to the commit-time check, which also proves it the
  exact negation of its original.

  No SET plan_cache_mode any more (restoring settings on every call cost more than it saved):
  the lines are read by subscript, whose row estimate does not depend on the arrays, so the cached
  generic plan is as cheap as a custom one and plpgsql keeps it.
*/
create function ledger.post_entry(
  p_key text, p_body_hash text, p_source text, p_source_ref text, p_description text,
  p_occurred_at timestamptz, p_codes text[], p_amounts bigint[], p_reverses bigint default null,
  entry_id out bigint, replayed out boolean
) language plpgsql as $$
declare
  v_hash text;
  v_total bigint := 0;
  v_amount bigint;
  v_mark text;
begin
  if cardinality(p_codes) is distinct from cardinality(p_amounts) then
    raise exception 'codes and amounts differ in length' using errcode = '22023';
  end if;
  if coalesce(cardinality(p_amounts), 0) < 2 then
    raise exception 'a journal entry needs at least two postings; got %',
      coalesce(cardinality(p_amounts), 0) using errcode = '23514';
  end if;
  foreach v_amount in array p_amounts loop
    if v_amount is null or v_amount = 0 then
      raise exception 'posting amounts are non-zero whole cents; got %', v_amount
        using errcode = '23514';
    end if;
    v_total := v_total + v_amount;
  end loop;
  if v_total <> 0 then
    raise exception 'journal entry does not balance: postings sum to %', v_total
      using errcode = '23514';
  end if;

  if p_reverses is null then
    v_mark := set_config('ledger.own_statement', statement_timestamp()::text, true);
  end if;
  -- the entry and its postings in one statement; coalesce opens a receivable only for a code
  -- with no account yet
  with entry as (
    insert into ledger.journal_entry
      (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses, sealed)
    values (p_key, p_body_hash, p_source, p_source_ref, p_description, p_occurred_at, p_reverses,
            p_reverses is null)
    on conflict (idempotency_key) do nothing
    returning id
  ), lines as (
    insert into ledger.posting (entry_id, account_id, amount, tx)
    select entry.id,
           coalesce((select a.id from ledger.account a where a.code = p_codes[i]),
                    ledger.open_receivable(p_codes[i])),
           p_amounts[i], pg_current_xact_id()::text::bigint
      from entry, generate_subscripts(p_amounts, 1) i
  )
  select id into entry_id from entry;
  v_mark := set_config('ledger.own_statement', '', true);
  if entry_id is not null then
    replayed := false;
    return;
  end if;

  select e.id, e.body_hash into entry_id, v_hash from ledger.journal_entry e
   where e.idempotency_key = p_key;
  if v_hash <> p_body_hash then
    raise exception 'idempotency key % was used for a different entry', p_key
      using errcode = 'P0409';
  end if;
  replayed := true;
end $$;

-- The old mark is gone with the stripes and the posting trigger that read it.
drop function if exists ledger.reject_foreign_posting(bigint);

-- A line's own words, where one entry carries many lines for different things (a bill run's
-- receivable lines each name their bill). Statements show it in place of the entry's description.
alter table ledger.posting add column memo text;

/*
  Set-based posting for loads of thousands of entries (a CIS bill file): the caller fills the
  session's staging tables, made by ledger.create_stage(), and ledger.post_staged() posts them
  with post_entry's rules in a handful of statements:
    pg_temp.ledger_stage_entry (n, idempotency_key, body_hash, source, source_ref, description,
                                occurred_at) -- body_hash null: computed here, as entryHash does
    pg_temp.ledger_stage_line  (n, code or account_id, amount, memo)
  Reversals go through post_entry alone.
*/
create function ledger.create_stage() returns void language plpgsql as $$
begin
  drop table if exists pg_temp.ledger_stage_entry, pg_temp.ledger_stage_line,
    pg_temp.ledger_stage_account, pg_temp.ledger_stage_posted;
  create temp table ledger_stage_entry (
    n int primary key,
    idempotency_key text not null,
    body_hash text,
    source text not null,
    source_ref text,
    description text not null,
    occurred_at timestamptz not null
  ) on commit drop;
  -- a line names its account by code, or by id where the caller has resolved it
  create temp table ledger_stage_line (
    n int not null,
    code text,
    account_id bigint,
    amount bigint not null,
    memo text,
    check (num_nonnulls(code, account_id) = 1)
  ) on commit drop;
  create temp table ledger_stage_account (code text not null) on commit drop;
  -- n: the first staged entry with the key, the one whose lines are posted
  create temp table ledger_stage_posted (
    idempotency_key text primary key,
    id bigint not null,
    n int not null unique
  ) on commit drop;
end $$;

create function ledger.post_staged()
returns table (n int, entry_id bigint, replayed boolean) language plpgsql as $$
declare
  v_bad record;
  v_mark text;
  v_tx bigint := pg_current_xact_id()::text::bigint;
  v_rows bigint;
begin
  analyze pg_temp.ledger_stage_entry;
  analyze pg_temp.ledger_stage_line;

  -- every entry has at least two lines, none zero, summing to zero; every line has its entry
  drop table if exists pg_temp.ledger_stage_count;
  create temp table ledger_stage_count on commit drop as
  select l.n, count(*) as lines, sum(l.amount) as total, bool_or(l.amount = 0) as zero
    from pg_temp.ledger_stage_line l group by l.n;
  select coalesce(s.n, x.n) as n, coalesce(x.lines, 0) as lines, coalesce(x.total, 0) as total,
         s.n is null as orphan
    into v_bad
    from pg_temp.ledger_stage_entry s
    full join pg_temp.ledger_stage_count x on x.n = s.n
   where s.n is null or x.n is null or x.lines < 2 or x.total <> 0 or x.zero
   limit 1;
  if found and v_bad.orphan then
    raise exception 'staged lines name entry %, which is not staged', v_bad.n
      using errcode = '23514';
  end if;
  if found then
    raise exception 'staged entry % does not make an entry: % line(s) summing to %, or a zero line',
      v_bad.n, v_bad.lines, v_bad.total using errcode = '23514';
  end if;

  -- accounts: receivables opened on first use, any other unknown code refused
  truncate pg_temp.ledger_stage_account;
  insert into pg_temp.ledger_stage_account (code)
  select distinct l.code from pg_temp.ledger_stage_line l where l.code is not null;
  analyze pg_temp.ledger_stage_account;
  perform ledger.open_receivables(array(
    select c.code from pg_temp.ledger_stage_account c
     where c.code like 'ar:%' and not exists (select from ledger.account a where a.code = c.code)));
  select c.code into v_bad from pg_temp.ledger_stage_account c
   where not exists (select from ledger.account a where a.code = c.code) limit 1;
  if found then
    raise exception 'no ledger account %', v_bad.code using errcode = 'P0404';
  end if;

  -- the content hash, where the caller left it to us: entryHash's canonical text
  update pg_temp.ledger_stage_entry s
     set body_hash = encode(sha256(convert_to(concat_ws(E'\n',
           s.source, coalesce(s.source_ref, ''), s.description,
           to_char(s.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '',
           l.lines), 'UTF8')), 'hex')
    from (select x.n, string_agg(x.line, ';' order by x.line collate "C") as lines
            from (select sl.n, coalesce(sl.code, a.code) || '=' || sl.amount as line
                    from pg_temp.ledger_stage_line sl
                    left join ledger.account a on a.id = sl.account_id) x
           group by x.n) l
   where l.n = s.n and s.body_hash is null;

  -- entries seen before: the same body is a replay, another body a conflict
  select s.idempotency_key into v_bad
    from pg_temp.ledger_stage_entry s
    join ledger.journal_entry e on e.idempotency_key = s.idempotency_key
   where e.body_hash <> s.body_hash
   limit 1;
  if found then
    raise exception 'idempotency key % was used for a different entry', v_bad.idempotency_key
      using errcode = 'P0409';
  end if;

  -- the writes, marked: every entry here was checked above, so each is sealed
  v_mark := set_config('ledger.own_statement', statement_timestamp()::text, true);
  truncate pg_temp.ledger_stage_posted;
  with entry as (
    insert into ledger.journal_entry
      (idempotency_key, body_hash, source, source_ref, description, occurred_at, sealed)
    select s.idempotency_key, s.body_hash, s.source, s.source_ref, s.description, s.occurred_at,
           true
      from pg_temp.ledger_stage_entry s
     order by s.n
    on conflict (idempotency_key) do nothing
    returning id, idempotency_key
  )
  insert into pg_temp.ledger_stage_posted (idempotency_key, id, n)
  select e.idempotency_key, e.id, f.n
    from entry e
    join (select s.idempotency_key, min(s.n) as n from pg_temp.ledger_stage_entry s group by 1) f
      using (idempotency_key);

  -- a key staged twice gets its lines once, from its first occurrence; in the order staged
  -- (sorting millions of lines cost more than the index inserts it spared)
  -- a line whose account id names no account drops out of the join, and the count tells
  insert into ledger.posting (entry_id, account_id, amount, tx, memo)
  select p.id, a.id, l.amount, v_tx, l.memo
    from pg_temp.ledger_stage_line l
    join pg_temp.ledger_stage_posted p on p.n = l.n
    join ledger.account a on a.id = l.account_id
  union all
  select p.id, a.id, l.amount, v_tx, l.memo
    from pg_temp.ledger_stage_line l
    join pg_temp.ledger_stage_posted p on p.n = l.n
    join ledger.account a on a.code = l.code;
  get diagnostics v_rows = row_count;
  v_mark := set_config('ledger.own_statement', '', true);
  if v_rows <> (select coalesce(sum(c.lines), 0) from pg_temp.ledger_stage_count c
                 where c.n in (select p.n from pg_temp.ledger_stage_posted p)) then
    select l.account_id into v_bad from pg_temp.ledger_stage_line l
     where l.account_id is not null
       and not exists (select from ledger.account a where a.id = l.account_id) limit 1;
    raise exception 'no ledger account with id %', v_bad.account_id using errcode = 'P0404';
  end if;

  return query
  select s.n, coalesce(p.id, e.id), p.n is distinct from s.n
    from pg_temp.ledger_stage_entry s
    left join pg_temp.ledger_stage_posted p on p.idempotency_key = s.idempotency_key
    left join ledger.journal_entry e on e.idempotency_key = s.idempotency_key and p.id is null
   order by s.n;
end $$;

/*
  Receivables name their owner in their code and open_receivables opens only those whose customer
  or utility account exists, so the foreign keys to cis go: checking them row by row cost more than
  everything else in opening a city's 850,000 receivables at its first bill import. CIS records
  are never deleted (a closed account keeps its row), so nothing can orphan a receivable.
*/
alter table ledger.account drop constraint account_customer_id_fkey;
alter table ledger.account drop constraint account_utility_account_id_fkey;

create or replace function ledger.open_receivables(p_codes text[]) returns void
language plpgsql as $$
declare
  v_funds text[] := enum_range(null::ledger.fund)::text[];
begin
  insert into ledger.account (code, name, type, fund, customer_id, utility_account_id)
  select r.code,
         initcap(replace(r.p[1], '_', ' ')) || ' receivable',
         'asset', r.p[1]::ledger.fund,
         case when r.p[2] = 'cu' then r.p[3]::bigint end,
         case when r.p[2] = 'ua' then r.p[3]::bigint end
    from (
      -- offset 0 keeps the subquery whole, so each code's regexp runs once, not once per use
      select c as code, regexp_match(c, '^ar:([a-z_]+):(cu|ua):(\d{1,18})$') as p
        from unnest(p_codes) c
      offset 0
    ) r
   where r.p is not null
     and r.p[1] = any(v_funds)
     and case r.p[2]
           when 'cu' then exists (select from cis.customer x where x.id = r.p[3]::bigint)
           else exists (select from cis.utility_account x where x.id = r.p[3]::bigint)
         end
   -- in code order, so the code index fills page by page
   order by r.code
  on conflict (code) do nothing;
end $$;

-- The receivables of utility accounts for the given funds, opened set-based where missing (a bill
-- file opens a city's worth at once); codes and names as open_receivables gives them.
create function ledger.open_utility_receivables(p_utility_account_ids bigint[], p_funds ledger.fund[])
returns void language sql as $$
  insert into ledger.account (code, name, type, fund, utility_account_id)
  select format('ar:%s:ua:%s', x.fund, x.ua), initcap(replace(x.fund::text, '_', ' ')) || ' receivable',
         'asset', x.fund, x.ua
    from unnest(p_utility_account_ids, p_funds) as x (ua, fund)
   where exists (select from cis.utility_account u where u.id = x.ua)
   order by 1
  on conflict (code) do nothing
$$;
