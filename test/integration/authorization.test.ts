import '../../api/app.ts'
import { describe, it, expect } from 'vitest'
import { registry, API_BASE, type Access, type RegisteredRoute } from '../../api/http/route.ts'
import { hashToken, newToken } from '../../api/auth/tokens.ts'
import { SESSION_COOKIE } from '../../api/auth/sessions.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { testDatabase } from '../support/db.ts'
import { testApp, type Caller, type Role } from '../support/app.ts'
import { makeUtilityAccount } from './customers/cis-fixtures.ts'

const db = await testDatabase()
// every feature switched on, card payments too: a route off by configuration answers 503
const t = testApp(db, { STRIPE_SECRET_KEY: 'sk_test_matrix', STRIPE_WEBHOOK_SECRET: 'whsec_matrix' })

type DeviceCaller = 'kiosk' | 'handheld' | 'gate' | 'ivr'
type CallerKind = 'public' | Role | DeviceCaller
const DEVICES: DeviceCaller[] = ['kiosk', 'handheld', 'gate', 'ivr']
const ROLES: Role[] = ['driver', 'ambassador', 'supervisor', 'finance', 'admin']
const CALLER_KINDS: CallerKind[] = ['public', ...ROLES, ...DEVICES]

// Row id 1 of users, customers and devices belongs to a bystander, so an admin route called
// with id 1 (revoke a device, disable a user) never hits the callers themselves.
await t.userWithRole('driver', 'Bystander')
await registerDevice(db.sql, { kind: 'kiosk', name: 'Bystander kiosk', createdBy: null })
const people = new Map<Role, Caller>()
for (const role of ROLES) {
  people.set(role, await t.userWithRole(role))
}

/**
 * A fresh session or device token for every request, so a route that signs out or revokes
 * cannot change the answers of the routes after it.
 */
async function freshCaller(kind: CallerKind): Promise<Caller> {
  if (kind === 'public') {
    return { headers: {} }
  }
  if (isDevice(kind)) {
    const device = { kind, name: `matrix ${kind}`, createdBy: null }
    const { token } = await registerDevice(db.sql, device)
    return { headers: { authorization: `Bearer ${token}` } }
  }
  const person = people.get(kind)
  if (!person?.userId) {
    throw new Error(`no ${kind} caller`)
  }
  const token = newToken()
  const csrf = newToken()
  await db.sql`
    insert into app.session (token_hash, user_id, csrf_token, expires_at)
    values (${hashToken(token)}, ${person.userId}, ${csrf}, now() + interval '1 hour')`
  return {
    headers: { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': csrf },
    userId: person.userId,
    customerId: person.customerId,
  }
}

function isDevice(kind: CallerKind): kind is DeviceCaller {
  return (DEVICES as string[]).includes(kind)
}

/** Who access lets in, spelled out independently of the router's own check. */
function admits(access: readonly Access[], kind: CallerKind): boolean {
  if (access.includes('public')) {
    return true
  }
  if (kind === 'public') {
    return false
  }
  if (isDevice(kind)) {
    return access.includes(kind)
  }
  return access.includes('signed_in') || access.includes(kind)
}

/** Path params filled with 1, except a driver's own customer id under /customers/:id. */
function concretePath(route: RegisteredRoute, caller: Caller): string {
  let first = true
  return route.fullPath
    .replace(/:(\w+)(\{[^}]*\})?\??/g, () => {
      const own = first && route.fullPath.startsWith(`${API_BASE}/customers/:`)
      first = false
      return own && caller.customerId ? String(caller.customerId) : '1'
    })
    .replace(/\*/g, 'x')
}

type Init = RequestInit & { json?: unknown; as: Caller }

function requestInit(route: RegisteredRoute, caller: Caller): Init {
  const method = route.spec.method.toUpperCase()
  if (route.spec.body) {
    return { method, as: caller, json: {} }
  }
  const rawType = route.spec.rawBody?.[0]
  if (rawType) {
    return { method, as: caller, headers: { 'content-type': rawType }, body: '' }
  }
  return { method, as: caller }
}

describe('authorisation matrix', () => {
  it('covers every module that has registered routes', () => {
    const paths = registry.map((r) => `${r.spec.method} ${r.fullPath}`)
    expect(paths).toEqual(
      expect.arrayContaining([
        `post ${API_BASE}/auth/sign-in`,
        `get ${API_BASE}/customers/:id`,
        `post ${API_BASE}/customers/:id/vehicles`,
      ]),
    )
  })

  for (const route of registry) {
    const name = `${route.spec.method.toUpperCase()} ${route.fullPath}`
    const who = route.spec.access.join(', ')
    it(`${name} admits exactly [${who}] and never answers 500`, async () => {
      const wrong: string[] = []
      for (const kind of CALLER_KINDS) {
        const caller = await freshCaller(kind)
        const path = concretePath(route, caller)
        const res = await t.request(path, requestInit(route, caller))
        const status = res.status
        if (status >= 500) {
          wrong.push(`${kind}: ${status} ${await res.text()}`)
        } else if (!admits(route.spec.access, kind)) {
          const expected = kind === 'public' ? 401 : 403
          if (status !== expected) {
            wrong.push(`${kind}: expected ${expected}, got ${status}`)
          }
        } else if (status === 401 || status === 403) {
          wrong.push(`${kind}: is allowed but got ${status} ${await res.text()}`)
        }
      }
      expect(wrong, name).toEqual([])
    })
  }
})

describe("a driver and someone else's customer record", () => {
  // every customer-scoped read a driver may make, so later modules are covered as they arrive
  const ownRecordReads = registry.filter(
    (r) =>
      r.spec.method === 'get' &&
      /^\/api\/v1\/customers\/:id(\/[a-z-]+)*$/.test(r.fullPath) &&
      r.spec.access.includes('driver'),
  )

  it('includes the record and its vehicles among the reads checked', () => {
    expect(ownRecordReads.map((r) => r.fullPath)).toEqual(
      expect.arrayContaining([`${API_BASE}/customers/:id`, `${API_BASE}/customers/:id/vehicles`]),
    )
  })

  for (const route of ownRecordReads) {
    it(`answers 404, as if it did not exist, for GET ${route.fullPath}`, async () => {
      const owner = await t.userWithRole('driver', 'Owner Olsen')
      const snoop = await t.userWithRole('driver', 'Snoop Sanders')
      const path = route.fullPath.replace(':id', String(owner.customerId))
      expect((await t.request(path, { as: owner })).status).toBe(200)
      const res = await t.request(path, { as: snoop })
      expect(res.status).toBe(404)
      const text = await res.text()
      expect(JSON.parse(text).error.code).toBe('not_found')
      expect(text).not.toContain('Owner Olsen')
    })
  }

  it('cannot add a vehicle to another customer', async () => {
    const owner = await t.userWithRole('driver')
    const snoop = await t.userWithRole('driver')
    const res = await t.request(`/api/v1/customers/${owner.customerId}/vehicles`, {
      method: 'POST',
      as: snoop,
      json: { plate: 'SNEAKY1', state: 'MA' },
    })
    expect(res.status).toBe(404)
    const rows = await db.sql`select 1 from cis.vehicle where plate = 'SNEAKY1'`
    expect(rows).toHaveLength(0)
  })

  it("cannot remove another customer's vehicle", async () => {
    const owner = await t.userWithRole('driver')
    const snoop = await t.userWithRole('driver')
    const vehicle = await (
      await t.request(`/api/v1/customers/${owner.customerId}/vehicles`, {
        method: 'POST',
        as: owner,
        json: { plate: 'KEEPME1', state: 'MA' },
      })
    ).json()
    const res = await t.request(`/api/v1/customers/${owner.customerId}/vehicles/${vehicle.id}`, {
      method: 'DELETE',
      as: snoop,
    })
    expect(res.status).toBe(404)
    const [row] = await db.sql`select removed_at from cis.vehicle where id = ${vehicle.id}`
    expect(row?.removed_at).toBeNull()
  })
})

describe('account-linking lockout', () => {
  const facts = (accountNumber: string, lastBillAmountCents = 7777) => ({
    accountNumber,
    zip: '02150',
    lastBillAmountCents,
  })
  const link = (caller: Caller, json: unknown) =>
    t.request(`/api/v1/customers/${caller.customerId}/utility-accounts`, {
      method: 'POST',
      as: caller,
      json,
    })
  const lockableAccount = () =>
    makeUtilityAccount(db.sql, {
      zip: '02150',
      bills: [{ billDate: '2026-04-01', charges: { electric: 7777 } }],
    })

  it('locks an account number after five failures, even for the right details', async () => {
    const guesser = await t.userWithRole('driver')
    const owner = await t.userWithRole('driver')
    const account = await lockableAccount()
    for (let i = 0; i < 5; i++) {
      const res = await link(guesser, facts(account.accountNumber, 100 + i))
      expect(res.status).toBe(400)
    }
    for (const caller of [guesser, owner]) {
      const res = await link(caller, facts(account.accountNumber))
      expect(res.status).toBe(423)
      const retryAfter = Number(res.headers.get('retry-after'))
      expect(retryAfter).toBeGreaterThan(14 * 60)
      expect(retryAfter).toBeLessThanOrEqual(15 * 60)
      const { error } = await res.json()
      expect(error.code).toBe('locked')
      expect(error.message).toMatch(/locked .* Try again in 15 minute/)
    }
    const linked = await db.sql`
      select 1 from cis.account_holder where utility_account_id = ${account.id}`
    expect(linked).toHaveLength(0)
    const outcomes = await db.sql<{ outcome: string }[]>`
      select outcome from cis.link_attempt
       where account_number = ${account.accountNumber} order by id`
    expect(outcomes.map((o) => o.outcome)).toEqual([
      ...Array(5).fill('mismatch'),
      'locked',
      'locked',
    ])
  })

  it('does not lock after four failures, nor lock other account numbers', async () => {
    const driver = await t.userWithRole('driver')
    const locked = await lockableAccount()
    const open = await lockableAccount()
    for (let i = 0; i < 5; i++) {
      await link(driver, facts(locked.accountNumber, i))
    }
    for (let i = 0; i < 4; i++) {
      await link(driver, facts(open.accountNumber, i))
    }
    expect((await link(driver, facts(locked.accountNumber))).status).toBe(423)
    expect((await link(driver, facts(open.accountNumber))).status).toBe(201)
  })

  it('lets the right details through once fifteen minutes have passed', async () => {
    const driver = await t.userWithRole('driver')
    const account = await lockableAccount()
    for (let i = 0; i < 5; i++) {
      await link(driver, facts(account.accountNumber, i))
    }
    expect((await link(driver, facts(account.accountNumber))).status).toBe(423)

    await db.sql`
      update cis.link_attempt set at = at - interval '14 minutes'
       where account_number = ${account.accountNumber}`
    const stillLocked = await link(driver, facts(account.accountNumber))
    expect(stillLocked.status).toBe(423)
    expect(Number(stillLocked.headers.get('retry-after'))).toBeLessThanOrEqual(60)

    await db.sql`
      update cis.link_attempt set at = at - interval '1 minute 1 second'
       where account_number = ${account.accountNumber}`
    const res = await link(driver, facts(account.accountNumber))
    expect(res.status).toBe(201)
    expect((await res.json()).relationship).toBe('linked')
  })

  it('counts failures from parallel tries, so a burst cannot slip past the lock', async () => {
    const drivers = await Promise.all([1, 2, 3].map(() => t.userWithRole('driver')))
    const account = await lockableAccount()
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) => {
        const caller = drivers[i % drivers.length]
        if (!caller) {
          throw new Error('no caller')
        }
        return link(caller, facts(account.accountNumber, i))
      }),
    )
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 400)).toHaveLength(5)
    expect(statuses.filter((s) => s === 423)).toHaveLength(4)
  })
})
