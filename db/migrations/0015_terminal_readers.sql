/*
  Card readers at kiosks (Stripe Terminal, server-driven): a kiosk may have one registered reader,
  which processes the card-present PaymentIntents the server creates for its sales. A payment
  remembers the reader that processes it, so cancelling at the kiosk cancels that reader's action.
*/
alter table app.device add column stripe_reader_id text unique
  check (stripe_reader_id is null or stripe_reader_id ~ '^tmr_[A-Za-z0-9]+$');
alter table payments.payment add column stripe_reader_id text;
