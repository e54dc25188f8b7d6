import os from 'node:os'
import { randomUUID } from 'node:crypto'
import { connect, type Sql } from '../../db/connect.ts'
import { migrate } from '../../db/migrate.ts'
import { openBenchDatabase } from './database.ts'
import { postEntry, entryHash, type NewEntry } from '../../api/ledger/post.ts'
import { customerStatement } from '../../api/ledger/statement.ts'
import { rollUpBalances } from '../../api/ledger/rollup.ts'

// npm run bench:ledger — runs against a fresh database of its own, dropped at the end:
// on DATABASE_URL's server when set, else on embedded PostgreSQL under .data/bench-pg.
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2500)
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 122_000)
const SAMPLE_EVERY = Math.max(1, Math.floor(CUSTOMERS / 200))
const READS = Number(process.env.BENCH_READS ?? 500)
const SPREAD_ACCOUNTS = 4096
const SERVICES = ['electric', 'water', 'sewer', 'gas', 'solid_waste', 'stormwater', 'fire']
// the whole run stops by itself, whatever the machine
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 15 * 60_000)

const seconds = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`

async function main(): Promise<void> {
  const started = performance.now()
  const target = await openBenchDatabase()
  const sql = connect(target.url, { max: CLIENTS, applicationName: 'curbline-bench' })
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${DEADLINE_MS / 1000} s; stopping`)
    void target.drop().finally(() => process.exit(1))
  }, DEADLINE_MS)
  try {
    await migrate(sql)
    const [server]: [{ version: string }?] = await sql`
      select current_setting('server_version') as version`
    console.log(`PostgreSQL ${server?.version ?? '?'} on ${os.availableParallelism()} CPUs`)
    await writeBench(sql)
    await statementBench(sql)
    console.log(`total ${seconds(started)}`)
  } finally {
    clearTimeout(watchdog)
    await sql.end({ timeout: 5 })
    await target.drop()
  }
}

/*
  (1) Balanced entries per second, one transaction per entry, half of them crediting the one busy
  revenue account, against plain INSERTs of the same rows into tables with no keys, constraints,
  triggers or balances. Both sides send one statement per entry inside sql.begin, and run in
  alternating rounds so that a noisy machine hurts both alike.
*/
async function writeBench(sql: Sql): Promise<void> {
  await sql`
    insert into ledger.account (code, name, type, fund)
    select 'bench:' || i, 'Bench account ' || i, 'asset', 'general'
      from generate_series(1, ${SPREAD_ACCOUNTS}) i`
  await sql.unsafe(`
    create schema bench;
    create table bench.journal_entry (
      id bigint generated always as identity,
      idempotency_key text not null,
      body_hash text not null,
      source text not null,
      source_ref text,
      description text not null,
      occurred_at timestamptz not null,
      posted_at timestamptz not null default transaction_timestamp(),
      reverses bigint
    );
    create table bench.posting (
      id bigint generated always as identity,
      entry_id bigint not null,
      account_id bigint not null,
      amount bigint not null
    );`)
  const accounts = await sql<{ code: string; id: number }[]>`
    select code, id from ledger.account where code like 'bench:%' or code = 'revenue:parking'`
  const ids = new Map(accounts.map((a) => [a.code, a.id]))
  const spread = accounts.filter((a) => a.code.startsWith('bench:')).map((a) => a.code)
  const pick = () => spread[Math.floor(Math.random() * spread.length)] ?? 'bench:1'
  let n = 0

  const makeEntry = (): NewEntry => {
    const amount = 100 + Math.floor(Math.random() * 10_000)
    const debit = pick()
    let credit = 'revenue:parking'
    if (Math.random() >= 0.5) {
      do {
        credit = pick()
      } while (credit === debit)
    }
    return {
      key: randomUUID(),
      source: 'session',
      sourceRef: `session-${++n}`,
      description: 'Parking session',
      occurredAt: new Date(),
      lines: [
        { account: debit, amount },
        { account: credit, amount: -amount },
      ],
    }
  }

  const ledgerOne = async () => {
    const entry = makeEntry()
    await sql.begin((tx) => postEntry(tx, entry))
  }
  const plainOne = async () => {
    const entry = makeEntry()
    const accountIds = entry.lines.map((l) => ids.get(l.account) ?? 0)
    await sql.begin(
      (tx) => tx`
        with e as (
          insert into bench.journal_entry
            (idempotency_key, body_hash, source, source_ref, description, occurred_at, reverses)
          values (${entry.key}, ${entryHash(entry)}, ${entry.source}, ${entry.sourceRef ?? null},
            ${entry.description}, ${entry.occurredAt}, ${entry.reverses ?? null})
          returning id
        )
        insert into bench.posting (entry_id, account_id, amount)
        select e.id, l.account_id, l.amount
          from e, unnest(${accountIds}::bigint[], ${entry.lines.map((l) => l.amount)}::bigint[])
            as l (account_id, amount)`,
    )
  }

  // the balance roll-up runs throughout, as the jobs process runs it beside the API
  const rollups = rollUpLoop(sql)
  // connections, prepared statements, cached plans and the first autovacuum analyze of the new
  // tables settle on both sides before timing
  await run(ledgerOne, ROUND_MS)
  await run(plainOne, ROUND_MS)
  const totals = { ledger: { n: 0, ms: 0 }, plain: { n: 0, ms: 0 } }
  console.log(
    `\n(1) write throughput, ${CLIENTS} clients, ${ROUNDS} rounds of ${ROUND_MS / 1000} s a side`,
  )
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? (['ledger', 'plain'] as const) : (['plain', 'ledger'] as const)
    const line: string[] = []
    for (const kind of order) {
      const r = await run(kind === 'ledger' ? ledgerOne : plainOne, ROUND_MS)
      totals[kind].n += r.n
      totals[kind].ms += r.ms
      line.push(`${kind} ${rate(r).toFixed(0)}/s`)
    }
    console.log(`  round ${round}: ${line.join(', ')}`)
  }
  const ledgerRate = rate(totals.ledger)
  const plainRate = rate(totals.plain)
  console.log(`  ledger postEntry:      ${ledgerRate.toFixed(0)} entries/s`)
  console.log(`  plain INSERT baseline: ${plainRate.toFixed(0)} entries/s`)
  console.log(`  ratio ledger/plain:    ${(ledgerRate / plainRate).toFixed(2)} (target >= 0.70)`)
  const rolled = await rollups.stop()
  console.log(
    `  balance roll-ups: ${rolled.runs} (every ${ROLLUP_MS} ms, on a connection of the same pool), ` +
      `slowest ${rolled.slowestMs.toFixed(0)} ms`,
  )
  const [check]: [{ off: number; pending: number }?] = await sql`
    select (select count(*)
              from ledger.account_balances(array(select id from ledger.account)) b
              full join (select account_id, sum(amount) as total from ledger.posting group by 1) p
                using (account_id)
             where coalesce(b.balance, 0) <> coalesce(p.total, 0))::int as off,
           (select count(*) from ledger.posting p, ledger.balance_watermark w
             where p.tx >= w.watermark)::int as pending`
  console.log(`  accounts whose balance differs from the sum of their postings: ${check?.off}`)
  console.log(`  postings not yet rolled up at the end: ${check?.pending}`)
}

const ROLLUP_MS = Number(process.env.LEDGER_ROLLUP_MS ?? 1000)

/** Rolls up balances every ROLLUP_MS until stopped; counts the runs and the slowest. */
function rollUpLoop(sql: Sql): { stop: () => Promise<{ runs: number; slowestMs: number }> } {
  let stopped = false
  let runs = 0
  let slowestMs = 0
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now()
      await rollUpBalances(sql)
      runs++
      slowestMs = Math.max(slowestMs, performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, ROLLUP_MS))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await loop
      return { runs, slowestMs }
    },
  }
}

const rate = (r: { n: number; ms: number }) => (r.n * 1000) / r.ms

async function run(one: () => Promise<unknown>, ms: number): Promise<{ n: number; ms: number }> {
  const started = performance.now()
  const deadline = started + ms
  let n = 0
  const worker = async () => {
    while (performance.now() < deadline) {
      await one()
      n++
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, worker))
  return { n, ms: performance.now() - started }
}

/*
  (2) Statement reads at city scale: every customer with a utility account and six months of
  bills (one entry per bill, a receivable and a revenue line per service, as the CIS import posts
  them), and a sample of ~200 with five years. All set-based, through the ledger's own triggers.
*/
async function statementBench(sql: Sql): Promise<void> {
  console.log(`\n(2) statement reads, ${CUSTOMERS} customers`)
  let step = performance.now()
  await sql`
    insert into cis.customer (cis_customer_id, name)
    select 'B' || g, 'Bench customer ' || g from generate_series(1, ${CUSTOMERS}) g`
  await sql`
    insert into cis.premise (cis_premise_id, address, city, state, zip)
    select 'BP' || g, g || ' Main St', 'Springfield', 'VA', '22150'
      from generate_series(1, ${CUSTOMERS}) g`
  await sql`
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    select lpad(substr(p.cis_premise_id, 3), 10, '0'), p.id, p.id % 21 + 1, 'active', '2015-01-01'
      from cis.premise p where p.cis_premise_id like 'BP%'`
  await sql`
    insert into cis.account_holder (customer_id, utility_account_id, relationship)
    select c.id, u.id, 'primary'
      from cis.customer c
      join cis.utility_account u on u.account_number = lpad(substr(c.cis_customer_id, 2), 10, '0')
     where c.cis_customer_id like 'B%'`
  await sql`
    insert into ledger.account (code, name, type, fund, utility_account_id)
    select 'ar:' || s || ':ua:' || u.id, initcap(replace(s, '_', ' ')) || ' receivable', 'asset',
           s::ledger.fund, u.id
      from cis.utility_account u cross join unnest(${SERVICES}::text[]) s`
  console.log(`  customers, premises, utility accounts, holders, receivables: ${seconds(step)}`)

  // months 0..59 run from 2021-01; everyone is billed for the last six, the sample for all sixty
  for (let month = 54; month < 60; month += 2) {
    step = performance.now()
    const n = await postBills(sql, [month, month + 1], null)
    console.log(`  bills for months ${month + 1}-${month + 2}: ${n} postings, ${seconds(step)}`)
  }
  step = performance.now()
  const earlier = Array.from({ length: 54 }, (_, m) => m)
  const n = await postBills(sql, earlier, SAMPLE_EVERY)
  console.log(`  54 earlier months for the sample: ${n} postings in ${seconds(step)}`)
  step = performance.now()
  await sql`analyze`
  const [size]: [{ entries: number; postings: number; trial: number }?] = await sql`
    select (select count(*) from ledger.journal_entry)::int as entries,
           (select count(*) from ledger.posting)::int as postings,
           (select sum(balance)
              from ledger.account_balances(array(select id from ledger.account)))::bigint as trial`
  console.log(
    `  analyze ${seconds(step)}: ${size?.entries} entries, ${size?.postings} postings, ` +
      `trial balance ${size?.trial}`,
  )

  const sample = await sql<{ id: number }[]>`
    select h.customer_id as id
      from cis.account_holder h
      join cis.utility_account u on u.id = h.utility_account_id
     where u.premise_id % ${SAMPLE_EVERY} = 0`
  const periods = [{}, { from: '2025-01-01', to: '2025-12-31' }, { from: '2024-06-01' }]
  const read = async (i: number) => {
    const customer = sample[Math.floor(Math.random() * sample.length)]
    const started = performance.now()
    const statement = await customerStatement(sql, customer?.id ?? 0, periods[i % periods.length])
    return { ms: performance.now() - started, lines: statement.lines.length }
  }
  for (let i = 0; i < 50; i++) {
    await read(i)
  }
  const timings: number[] = []
  let lines = 0
  for (let i = 0; i < READS; i++) {
    const r = await read(i)
    timings.push(r.ms)
    lines += r.lines
  }
  timings.sort((a, b) => a - b)
  const at = (q: number) =>
    (timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0).toFixed(1)
  console.log(
    `  customerStatement over ${READS} reads of ${sample.length} five-year customers ` +
      `(${(lines / READS).toFixed(0)} lines on average; whole history, a year, since a date):`,
  )
  console.log(
    `  p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms (target <= 20), max ${at(1)} ms`,
  )
}

/** One bill entry per utility account and month: a receivable and a revenue line per service. */
async function postBills(sql: Sql, months: number[], sampleEvery: number | null): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`set local synchronous_commit = off`
    const [row]: [{ n: number }?] = await tx`
      with bill as (
        select u.id as ua, u.bill_cycle, m,
               (date '2021-01-01' + make_interval(months => m, days => u.bill_cycle - 1))
                 + time '12:00' as at
          from cis.utility_account u, unnest(${months}::int[]) m
         where ${sampleEvery}::int is null or u.premise_id % ${sampleEvery}::int = 0
      ), entry as (
        insert into ledger.journal_entry
          (idempotency_key, body_hash, source, source_ref, description, occurred_at)
        select 'bench-bill:' || ua || ':' || m, 'bench', 'cis_bill', ua || ':' || m,
               'Utility bill ' || to_char(at, 'YYYY-MM') || ' (cycle ' || bill_cycle || ')',
               at at time zone 'America/New_York'
          from bill
        returning id, source_ref
      ), line as (
        insert into ledger.posting (entry_id, account_id, amount)
        select e.id, x.account_id, x.amount
          from entry e
          join ledger.account a on a.utility_account_id = split_part(e.source_ref, ':', 1)::bigint
          join ledger.account r on r.code = 'revenue:' || a.fund
          cross join lateral (
            select 500 + abs(hashtext(e.source_ref || a.fund)) % 20000 as cents
          ) c
          cross join lateral (values (a.id, c.cents), (r.id, -c.cents)) as x (account_id, amount)
        returning 1
      )
      select count(*)::int as n from line`
    return row?.n ?? 0
  })
}

await main()
