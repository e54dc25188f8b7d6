/*
  A plate has at most one paid session at a time at one place: a second purchase extends the
  first. The exclusion constraint says so in the database, so a plate's first purchase can be
  written without first taking a lock and reading: one that overlaps a session committed (or
  being committed) for the same plate and place is refused, and the purchase is then made the
  careful way, as an extension. A gate stay is open-ended until its exit and is not a paid span.
*/
create extension if not exists btree_gist;

alter table parking.session add constraint session_no_overlap exclude using gist (
  facility_id with =,
  plate with =,
  state with =,
  tstzrange(starts_at, ends_at) with &&
) where (status = 'active');
