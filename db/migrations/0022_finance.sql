/*
  Finance: business days and their closes, Stripe payout and kiosk cash reconciliation, bank
  deposits, the exceptions queue, and the utility bill-cycle export of parking charges billed on
  utility accounts, with the CIS's acknowledgements and payments.
*/
create schema finance;

-- The city's time zone, which draws the line between business days. The app writes it at start
-- from CITY_TIME_ZONE; the posting trigger reads it.
create table finance.settings (
  id boolean primary key default true check (id),
  time_zone text not null
);
insert into finance.settings (time_zone) values ('America/New_York');

create table finance.day (
  day date primary key,
  status text not null default 'open' check (status in ('open', 'closed', 'failed')),
  closed_at timestamptz,
  closed_by bigint references app.user_account (id),
  -- what the close found: revenue by facility x channel x method x fund, counts, refunds,
  -- disputes, prior-period adjustments and the check against the ledger
  report jsonb,
  revenue_cents bigint,
  ledger_revenue_cents bigint,
  failure text,
  updated_at timestamptz not null default now(),
  check ((status = 'closed') = (closed_at is not null))
);

/*
  Every journal entry belongs to one business day: the city-local date it occurred on, or, when
  that day is closed already, the first open day after it (a prior-period adjustment). Posting
  takes a shared advisory lock on the day it joins and a close takes it exclusively, so a close
  waits for postings in flight to its day and postings after it move on to the next day.
*/
alter table ledger.journal_entry
  add column business_day date,
  add column prior_period boolean not null default false;

update ledger.journal_entry e
   set business_day = (e.occurred_at at time zone s.time_zone)::date
  from finance.settings s;

create index journal_entry_business_day on ledger.journal_entry (business_day);

create function finance.assign_business_day() returns trigger language plpgsql as $$
declare
  d date;
begin
  select (new.occurred_at at time zone s.time_zone)::date into d from finance.settings s;
  loop
    perform pg_advisory_xact_lock_shared(74201, d - date '2000-01-01');
    exit when not exists (select from finance.day where day = d and status = 'closed');
    d := d + 1;
    new.prior_period := true;
  end loop;
  new.business_day := d;
  return new;
end $$;

create trigger journal_entry_business_day
  before insert on ledger.journal_entry
  for each row execute function finance.assign_business_day();

-- House accounts the reconciliations post to.
insert into ledger.account (code, name, type, fund) values
  ('cash:in_transit', 'Cash collected, not yet deposited', 'asset', 'parking'),
  ('expense:cash_over_short', 'Cash over and short', 'expense', 'parking'),
  ('expense:reconciliation', 'Reconciliation differences', 'expense', 'general')
on conflict (code) do nothing;

/*
  Exceptions: anything a reconciliation could not match, each with its evidence, an owner, and
  once resolved, a note and the ledger entry (if any) that resolved it. The key makes the job that
  finds a problem raise it once, however often it runs.
*/
create table finance.exception (
  id bigint generated always as identity primary key,
  key text not null unique,
  kind text not null check (kind in (
    'payout_mismatch', 'payout_item_unmatched', 'cash_over_short', 'deposit_mismatch',
    'cycle_line_rejected', 'close_mismatch', 'cis_payment_unmatched')),
  summary text not null,
  amount_cents bigint,
  evidence jsonb not null default '{}',
  status text not null default 'open' check (status in ('open', 'resolved')),
  owner_id bigint references app.user_account (id),
  resolution_note text check (length(resolution_note) <= 2000),
  resolved_entry_id bigint references ledger.journal_entry (id),
  resolved_by bigint references app.user_account (id),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'resolved') = (resolved_at is not null and resolution_note is not null))
);
create index exception_open on finance.exception (created_at) where status = 'open';

-- Stripe payouts matched item by item to what Curbline recorded.
create table finance.payout_reconciliation (
  payout_id bigint primary key references payments.payout (id),
  status text not null check (status in ('matched', 'mismatched')),
  payout_amount_cents bigint not null,
  net_total_cents bigint not null,
  item_count int not null,
  unmatched_count int not null,
  reconciled_at timestamptz not null default now()
);

create table finance.payout_item (
  id bigint generated always as identity primary key,
  payout_id bigint not null references payments.payout (id),
  balance_transaction_id text not null unique,
  type text not null,
  amount_cents bigint not null,
  fee_cents bigint not null,
  net_cents bigint not null,
  source_id text,
  -- what it matched: a payment, a refund, a dispute; null when nothing did
  matched_kind text check (matched_kind in ('payment', 'refund', 'dispute', 'payout')),
  matched_id bigint,
  problem text
);
create index payout_item_payout on finance.payout_item (payout_id);

-- Cash taken out of a kiosk's or a pay machine's box, counted against what its sales left there.
create table finance.cash_collection (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  device_id bigint not null references app.device (id),
  idempotency_key text not null unique,
  collected_at timestamptz not null,
  counted_cents bigint not null check (counted_cents >= 0),
  expected_cents bigint not null,
  over_short_cents bigint generated always as (counted_cents - expected_cents) stored,
  collected_by bigint references app.user_account (id),
  entry_id bigint not null references ledger.journal_entry (id),
  deposit_id bigint,
  note text check (length(note) <= 500),
  created_at timestamptz not null default now()
);
create index cash_collection_device on finance.cash_collection (device_id, collected_at);

-- Bank deposit slips, each covering one or more collections.
create table finance.bank_deposit (
  id bigint generated always as identity primary key,
  slip_number text not null unique check (slip_number ~ '^[A-Za-z0-9-]{1,40}$'),
  deposited_on date not null,
  amount_cents bigint not null check (amount_cents > 0),
  collections_cents bigint not null,
  status text not null check (status in ('matched', 'mismatched')),
  entered_by bigint references app.user_account (id),
  entry_id bigint not null references ledger.journal_entry (id),
  created_at timestamptz not null default now()
);
alter table finance.cash_collection
  add constraint cash_collection_deposit foreign key (deposit_id) references finance.bank_deposit (id);

/*
  The bill-cycle calendar: the day each of the 21 cycles bills, month by month. Configurable; the
  default puts cycle n on the n-th weekday of each month.
*/
create table finance.bill_cycle_date (
  cycle smallint not null check (cycle between 1 and 21),
  billing_date date not null,
  primary key (cycle, billing_date),
  unique (billing_date, cycle)
);

/*
  One export per cycle and billing date: the charges on that cycle's accounts, up to that date,
  that no earlier export carried. Its lines are stored, so running it again gives the same file.
*/
create table finance.cycle_export (
  id bigint generated always as identity primary key,
  cycle smallint not null check (cycle between 1 and 21),
  billing_date date not null,
  status text not null check (status in ('running', 'done', 'failed')),
  line_count int not null default 0,
  total_cents bigint not null default 0,
  sha256 text,
  failure text,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (cycle, billing_date)
);

create table finance.cycle_export_line (
  id bigint generated always as identity primary key,
  export_id bigint not null references finance.cycle_export (id),
  line_no int not null,
  -- the posting it bills: one ledger line on a utility account's parking receivable
  entry_id bigint not null,
  posting_id bigint not null,
  -- a rejected line sent again later is a new line with the next attempt
  attempt smallint not null default 1,
  utility_account_id bigint not null references cis.utility_account (id),
  account_number text not null,
  charge_code text not null,
  amount_cents bigint not null,
  description text not null,
  reference text not null unique,
  status text not null default 'exported' check (status in ('exported', 'billed', 'rejected', 'requeued')),
  reject_reason text,
  cis_bill_id text,
  acknowledged_at timestamptz,
  unique (export_id, line_no),
  unique (entry_id, posting_id, attempt)
);
create index cycle_export_line_posting on finance.cycle_export_line (entry_id, posting_id);

-- Payments customers made on their utility bill against parking charges, from the CIS extract.
create table finance.cis_payment (
  id bigint generated always as identity primary key,
  cis_transaction_id text not null unique,
  utility_account_id bigint not null references cis.utility_account (id),
  amount_cents bigint not null check (amount_cents <> 0),
  paid_on date not null,
  reference text,
  entry_id bigint not null references ledger.journal_entry (id),
  imported_at timestamptz not null default now()
);
