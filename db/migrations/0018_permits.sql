/*
  Permits. A permit type (admin-managed) says who may hold it, where it is valid, what it costs
  per period and how it renews; a permit is one customer's holding of a type, through its
  lifecycle, with its paid terms, its vehicles over time and its visitor passes.

  Dates of validity are the city's calendar days (a permit is valid through its last day); the
  vehicles' spans are instants, so "was this plate permitted at 10:42 that day" is one range
  test. A plate is on at most one permit of a zone at any instant: the exclusion constraint says
  so in the database, as session_no_overlap does for paid time.
*/
create schema permits;

-- A residential permit zone: its boundary decides eligibility from the premise's location.
create table permits.zone (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{0,19}$'),
  name text not null check (length(name) between 1 and 200),
  -- GeoJSON Polygon or MultiPolygon, checked by api/permits/geometry.ts on every write
  boundary jsonb not null check (jsonb_typeof(boundary) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create type permits.kind as enum
  ('residential', 'employee', 'monthly_garage', 'airport_employee', 'contractor', 'disability');
create type permits.period as enum ('monthly', 'semester', 'annual');
-- none: the term runs one whole period from its first day, at full price; daily/monthly: terms
-- follow the calendar (months, half-years, years) and a part period is charged by day or month
create type permits.proration as enum ('none', 'daily', 'monthly');

create table permits.permit_type (
  id bigint generated always as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{0,19}$'),
  name text not null check (length(name) between 1 and 200),
  kind permits.kind not null,
  description text not null default '' check (length(description) <= 2000),
  -- residential types: the zone whose residents are eligible
  zone_id bigint references permits.zone (id),
  price_cents bigint not null check (price_cents >= 0),
  period permits.period not null,
  proration permits.proration not null,
  -- what a cancellation gives back of the unused term: nothing, unused days or unused whole months
  refund_policy permits.proration not null,
  max_vehicles smallint not null check (max_vehicles between 1 and 10),
  -- per household (utility premise); null: no limit
  max_per_household smallint check (max_per_household >= 1),
  needs_approval boolean not null,
  -- each vehicle beyond the first, per term; 0: free
  second_vehicle_cents bigint not null default 0 check (second_vehicle_cents >= 0),
  -- how many days before a term ends it may be renewed (and reminders start)
  renewal_window_days smallint not null default 30 check (renewal_window_days between 1 and 120),
  visitor_passes_per_month smallint not null default 0 check (visitor_passes_per_month between 0 and 62),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'residential') = (zone_id is not null))
);

-- Where a type is valid; a capacity makes permits there hold a space each, with a waitlist.
create table permits.type_facility (
  type_id bigint not null references permits.permit_type (id),
  facility_id bigint not null references parking.facility (id),
  capacity integer check (capacity >= 0),
  primary key (type_id, facility_id)
);
create index on permits.type_facility (facility_id);

create type permits.status as enum (
  'pending_review',   -- waiting for staff
  'waitlisted',       -- eligible, waiting for a space
  'awaiting_payment', -- approved (and holding a space, where spaces are counted)
  'active',
  'expired',
  'cancelled',
  'revoked',
  'rejected'
);

create table permits.permit (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  number text not null unique,
  type_id bigint not null references permits.permit_type (id),
  customer_id bigint not null references cis.customer (id),
  -- residential: the account that proved residence; any permit: the account it is billed to
  utility_account_id bigint references cis.utility_account (id),
  -- the household it counts against (residential)
  premise_id bigint references cis.premise (id),
  -- capacity-limited types: the facility whose space it holds
  facility_id bigint references parking.facility (id),
  status permits.status not null,
  -- the eligibility answer given at application, with its reason
  eligibility jsonb not null,
  -- the plates asked for at application; they go on the permit when it becomes active
  requested_vehicles jsonb not null default '[]',
  starts_on date,
  ends_on date,
  -- the city's time zone: a permit valid through a day is valid until the next midnight there
  time_zone text not null,
  auto_renew boolean not null default false,
  pay_method text check (pay_method in ('card', 'utility_bill')),
  stripe_customer_id text,
  stripe_payment_method_id text,
  review_note text,
  reviewed_by bigint references app.user_account (id),
  reviewed_at timestamptz,
  revoked_reason text,
  ended_at timestamptz,
  -- renewal attempts that failed for the term after ends_on; reset when a term is paid
  renewal_failures smallint not null default 0,
  renewal_retry_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((starts_on is null) = (ends_on is null) and (ends_on is null or ends_on >= starts_on))
);
create index on permits.permit (customer_id);
create index on permits.permit (type_id, status);
create index on permits.permit (premise_id) where premise_id is not null;
create index permit_capacity on permits.permit (type_id, facility_id)
  where status in ('awaiting_payment', 'active');
create sequence permits.permit_number;

-- A proof of residence (or of employment, disability) uploaded for staff review.
create table permits.document (
  id bigint generated always as identity primary key,
  permit_id bigint not null references permits.permit (id),
  file_name text not null check (length(file_name) between 1 and 200),
  content_type text not null check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
  bytes bytea not null check (length(bytes) between 1 and 5242880),
  uploaded_at timestamptz not null default now()
);
create index on permits.document (permit_id);

/*
  Every money movement of a permit: a term's price, a vehicle slot, a refund. The key names the
  permit and the term, so the renewal job run twice finds its first charge; the ledger entry is
  keyed 'permits.charge:<key>'.
*/
create table permits.charge (
  id bigint generated always as identity primary key,
  key text not null unique,
  permit_id bigint not null references permits.permit (id),
  kind text not null check (kind in ('term', 'renewal', 'vehicle_slot', 'refund')),
  term_starts_on date not null,
  term_ends_on date not null,
  amount_cents bigint not null check (amount_cents >= 0),
  -- the vehicles beyond the first this charge pays for in its term
  slots smallint not null default 0 check (slots >= 0),
  -- a vehicle_slot charge paid by card: the vehicle that goes on the permit when it is paid
  vehicle jsonb,
  method text not null check (method in ('card', 'utility_bill', 'free')),
  status text not null check (status in ('pending', 'paid', 'failed', 'canceled')),
  payment_id bigint references payments.payment (id),
  attempts smallint not null default 0,
  next_attempt_at timestamptz,
  failure text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index on permits.charge (permit_id);
create index charge_retry on permits.charge (next_attempt_at) where status = 'failed' and next_attempt_at is not null;

-- Which plate was on which permit when. 'scope' is the permit's zone (or its type, when it has
-- no zone): a plate may not be on two permits of one scope at once.
create table permits.vehicle (
  id bigint generated always as identity primary key,
  permit_id bigint not null references permits.permit (id),
  scope text not null,
  plate text not null check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) not null check (state ~ '^[A-Z]{2}$'),
  plate_printed text not null,
  -- a rental or loaner, on the permit for at most 14 days beside the others
  temporary boolean not null default false,
  during tstzrange not null check (not isempty(during) and lower(during) is not null),
  added_by bigint references app.user_account (id),
  removed_by bigint references app.user_account (id),
  note text,
  constraint vehicle_one_permit_per_scope exclude using gist (
    scope with =, plate with =, state with =, during with &&
  )
);
create index on permits.vehicle (permit_id);
create index vehicle_plate on permits.vehicle using gist (plate, during);

create table permits.visitor_pass (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  permit_id bigint not null references permits.permit (id),
  plate text not null check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) not null check (state ~ '^[A-Z]{2}$'),
  plate_printed text not null,
  valid_on date not null,
  during tstzrange not null,
  created_by bigint references app.user_account (id),
  created_at timestamptz not null default now(),
  cancelled_at timestamptz
);
create index on permits.visitor_pass (permit_id, valid_on);
create index visitor_pass_plate on permits.visitor_pass using gist (plate, during);

create table permits.waitlist (
  id bigint generated always as identity primary key,
  type_id bigint not null references permits.permit_type (id),
  facility_id bigint not null references parking.facility (id),
  permit_id bigint not null unique references permits.permit (id),
  status text not null check (status in ('waiting', 'offered', 'accepted', 'expired', 'withdrawn')),
  joined_at timestamptz not null default now(),
  offered_at timestamptz,
  offer_expires_at timestamptz,
  decided_at timestamptz,
  check ((status = 'offered') <= (offer_expires_at is not null))
);
create index waitlist_queue on permits.waitlist (type_id, facility_id, joined_at, id) where status = 'waiting';
create index waitlist_offers on permits.waitlist (offer_expires_at) where status = 'offered';
