// The supervisor's enforcement pages, loaded together (app.tsx routes each).
export { LiveMapPage } from './live-map-page.tsx'
export { CitationsPage } from './citations-page.tsx'
export { StaffCitationPage } from './staff-citation-page.tsx'
export { AppealsPage } from './appeals-page.tsx'
export { ScofflawsPage } from './scofflaws-page.tsx'
