-- People, roles, devices, sessions and the audit log.
create schema app;

create type app.role as enum ('driver', 'ambassador', 'supervisor', 'finance', 'admin');

create table app.user_account (
  id bigint generated always as identity primary key,
  email text not null,
  display_name text not null,
  role app.role not null,
  password_hash text not null,
  -- drivers act for one customer record; staff have none
  customer_id bigint unique references cis.customer (id),
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((role = 'driver') = (customer_id is not null))
);
create unique index user_account_email on app.user_account (lower(email));

create table app.session (
  token_hash text primary key,
  user_id bigint not null references app.user_account (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index on app.session (user_id);
create index on app.session (expires_at);

create table app.device (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('kiosk', 'handheld')),
  name text not null,
  token_hash text not null unique,
  -- where a kiosk stands; facilities arrive with parking
  location text,
  created_by bigint references app.user_account (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);

-- Fixed-window counters shared by every API process (sign-in attempts per account and per IP).
create table app.rate_limit (
  bucket text not null,
  window_start timestamptz not null,
  hits int not null,
  primary key (bucket, window_start)
);

create table app.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_user_id bigint references app.user_account (id),
  actor_device_id bigint references app.device (id),
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text
);
create index on app.audit_log (entity, entity_id);
create index on app.audit_log (at);

-- Replies to retried HTTP POSTs, by the caller's Idempotency-Key.
create table app.idempotent_request (
  principal text not null,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status int,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (principal, key)
);
