-- Customer identity shared with the utility Customer Information System (CIS).
create schema cis;

create type cis.service as enum
  ('electric', 'water', 'sewer', 'gas', 'solid_waste', 'stormwater', 'fire', 'parking');

create table cis.customer (
  id bigint generated always as identity primary key,
  -- null for people who came to Curbline first (a driver who signed up online)
  cis_customer_id text unique,
  name text not null check (length(name) between 1 and 200),
  email text,
  phone text,
  mailing_address text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table cis.premise (
  id bigint generated always as identity primary key,
  cis_premise_id text not null unique,
  address text not null,
  city text not null,
  state char(2) not null,
  zip text not null check (zip ~ '^\d{5}$'),
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  updated_at timestamptz not null default now()
);

create table cis.utility_account (
  id bigint generated always as identity primary key,
  account_number char(10) not null unique check (account_number ~ '^\d{10}$'),
  premise_id bigint not null references cis.premise (id),
  bill_cycle smallint not null check (bill_cycle between 1 and 21),
  status text not null check (status in ('active', 'inactive', 'closed')),
  opened_on date not null,
  closed_on date,
  updated_at timestamptz not null default now(),
  check (closed_on is null or closed_on >= opened_on)
);
create index on cis.utility_account (premise_id);
create index on cis.utility_account (bill_cycle);

-- Who may act on an account: the CIS's own holders, and drivers who linked it online.
create table cis.account_holder (
  customer_id bigint not null references cis.customer (id),
  utility_account_id bigint not null references cis.utility_account (id),
  relationship text not null check (relationship in ('primary', 'co_holder', 'linked')),
  since timestamptz not null default now(),
  primary key (customer_id, utility_account_id)
);
create index on cis.account_holder (utility_account_id);

create table cis.service_agreement (
  id bigint generated always as identity primary key,
  cis_agreement_id text not null unique,
  utility_account_id bigint not null references cis.utility_account (id),
  service cis.service not null,
  status text not null check (status in ('active', 'pending', 'stopped')),
  start_on date not null,
  end_on date,
  updated_at timestamptz not null default now()
);
create index on cis.service_agreement (utility_account_id);

create table cis.vehicle (
  id bigint generated always as identity primary key,
  customer_id bigint not null references cis.customer (id),
  plate text not null check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) not null check (state ~ '^[A-Z]{2}$'),
  plate_printed text not null,
  make text,
  model text,
  colour text,
  added_at timestamptz not null default now(),
  removed_at timestamptz,
  check (removed_at is null or removed_at >= added_at)
);
-- A plate belongs to at most one active vehicle record.
create unique index vehicle_active_plate on cis.vehicle (plate, state) where removed_at is null;
create index on cis.vehicle (customer_id);

-- One row per service line of a utility bill, as the CIS sent it. Written only by the CIS import,
-- which checks every account exists under its lock; utility accounts are never deleted. No foreign
-- key: its per-row check tripled the cost of loading millions of lines.
create table cis.bill_charge (
  bill_id text not null,
  service cis.service not null,
  utility_account_id bigint not null,
  bill_date date not null,
  bill_cycle smallint not null check (bill_cycle between 1 and 21),
  amount_cents bigint not null,
  import_id bigint not null,
  primary key (bill_id, service)
);
create index on cis.bill_charge (utility_account_id, bill_date desc);

create table cis.import (
  id bigint generated always as identity primary key,
  -- null when the header named neither kind of file
  kind text check (kind in ('customers', 'bills')),
  file_name text not null,
  sha256 text not null,
  status text not null check (status in ('applied', 'rejected')),
  rows_total int not null,
  rows_applied int not null,
  -- every error is counted; the first 100 are kept, as { line, field, message }
  error_count int not null default 0,
  errors jsonb not null default '[]',
  -- what the file changed, e.g. customersInserted, bills, ledgerEntries
  counts jsonb not null default '{}',
  imported_by bigint,
  created_at timestamptz not null default now(),
  duration_ms int not null default 0
);
create index on cis.import (sha256);

-- Account-linking attempts, for the 5-failures-in-15-minutes lock. Only 'mismatch' counts
-- towards the lock; attempts refused while locked are kept but do not extend it.
create table cis.link_attempt (
  id bigint generated always as identity primary key,
  account_number text not null,
  user_id bigint not null,
  customer_id bigint not null references cis.customer (id),
  ip text,
  outcome text not null check (outcome in ('linked', 'already_linked', 'mismatch', 'locked')),
  at timestamptz not null default now()
);
create index on cis.link_attempt (account_number, at desc);
