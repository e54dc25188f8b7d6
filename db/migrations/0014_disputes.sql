/*
  Card disputes (chargebacks). When Stripe withdraws a disputed payment's funds they move from
  Stripe clearing to the disputes account; a dispute won returns them; one lost takes them from
  what the payment credited. Each step is one entry keyed to the dispute, so no event posts twice.
  The payment, and the parking session it paid for, are flagged for staff to see.
*/
insert into ledger.account (code, name, type, fund)
values ('disputes:stripe', 'Card disputes: funds withdrawn by Stripe', 'asset', 'general')
on conflict (code) do nothing;

create table payments.dispute (
  id bigint generated always as identity primary key,
  stripe_dispute_id text not null unique,
  payment_id bigint not null references payments.payment (id),
  amount_cents bigint not null check (amount_cents > 0),
  reason text,
  status text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index dispute_payment on payments.dispute (payment_id);

alter table parking.session add column disputed_at timestamptz;
