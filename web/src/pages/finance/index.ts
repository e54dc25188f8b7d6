// The finance console's pages, loaded together and apart from the rest (app.tsx routes each);
// only these pages carry the chart library.
export { FinanceHomePage } from './finance-home-page.tsx'
export { CloseReportPage } from './close-report-page.tsx'
export { ExceptionsPage } from './exceptions-page.tsx'
export { PayoutsPage } from './payouts-page.tsx'
export { PayoutPage } from './payout-page.tsx'
export { CashPage } from './cash-page.tsx'
export { CyclesPage } from './cycles-page.tsx'
