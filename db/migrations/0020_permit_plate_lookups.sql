-- The rights lookup finds a plate's permit spans and passes by the plate alone (a plate has a few
-- rows at most): a btree probe costs less than the GiST one on (plate, during).
drop index permits.vehicle_plate;
drop index permits.visitor_pass_plate;
create index vehicle_plate on permits.vehicle (plate);
create index visitor_pass_plate on permits.visitor_pass (plate);
