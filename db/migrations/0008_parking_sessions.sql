/*
  Paid parking sessions: a plate's right to park at a facility or zone for a span of time, and
  the purchases that paid for it. A session holds the span; each purchase (the start, every
  extension, a gate exit, an early stop's refund) holds what it cost, how it was paid and the
  ledger entry that moved the money, so a session is a right only once its purchases are paid
  or billed, and card payments (pending until Stripe says so) slot in as one more method.
*/

-- Gates at garages and the Airport, and the city's phone line (IVR), sign in as devices too;
-- a kiosk or a gate stands at one facility.
alter table app.device drop constraint device_kind_check;
alter table app.device add constraint device_kind_check
  check (kind in ('kiosk', 'handheld', 'gate', 'ivr'));
alter table app.device add column facility_id bigint references parking.facility (id);

create type parking.session_channel as enum ('web', 'kiosk', 'gate', 'phone');
/*
  pending_payment: waiting for a card payment; no right yet.
  active: paid or billed; a right from starts_at to ends_at (ends_at moves with extensions and an
          early stop).
  open: entered through a gate; a right until it exits, priced at the exit.
  cancelled: never paid.
*/
create type parking.session_status as enum ('pending_payment', 'active', 'open', 'cancelled');
create type parking.payment_method as enum ('utility_account', 'cash', 'card', 'free');

create table parking.session (
  id bigint generated always as identity primary key,
  -- the receipt's address and QR code: unguessable, so a receipt link is the driver's own
  public_id uuid not null unique default gen_random_uuid(),
  facility_id bigint not null references parking.facility (id),
  -- a gate may know only the ticket it printed, when it could not read the plate
  plate text check (plate ~ '^[A-Z0-9]{1,8}$'),
  state char(2) check (state ~ '^[A-Z]{2}$'),
  plate_printed text,
  customer_id bigint references cis.customer (id),
  channel parking.session_channel not null,
  device_id bigint references app.device (id),
  status parking.session_status not null,
  starts_at timestamptz not null,
  ends_at timestamptz,
  stopped_at timestamptz,
  -- a gate's ticket number, for drivers who take a ticket instead of a plate read
  ticket text check (ticket ~ '^[A-Z0-9-]{1,20}$'),
  lost_ticket boolean not null default false,
  -- where the expiry reminder goes for a driver who is not signed in
  notify_email text check (length(notify_email) <= 254),
  notify_phone text check (notify_phone ~ '^\+?[0-9]{7,15}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'open') = (ends_at is null)),
  check (plate is not null or ticket is not null),
  check ((plate is null) = (state is null) and (plate is null) = (plate_printed is null)),
  check (ends_at is null or ends_at >= starts_at)
);
-- Rights by plate: a plate has a handful of sessions a year, so the plate narrows to a few rows.
create index session_plate on parking.session (plate, starts_at);
-- What is paid now (occupancy, expiry reminders) without reading the past.
create index session_active_ends on parking.session (ends_at) where status = 'active';
create index session_open on parking.session (facility_id) where status = 'open';
create unique index session_open_ticket on parking.session (facility_id, ticket)
  where status = 'open' and ticket is not null;
create index session_customer on parking.session (customer_id, starts_at)
  where customer_id is not null;

create type parking.purchase_kind as enum ('start', 'extend', 'exit', 'refund');
create type parking.purchase_status as enum ('pending', 'settled', 'failed');

create table parking.purchase (
  id bigint generated always as identity primary key,
  session_id bigint not null references parking.session (id),
  kind parking.purchase_kind not null,
  -- the span this purchase adds (a refund: the span it gives back)
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  -- what the driver pays; a refund is negative
  amount_cents bigint not null,
  -- what the server's tariff quoted; differs from the amount only for a kiosk's offline cash sale
  -- priced from the tariff it had cached
  quoted_cents bigint not null,
  quote jsonb not null,
  method parking.payment_method not null,
  utility_account_id bigint references cis.utility_account (id),
  device_id bigint references app.device (id),
  status parking.purchase_status not null,
  -- one purchase per retried request, kiosk sale or gate exit, whatever the transport does
  idempotency_key text not null unique,
  ledger_entry_id bigint references ledger.journal_entry (id),
  -- set when a kiosk sold it offline and replayed it later
  sold_offline_at timestamptz,
  created_at timestamptz not null default now(),
  check (ends_at >= starts_at),
  check ((method = 'utility_account') = (utility_account_id is not null)),
  check (method <> 'free' or amount_cents = 0)
);
create index purchase_session on parking.purchase (session_id);
create index purchase_utility_account on parking.purchase (utility_account_id)
  where utility_account_id is not null;

-- The notification outbox: each row is one message to deliver; the delivery provider (email, SMS)
-- plugs in behind it and marks rows sent. The dedupe key makes a re-run of a job write once.
create table app.notification (
  id bigint generated always as identity primary key,
  dedupe_key text not null unique,
  kind text not null,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  customer_id bigint references cis.customer (id),
  subject text not null,
  body text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  failed_at timestamptz,
  failure text
);
create index notification_unsent on app.notification (created_at) where sent_at is null;

-- Revenue per facility, and each kiosk's cash box: accounts for what exists already; new
-- facilities and kiosks open theirs when they are created.
insert into ledger.account (code, name, type, fund)
select 'revenue:parking:' || code, 'Parking revenue - ' || name, 'revenue', 'parking'
  from parking.facility
on conflict (code) do nothing;

insert into ledger.account (code, name, type, fund)
select 'cash:kiosk:' || id, 'Kiosk cash - ' || name, 'asset', 'parking'
  from app.device where kind = 'kiosk'
on conflict (code) do nothing;
