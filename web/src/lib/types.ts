// Shapes of the API's JSON replies as the web app reads them.

export type Role = 'driver' | 'ambassador' | 'supervisor' | 'finance' | 'admin'
export type StaffRole = Exclude<Role, 'driver'>

export interface SessionUser {
  id: number
  email: string
  displayName: string
  role: Role
  customerId: number | null
}

export interface Me {
  user: SessionUser
  csrfToken: string
}

export interface Premise {
  address: string
  city: string
  state: string
  zip: string
}

export interface UtilityAccount {
  id: number
  accountNumber: string
  billCycle: number
  status: string
  relationship: string
  premise: Premise
  services: string[]
  lastBill: { billId: string; billDate: string; amount: number } | null
}

export interface Vehicle {
  id: number
  plate: string
  state: string
  platePrinted: string
  make: string | null
  model: string | null
  colour: string | null
  addedAt: string
}

export interface Balances {
  byFund: Record<string, number>
  total: number
}

export interface Customer {
  id: number
  cisCustomerId: string | null
  name: string
  email: string | null
  phone: string | null
  utilityAccounts: UtilityAccount[]
  vehicles: Vehicle[]
  balances: Balances
}

export interface StatementLine {
  entryId: number
  postingId: number
  occurredAt: string
  description: string
  fund: string
  accountCode: string
  utilityAccountNumber: string | null
  amount: number
  runningBalance: number
}

export interface Statement {
  customerId: number
  /** Null when the statement runs from the first entry, or up to now. */
  from: string | null
  to: string | null
  openingBalance: number
  lines: StatementLine[]
  totals: Balances
  closingBalance: number
}

export interface StaffUser {
  id: number
  email: string
  displayName: string
  role: Role
  customerId: number | null
  createdAt: string
  disabledAt: string | null
}

export interface Device {
  id: number
  kind: 'kiosk' | 'handheld'
  name: string
  location: string | null
  createdAt: string
  lastSeenAt: string | null
  revokedAt: string | null
}
