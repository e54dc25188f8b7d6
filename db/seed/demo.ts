import { seedFacilities } from './facilities.ts'
import { seedPermits } from './permits.ts'
import { seedEnforcement } from './enforcement.ts'
import { seedFinance } from './finance.ts'
import type { Sql } from '../connect.ts'
import { createStaffUser, registerDriver } from '../../api/auth/users.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { importCisFile } from '../../api/cis/import.ts'
import { CITY, billCsv, customerCsv, generateCity } from './city.ts'

/** Printed by npm start and listed in README.md. Demo data only: never seeded in production. */
export const DEMO_SIGN_INS = [
  { role: 'driver', email: 'driver@curbline.test', password: 'demo-driver-2026' },
  { role: 'ambassador', email: 'ambassador@curbline.test', password: 'demo-ambassador-2026' },
  { role: 'supervisor', email: 'supervisor@curbline.test', password: 'demo-supervisor-2026' },
  { role: 'finance', email: 'finance@curbline.test', password: 'demo-finance-2026' },
  { role: 'admin', email: 'admin@curbline.test', password: 'demo-admin-2026' },
] as const

type StaffSignIn = Exclude<(typeof DEMO_SIGN_INS)[number], { role: 'driver' }>

/** A demo kiosk token, so /kiosk works out of the box; revoke it from the admin pages. */
export const DEMO_KIOSK_TOKEN = 'kio_demo-kiosk-token-for-the-demo-city-only'

/** The demo's gates and phone line, with documented tokens like the kiosk's. */
export const DEMO_GATES = [
  { name: 'City Hall Garage gate', facility: 'G-CIVIC', token: 'gate_demo-civic-garage-gate-token' },
  { name: 'Airport Short-Term gate', facility: 'AIR-ST', token: 'gate_demo-airport-short-term-gate-token' },
] as const
export const DEMO_IVR_TOKEN = 'ivr_demo-pay-by-phone-token-for-the-demo-city-only'
export const DEMO_HANDHELD_TOKEN = 'hh_demo-handheld-token-for-the-demo-city-only'

/** Customers in the demo city; each holds a utility account billed in one of the 21 cycles. */
export const DEMO_CUSTOMERS = 2000
export const DEMO_MONTHS = 6

/**
 * The demo's drivers: CIS customers who signed up online, with their cars. The first is the
 * documented sign-in; the others share its password.
 */
interface DemoVehicle {
  printed: string
  state: string
  make: string
  model: string
  colour: string
}

const DEMO_DRIVERS: { email: string; vehicles: DemoVehicle[] }[] = [
  {
    email: 'driver@curbline.test',
    vehicles: [
      { printed: 'HBT-4821', state: 'NC', make: 'Honda', model: 'Civic', colour: 'Blue' },
      { printed: 'RVR 2026', state: 'NC', make: 'Ford', model: 'Transit', colour: 'White' },
    ],
  },
  {
    email: 'driver2@curbline.test',
    vehicles: [
      { printed: 'JKL-7730', state: 'NC', make: 'Toyota', model: 'RAV4', colour: 'Silver' },
    ],
  },
  {
    email: 'driver3@curbline.test',
    vehicles: [
      { printed: 'PLT-1188', state: 'VA', make: 'Subaru', model: 'Outback', colour: 'Green' },
    ],
  },
  {
    email: 'driver4@curbline.test',
    vehicles: [
      { printed: 'ZXM-5402', state: 'NC', make: 'Tesla', model: 'Model 3', colour: 'Red' },
      { printed: 'GRN-0917', state: 'SC', make: 'Chevrolet', model: 'Bolt', colour: 'Grey' },
    ],
  },
  {
    email: 'driver5@curbline.test',
    vehicles: [
      { printed: 'DLB-3365', state: 'NC', make: 'Hyundai', model: 'Elantra', colour: 'Black' },
    ],
  },
]

export interface DemoSummary {
  users: number
  drivers: number
  vehicles: number
  customers: number
  utilityAccounts: number
  bills: number
  ledgerEntries: number
  kiosks: number
  parkingSessions: number
  closedDays: number
  facilities: number
  permitTypes: number
  citations: number
}

/**
 * Loads the demo city into an empty database: ~2,000 CIS customers with accounts over all 21
 * cycles and six months of bills (through the real CIS importer), drivers with cars, one user
 * per staff role and the demo kiosk.
 */
export async function seedDemoCity(
  sql: Sql,
  log: (line: string) => void = () => {},
): Promise<DemoSummary> {
  const city = generateCity({ customers: DEMO_CUSTOMERS, featured: DEMO_DRIVERS.length })
  // password hashing takes a CPU thread of its own, so staff are created while the CIS imports run
  const staff = Promise.all(
    DEMO_SIGN_INS.filter((s): s is StaffSignIn => s.role !== 'driver').map((s) =>
      createStaffUser(sql, {
        email: s.email,
        displayName: `Demo ${s.role}`,
        role: s.role,
        password: s.password,
      }),
    ),
  )
  const customers = await importCisFile(sql, customerCsv(city), {
    fileName: 'demo-customers.csv',
    timeZone: CITY.timeZone,
    log,
  })
  const bills = await importCisFile(sql, billCsv(city, { months: DEMO_MONTHS }), {
    fileName: 'demo-bills.csv',
    timeZone: CITY.timeZone,
    log,
  })

  const drivers = await Promise.all(
    DEMO_DRIVERS.map(async (driver, i) => {
      const person = city.customers[i]
      if (!person) {
        throw new Error('the demo city has fewer customers than demo drivers')
      }
      const [customer]: [{ id: number }?] = await sql`
        select id from cis.customer where cis_customer_id = ${person.id}`
      if (!customer) {
        throw new Error(`demo customer ${person.id} was not imported`)
      }
      await registerDriver(sql, {
        email: driver.email,
        name: person.name,
        password: DEMO_SIGN_INS[0].password,
        customerId: customer.id,
      })
      for (const v of driver.vehicles) {
        await sql`
          insert into cis.vehicle (customer_id, plate, state, plate_printed, make, model, colour)
          values (${customer.id}, ${v.printed.toUpperCase().replace(/[\s-]/g, '')}, ${v.state},
                  ${v.printed}, ${v.make}, ${v.model}, ${v.colour})`
      }
      return driver.vehicles.length
    }),
  )
  const users = (await staff).length + drivers.length
  const vehicles = drivers.reduce((sum, n) => sum + n, 0)

  const facilities = await seedFacilities(sql)
  const permitTypes = await seedPermits(sql)
  await registerDevice(
    sql,
    { kind: 'kiosk', name: 'Kiosk 1 - Fayetteville St (zone 101)', facility: '101', createdBy: null },
    DEMO_KIOSK_TOKEN,
  )
  for (const gate of DEMO_GATES) {
    await registerDevice(sql, { kind: 'gate', ...gate, createdBy: null }, gate.token)
  }
  await registerDevice(sql, { kind: 'ivr', name: 'Pay-by-phone line', createdBy: null }, DEMO_IVR_TOKEN)
  await registerDevice(sql, { kind: 'handheld', name: 'Handheld 1', createdBy: null }, DEMO_HANDHELD_TOKEN)
  const citations = await seedEnforcement(sql)
  const finance = await seedFinance(sql, CITY.timeZone, log)

  const summary: DemoSummary = {
    users,
    drivers: DEMO_DRIVERS.length,
    vehicles,
    customers: city.customers.length,
    utilityAccounts: city.accounts.length,
    bills: bills.counts.bills ?? 0,
    ledgerEntries: bills.counts.ledgerEntries ?? 0,
    kiosks: 1,
    facilities,
    permitTypes,
    citations,
    parkingSessions: finance.sessions,
    closedDays: finance.closedDays,
  }
  log(
    `demo city ${CITY.name}, ${CITY.state}: ${summary.customers} customers, ` +
      `${summary.utilityAccounts} utility accounts in 21 cycles, ${summary.bills} bills ` +
      `(${summary.ledgerEntries} ledger entries), ${summary.users} users ` +
      `(${summary.drivers} drivers with ${summary.vehicles} vehicles), ${summary.kiosks} kiosk, ` +
      `${summary.facilities} parking facilities and zones, ${summary.permitTypes} permit types, ${summary.citations} citations; ` +
      `imports ${customers.id} and ${bills.id}`,
  )
  return summary
}
