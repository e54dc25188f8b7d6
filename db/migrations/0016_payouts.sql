/*
  Stripe payouts to the city's bank. A paid payout moves its amount from Stripe clearing to the
  bank; one that fails after being paid moves it back (its entry's reversal). Matching a payout's
  balance transactions to payments is the finance reconciliation's work.
*/
create table payments.payout (
  id bigint generated always as identity primary key,
  stripe_payout_id text not null unique,
  amount_cents bigint not null,
  currency char(3) not null,
  status text not null,
  arrival_date date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
