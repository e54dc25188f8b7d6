-- A customer's Stripe Customer, made once, so a card saved for permit renewals can be charged later.
create table payments.stripe_customer (
  customer_id bigint primary key references cis.customer (id),
  stripe_customer_id text not null unique,
  created_at timestamptz not null default now()
);
