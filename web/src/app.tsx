import type { ComponentType } from 'preact'
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso'
import { SessionContext, useSessionState } from './lib/use-session.ts'
import { Header } from './components/header/header.tsx'
import { Footer } from './components/footer/footer.tsx'
import { RoleGate } from './components/role-gate/role-gate.tsx'
import { Page } from './components/page/page.tsx'
import { Button } from './components/button/button.tsx'
import styles from './app.module.css'

// A chunk that fails to load (offline, or a new release replaced it) gets a page that says so.
function page<P>(load: () => Promise<ComponentType<P>>) {
  return lazy(() => load().catch((): ComponentType<P> => LoadFailed))
}

const HomePage = page(() => import('./pages/home/home-page.tsx').then((m) => m.HomePage))
const SignInPage = page(() => import('./pages/sign-in/sign-in-page.tsx').then((m) => m.SignInPage))
const RegisterPage = page(() =>
  import('./pages/register/register-page.tsx').then((m) => m.RegisterPage),
)
const AccountPage = page(() =>
  import('./pages/account/account-page.tsx').then((m) => m.AccountPage),
)
const staffHome = () => import('./pages/staff-home/staff-home-page.tsx')
const AmbassadorHome = page(() => staffHome().then((m) => m.AmbassadorHome))
const SupervisorHome = page(() => staffHome().then((m) => m.SupervisorHome))
const AdminHome = page(() => staffHome().then((m) => m.AdminHome))
const UsersPage = page(() =>
  import('./pages/admin-users/admin-users-page.tsx').then((m) => m.AdminUsersPage),
)
const DevicesPage = page(() =>
  import('./pages/admin-devices/admin-devices-page.tsx').then((m) => m.AdminDevicesPage),
)
const FacilitiesPage = page(() =>
  import('./pages/admin-facilities/admin-facilities-page.tsx').then((m) => m.AdminFacilitiesPage),
)
const FacilityPage = page(() =>
  import('./pages/admin-facilities/admin-facility-page.tsx').then((m) => m.AdminFacilityPage),
)
const CisImportsPage = page(() =>
  import('./pages/cis-imports/cis-imports-page.tsx').then((m) => m.CisImportsPage),
)
const CustomersPage = page(() =>
  import('./pages/customers/customers-page.tsx').then((m) => m.CustomersPage),
)
const CustomerPage = page(() =>
  import('./pages/customer/customer-page.tsx').then((m) => m.CustomerPage),
)
const ParkingMapPage = page(() =>
  import('./pages/parking-map/parking-map-page.tsx').then((m) => m.ParkingMapPage),
)
const ParkPage = page(() => import('./pages/park/park-page.tsx').then((m) => m.ParkPage))
const ReceiptPage = page(() =>
  import('./pages/receipt/receipt-page.tsx').then((m) => m.ReceiptPage),
)
const SaleReceiptPage = page(() =>
  import('./pages/receipt/sale-receipt-page.tsx').then((m) => m.SaleReceiptPage),
)
const PermitsPage = page(() =>
  import('./pages/permits/permits-page.tsx').then((m) => m.PermitsPage),
)
const ApplyPage = page(() => import('./pages/permits/apply-page.tsx').then((m) => m.ApplyPage))
const PermitPage = page(() => import('./pages/permits/permit-page.tsx').then((m) => m.PermitPage))
const StaffPermitsPage = page(() =>
  import('./pages/staff-permits/staff-permits-page.tsx').then((m) => m.StaffPermitsPage),
)
const StaffPermitPage = page(() =>
  import('./pages/staff-permits/staff-permit-page.tsx').then((m) => m.StaffPermitPage),
)
const WaitlistsPage = page(() =>
  import('./pages/staff-permits/waitlists-page.tsx').then((m) => m.WaitlistsPage),
)
const AdminPermitTypesPage = page(() =>
  import('./pages/admin-permit-types/admin-permit-types-page.tsx').then((m) => m.AdminPermitTypesPage),
)
const AdminPermitTypePage = page(() =>
  import('./pages/admin-permit-types/admin-permit-type-page.tsx').then((m) => m.AdminPermitTypePage),
)
const HandheldPage = page(() =>
  import('./pages/handheld/handheld-page.tsx').then((m) => m.HandheldPage),
)
const supervisor = () => import('./pages/enforcement-supervisor/index.ts')
const LiveMapPage = page(() => supervisor().then((m) => m.LiveMapPage))
const CitationsPage = page(() => supervisor().then((m) => m.CitationsPage))
const StaffCitationPage = page(() => supervisor().then((m) => m.StaffCitationPage))
const AppealsPage = page(() => supervisor().then((m) => m.AppealsPage))
const ScofflawsPage = page(() => supervisor().then((m) => m.ScofflawsPage))
const CitationLookupPage = page(() =>
  import('./pages/citation/citation-lookup-page.tsx').then((m) => m.CitationLookupPage),
)
const CitationNoticePage = page(() =>
  import('./pages/citation/citation-page.tsx').then((m) => m.CitationPage),
)
const AdminViolationsPage = page(() =>
  import('./pages/admin-violations/admin-violations-page.tsx').then((m) => m.AdminViolationsPage),
)
const finance = () => import('./pages/finance/index.ts')
const FinanceHomePage = page(() => finance().then((m) => m.FinanceHomePage))
const CloseReportPage = page(() => finance().then((m) => m.CloseReportPage))
const ExceptionsPage = page(() => finance().then((m) => m.ExceptionsPage))
const PayoutsPage = page(() => finance().then((m) => m.PayoutsPage))
const PayoutPage = page(() => finance().then((m) => m.PayoutPage))
const CashPage = page(() => finance().then((m) => m.CashPage))
const CyclesPage = page(() => finance().then((m) => m.CyclesPage))
const NotFoundPage = page(() =>
  import('./pages/not-found/not-found-page.tsx').then((m) => m.NotFoundPage),
)

const CUSTOMER_ROLES = ['supervisor', 'finance', 'admin'] as const
const DECIDERS = ['supervisor', 'admin'] as const
const FINANCE = ['finance', 'admin'] as const

/** Links to the API docs and the kiosk app are full page loads, not in-app routes. */
const IN_APP = /^\/(?!api(\/|$)|kiosk(\/|$))/

export function App() {
  const session = useSessionState()
  return (
    <LocationProvider scope={IN_APP}>
      <SessionContext.Provider value={session}>
        <div class={styles.shell}>
          <Header />
          <main id="main" class={styles.main} tabIndex={-1}>
            <ErrorBoundary onError={(err) => console.error(err)}>
              <Router>
                <Route path="/" component={HomePage} />
                <Route path="/sign-in" component={SignInPage} />
                <Route path="/register" component={RegisterPage} />
                <Route path="/parking" component={ParkingMapPage} />
                <Route path="/park" component={ParkPage} />
                <Route path="/receipt/:id" component={ReceiptPage} />
                <Route path="/receipt/sale/:device/:sale" component={SaleReceiptPage} />
                <Route path="/citations" component={CitationLookupPage} />
                <Route path="/citations/:number" component={CitationNoticePage} />
                <RoleGate path="/account" roles={['driver']} page={AccountPage} />
                <RoleGate path="/permits" roles={['driver']} page={PermitsPage} />
                <RoleGate path="/permits/apply" roles={['driver']} page={ApplyPage} />
                <RoleGate path="/permits/:id" roles={['driver']} page={PermitPage} />
                <RoleGate path="/ambassador" roles={['ambassador']} page={AmbassadorHome} />
                <RoleGate path="/handheld" roles={['ambassador', 'supervisor']} page={HandheldPage} />
                <RoleGate path="/supervisor" roles={['supervisor']} page={SupervisorHome} />
                <RoleGate path="/supervisor/live" roles={DECIDERS} page={LiveMapPage} />
                <RoleGate path="/supervisor/citations" roles={DECIDERS} page={CitationsPage} />
                <RoleGate path="/supervisor/citations/:number" roles={DECIDERS} page={StaffCitationPage} />
                <RoleGate path="/supervisor/appeals" roles={DECIDERS} page={AppealsPage} />
                <RoleGate path="/supervisor/scofflaws" roles={DECIDERS} page={ScofflawsPage} />
                <RoleGate path="/finance" roles={FINANCE} page={FinanceHomePage} />
                <RoleGate path="/finance/days/:day" roles={FINANCE} page={CloseReportPage} />
                <RoleGate path="/finance/exceptions" roles={FINANCE} page={ExceptionsPage} />
                <RoleGate path="/finance/payouts" roles={FINANCE} page={PayoutsPage} />
                <RoleGate path="/finance/payouts/:id" roles={FINANCE} page={PayoutPage} />
                <RoleGate path="/finance/cash" roles={FINANCE} page={CashPage} />
                <RoleGate path="/finance/cycles" roles={FINANCE} page={CyclesPage} />
                <RoleGate path="/admin" roles={['admin']} page={AdminHome} />
                <RoleGate path="/admin/users" roles={['admin']} page={UsersPage} />
                <RoleGate path="/admin/devices" roles={['admin']} page={DevicesPage} />
                <RoleGate path="/admin/facilities" roles={['admin']} page={FacilitiesPage} />
                <RoleGate path="/admin/facilities/:code" roles={['admin']} page={FacilityPage} />
                <RoleGate path="/admin/permit-types" roles={['admin']} page={AdminPermitTypesPage} />
                <RoleGate path="/admin/permit-types/:code" roles={['admin']} page={AdminPermitTypePage} />
                <RoleGate path="/admin/violations" roles={['admin']} page={AdminViolationsPage} />
                <RoleGate path="/staff/permits" roles={CUSTOMER_ROLES} page={StaffPermitsPage} />
                <RoleGate path="/staff/permits/waitlists" roles={['supervisor', 'admin']} page={WaitlistsPage} />
                <RoleGate path="/staff/permits/:id" roles={CUSTOMER_ROLES} page={StaffPermitPage} />
                <RoleGate path="/cis-imports" roles={['finance', 'admin']} page={CisImportsPage} />
                <RoleGate path="/customers" roles={CUSTOMER_ROLES} page={CustomersPage} />
                <RoleGate path="/customers/:id" roles={CUSTOMER_ROLES} page={CustomerPage} />
                <Route default component={NotFoundPage} />
              </Router>
            </ErrorBoundary>
          </main>
          <Footer />
        </div>
      </SessionContext.Provider>
    </LocationProvider>
  )
}

function LoadFailed() {
  return (
    <Page title="This page could not be loaded" width="narrow">
      <p>
        Check your connection, then reload. If Curbline was just updated, reloading fetches the new
        version.
      </p>
      <Button onClick={() => location.reload()}>Reload</Button>
    </Page>
  )
}
