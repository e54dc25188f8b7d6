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
import type { z } from 'zod'
import type { FacilityView, QuoteView } from '../../../api/facilities/schemas.ts'
import type { Tariff } from '../../../api/facilities/tariff.ts'
import type { CardSessionView, ExtensionQuoteView, SessionView } from '../../../api/sessions/schemas.ts'
import type {
  EligibilityView,
  PayingView,
  PermitList,
  PermitSummary as PermitSummaryView,
  PermitTypeList,
  PermitTypeView,
  PermitView,
  WaitlistView,
  ZoneList,
  ZoneView,
} from '../../../api/permits/schemas.ts'

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

// Parking: facilities, quotes and sessions (receipts).

/** A facility or zone as GET /facilities lists it, its geometry read as GeoJSON. */
export type ParkingFacility = Omit<z.infer<typeof FacilityView>, 'geometry'> & {
  geometry: GeoJSON.Geometry | null
}
export interface FacilityListing {
  facilities: ParkingFacility[]
  map: { tileUrl: string }
}
export type FacilityDetail = ParkingFacility & { tariff: Tariff }
export type ParkingQuote = z.infer<typeof QuoteView>
export type QuoteLine = ParkingQuote['lines'][number]
export type ExtensionQuote = z.infer<typeof ExtensionQuoteView>
export type ParkingSession = SessionView
export type SessionPurchase = SessionView['purchases'][number]
/** A purchase paid by card: the session, with the payment to confirm in the browser. */
export type CardSession = z.infer<typeof CardSessionView>

// Permits: the types the city issues, residential zones, permits and waitlists.

export type PermitType = z.infer<typeof PermitTypeView>
export type PermitTypes = z.infer<typeof PermitTypeList>
export type PermitZone = z.infer<typeof ZoneView>
export type PermitZones = z.infer<typeof ZoneList>
export type PermitSummary = z.infer<typeof PermitSummaryView>
export type Permits = z.infer<typeof PermitList>
export type Permit = z.infer<typeof PermitView>
export type Eligibility = z.infer<typeof EligibilityView>
/** A permit after a payment is started, with the card payment to confirm, if any. */
export type Paying = z.infer<typeof PayingView>
export type Waitlist = z.infer<typeof WaitlistView>
