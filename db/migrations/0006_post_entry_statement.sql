/*
  Entries are written by postEntry's own statement (api/ledger/post.ts) instead of through
  ledger.post_entry. The statement does what the function did, in one round trip as before: it
  checks the lines, writes the entry and its postings, and seals the entry under the ledger's
  statement mark when the lines pass. Without the PL/pgSQL call around it, bench:ledger writes
  about a twentieth more entries per second.

  Reversals, entries whose lines fail the check and anything written by hand stay unsealed and
  are checked at commit by journal_entry_balanced, as before. Set-based loads still go through
  ledger.post_staged.
*/
drop function ledger.post_entry(text, text, text, text, text, timestamptz, text[], bigint[], bigint);
