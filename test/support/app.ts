import type { Hono } from 'hono'
import { createApp } from '../../api/app.ts'
import type { AppEnv } from '../../api/http/context.ts'
import type { TestDatabase } from './db.ts'
import { createStaffUser, registerDriver } from '../../api/auth/users.ts'
import { registerDevice } from '../../api/auth/devices.ts'

export type Role = 'driver' | 'ambassador' | 'supervisor' | 'finance' | 'admin'

export interface Caller {
  /** Cookie and CSRF headers (people) or a bearer token (devices); none for the public. */
  headers: Record<string, string>
  userId?: number
  customerId?: number | null
}

export interface TestApp {
  app: Hono<AppEnv>
  request: (path: string, init?: RequestInit & { json?: unknown; as?: Caller }) => Promise<Response>
  signIn: (email: string, password: string) => Promise<Caller>
  /** A new user of the role (a driver with their own customer record), signed in. */
  userWithRole: (role: Role, name?: string) => Promise<Caller>
  device: (kind: 'kiosk' | 'handheld' | 'gate' | 'ivr', facility?: string) => Promise<Caller & { deviceId: number }>
}

let counter = 0

/** The app on the test's database; config overrides switch on what is off by default (Stripe). */
export function testApp(db: TestDatabase, config: Partial<TestDatabase['config']> = {}): TestApp {
  const app = createApp({ sql: db.sql, config: { ...db.config, ...config } })
  const request: TestApp['request'] = (path, init = {}) => {
    const { json, as, headers, ...rest } = init
    const h = new Headers(headers)
    for (const [k, v] of Object.entries(as?.headers ?? {})) {
      h.set(k, v)
    }
    if (json !== undefined) {
      h.set('content-type', 'application/json')
    }
    return Promise.resolve(app.request(path, {
      ...rest,
      headers: h,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    }))
  }
  const signIn: TestApp['signIn'] = async (email, password) => {
    const res = await request('/api/v1/auth/sign-in', { method: 'POST', json: { email, password } })
    if (res.status !== 200) {
      throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`)
    }
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const body = (await res.json()) as { csrfToken: string; user: { id: number; customerId: number | null } }
    return {
      headers: { cookie, 'x-csrf-token': body.csrfToken },
      userId: body.user.id,
      customerId: body.user.customerId,
    }
  }
  return {
    app,
    request,
    signIn,
    async userWithRole(role, name) {
      const email = `${role}-${++counter}-${process.pid}@test.curbline`
      const password = 'correct horse battery'
      if (role === 'driver') {
        await registerDriver(db.sql, { email, name: name ?? `Driver ${counter}`, password })
      } else {
        await createStaffUser(db.sql, { email, displayName: name ?? `${role} ${counter}`, role, password })
      }
      return signIn(email, password)
    },
    async device(kind, facility) {
      const { device, token } = await registerDevice(db.sql, {
        kind,
        name: `${kind} ${++counter}`,
        facility,
        createdBy: null,
      })
      return { headers: { authorization: `Bearer ${token}` }, deviceId: device.id }
    },
  }
}
