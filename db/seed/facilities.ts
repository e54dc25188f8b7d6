import type { Sql } from '../connect.ts'
import { tariffSchema, type TariffInput } from '../../api/facilities/tariff.ts'
import { hoursSchema, type Hours } from '../../api/facilities/hours.ts'
import { CITY } from './city.ts'
import { openAccount, parkingAccount } from '../../api/ledger/accounts.ts'
import type { FacilityKind } from '../../api/facilities/facilities.ts'

// The city's holidays, when on-street meters are free (the Airport charges every day).
const HOLIDAYS = [
  '2026-01-01', '2026-01-19', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07',
  '2026-11-11', '2026-11-26', '2026-11-27', '2026-12-25', '2027-01-01', '2027-01-18',
]
const ALL_WEEK = [0, 1, 2, 3, 4, 5, 6]
const MON_SAT = [1, 2, 3, 4, 5, 6]

interface DemoFacility {
  code: string
  name: string
  kind: FacilityKind
  address: string
  lat: number
  lon: number
  geometry: object
  capacity: number
  levels?: number
  gated: boolean
  /** Opening hours; none: always open. */
  hours?: Hours
  tariff: TariffInput
}

const { lat: LAT, lon: LON } = CITY.downtown
const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/** A lot's outline: a rectangle around its centre, in degrees. */
function outline(lat: number, lon: number, dLat: number, dLon: number): object {
  const ring = [
    [lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat],
    [lon - dLon, lat + dLat], [lon - dLon, lat - dLat],
  ].map(([x, y]) => [round6(x ?? 0), round6(y ?? 0)])
  return { type: 'Polygon', coordinates: [ring] }
}

// Garages sell half hours: the first hour at one price, every later hour at another.
const garageTariff = (
  firstHour: number,
  laterHours: number,
  dailyMax: number,
  events: TariffInput['events'] = [],
): TariffInput => ({
  timeZone: CITY.timeZone,
  incrementMinutes: 30,
  bands: [
    {
      days: ALL_WEEK,
      from: '00:00',
      to: '24:00',
      rates: [{ minutes: 60, cents: firstHour / 2 }, { cents: laterHours / 2 }],
    },
  ],
  graceMinutes: 10,
  dailyMaxCents: dailyMax,
  lostTicketCents: dailyMax * 2,
  events,
})

function garagesAndLots(): DemoFacility[] {
  const place = (dLat: number, dLon: number) => ({ lat: round6(LAT + dLat), lon: round6(LON + dLon) })
  const list: Omit<DemoFacility, 'lat' | 'lon' | 'geometry'>[] = [
    { code: 'G-CIVIC', name: 'City Hall Garage', kind: 'garage', address: '200 Civic Plaza', capacity: 620, levels: 5, gated: true, tariff: garageTariff(200, 300, 1600) },
    { code: 'G-MARKET', name: 'Market Street Garage', kind: 'garage', address: '15 Market St', capacity: 450, levels: 4, gated: true, tariff: garageTariff(200, 300, 1400) },
    {
      code: 'G-CONV', name: 'Convention Center Garage', kind: 'garage', address: '500 Salisbury St', capacity: 900, levels: 6, gated: true,
      tariff: garageTariff(200, 300, 1600, [
        { name: 'Riverton Arts Festival', from: '2026-06-12T16:00:00-04:00', to: '2026-06-14T23:59:00-04:00', cents: 1000 },
      ]),
    },
    { code: 'L-RIVER', name: 'Riverfront Lot', kind: 'surface_lot', address: '2 Water St', capacity: 120, gated: false, tariff: lotTariff(40, 900) },
    {
      code: 'L-DEPOT', name: 'Depot Street Lot', kind: 'surface_lot', address: '40 Depot St', capacity: 85, gated: false,
      hours: [{ days: ALL_WEEK, from: '06:00', to: '24:00' }], tariff: lotTariff(40, 900),
    },
    {
      code: 'L-LIBRARY', name: 'Library Lot', kind: 'surface_lot', address: '310 Fayette St', capacity: 60, gated: false,
      hours: [{ days: MON_SAT, from: '07:00', to: '22:00' }, { days: [0], from: '10:00', to: '18:00' }],
      tariff: lotTariff(25, 600),
    },
  ]
  const offsets = [[0.002, -0.003], [-0.003, 0.002], [0.004, 0.004], [-0.005, -0.004], [0.006, -0.001], [-0.001, 0.006]]
  return list.map((f, i) => {
    const [dLat, dLon] = offsets[i] ?? [0, 0]
    const p = place(dLat ?? 0, dLon ?? 0)
    return { ...f, ...p, geometry: outline(p.lat, p.lon, 0.0004, 0.0006) }
  })
}

function lotTariff(perQuarterHour: number, dailyMax: number): TariffInput {
  return {
    timeZone: CITY.timeZone,
    incrementMinutes: 15,
    bands: [{ days: MON_SAT, from: '07:00', to: '19:00', rates: [{ cents: perQuarterHour }] }],
    holidays: HOLIDAYS,
    freeOnHolidays: true,
    dailyMaxCents: dailyMax,
    minimumCents: perQuarterHour,
  }
}

/*
  Forty pay-by-zone blocks on a downtown grid: the core (101–120) at $2.00 an hour with a 2-hour
  limit, the fringe (121–140) at $1.25 with 3 hours; Monday to Saturday 8 am to 6 pm, free
  evenings, Sundays and holidays. Each zone is both sides of one block, as line strings.
*/
function onStreetZones(): DemoFacility[] {
  const streets = ['Fayetteville St', 'Wilmington St', 'Salisbury St', 'McDowell St', 'Dawson St']
  const crossings = ['Hargett St', 'Martin St', 'Davie St', 'Cabarrus St', 'Lenoir St', 'South St', 'Morgan St', 'Jones St']
  const zones: DemoFacility[] = []
  const block = 0.0012
  for (let i = 0; i < 40; i++) {
    const col = i % 5
    const row = Math.floor(i / 5)
    const core = i < 20
    const lon = round6(LON + (col - 2) * block)
    const lat = round6(LAT + (row - 4) * block)
    const face = (side: number) => [
      [round6(lon + side * 0.00008), lat],
      [round6(lon + side * 0.00008), round6(lat + block * 0.9)],
    ]
    zones.push({
      code: String(101 + i),
      name: `${streets[col]}, ${crossings[row]} to ${crossings[row + 1] ?? 'Western Blvd'}`,
      kind: 'on_street_zone',
      address: `${100 + row * 100} block of ${streets[col]}`,
      lat: round6(lat + block * 0.45),
      lon,
      geometry: { type: 'MultiLineString', coordinates: [face(-1), face(1)] },
      capacity: 14 + ((i * 7) % 9),
      gated: false,
      tariff: {
        timeZone: CITY.timeZone,
        incrementMinutes: 15,
        bands: [{ days: MON_SAT, from: '08:00', to: '18:00', rates: [{ cents: core ? 50 : 31 }] }],
        holidays: HOLIDAYS,
        freeOnHolidays: true,
        minimumCents: core ? 50 : 31,
        maximumStayMinutes: core ? 120 : 180,
      },
    })
  }
  return zones
}

function airport(): DemoFacility[] {
  const base = { lat: round6(LAT + 0.09), lon: round6(LON - 0.15) }
  const at = (dLat: number, dLon: number) => ({ lat: round6(base.lat + dLat), lon: round6(base.lon + dLon) })
  const hourly = (first: number, later: number, daily: number, weekly: number, lost: number): TariffInput => ({
    timeZone: CITY.timeZone,
    incrementMinutes: 60,
    bands: [{ days: ALL_WEEK, from: '00:00', to: '24:00', rates: [{ minutes: 60, cents: first }, { cents: later }] }],
    graceMinutes: 15,
    dailyMaxCents: daily,
    weeklyMaxCents: weekly,
    lostTicketCents: lost,
  })
  const list: (Omit<DemoFacility, 'lat' | 'lon' | 'geometry'> & { at: { lat: number; lon: number } })[] = [
    { code: 'AIR-ST', name: 'Airport Short-Term Garage', kind: 'airport_garage', address: '2400 Terminal Blvd', capacity: 2200, levels: 4, gated: true, tariff: hourly(200, 300, 2400, 12000, 6000), at: at(0, 0) },
    { code: 'AIR-LT', name: 'Airport Long-Term Lot', kind: 'airport_lot', address: '2600 Terminal Blvd', capacity: 3500, gated: true, tariff: hourly(200, 200, 1400, 7000, 4200), at: at(0.006, 0.004) },
    { code: 'AIR-ECON', name: 'Airport Economy Lot', kind: 'airport_lot', address: '3100 Aviation Pkwy', capacity: 5000, gated: true, tariff: hourly(100, 100, 900, 4500, 2700), at: at(0.012, -0.006) },
    {
      code: 'AIR-CELL', name: 'Airport Cell Phone Waiting Lot', kind: 'cell_phone_lot', address: '2200 Terminal Blvd', capacity: 80, gated: false,
      tariff: { timeZone: CITY.timeZone, incrementMinutes: 60, bands: [], maximumStayMinutes: 60 },
      at: at(-0.004, 0.003),
    },
  ]
  return list.map(({ at: p, ...f }) => ({ ...f, ...p, geometry: outline(p.lat, p.lon, 0.0015, 0.002) }))
}

/** The demo city's lots, garages, on-street zones and Airport facilities; returns how many. */
export async function seedFacilities(sql: Sql): Promise<number> {
  const all = [...garagesAndLots(), ...onStreetZones(), ...airport()]
  for (const f of all) {
    const tariff = tariffSchema.parse(f.tariff)
    await sql`
      insert into parking.facility
        (code, name, kind, address, lat, lon, geometry, capacity, levels, gated, hours, tariff)
      values (${f.code}, ${f.name}, ${f.kind}, ${f.address}, ${f.lat}, ${f.lon},
              ${sql.json(f.geometry as never)}, ${f.capacity}, ${f.levels ?? null}, ${f.gated},
              ${f.hours ? sql.json(hoursSchema.parse(f.hours) as never) : null},
              ${sql.json(tariff as never)})`
    await openAccount(sql, {
      code: parkingAccount.revenue(f.code),
      name: `Parking revenue - ${f.name}`,
      type: 'revenue',
      fund: 'parking',
    })
  }
  return all.length
}
