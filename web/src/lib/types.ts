// Shapes of the API's JSON replies, taken from the API's own zod schemas so the two cannot drift.
// Type-only imports: nothing of the API reaches the browser bundle.
import type { Me, RoleName, UserView, DeviceView } from '../../../api/auth/schemas.ts'
import type {
  CustomerView,
  CustomerSummary,
  CustomerPage,
  UtilityAccountView,
  VehicleView,
} from '../../../api/customers/schemas.ts'
import type { Balances, Statement, StatementLine } from '../../../api/ledger/schemas.ts'
import type { ImportView, RowErrorView } from '../../../api/cis/schemas.ts'

export type { Me, Balances, Statement, StatementLine, CustomerSummary, CustomerPage }

export type Role = RoleName
export type StaffRole = Exclude<Role, 'driver'>
export type SessionUser = Me['user']
export type UtilityAccount = UtilityAccountView
export type Premise = UtilityAccount['premise']
export type Vehicle = VehicleView
export type Customer = CustomerView
export type StaffUser = UserView
export type Device = DeviceView
export type ImportRowError = RowErrorView
export type CisImport = ImportView

/** The details of a 400 for a CIS file with bad rows (built in api/cis/import.ts). */
export interface RejectedImport {
  importId: number
  kind: CisImport['kind']
  errorCount: number
  errors: ImportRowError[]
}
