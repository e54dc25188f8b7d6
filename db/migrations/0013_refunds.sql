/*
  Refunds of card payments, asked for by finance with a reason. The refund's entry posts when
  Stripe accepts it (Dr what the payment credited, Cr Stripe clearing); a refund Stripe later
  fails or cancels posts that entry's reversal. The key makes a retried request one refund.
*/
create type payments.refund_status as enum ('pending', 'succeeded', 'failed', 'canceled');

create table payments.refund (
  id bigint generated always as identity primary key,
  public_id uuid not null unique default gen_random_uuid(),
  payment_id bigint not null references payments.payment (id),
  amount_cents bigint not null check (amount_cents > 0),
  reason text not null check (length(reason) between 3 and 500),
  status payments.refund_status not null,
  idempotency_key text not null unique,
  stripe_refund_id text unique,
  requested_by bigint references app.user_account (id),
  failure text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index refund_payment on payments.refund (payment_id);
