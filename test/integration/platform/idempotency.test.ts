import { describe, it, expect } from 'vitest'
import { Hono } from 'hono'
import { testDatabase } from '../../support/db.ts'
import type { AppEnv } from '../../../api/http/context.ts'
import { withIdempotency } from '../../../api/http/idempotency.ts'
import { errorResponse, AppError } from '../../../api/http/errors.ts'

const db = await testDatabase()
await db.sql`create table public.charge (id serial primary key, amount int not null)`

// A tiny app whose one POST moves "money", so replays can be counted in the database.
const app = new Hono<AppEnv>()
app.use('*', async (c, next) => {
  c.set('deps', { sql: db.sql, config: db.config })
  c.set('requestId', 'test')
  c.set('principal', { kind: 'device', deviceId: 7, deviceKind: 'kiosk', name: 'k' })
  await next()
})
app.post('/charge', async (c) => {
  const text = await c.req.text()
  const { amount } = JSON.parse(text) as { amount: number }
  return withIdempotency(c, 'required', c.get('principal'), text, async () => {
    if (amount <= 0) {
      throw new AppError('invalid', 'amount must be positive')
    }
    const [row] = await db.sql`insert into public.charge (amount) values (${amount}) returning id`
    return c.json({ id: row?.id, amount }, 201)
  })
})
// a route whose handler keeps the key itself (a parking purchase): the key is still required
app.post('/purchase', async (c) =>
  withIdempotency(c, 'domain', c.get('principal'), await c.req.text(), async () => c.json({ key: c.req.header('idempotency-key') }, 201)),
)
app.onError((err, c) => errorResponse(c, err))

const post = (key: string | null, amount: number) =>
  app.request('/charge', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ amount }),
  })

describe('idempotency keys', () => {
  it('replays the first reply to a retry and charges once', async () => {
    const first = await post('attempt-0001', 500)
    const again = await post('attempt-0001', 500)
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.json()).toEqual(await first.json())
    const [row] = await db.sql`select count(*)::int as n from public.charge`
    expect(row?.n).toBe(1)
  })

  it('refuses the same key with a different body', async () => {
    const res = await post('attempt-0001', 900)
    expect(res.status).toBe(422)
    expect((await res.json()).error.code).toBe('idempotency_conflict')
  })

  it('lets a refused request be corrected and retried under its key', async () => {
    expect((await post('attempt-0002', -1)).status).toBe(400)
    expect((await post('attempt-0002', -1)).status).toBe(400)
    const [row] = await db.sql`select count(*)::int as n from app.idempotent_request where key = 'attempt-0002'`
    expect(row?.n).toBe(0)
  })

  it('requires the header where the route says so', async () => {
    const res = await post(null, 100)
    expect(res.status).toBe(400)
    expect((await res.json()).error.details[0].field).toBe('headers.idempotency-key')
  })

  it('requires the header on routes that keep the key themselves, and leaves the replay to them', async () => {
    const missing = await app.request('/purchase', { method: 'POST', body: '{}' })
    expect(missing.status).toBe(400)
    expect((await missing.json()).error.details[0].field).toBe('headers.idempotency-key')
    const given = await app.request('/purchase', { method: 'POST', body: '{}', headers: { 'idempotency-key': 'purchase-0001' } })
    expect(await given.json()).toEqual({ key: 'purchase-0001' })
    const [row] = await db.sql`select count(*)::int as n from app.idempotent_request where key = 'purchase-0001'`
    expect(row?.n).toBe(0)
  })
})
