import type { Db } from '../../db/connect.ts'
import { notFound } from '../http/errors.ts'
import { normalisePlate, isValidPlate } from './plates.ts'
import { listVehicles } from './vehicles.ts'
import { customerBalances } from '../ledger/balances.ts'
import type {
  CustomerPage,
  CustomerSearchQuery,
  CustomerView,
  UtilityAccountView,
} from './schemas.ts'

interface CustomerRow {
  id: number
  cis_customer_id: string | null
  name: string
  email: string | null
  phone: string | null
}

/** One customer with their utility accounts, vehicles and balances per fund. */
export async function getCustomer(sql: Db, customerId: number): Promise<CustomerView> {
  const [customer]: [CustomerRow?] = await sql`
    select id, cis_customer_id, name, email, phone from cis.customer where id = ${customerId}`
  if (!customer) {
    throw notFound('Customer')
  }
  const [utilityAccounts, vehicles, balances] = await Promise.all([
    listUtilityAccounts(sql, customerId),
    listVehicles(sql, customerId),
    customerBalances(sql, customerId),
  ])
  return {
    id: customer.id,
    cisCustomerId: customer.cis_customer_id,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    utilityAccounts,
    vehicles,
    balances,
  }
}

interface UtilityAccountRow {
  id: number
  account_number: string
  bill_cycle: number
  status: 'active' | 'inactive' | 'closed'
  relationship: 'primary' | 'co_holder' | 'linked'
  address: string
  city: string
  state: string
  zip: string
  services: string[]
  bill_id: string | null
  bill_date: string | null
  bill_amount: number | null
}

/** The utility accounts a customer holds or has linked; one account only when accountId is set. */
export async function listUtilityAccounts(
  sql: Db,
  customerId: number,
  accountId: number | null = null,
): Promise<UtilityAccountView[]> {
  const rows = await sql<UtilityAccountRow[]>`
    select a.id, a.account_number, a.bill_cycle, a.status, h.relationship,
           p.address, p.city, p.state, p.zip,
           array(
             select s.service::text from cis.service_agreement s
              where s.utility_account_id = a.id and s.status = 'active'
              order by s.service
           ) as services,
           lb.bill_id, lb.bill_date::text as bill_date, lb.amount as bill_amount
      from cis.account_holder h
      join cis.utility_account a on a.id = h.utility_account_id
      join cis.premise p on p.id = a.premise_id
      left join lateral (
        select b.bill_id, b.bill_date, b.total_cents as amount
          from cis.bill b
         where b.utility_account_id = a.id
         order by b.bill_date desc, b.bill_id desc
         limit 1
      ) lb on true
     where h.customer_id = ${customerId}
       ${accountId === null ? sql`` : sql`and a.id = ${accountId}`}
     order by h.since, a.account_number`
  return rows.map(utilityAccountView)
}

function utilityAccountView(r: UtilityAccountRow): UtilityAccountView {
  return {
    id: r.id,
    accountNumber: r.account_number,
    billCycle: r.bill_cycle,
    status: r.status,
    relationship: r.relationship,
    premise: { address: r.address, city: r.city, state: r.state, zip: r.zip },
    services: r.services,
    lastBill:
      r.bill_id !== null && r.bill_date !== null && r.bill_amount !== null
        ? { billId: r.bill_id, billDate: r.bill_date, amount: r.bill_amount }
        : null,
  }
}

interface SummaryRow extends CustomerRow {
  account_numbers: string[]
  plates: { plate: string; state: string }[]
}

/**
 * Staff search by name, email, utility account number or plate, a page at a time in name order.
 * Without q it lists everyone.
 */
export async function searchCustomers(sql: Db, query: CustomerSearchQuery): Promise<CustomerPage> {
  const q = query.q ?? ''
  const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  const digits = q.replace(/[\s-]/g, '')
  const plate = normalisePlate(q)
  const match =
    q === ''
      ? sql`true`
      : sql`(
          c.name ilike ${like}
          or c.email ilike ${like}
          ${/^\d{10}$/.test(digits) ? sql`or exists (
            select 1 from cis.account_holder h
              join cis.utility_account a on a.id = h.utility_account_id
             where h.customer_id = c.id and a.account_number = ${digits})` : sql``}
          ${isValidPlate(plate) ? sql`or exists (
            select 1 from cis.vehicle v
             where v.customer_id = c.id and v.plate = ${plate} and v.removed_at is null)` : sql``}
        )`
  const rows = await sql<SummaryRow[]>`
    select c.id, c.cis_customer_id, c.name, c.email, c.phone,
           array(
             select a.account_number::text from cis.account_holder h
               join cis.utility_account a on a.id = h.utility_account_id
              where h.customer_id = c.id
              order by a.account_number
           ) as account_numbers,
           coalesce((
             select json_agg(json_build_object('plate', v.plate, 'state', v.state::text)
                             order by v.plate)
               from cis.vehicle v
              where v.customer_id = c.id and v.removed_at is null
           ), '[]'::json) as plates
      from cis.customer c
     where ${match}
     order by c.name, c.id
     limit ${query.limit + 1} offset ${query.offset}`
  const page = rows.slice(0, query.limit)
  return {
    customers: page.map((r) => ({
      id: r.id,
      cisCustomerId: r.cis_customer_id,
      name: r.name,
      email: r.email,
      phone: r.phone,
      accountNumbers: r.account_numbers,
      plates: r.plates,
    })),
    limit: query.limit,
    offset: query.offset,
    nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
  }
}
