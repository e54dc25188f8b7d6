import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { createApp } from '../../../api/app.ts'
import { connect } from '../../../db/connect.ts'
import { readConfig } from '../../../api/config.ts'
import { registry } from '../../../api/http/route.ts'

const db = await testDatabase()
const t = testApp(db)

describe('the HTTP surface', () => {
  it('reports the database down with 503 when it cannot be reached', async () => {
    const unreachable = connect('postgres://nobody@127.0.0.1:1/none', { max: 1 })
    const app = createApp({ sql: unreachable, config: db.config })
    const res = await app.request('/api/v1/health')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ db: 'down' })
    await unreachable.end()
  })

  it('answers an unknown API path with the one error shape', async () => {
    const res = await t.request('/api/v1/no-such-thing')
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body.error).toMatchObject({ code: 'not_found', details: null })
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'))
  })

  it('echoes a sane incoming request id and replaces a hostile one', async () => {
    const kept = await t.request('/api/v1/health', { headers: { 'x-request-id': 'abc-123' } })
    expect(kept.headers.get('x-request-id')).toBe('abc-123')
    const replaced = await t.request('/api/v1/health', { headers: { 'x-request-id': 'a b <script>' } })
    expect(replaced.headers.get('x-request-id')).not.toContain('<')
  })

  it('rejects a JSON body sent as a form with 415', async () => {
    const res = await t.request('/api/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a@b.c&password=x',
    })
    expect(res.status).toBe(415)
    expect((await res.json()).error.code).toBe('unsupported_media_type')
  })

  it('refuses a body over the size limit with 413', async () => {
    const res = await t.request('/api/v1/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }),
    })
    expect(res.status).toBe(413)
  })

  it('publishes OpenAPI 3.1 covering every route, with who may call it', async () => {
    const res = await t.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const doc = await res.json()
    expect(doc.openapi).toBe('3.1.0')
    for (const route of registry) {
      const path = route.fullPath.replace(/:([A-Za-z_]+)/g, '{$1}')
      const op = doc.paths[path]?.[route.spec.method]
      expect(op, `${route.spec.method} ${path}`).toBeDefined()
      expect(op['x-access']).toEqual(route.spec.access)
    }
    expect(doc.paths['/api/v1/auth/sign-in'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('email')
  })

  it('serves the API docs page and its assets from this server', async () => {
    const page = await t.request('/api/docs')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).not.toMatch(/https?:\/\//)
    const css = await t.request('/api/docs/assets/swagger-ui.css')
    expect(css.status).toBe(200)
    const js = await t.request('/api/docs/assets/swagger-ui-bundle.js')
    expect(js.status).toBe(200)
  })
})

describe('configuration', () => {
  it('refuses to start with a message naming the bad variable', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => readConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/)
  })
})
