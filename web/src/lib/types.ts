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

export interface ImportRowError {
  line: number
  field: string
  message: string
}

export interface CisImport {
  id: number
  kind: 'customers' | 'bills' | null
  fileName: string
  sha256: string
  status: 'applied' | 'rejected'
  rowsTotal: number
  rowsApplied: number
  errorCount: number
  errors: ImportRowError[]
  counts: Record<string, number>
  importedBy: number | null
  createdAt: string
  durationMs: number
}

/** The details of a 400 for a CIS file with bad rows. */
export interface RejectedImport {
  importId: number
  kind: 'customers' | 'bills' | null
  errorCount: number
  errors: ImportRowError[]
}

export interface CustomerSummary {
  id: number
  cisCustomerId: string | null
  name: string
  email: string | null
  phone: string | null
  accountNumbers: string[]
  plates: { plate: string; state: string }[]
}

export interface CustomerPage {
  customers: CustomerSummary[]
  limit: number
  offset: number
  nextOffset: number | null
}
