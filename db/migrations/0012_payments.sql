/*
  Card payments. One payment per purchase, written before Stripe is called, with the key Stripe
  is sent as its Idempotency-Key, so a retried call cannot make a second PaymentIntent. A payment
  changes state only from a verified Stripe event or a server-side retrieve of its PaymentIntent,
  never from the browser's word; each Stripe event is stored once, by its id.
*/
create schema payments;

create type payments.purpose as enum ('session', 'permit', 'citation', 'account_balance');
create type payments.method as enum ('card', 'cash', 'utility_bill');
create type payments.status as enum
  ('requires_payment', 'processing', 'succeeded', 'failed', 'canceled');

create table payments.payment (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  purpose payments.purpose not null,
  -- what it pays for, in its module's own terms (a parking purchase's key, a citation number)
  purpose_ref text not null,
  customer_id bigint references cis.customer (id),
  amount_cents bigint not null check (amount_cents > 0),
  currency char(3) not null default 'usd',
  method payments.method not null,
  status payments.status not null,
  channel text not null check (channel in ('web', 'kiosk', 'phone', 'gate')),
  -- sent to Stripe as the Idempotency-Key of the call that creates the PaymentIntent
  idempotency_key text not null unique,
  stripe_payment_intent_id text unique,
  -- set when an event or a retrieve showed an amount that is not the purchase's: never fulfilled
  mismatch text,
  failure text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  succeeded_at timestamptz
);
create index payment_purpose on payments.payment (purpose, purpose_ref);

create table payments.stripe_event (
  id text primary key,
  type text not null,
  -- the object the event is about, e.g. a PaymentIntent's id
  object_id text,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz
);
create index stripe_event_unprocessed on payments.stripe_event (received_at) where processed_at is null;
