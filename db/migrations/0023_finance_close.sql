/*
  The daily close counts the sessions and citations of a day by when they started or were issued;
  both tables grow in time order, so a BRIN index finds a day's rows for next to nothing.
*/
create index session_starts_at_brin on parking.session using brin (starts_at);
create index citation_issued_at_brin on enforcement.citation using brin (issued_at);
create index refund_updated_at_brin on payments.refund using brin (updated_at);
