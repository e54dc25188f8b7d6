/*
  Opening hours: when a lot or garage lets cars in and sells time, as weekly spans of local time
  in the facility's time zone ([{"days": [1, 2, 3, 4, 5, 6], "from": "07:00", "to": "22:00"}]),
  checked by api/facilities/hours.ts on every write. Null: open around the clock.
*/
alter table parking.facility add column hours jsonb
  check (hours is null or (jsonb_typeof(hours) = 'array' and jsonb_array_length(hours) > 0));
