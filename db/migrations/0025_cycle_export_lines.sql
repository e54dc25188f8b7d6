/*
  Cycle export lines are written a cycle at a time (6,000 and more in one statement at city scale),
  and checking their two foreign keys row by row cost about as much as writing them
  (bench:finance). Their parents are never deleted: an export with lines is never removed, and CIS
  records never are (as for the ledger's receivables, 0004). The lookup of a posting's lines uses
  the unique (entry_id, posting_id, attempt) index, which makes the plain one redundant.
*/
alter table finance.cycle_export_line drop constraint cycle_export_line_export_id_fkey;
alter table finance.cycle_export_line drop constraint cycle_export_line_utility_account_id_fkey;
drop index finance.cycle_export_line_posting;
-- An export's lines by status are few thousand lines read through (export_id, line_no) anyway.
drop index finance.cycle_export_line_status;
