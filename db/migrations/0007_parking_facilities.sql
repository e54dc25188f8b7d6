/*
  Where the city sells parking: surface lots, garages, on-street zones (their zone number is the
  code on the signs) and the Airport's garage and lots. A facility carries its tariff as the JSON
  document api/facilities/tariff.ts validates (tariffSchema) and prices; every write goes through
  that schema, so the column holds only tariffs the engine accepts. Geometry is GeoJSON: a
  polygon for a lot, the block faces of a zone as line strings.
*/
create schema parking;

create type parking.facility_kind as enum (
  'surface_lot', 'garage', 'on_street_zone', 'airport_garage', 'airport_lot', 'cell_phone_lot'
);
create type parking.facility_status as enum ('open', 'closed', 'event');

create table parking.facility (
  id bigint generated always as identity primary key,
  -- the zone number on the signs, or the facility's short name: what a driver types at a kiosk
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{0,19}$'),
  name text not null check (length(name) between 1 and 200),
  kind parking.facility_kind not null,
  address text check (length(address) <= 300),
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  geometry jsonb check (geometry is null or jsonb_typeof(geometry) = 'object'),
  capacity integer check (capacity >= 0),
  levels integer check (levels >= 1),
  -- entry and exit through gates: open-ended stays, quoted at the exit
  gated boolean not null default false,
  status parking.facility_status not null default 'open',
  tariff jsonb not null check (jsonb_typeof(tariff) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((lat is null) = (lon is null))
);
create index facility_kind on parking.facility (kind);
