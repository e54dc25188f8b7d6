import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'

const db = await testDatabase()
const t = testApp(db)

describe('health', () => {
  it('answers ok when the database is reachable', async () => {
    const res = await t.request('/api/v1/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' })
    expect(res.headers.get('x-request-id')).toBeTruthy()
  })
})

describe('sign-in', () => {
  it('signs a driver in with a session cookie that is HttpOnly and SameSite=Lax', async () => {
    const res = await t.request('/api/v1/auth/register', {
      method: 'POST',
      json: { email: 'Dana@Example.com', name: 'Dana Driver', password: 'a long password' },
    })
    expect(res.status).toBe(201)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/curbline_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const body = await res.json()
    expect(body.user).toMatchObject({ email: 'dana@example.com', role: 'driver' })
    expect(body.user.customerId).toEqual(expect.any(Number))
  })

  it('refuses a wrong password with 401 and the error shape', async () => {
    const res = await t.request('/api/v1/auth/sign-in', {
      method: 'POST',
      json: { email: 'dana@example.com', password: 'wrong password' },
    })
    expect(res.status).toBe(401)
    const body = await res.json()
    expect(body.error).toMatchObject({ code: 'unauthenticated', details: null })
    expect(body.error.requestId).toEqual(res.headers.get('x-request-id'))
  })

  it('locks an account after five failures, even for the right password', async () => {
    await t.request('/api/v1/auth/register', {
      method: 'POST',
      json: { email: 'lock@example.com', name: 'Lock', password: 'the right password' },
    })
    for (let i = 0; i < 5; i++) {
      const res = await t.request('/api/v1/auth/sign-in', {
        method: 'POST',
        json: { email: 'lock@example.com', password: `wrong ${i}` },
      })
      expect(res.status).toBe(401)
    }
    const res = await t.request('/api/v1/auth/sign-in', {
      method: 'POST',
      json: { email: 'lock@example.com', password: 'the right password' },
    })
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('names the bad field when the body is invalid', async () => {
    const res = await t.request('/api/v1/auth/register', {
      method: 'POST',
      json: { email: 'not-an-email', name: 'X', password: 'short' },
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    const fields = body.error.details.map((d: { field: string }) => d.field)
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password']))
  })

  it('answers 400, not 500, for a body that is not JSON', async () => {
    const res = await t.request('/api/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid')
  })

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const driver = await t.userWithRole('driver')
    const res = await t.request('/api/v1/auth/sign-out', {
      method: 'POST',
      headers: { cookie: driver.headers.cookie ?? '' },
    })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('csrf_failed')
    const ok = await t.request('/api/v1/auth/sign-out', { method: 'POST', as: driver })
    expect(ok.status).toBe(204)
    const after = await t.request('/api/v1/auth/me', { as: driver })
    expect(after.status).toBe(401)
  })

  it('lets a device in by token and out again once revoked', async () => {
    const admin = await t.userWithRole('admin')
    const made = await t.request('/api/v1/devices', {
      method: 'POST',
      as: admin,
      json: { kind: 'kiosk', name: 'Kiosk 7' },
    })
    expect(made.status).toBe(201)
    const { device, token } = await made.json()
    const kiosk = { headers: { authorization: `Bearer ${token}` } }
    expect((await t.request('/api/v1/devices/me', { as: kiosk })).status).toBe(200)
    const revoked = await t.request(`/api/v1/devices/${device.id}/revoke`, { method: 'POST', as: admin })
    expect(revoked.status).toBe(200)
    expect((await t.request('/api/v1/devices/me', { as: kiosk })).status).toBe(401)
    const [audit] = await db.sql`select action from app.audit_log where entity = 'device' and entity_id = ${String(device.id)} order by id desc limit 1`
    expect(audit?.action).toBe('device.revoke')
  })
})
