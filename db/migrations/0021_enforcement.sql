/*
  Enforcement: every plate check an ambassador makes (a read, with its verdict), warnings and
  citations, their photos, appeals, late fees, the scofflaw list and boots and tows.

  A citation's money lives in the ledger (issued: Dr the owner's parking receivable, or the
  receivable of citations to unknown owners / Cr citation revenue; late fees, reductions, voids
  and payments each one entry) and, for its own balance, in enforcement.citation_posting: one row
  per entry that moved its balance, written in the same transaction, so "what is owed on this
  citation" is a sum over a handful of rows.
*/
create schema enforcement;

create table enforcement.violation (
  code text primary key check (code ~ '^[A-Z0-9][A-Z0-9-]{0,11}$'),
  description text not null check (length(description) between 1 and 200),
  fine_cents bigint not null check (fine_cents > 0),
  -- [{ "daysAfterDue": 0, "cents": 2500 }, …]: each step added once when that many days have
  -- passed since the due date
  late_fees jsonb not null default '[]' check (jsonb_typeof(late_fees) = 'array'),
  -- a first offence of this code by a plate within 12 months may be a warning
  warning_first boolean not null default false,
  active boolean not null default true,
  updated_at timestamptz not null default now()
);

create table enforcement.read (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  -- the handheld's own id for the read: a read captured offline and sent twice is written once
  client_id uuid unique,
  user_id bigint references app.user_account (id),
  device_id bigint references app.device (id),
  plate text check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2),
  typed boolean not null,
  -- the reader's ranked candidates, with reasons
  candidates jsonb not null default '[]',
  read_at timestamptz not null,
  received_at timestamptz not null default now(),
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  facility_id bigint references parking.facility (id),
  -- which line of an on-street zone's block faces the car stands on
  block_face smallint,
  verdict text not null check (verdict in
    ('paid', 'permit', 'grace', 'chalked', 'over_limit', 'violation', 'outside_hours', 'unknown')),
  detail jsonb not null default '{}',
  photo_id bigint
);
create index read_plate on enforcement.read (plate, facility_id, read_at);
create index read_time on enforcement.read (read_at);
create index read_user on enforcement.read (user_id, read_at);

create table enforcement.photo (
  id bigint generated always as identity primary key,
  sha256 text not null unique,
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  bytes integer not null check (bytes > 0),
  -- where the store put it, relative to PHOTO_DIR
  path text not null,
  created_at timestamptz not null default now()
);
alter table enforcement.read add foreign key (photo_id) references enforcement.photo (id);

create table enforcement.warning (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  client_id uuid unique,
  plate text not null check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) not null,
  violation_code text not null references enforcement.violation (code),
  read_id bigint references enforcement.read (id),
  user_id bigint references app.user_account (id),
  facility_id bigint references parking.facility (id),
  lat double precision,
  lon double precision,
  issued_at timestamptz not null,
  note text
);
create index warning_plate on enforcement.warning (plate, issued_at);

create sequence enforcement.citation_number;

create table enforcement.citation (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  number text not null unique,
  client_id uuid unique,
  plate text not null check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) not null,
  plate_printed text not null,
  vehicle jsonb not null default '{}',
  -- the owner, when the plate is a known customer's vehicle
  customer_id bigint references cis.customer (id),
  violation_code text not null references enforcement.violation (code),
  -- the fine schedule as it was when issued: later changes apply to new citations only
  fine_cents bigint not null check (fine_cents > 0),
  late_fees jsonb not null,
  facility_id bigint references parking.facility (id),
  block_face smallint,
  lat double precision,
  lon double precision,
  location text,
  read_id bigint references enforcement.read (id),
  user_id bigint references app.user_account (id),
  device_id bigint references app.device (id),
  issued_at timestamptz not null,
  due_on date not null,
  -- the city's time zone, in which its due date falls
  time_zone text not null,
  status text not null check (status in ('open', 'past_due', 'paid', 'voided', 'dismissed')),
  -- the receivable its fine was posted to
  receivable text not null,
  -- a session or permit covering its time and place arrived afterwards
  paid_but_ticketed jsonb,
  void_reason text,
  closed_at timestamptz,
  created_at timestamptz not null default now()
);
create index citation_plate on enforcement.citation (plate, state);
create index citation_customer on enforcement.citation (customer_id) where customer_id is not null;
create index citation_open on enforcement.citation (due_on) where status in ('open', 'past_due');
create index citation_recent on enforcement.citation (issued_at);

create table enforcement.citation_photo (
  citation_id bigint not null references enforcement.citation (id),
  photo_id bigint not null references enforcement.photo (id),
  primary key (citation_id, photo_id)
);

-- What moved a citation's balance: each row is one ledger entry's share for this citation.
create table enforcement.citation_posting (
  id bigint generated always as identity primary key,
  citation_id bigint not null references enforcement.citation (id),
  kind text not null check (kind in ('fine', 'late_fee', 'payment', 'reduction', 'void', 'dismissal', 'refund')),
  -- signed: what the driver owes more (+) or less (-)
  amount_cents bigint not null check (amount_cents <> 0),
  entry_key text not null unique,
  payment_id bigint references payments.payment (id),
  at timestamptz not null default now()
);
create index on enforcement.citation_posting (citation_id);

create table enforcement.appeal (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  citation_id bigint not null references enforcement.citation (id),
  reason text not null check (length(reason) between 1 and 4000),
  -- the reads, sessions, permits and payments of the plate around the time, gathered on filing
  evidence jsonb not null default '{}',
  contact_email text,
  status text not null check (status in ('pending', 'upheld', 'reduced', 'dismissed')),
  decided_by bigint references app.user_account (id),
  decided_at timestamptz,
  reduced_to_cents bigint check (reduced_to_cents >= 0),
  letter text,
  filed_at timestamptz not null default now()
);
-- one appeal waiting per citation
create unique index appeal_pending on enforcement.appeal (citation_id) where status = 'pending';

create table enforcement.appeal_photo (
  appeal_id bigint not null references enforcement.appeal (id),
  photo_id bigint not null references enforcement.photo (id),
  primary key (appeal_id, photo_id)
);

-- Plates with three or more unpaid past-due citations: eligible for a boot while listed.
create table enforcement.scofflaw (
  plate text not null,
  state char(2) not null,
  listed_at timestamptz not null,
  cleared_at timestamptz,
  citations int not null,
  primary key (plate, state, listed_at)
);
create unique index scofflaw_listed on enforcement.scofflaw (plate, state) where cleared_at is null;

create table enforcement.immobilisation (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  kind text not null check (kind in ('boot', 'tow')),
  plate text not null,
  state char(2) not null,
  lat double precision,
  lon double precision,
  location text,
  placed_by bigint references app.user_account (id),
  placed_at timestamptz not null default now(),
  released_by bigint references app.user_account (id),
  released_at timestamptz,
  note text
);
create unique index immobilisation_active on enforcement.immobilisation (plate, state) where released_at is null;

insert into ledger.account (code, name, type, fund) values
  ('revenue:parking:citations', 'Citation fines', 'revenue', 'parking'),
  ('revenue:parking:late_fees', 'Citation late fees', 'revenue', 'parking'),
  ('ar:parking:citations', 'Citations receivable (owner not a known customer)', 'asset', 'parking')
on conflict (code) do nothing;

-- The codes a plate check names by itself, and the city's common ones; administrators change
-- fines (for new citations) and add more.
insert into enforcement.violation (code, description, fine_cents, late_fees, warning_first) values
  ('NO-PAY', 'No payment for parking', 4000, '[{"daysAfterDue": 0, "cents": 2500}, {"daysAfterDue": 30, "cents": 5000}]', true),
  ('EXPIRED', 'Parked after paid time expired', 3500, '[{"daysAfterDue": 0, "cents": 2500}, {"daysAfterDue": 30, "cents": 5000}]', true),
  ('OVER-LIMIT', 'Over the posted time limit', 3500, '[{"daysAfterDue": 0, "cents": 2500}, {"daysAfterDue": 30, "cents": 5000}]', true),
  ('NO-PERMIT', 'No permit in a permit-only area', 5000, '[{"daysAfterDue": 0, "cents": 2500}, {"daysAfterDue": 30, "cents": 5000}]', false),
  ('HYDRANT', 'Within 15 feet of a fire hydrant', 10000, '[{"daysAfterDue": 0, "cents": 5000}]', false),
  ('LOADING', 'In a loading zone', 5000, '[{"daysAfterDue": 0, "cents": 2500}]', true),
  ('DISABLED', 'In an accessible space without a placard', 25000, '[{"daysAfterDue": 0, "cents": 5000}]', false),
  ('DOUBLE', 'Double parked', 7500, '[{"daysAfterDue": 0, "cents": 2500}]', false);
