/*
  Rights by plate read only the sessions still running: indexed by plate and end (an open gate
  stay ends at infinity), a lookup skips the plate's past without visiting it. It replaces the
  index by plate and start, which made every lookup read the plate's whole history.
*/
drop index parking.session_plate;
create index session_plate_running on parking.session
  (plate, (coalesce(ends_at, 'infinity'::timestamptz)));

-- A purchase remembers what was asked of it, so a replayed key with another request is refused.
alter table parking.purchase add column request_hash text;

-- A purchase's ledger entry is found by key, 'parking.purchase:' || idempotency_key, so the two
-- are written side by side in one transaction rather than one after the other.
alter table parking.purchase drop column ledger_entry_id;
