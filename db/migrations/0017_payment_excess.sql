/*
  A payment for something already paid (two channels paying one balance at once) is taken, as
  the money did arrive, and what it paid beyond what was owed is refunded at once, automatically.
  excess_cents is that amount; its refund is keyed to the payment, so it is made once.
*/
alter table payments.payment add column excess_cents bigint not null default 0 check (excess_cents >= 0);
-- the payments whose excess is still to refund are found without reading all the others
create index payment_excess on payments.payment (id) where excess_cents > 0;
