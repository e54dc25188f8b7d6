import os from 'node:os'
import { connect, type Sql } from '../../db/connect.ts'
import { migrate } from '../../db/migrate.ts'
import { openBenchDatabase } from './database.ts'
import { makeFacility } from '../integration/sessions/fixtures.ts'
import { openAccount } from '../../api/ledger/accounts.ts'
import { closeDay } from '../../api/finance/close.ts'
import { addDays } from '../../api/permits/terms.ts'
import { calendarOf, cityDay, exportCycle, fillDefaultCalendar } from '../../api/finance/cycles.ts'
import { recordPayoutItems, type PayoutItemInput } from '../../api/finance/payouts.ts'

// npm run bench:finance — city scale, against a fresh database of its own, dropped at the end:
// on DATABASE_URL's server when set, else on embedded PostgreSQL under .data/bench-pg.
// Each figure is printed beside a baseline measured in the same run on the same rows (the
// least work that could produce the answer), so a noisy shared machine moves both alike.
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 122_000)
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 50_000)
const TRANSACTIONS = Number(process.env.BENCH_TRANSACTIONS ?? 100_000)
const TIME_ZONE = 'America/New_York'
const DEADLINE_MS = Number(process.env.BENCH_DEADLINE_MS ?? 15 * 60_000)
const TARGET_S = 5
// BENCH_PARTS=close (or cycles, payout, comma separated) runs only those parts

const ms = (from: number) => performance.now() - from

function report(label: string, took: number, baseline: number, note: string): void {
  const pass = took <= TARGET_S * 1000 ? 'meets' : 'MISSES'
  console.log(
    `${label.padEnd(44)} ${(took / 1000).toFixed(2).padStart(6)} s  (${pass} <= ${TARGET_S} s)  ` +
      `baseline ${(baseline / 1000).toFixed(2)} s, ratio ${(took / baseline).toFixed(1)}x  ${note}`,
  )
}

async function main(): Promise<void> {
  const started = performance.now()
  const target = await openBenchDatabase()
  const sql = connect(target.url, { max: 4, applicationName: 'curbline-bench' })
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${DEADLINE_MS / 1000} s; stopping`)
    void target.drop().finally(() => process.exit(1))
  }, DEADLINE_MS)
  try {
    await migrate(sql)
    const [server]: [{ version: string }?] = await sql`select current_setting('server_version') as version`
    console.log(`PostgreSQL ${server?.version ?? '?'} on ${os.availableParallelism()} CPUs`)
    await makeFacility(sql, { code: 'BENCH' })
    await openAccount(sql, { code: 'cash:kiosk:bench', name: 'Bench kiosk cash', type: 'asset', fund: 'parking' })
    const parts = (process.env.BENCH_PARTS ?? 'cycles,close,payout').split(',')
    if (parts.includes('cycles')) await cycleBench(sql)
    if (parts.includes('close')) await closeBench(sql)
    if (parts.includes('payout')) await payoutBench(sql)
    console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    clearTimeout(watchdog)
    await sql.end({ timeout: 5 })
    await target.drop()
  }
}

/**
 * (1) All 21 cycles exported for 122,000 utility accounts, each with a parking charge on its
 * receivable and one in ten with a second (a refund credit). Baseline: copying the same
 * postings, with their account numbers, into an unindexed table.
 */
async function cycleBench(sql: Sql): Promise<void> {
  const setup = performance.now()
  await sql`
    insert into cis.premise (cis_premise_id, address, city, state, zip)
    select 'BP' || i, i || ' Bench Street', 'Bench City', 'NC', '27601' from generate_series(1, ${ACCOUNTS}) i`
  await sql`
    insert into cis.utility_account (account_number, premise_id, bill_cycle, status, opened_on)
    select lpad(p.id::text, 10, '0'), p.id, 1 + (p.id % 21), 'active', date '2020-01-01' from cis.premise p`
  await sql`
    insert into ledger.account (code, name, type, fund, utility_account_id)
    select 'ar:parking:ua:' || u.id, 'Parking receivable ' || u.account_number, 'asset', 'parking', u.id
      from cis.utility_account u`
  const day = addDays(cityDay(new Date(), TIME_ZONE), -2)
  await postSpread(sql, {
    count: ACCOUNTS + Math.floor(ACCOUNTS / 10),
    keyPrefix: 'bench:cycle:',
    day,
    source: 'parking',
    // the first ACCOUNTS entries charge each account once; the rest credit one in ten back
    lines: `
      select e.id, a.id, case when e.n <= ${ACCOUNTS} then 300 else -100 end
        from ledger.account a where a.code = 'ar:parking:ua:' || (1 + (e.n - 1) % ${ACCOUNTS})
      union all
      select e.id, (select id from ledger.account where code = 'revenue:parking:BENCH'),
             case when e.n <= ${ACCOUNTS} then -300 else 100 end`,
  })
  const month = day.slice(0, 7)
  await fillDefaultCalendar(sql, `${month}-01`, addDays(`${month}-01`, 62))
  const dates = (await calendarOf(sql, Number(month.slice(0, 4))))
    .filter((d) => d.billingDate.slice(0, 7) > month)
    .reduce<Map<number, string>>((m, d) => (m.has(d.cycle) ? m : m.set(d.cycle, d.billingDate)), new Map())
  await sql`vacuum analyze`
  console.log(`cycles: ${ACCOUNTS} accounts and their charges written in ${(ms(setup) / 1000).toFixed(1)} s`)

  const baselineStart = performance.now()
  await sql`
    create unlogged table bench_cycle_copy as
    select p.entry_id, p.id, u.account_number, p.amount, e.description
      from ledger.posting p
      join ledger.account a on a.id = p.account_id
      join cis.utility_account u on u.id = a.utility_account_id
      join ledger.journal_entry e on e.id = p.entry_id`
  const baseline = ms(baselineStart)

  const run = performance.now()
  let lines = 0
  for (let cycle = 1; cycle <= 21; cycle++) {
    const done = await exportCycle(sql, cycle, dates.get(cycle)!)
    lines += done.lineCount
  }
  const took = ms(run)
  report('export all 21 cycles', took, baseline, `${lines} lines`)
  if (lines !== ACCOUNTS + Math.floor(ACCOUNTS / 10)) {
    throw new Error(`the cycle files carry ${lines} lines, not one per charge`)
  }
}

/**
 * (2) Closing a day of 50,000 sessions: a third paid in kiosk cash, a third on utility bills and a
 * third by card (each with its payment record, for the channel). Baseline: summing the day's
 * postings with their accounts, the least a close could read.
 */
async function closeBench(sql: Sql): Promise<void> {
  const setup = performance.now()
  const day = addDays(cityDay(new Date(), TIME_ZONE), -1)
  const [facility]: [{ id: number }] = (await sql`select id from parking.facility where code = 'BENCH'`) as never
  await sql`
    insert into parking.session (facility_id, plate, state, plate_printed, channel, status, starts_at, ends_at)
    select ${facility.id}, 'CL' || i, 'NC', 'CL' || i,
           (array['kiosk', 'web', 'phone', 'gate'])[1 + i % 4]::parking.session_channel, 'active',
           (${day}::date + time '06:00') at time zone ${TIME_ZONE} + (i % 50000) * interval '1 second',
           (${day}::date + time '07:00') at time zone ${TIME_ZONE} + (i % 50000) * interval '1 second'
      from generate_series(1, ${SESSIONS}) i`
  await sql`
    insert into payments.payment (purpose, purpose_ref, amount_cents, method, status, channel, idempotency_key,
                                  stripe_payment_intent_id, succeeded_at)
    select 'session', 'bench-' || i, 300, 'card', 'succeeded', 'web', 'bench-pay-' || i, 'pi_close_' || i, now()
      from generate_series(1, ${SESSIONS}) i where i % 3 = 2`
  // receivables of their own (no utility account behind them, so no cycle exports them)
  await sql`
    insert into ledger.account (code, name, type, fund)
    select 'ar:parking:ua:close' || i, 'Bench receivable ' || i, 'asset', 'parking' from generate_series(1, 1000) i`
  await sql`create table bench_sessions as select row_number() over (order by id) as n, public_id from parking.session where plate like 'CL%'`
  await sql`create unique index on bench_sessions (n)`
  await postSpread(sql, {
    count: SESSIONS,
    keyPrefix: 'bench:close:',
    day,
    source: `case when e.n % 3 = 2 then 'stripe' else 'parking' end`,
    sourceRef: `case when e.n % 3 = 2 then 'pi_close_' || e.n
                     else (select s.public_id::text from bench_sessions s where s.n = e.n) end`,
    lines: `
      select e.id, case e.n % 3
                     when 0 then (select id from ledger.account where code = 'cash:kiosk:bench')
                     when 1 then (select id from ledger.account where code = 'ar:parking:ua:close' || (1 + e.n % 1000))
                     else (select id from ledger.account where code = 'clearing:stripe') end, 300
      union all
      select e.id, (select id from ledger.account where code = 'revenue:parking:BENCH'), -300`,
  })
  await sql`vacuum analyze`
  console.log(`close: ${SESSIONS} sessions and their entries written in ${(ms(setup) / 1000).toFixed(1)} s`)

  const baselineStart = performance.now()
  await sql`
    select a.code, sum(p.amount) from ledger.journal_entry e
      join ledger.posting p on p.entry_id = e.id join ledger.account a on a.id = p.account_id
     where e.business_day = ${day} group by 1`
  const baseline = ms(baselineStart)

  const run = performance.now()
  const result = await closeDay(sql, day, { timeZone: TIME_ZONE })
  const took = ms(run)
  report('close a day of sessions', took, baseline, `${result.report.counts.entries} entries, ${Object.values(result.report.counts.sessions).reduce((s, n) => s + n, 0)} sessions`)
  if (!result.report.check.equal || result.report.totals.revenueCents !== SESSIONS * 300) {
    throw new Error(`the close disagrees: ${JSON.stringify(result.report.check)}`)
  }
}

/**
 * (3) Reconciling a payout of 100,000 balance transactions, each a card charge with its fee,
 * matched to Curbline's payments and fee entries (Stripe's listing not timed: it is network
 * time). Baseline: writing the same items into an unindexed table.
 */
async function payoutBench(sql: Sql): Promise<void> {
  const setup = performance.now()
  await sql`
    insert into payments.payment (purpose, purpose_ref, amount_cents, method, status, channel, idempotency_key,
                                  stripe_payment_intent_id, succeeded_at)
    select 'session', 'bench-po-' || i, 1000 + i % 500, 'card', 'succeeded', 'web', 'bench-po-' || i, 'pi_po_' || i, now()
      from generate_series(1, ${TRANSACTIONS}) i`
  await postSpread(sql, {
    count: TRANSACTIONS,
    keyPrefix: 'stripe:pi_po_',
    keySuffix: ':fee',
    day: addDays(cityDay(new Date(), TIME_ZONE), -1),
    source: `'stripe'`,
    sourceRef: `'pi_po_' || e.n`,
    lines: `
      select e.id, (select id from ledger.account where code = 'expense:stripe_fees'), 59
      union all
      select e.id, (select id from ledger.account where code = 'clearing:stripe'), -59`,
  })
  const items: PayoutItemInput[] = []
  let net = 0
  for (let i = 1; i <= TRANSACTIONS; i++) {
    const amount = 1000 + (i % 500)
    items.push({
      balanceTransactionId: `txn_po_${i}`,
      type: 'charge',
      amountCents: amount,
      feeCents: 59,
      netCents: amount - 59,
      sourceKind: 'charge',
      sourceId: `ch_po_${i}`,
      paymentIntentId: `pi_po_${i}`,
    })
    net += amount - 59
  }
  items.push({
    balanceTransactionId: 'txn_po_payout',
    type: 'payout',
    amountCents: -net,
    feeCents: 0,
    netCents: -net,
    sourceKind: 'payout',
    sourceId: 'po_bench',
    paymentIntentId: null,
  })
  await sql`
    insert into payments.payout (stripe_payout_id, amount_cents, currency, status, arrival_date)
    values ('po_bench', ${net}, 'usd', 'paid', current_date)`
  await sql`vacuum analyze`
  console.log(`payout: ${TRANSACTIONS} payments and fee entries written in ${(ms(setup) / 1000).toFixed(1)} s`)

  const baselineStart = performance.now()
  await sql`create unlogged table bench_items (txn text, type text, amount bigint, fee bigint, net bigint, source text, intent text)`
  await sql`
    insert into bench_items
    select * from unnest(${items.map((i) => i.balanceTransactionId)}::text[], ${items.map((i) => i.type)}::text[],
                         ${items.map((i) => i.amountCents)}::bigint[], ${items.map((i) => i.feeCents)}::bigint[],
                         ${items.map((i) => i.netCents)}::bigint[], ${items.map((i) => i.sourceId) as string[]}::text[],
                         ${items.map((i) => i.paymentIntentId) as string[]}::text[])`
  const baseline = ms(baselineStart)

  const run = performance.now()
  const result = await recordPayoutItems(sql, 'po_bench', items)
  const took = ms(run)
  report('reconcile a payout of balance transactions', took, baseline, `${result.itemCount} items, ${result.status}`)
  if (result.status !== 'matched') {
    throw new Error(`the payout did not reconcile: ${JSON.stringify(result)}`)
  }
}

/**
 * Writes `count` balanced entries on one business day in one statement: entry n gets the key
 * keyPrefix + n (+ keySuffix) and the postings the `lines` select gives for it (e.id, e.n in scope).
 */
async function postSpread(
  sql: Sql,
  s: { count: number; keyPrefix: string; keySuffix?: string; day: string; source: string; sourceRef?: string; lines: string },
): Promise<void> {
  const source = s.source.includes("'") || s.source.includes(' ') ? s.source : `'${s.source}'`
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      create temp table bench_entries on commit drop as
      with e as (
        insert into ledger.journal_entry (idempotency_key, body_hash, source, source_ref, description, occurred_at)
        select '${s.keyPrefix}' || g || '${s.keySuffix ?? ''}', 'bench', ${source.replaceAll('e.n', 'g')},
               ${(s.sourceRef ?? 'null').replaceAll('e.n', 'g')}, 'Bench entry ' || g,
               ($1::date + time '12:00') at time zone '${TIME_ZONE}' + (g % 36000) * interval '1 second'
          from generate_series(1, $2::int) g
        returning id, source
      )
      select id, row_number() over (order by id) as n from e`, [s.day, s.count])
    await tx.unsafe(`
      insert into ledger.posting (entry_id, account_id, amount)
      select x.* from bench_entries e, lateral (${s.lines}) x (entry_id, account_id, amount)`)
  })
}


await main()
