import type { Sql } from '../connect.ts'
import { createStaffUser } from '../../api/auth/users.ts'
import { registerDevice } from '../../api/auth/devices.ts'

/** Printed by npm start and listed in README.md. Demo data only: never seeded in production. */
export const DEMO_SIGN_INS = [
  { role: 'driver', email: 'driver@curbline.test', password: 'demo-driver-2026' },
  { role: 'ambassador', email: 'ambassador@curbline.test', password: 'demo-ambassador-2026' },
  { role: 'supervisor', email: 'supervisor@curbline.test', password: 'demo-supervisor-2026' },
  { role: 'finance', email: 'finance@curbline.test', password: 'demo-finance-2026' },
  { role: 'admin', email: 'admin@curbline.test', password: 'demo-admin-2026' },
] as const

/** A demo kiosk token, so /kiosk works out of the box; revoke it from the admin pages. */
export const DEMO_KIOSK_TOKEN = 'kio_demo-kiosk-token-for-the-demo-city-only'

export interface DemoSummary {
  users: number
}

export async function seedDemoCity(sql: Sql, log: (line: string) => void = () => {}): Promise<DemoSummary> {
  let users = 0
  for (const s of DEMO_SIGN_INS) {
    if (s.role === 'driver') {
      continue
    }
    await createStaffUser(sql, {
      email: s.email,
      displayName: `Demo ${s.role}`,
      role: s.role,
      password: s.password,
    })
    users++
  }
  await registerDevice(
    sql,
    { kind: 'kiosk', name: 'Kiosk 1 - City Hall Garage', createdBy: null },
    DEMO_KIOSK_TOKEN,
  )
  log(`demo staff users: ${users}`)
  return { users }
}
