import { csvLine } from '../../api/cis/csv.ts'
import { COLUMNS, type UtilityService } from '../../api/cis/formats.ts'
// The same seeded generator the plate renderer and the OCR bench draw from.
import { mulberry32 } from '../../api/enforcement/ocr/train/random.ts'

/**
 * A made-up mid-size US city for the demo and the scale runs, as the utility's CIS would export
 * it. Deterministic: the same options give the same files, byte for byte.
 */
export const CITY = {
  name: 'Riverton',
  state: 'NC',
  timeZone: 'America/New_York',
  downtown: { lat: 35.7796, lon: -78.6382 },
} as const

// ZIP codes with the offset of their centre from downtown, in degrees
const ZIPS: [string, number, number][] = [
  ['27601', 0, 0],
  ['27603', -0.04, -0.01],
  ['27604', 0.03, 0.05],
  ['27605', 0.01, -0.03],
  ['27606', -0.02, -0.08],
  ['27607', 0.02, -0.09],
  ['27608', 0.03, -0.01],
  ['27609', 0.07, -0.01],
  ['27610', -0.02, 0.06],
  ['27612', 0.08, -0.08],
  ['27613', 0.12, -0.06],
  ['27614', 0.15, 0.0],
  ['27615', 0.11, 0.01],
  ['27616', 0.08, 0.08],
  ['27617', 0.1, -0.14],
]

const STREETS = [
  'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Willow', 'Hickory', 'Dogwood', 'Magnolia', 'Birch',
  'Poplar', 'Sycamore', 'Chestnut', 'Walnut', 'Laurel', 'Holly', 'Juniper', 'Spruce', 'Ash',
  'Hillsborough', 'Glenwood', 'Wade', 'Fayetteville', 'Salisbury', 'Blount', 'Person', 'Lane',
  'Jones', 'Edenton', 'Peace', 'Morgan', 'Davie', 'Cabarrus', 'Lenoir', 'South', 'Martin',
  'Harrington', 'Boylan', 'Saint Mary\'s', 'Oberlin', 'Brooks', 'Lassiter', 'Falls of Neuse',
  'Six Forks', 'Lead Mine', 'Creedmoor', 'Millbrook', 'Sandy Forks', 'Spring Forest', 'Capital',
  'New Bern', 'Poole', 'Rock Quarry', 'Garner', 'Tryon', 'Lake Wheeler', 'Western', 'Avent Ferry',
  'Gorman', 'Kaplan', 'Ridge', 'Duraleigh', 'Edwards Mill', 'Leesville', 'Strickland',
]
const SUFFIXES = ['St', 'Ave', 'Rd', 'Dr', 'Ln', 'Ct', 'Blvd', 'Way', 'Pl', 'Cir']
const FIRST = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David',
  'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah',
  'Charles', 'Karen', 'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony',
  'Sandra', 'Mark', 'Margaret', 'Andre', 'Ashley', 'Luis', 'Kimberly', 'Wei', 'Emily', 'Kevin',
  'Donna', 'Brian', 'Michelle', 'Jamal', 'Carol', 'Aisha', 'Amanda', 'Carlos', 'Melissa', 'Priya',
  'Deborah', 'Omar', 'Stephanie', 'Tyrone', 'Rebecca', 'Hiroshi', 'Laura', 'Diego', 'Keisha',
]
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez',
  'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark',
  'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres',
  'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Mitchell', 'Carter', 'Roberts', 'Patel', 'Chen', 'Okafor', 'Kim', 'Singh', 'Murphy', 'Bailey',
]
const BUSINESSES = [
  'Bakery', 'Hardware', 'Dental Group', 'Auto Repair', 'Cafe', 'Laundromat', 'Florist',
  'Barbershop', 'Pharmacy', 'Law Office', 'Brewing Co', 'Tire & Service', 'Deli', 'Bookshop',
  'Fitness', 'Veterinary Clinic', 'Pizza', 'Insurance Agency', 'Realty', 'Print Shop',
]

export interface CityPremise {
  id: string
  address: string
  zip: string
  lat: number
  lon: number
}

export interface CityAccount {
  number: string
  premise: CityPremise
  cycle: number
  status: 'active' | 'inactive' | 'closed'
  openedOn: string
  closedOn: string | null
  services: UtilityService[]
  business: boolean
  /** How much this household or business uses, relative to a typical home. */
  size: number
  holders: { customer: CityCustomer; relationship: 'primary' | 'co_holder' }[]
}

export interface CityCustomer {
  index: number
  id: string
  name: string
  email: string | null
  phone: string | null
  mailingAddress: string | null
}

export interface City {
  customers: CityCustomer[]
  accounts: CityAccount[]
}

export interface CityOptions {
  customers: number
  seed?: number
  /** The first few customers are plain households with one active account and every service
   *  including gas, so the demo has predictable people to sign in as. */
  featured?: number
}

const ALWAYS: UtilityService[] = ['electric', 'water', 'sewer', 'solid_waste', 'stormwater', 'fire']

export function generateCity(options: CityOptions): City {
  const rnd = mulberry32(options.seed ?? 2026)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T
  const featured = options.featured ?? 0
  const customers: CityCustomer[] = []
  const accounts: CityAccount[] = []
  let premises = 0

  const newPremise = (): CityPremise => {
    const [zip, dLat, dLon] = pick(ZIPS)
    const unit =
      rnd() < 0.18 ? ` Apt ${1 + Math.floor(rnd() * 40)}${pick(['A', 'B', 'C', 'D'])}` : ''
    premises++
    return {
      id: `P${String(premises).padStart(7, '0')}`,
      address: `${100 + Math.floor(rnd() * 9800)} ${pick(STREETS)} ${pick(SUFFIXES)}${unit}`,
      zip,
      lat: round6(CITY.downtown.lat + dLat + (rnd() - 0.5) * 0.03),
      lon: round6(CITY.downtown.lon + dLon + (rnd() - 0.5) * 0.03),
    }
  }

  const newAccount = (premise: CityPremise, business: boolean, plain: boolean): CityAccount => {
    const k = accounts.length
    const roll = plain ? 0 : rnd()
    const status = roll < 0.96 ? 'active' : roll < 0.985 ? 'inactive' : 'closed'
    const year = 1995 + Math.floor(rnd() * 30)
    const opened = `${year}-${pad2(1 + Math.floor(rnd() * 12))}-${pad2(1 + Math.floor(rnd() * 28))}`
    const services = [...ALWAYS]
    if (plain || rnd() < (business ? 0.5 : 0.35)) {
      services.splice(3, 0, 'gas')
    }
    const account: CityAccount = {
      number: String(2_001_000_000 + k * 7),
      premise,
      cycle: (k % 21) + 1,
      status,
      openedOn: opened,
      closedOn: status === 'closed' ? `${2025}-0${1 + Math.floor(rnd() * 5)}-15` : null,
      services,
      business,
      size: business ? 2 + rnd() * 6 : 0.6 + rnd() * rnd() * 1.4,
      holders: [],
    }
    accounts.push(account)
    return account
  }

  for (let i = 0; i < options.customers; i++) {
    const plain = i < featured
    const business = !plain && rnd() < 0.08
    const last = pick(LAST)
    const first = pick(FIRST)
    const name = business ? `${last} ${pick(BUSINESSES)}` : `${first} ${last}`
    const slug = name.toLowerCase().replace(/[^a-z]+/g, '.')
    const premise = newPremise()
    if (plain) {
      // the demo's featured drivers live downtown, in residential permit zone A (db/seed/permits.ts)
      premise.lat = round6(CITY.downtown.lat + 0.001 + i * 0.0006)
      premise.lon = round6(CITY.downtown.lon - 0.002 + i * 0.0008)
    }
    const customer: CityCustomer = {
      index: i,
      id: `C${String(1_000_001 + i)}`,
      name,
      email: plain || rnd() < 0.65 ? `${slug}${i}@example.${business ? 'com' : 'net'}` : null,
      phone:
        plain || rnd() < 0.85
          ? `919-555-${String(Math.floor(rnd() * 10000)).padStart(4, '0')}`
          : null,
      mailingAddress: rnd() < 0.1 && !plain
        ? `PO Box ${100 + Math.floor(rnd() * 9000)}, ${CITY.name}, ${CITY.state} ${premise.zip}`
        : `${premise.address}, ${CITY.name}, ${CITY.state} ${premise.zip}`,
    }
    customers.push(customer)
    const account = newAccount(premise, business, plain)
    account.holders.push({ customer, relationship: 'primary' })
    // a landlord or a business with a second site
    if (!plain && rnd() < 0.03) {
      newAccount(newPremise(), business, false).holders.push({ customer, relationship: 'primary' })
    }
    // a spouse or partner on the same account, counted among the city's customers
    if (!plain && !business && i + 1 < options.customers && rnd() < 0.04) {
      i++
      const partner: CityCustomer = {
        index: i,
        id: `C${String(1_000_001 + i)}`,
        name: `${pick(FIRST)} ${last}`,
        email: rnd() < 0.5 ? `partner.${slug}${i}@example.net` : null,
        phone: null,
        mailingAddress: customer.mailingAddress,
      }
      customers.push(partner)
      account.holders.push({ customer: partner, relationship: 'co_holder' })
    }
  }
  return { customers, accounts }
}

const CHUNK_LINES = 4000

/** The customer feed: one row per service agreement, plus one per co-holder. */
export function* customerCsv(city: City): Generator<string> {
  let lines: string[] = [csvLine([...COLUMNS.customers])]
  for (const a of city.accounts) {
    for (const { customer: c, relationship } of a.holders) {
      const head = [
        c.id, c.name, c.email, c.phone, c.mailingAddress,
        a.premise.id, a.premise.address, CITY.name, CITY.state, a.premise.zip,
        a.premise.lat.toFixed(6), a.premise.lon.toFixed(6),
        a.number, a.cycle, a.status, a.openedOn, a.closedOn, relationship,
      ]
      if (relationship === 'co_holder') {
        lines.push(csvLine([...head, null, null, null, null, null]))
        continue
      }
      for (const service of a.services) {
        const stopped = a.status !== 'active'
        lines.push(
          csvLine([
            ...head,
            `${a.number}-${SERVICE_CODES[service]}`,
            service,
            stopped ? 'stopped' : 'active',
            a.openedOn,
            stopped ? (a.closedOn ?? '2025-06-30') : null,
          ]),
        )
      }
      if (lines.length >= CHUNK_LINES) {
        yield lines.join('')
        lines = []
      }
    }
  }
  yield lines.join('')
}

const SERVICE_CODES: Record<UtilityService, string> = {
  electric: 'E',
  water: 'W',
  sewer: 'S',
  gas: 'G',
  solid_waste: 'SW',
  stormwater: 'ST',
  fire: 'F',
}

export interface BillOptions {
  months: number
  /** Bills are for the whole months before this day's month. */
  today?: Date
  seed?: number
}

/** Bill dates: cycle c bills on the c-th weekday of the month (or its last weekday). */
export function billDate(year: number, month: number, cycle: number): string {
  let weekdays = 0
  let last = ''
  for (let day = 1; day <= 31; day++) {
    const d = new Date(Date.UTC(year, month - 1, day))
    if (d.getUTCMonth() !== month - 1) {
      break
    }
    const dow = d.getUTCDay()
    if (dow === 0 || dow === 6) {
      continue
    }
    weekdays++
    last = d.toISOString().slice(0, 10)
    if (weekdays === cycle) {
      return last
    }
  }
  return last
}

/** The bill-charge feed: one row per service line, months oldest first. */
export function* billCsv(city: City, options: BillOptions): Generator<string> {
  const rnd = mulberry32((options.seed ?? 2026) + 1)
  const today = options.today ?? new Date()
  const months: [number, number][] = []
  for (let back = options.months; back >= 1; back--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - back, 1))
    months.push([d.getUTCFullYear(), d.getUTCMonth() + 1])
  }
  const dates = new Map<string, string>()
  let lines: string[] = [csvLine([...COLUMNS.bills])]
  for (const [year, month] of months) {
    const yyyymm = `${year}${pad2(month)}`
    for (const a of city.accounts) {
      if (a.status !== 'active') {
        continue
      }
      const dateKey = `${yyyymm}-${a.cycle}`
      let date = dates.get(dateKey)
      if (date === undefined) {
        date = billDate(year, month, a.cycle)
        dates.set(dateKey, date)
      }
      const billId = `${yyyymm}-${a.number}`
      for (const service of a.services) {
        const cents = charge(service, a, month, rnd)
        lines.push(`${billId},${a.number},${date},${a.cycle},${service},${dollars(cents)}\n`)
      }
      if (lines.length >= CHUNK_LINES) {
        yield lines.join('')
        lines = []
      }
    }
  }
  yield lines.join('')
}

/** A plausible charge in cents for one service in one month. */
function charge(service: UtilityService, a: CityAccount, month: number, rnd: () => number): number {
  const winter = month === 12 || month <= 2
  const summer = month >= 6 && month <= 8
  const jitter = 0.85 + rnd() * 0.3
  const scale = a.size * jitter
  switch (service) {
    case 'electric':
      return Math.round((2500 + 11000 * scale) * (summer ? 1.35 : winter ? 1.2 : 1))
    case 'water':
      return Math.round((1500 + 2800 * scale) * (summer ? 1.3 : 1))
    case 'sewer':
      return Math.round((1800 + 3100 * scale) * (summer ? 1.1 : 1))
    case 'gas':
      return Math.round((1200 + 3500 * scale) * (winter ? 2.4 : summer ? 0.5 : 1))
    case 'solid_waste':
      // a missed-pickup credit now and then
      return rnd() < 0.004 ? -1125 : a.business ? 6800 : 2250
    case 'stormwater':
      return a.business ? Math.round(640 * Math.ceil(a.size)) : 640
    case 'fire':
      return a.business ? 1500 : 425
  }
}

function dollars(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${pad2(abs % 100)}`
}

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6
}
