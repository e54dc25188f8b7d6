import './quiet.ts'
import os from 'node:os'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { Hono } from 'hono'
import { connect, type Sql } from '../../db/connect.ts'
import { migrate } from '../../db/migrate.ts'
import { readConfig } from '../../api/config.ts'
import { startApi } from '../../api/server.ts'
import type { AppEnv } from '../../api/http/context.ts'
import { registerDevice } from '../../api/auth/devices.ts'
import { openAccount, parkingAccount } from '../../api/ledger/accounts.ts'
import { tariffSchema } from '../../api/facilities/tariff.ts'
import { seedFacilities } from '../../db/seed/facilities.ts'
import { openBenchDatabase } from './database.ts'

/*
  npm run bench:parking: the paid-parking hot paths at city scale, against baselines served by the
  same server in the same run. The city: 122,000 customers, 250,000 vehicles, 2,000,000 past
  sessions and 20,000 running now, and a residential permit for one vehicle in ten. The load comes from a second process (autocannon), and every
  figure pairs a route with its baseline, run in alternating rounds so a noisy machine hurts both.

  - GET /api/v1/rights (a handheld's verdict for a random plate) against a bare route doing one
    indexed lookup of the same plate in each table that holds rights (sessions, vehicles on
    permits, visitor passes), in one statement. Both pass the same middleware and authenticate
    the same handheld token.
  - The rights route's p99 at a fixed 1,000 requests per second.
  - POST /api/v1/sessions (a kiosk's cash sale, for a new plate each time) against a bare route
    inserting one row into the sessions table, with the same body and token.
*/

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 122_000)
const VEHICLES = Number(process.env.BENCH_VEHICLES ?? 250_000)
const PAST = Number(process.env.BENCH_PAST_SESSIONS ?? 2_000_000)
const ACTIVE = Number(process.env.BENCH_ACTIVE_SESSIONS ?? 20_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const POOL = Number(process.env.BENCH_POOL ?? 16)
// rights or starts: run one comparison only (while working on it)
const ONLY = process.env.BENCH_ONLY
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 25 * 60_000)

const run = promisify(execFile)
const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`

interface LoadResult {
  kind: string
  requests: number
  rps: number
  non2xx: number
  errors: number
  timeouts: number
  p50: number
  p99: number
}

async function main(): Promise<void> {
  const started = performance.now()
  const target = await openBenchDatabase()
  const sql = connect(target.url, { max: POOL, applicationName: 'curbline-bench' })
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${DEADLINE_MS / 1000} s; stopping`)
    void target.drop().finally(() => process.exit(1))
  }, DEADLINE_MS)
  try {
    await migrate(sql)
    const [server]: [{ version: string }?] = await sql`select current_setting('server_version') as version`
    console.log(`PostgreSQL ${server?.version ?? '?'} on ${os.availableParallelism()} CPUs`)
    const seeded = performance.now()
    await seedCity(sql)
    console.log(`city: ${CUSTOMERS} customers, ${VEHICLES} vehicles, ${PAST} past and ${ACTIVE} running sessions in ${seconds(seeded)}`)

    const { token: handheld } = await registerDevice(sql, { kind: 'handheld', name: 'Bench handheld', createdBy: null })
    const { token: kiosk } = await registerDevice(sql, { kind: 'kiosk', name: 'Bench kiosk', facility: 'BENCH', createdBy: null })
    const config = readConfig({ ...process.env, DATABASE_URL: target.url })
    const api = await startApi({ sql, config }, { serveApps: false, port: 0, extraRoutes: baselines(sql) })
    const url = `http://127.0.0.1:${api.port}`
    try {
      if (ONLY !== 'starts') {
        await compare('rights vs bare lookup', url, handheld, 'rights', 'bare-lookup', 'the whole verdict ≥ 0.8 of the bare lookup')
        // the bare lookup at the same pace, in alternating rounds, shows what the machine itself
        // adds to the tail; the figure is each one's median p99 over the rounds
        const paced: LoadResult[] = []
        const pacedBare: LoadResult[] = []
        for (let i = 0; i < ROUNDS; i++) {
          paced.push(await load({ url, kind: 'rights', token: handheld, seconds: SECONDS * 2, connections: 16, rate: 1000 }))
          pacedBare.push(await load({ url, kind: 'bare-lookup', token: handheld, seconds: SECONDS * 2, connections: 16, rate: 1000 }))
        }
        const p99s = (rs: LoadResult[]) => rs.map((r) => r.p99)
        console.log(
          `rights at 1,000 requests/s: ${median(paced.map((r) => r.rps)).toFixed(0)}/s served, ` +
            `median p50 ${median(paced.map((r) => r.p50))} ms, median p99 ${median(p99s(paced))} ms ` +
            `(target ≤ 10 ms; rounds ${p99s(paced).join(', ')}); the bare lookup at the same pace: ` +
            `median p99 ${median(p99s(pacedBare))} ms (rounds ${p99s(pacedBare).join(', ')})` +
            failures(...paced, ...pacedBare),
        )
      }
      if (ONLY !== 'rights') {
        await compare('session starts vs bare insert', url, kiosk, 'start', 'bare-insert', 'starts ≥ 0.5 of the bare insert')
      }
      const [check] = await sql<{ sessions: number; unbalanced: number }[]>`
        select (select count(*)::int from parking.session where plate like 'S%' and channel = 'kiosk' and device_id is not null) as sessions,
               (select count(*)::int from (
                  select p.entry_id from ledger.posting p
                    join ledger.journal_entry e on e.id = p.entry_id
                   where e.source = 'parking'
                   group by p.entry_id having sum(p.amount) <> 0) u) as unbalanced`
      console.log(`sold ${check?.sessions} sessions in the run; unbalanced parking entries: ${check?.unbalanced}`)
    } finally {
      // autocannon stops at its deadline without waiting for the replies still in flight
      await new Promise((resolve) => setTimeout(resolve, 1000))
      await api.close()
    }
    console.log(`total ${seconds(started)}`)
  } finally {
    clearTimeout(watchdog)
    await sql.end({ timeout: 5 })
    await target.drop()
  }
}

async function compare(
  title: string,
  url: string,
  token: string,
  route: LoadResult['kind'],
  baseline: LoadResult['kind'],
  target: string,
): Promise<void> {
  // a short warm-up of each, so that neither pays for cold caches and plans in the figures
  await load({ url, kind: route, token, seconds: 2, connections: CONNECTIONS })
  await load({ url, kind: baseline, token, seconds: 2, connections: CONNECTIONS })
  const ours: LoadResult[] = []
  const bare: LoadResult[] = []
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await load({ url, kind: baseline, token, seconds: SECONDS, connections: CONNECTIONS }))
    ours.push(await load({ url, kind: route, token, seconds: SECONDS, connections: CONNECTIONS }))
  }
  const rate = (rs: LoadResult[]) => rs.reduce((s, r) => s + r.requests, 0) / (rs.length * SECONDS)
  const p99 = (rs: LoadResult[]) => Math.max(...rs.map((r) => r.p99))
  console.log(
    `${title}: ${rate(ours).toFixed(0)}/s vs ${rate(bare).toFixed(0)}/s, ratio ${(rate(ours) / rate(bare)).toFixed(2)} ` +
      `(${target}); rounds ${ours.map((r, i) => (r.rps / bare[i]!.rps).toFixed(2)).join(', ')}; ` +
      `p99 ${p99(ours)} vs ${p99(bare)} ms${failures(...ours, ...bare)}`,
  )
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function failures(...results: LoadResult[]): string {
  const bad = results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0)
  return bad ? `; ${bad} FAILED REQUESTS` : ''
}

let round = 0

async function load(input: {
  url: string
  kind: LoadResult['kind']
  token: string
  seconds: number
  connections: number
  rate?: number
}): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./parking-load.ts', import.meta.url))
  const scenario = { ...input, plates: VEHICLES, round: ++round }
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, JSON.stringify(scenario)], {
    maxBuffer: 1 << 20,
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult
}

/** The baselines, behind the same middleware as the routes they are compared with. */
function baselines(sql: Sql) {
  return (app: Hono<AppEnv>) => {
    // the least a rights answer must read: the plate in each table that holds rights (sessions,
    // vehicles on permits, visitor passes), one indexed probe each, in one statement
    app.get('/api/v1/bench/bare-lookup', async (c) => {
      const plate = c.req.query('plate') ?? ''
      const rows = await sql`
        select id from parking.session where plate = ${plate}
        union all select id from permits.vehicle where plate = ${plate}
        union all select id from permits.visitor_pass where plate = ${plate}
        limit 1`
      return c.json({ found: rows.length > 0 })
    })
    app.post('/api/v1/bench/bare-insert', async (c) => {
      const body = (await c.req.json()) as { plate: string; state: string }
      const [row] = await sql`
        insert into parking.session
          (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
        values ((select id from parking.facility where code = 'BENCH'), ${body.plate}, ${body.state},
                ${body.plate}, 'kiosk', 'active', now(), now() + interval '1 hour')
        returning public_id`
      return c.json(row, 201)
    })
  }
}

/*
  The city, written set-wise. Vehicles carry plates BN000001…; past sessions spread over two years
  across the on-street zones and lots, each with its purchase; the running ones end within the
  next two hours. The past is history only: its ledger entries would not change what these routes
  read, so only the sales made during the run post to the ledger.
*/
async function seedCity(sql: Sql): Promise<void> {
  await seedFacilities(sql)
  const tariff = tariffSchema.parse({
    timeZone: 'America/New_York',
    incrementMinutes: 60,
    bands: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '24:00', rates: [{ cents: 200 }] }],
  })
  await sql`
    insert into parking.facility (code, name, kind, capacity, gated, tariff)
    values ('BENCH', 'Bench lot', 'surface_lot', 100000, false, ${sql.json(tariff as never)})`
  await openAccount(sql, { code: parkingAccount.revenue('BENCH'), name: 'Bench revenue', type: 'revenue', fund: 'parking' })
  await sql`
    insert into cis.customer (name) select 'Bench customer ' || g from generate_series(1, ${CUSTOMERS}) g`
  await sql`
    insert into cis.vehicle (customer_id, plate, state, plate_printed)
    select c.first + (g - 1) % ${CUSTOMERS}, 'BN' || lpad(g::text, 6, '0'), 'NC', 'BN ' || lpad(g::text, 6, '0')
      from generate_series(1, ${VEHICLES}) g, (select min(id) as first from cis.customer) c`
  await sql`
    insert into parking.session (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
    select f.ids[1 + g % array_length(f.ids, 1)], 'BN' || lpad((1 + g % ${VEHICLES})::text, 6, '0'), 'NC',
           'BN' || lpad((1 + g % ${VEHICLES})::text, 6, '0'), 'web', 'active', t.starts, t.starts + interval '1 hour'
      from generate_series(1, ${PAST}) g,
           (select array_agg(id order by id) as ids from parking.facility where not gated and code <> 'BENCH') f,
           lateral (select now() - interval '2 years' + (g::float8 / ${PAST}) * interval '729 days' as starts) t`
  await sql`
    insert into parking.session (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
    select f.ids[1 + g % array_length(f.ids, 1)], 'BN' || lpad((1 + (g * 7919) % ${VEHICLES})::text, 6, '0'), 'NC',
           'BN' || lpad((1 + (g * 7919) % ${VEHICLES})::text, 6, '0'), 'kiosk', 'active',
           now() - interval '30 minutes', now() + (g % 120) * interval '1 minute' + interval '1 minute'
      from generate_series(1, ${ACTIVE}) g,
           (select array_agg(id order by id) as ids from parking.facility where not gated and code <> 'BENCH') f`
  await seedPermitHolders(sql)
  await sql`
    insert into parking.purchase
      (session_id, kind, starts_at, ends_at, amount_cents, quoted_cents, quote, method, status, idempotency_key)
    select id, 'start', starts_at, ends_at, 200, 200, '{"lines":[]}', 'cash', 'settled', 'bench:' || id
      from parking.session`
  await sql`vacuum analyze`
  // the load's own checkpoint would otherwise land in the middle of the first measurements
  await sql`checkpoint`
}

/*
  Residential permits, as a city of this size holds them: one in every ten vehicles on a permit
  valid on the on-street zones, with two years of vehicle history (a swap each), and a visitor
  pass a day for every tenth permit, so the rights lookup reads all three of its parts.
*/
async function seedPermitHolders(sql: Sql): Promise<void> {
  const permits = Math.floor(VEHICLES / 10)
  await sql`insert into permits.zone (code, name, boundary) values ('BZ', 'Bench zone', '{"type":"Polygon","coordinates":[]}')`
  const [type]: [{ id: number }?] = await sql`
    insert into permits.permit_type
      (code, name, kind, zone_id, price_cents, period, proration, refund_policy, max_vehicles,
       needs_approval, visitor_passes_per_month)
    select 'BENCH-RES', 'Bench residential', 'residential', id, 4000, 'annual', 'daily', 'daily', 2, false, 4
      from permits.zone where code = 'BZ'
    returning id`
  await sql`
    insert into permits.type_facility (type_id, facility_id)
    select ${type!.id}, id from parking.facility where kind = 'on_street_zone'`
  await sql`
    insert into permits.permit (number, type_id, customer_id, status, eligibility, starts_on, ends_on, time_zone)
    select 'BR-' || g, ${type!.id}, c.first + (g - 1) % ${CUSTOMERS}, 'active', '{}',
           current_date - 700, current_date + 30, 'America/New_York'
      from generate_series(1, ${permits}) g, (select min(id) as first from cis.customer) c`
  // the plate before a swap a year ago, then the plate on it now
  await sql`
    insert into permits.vehicle (permit_id, scope, plate, state, plate_printed, during)
    select p.id, 'zone:bench', 'BN' || lpad((1 + (g * 10 + 3) % ${VEHICLES})::text, 6, '0'), 'NC', 'x',
           tstzrange(now() - interval '700 days', now() - interval '365 days')
      from permits.permit p, lateral (select substr(p.number, 4)::int as g) n
    union all
    select p.id, 'zone:bench', 'BN' || lpad((1 + g * 10)::text, 6, '0'), 'NC', 'x',
           tstzrange(now() - interval '365 days', now() + interval '31 days')
      from permits.permit p, lateral (select substr(p.number, 4)::int as g) n`
  await sql`
    insert into permits.visitor_pass (permit_id, plate, state, plate_printed, valid_on, during)
    select p.id, 'BN' || lpad((1 + (g * 10 + 5) % ${VEHICLES})::text, 6, '0'), 'NC', 'x', d::date,
           tstzrange(d, d + interval '1 day')
      from permits.permit p, lateral (select substr(p.number, 4)::int as g) n,
           generate_series(current_date - 60, current_date, interval '1 day') d
     where g % 10 = 0`
}

await main()
