import { inTransaction, type Db } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { zonedInstant } from '../facilities/local-time.ts'
import { addDays } from '../permits/terms.ts'
import { cityDay } from './cycles.ts'
import { raiseException } from './exceptions.ts'

/** Revenue of one business day in one cell of facility x channel x payment method x fund. */
export interface RevenueCell {
  account: string
  fund: string
  /** The facility's name, or the revenue account's (permits, citations, a utility service). */
  facility: string
  facilityCode: string | null
  channel: string
  method: string
  cents: number
  entries: number
}

export interface PriorPeriodLine {
  entryId: number
  occurredOn: string
  description: string
  revenueCents: number
}

export interface CloseReport {
  day: string
  revenue: RevenueCell[]
  totals: {
    revenueCents: number
    byFund: Record<string, number>
    byMethod: Record<string, number>
    byChannel: Record<string, number>
  }
  counts: {
    entries: number
    sessions: Record<string, number>
    permitCharges: Record<string, { count: number; cents: number }>
    citations: { count: number; fineCents: number }
  }
  refunds: { card: { count: number; cents: number }; parking: { count: number; cents: number } }
  disputes: { count: number; cents: number; byStatus: Record<string, number> }
  priorPeriod: PriorPeriodLine[]
  /** The breakdown checked against the ledger's own sums, account by account. */
  check: {
    ledgerRevenueCents: number
    breakdownRevenueCents: number
    /** Σ of every posting of the day's entries: zero when each entry balances. */
    trialBalanceCents: number
    differences: { account: string; ledgerCents: number; breakdownCents: number }[]
    equal: boolean
  }
}

export interface DayStatus {
  day: string
  status: 'open' | 'closed' | 'failed'
  closedAt: Date | null
  closedBy: number | null
  revenueCents: number
  entries: number
  priorPeriodEntries: number
  failure: string | null
}

// Shared with the posting trigger (finance.assign_business_day): a close holds its day's lock
// exclusively, so postings in flight to the day finish first and later ones move to the next day.
const DAY_LOCK_CLASS = 74201
const lockKey = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse('2000-01-01T00:00:00Z')) / 86_400_000)

/** The instants a city-local day runs between. */
export function dayBounds(day: string, timeZone: string): { start: Date; end: Date } {
  return { start: new Date(zonedInstant(day, 0, timeZone)), end: new Date(zonedInstant(addDays(day, 1), 0, timeZone)) }
}

/**
 * What a business day holds: revenue by facility x channel x method x fund from its journal
 * entries, classified by what each entry's source records say, and then checked against the
 * ledger's own per-account sums, so a classification that lost or doubled a line shows.
 */
export async function closeReport(sql: Db, day: string, timeZone: string): Promise<CloseReport> {
  const { start, end } = dayBounds(day, timeZone)
  const revenue = await sql<RevenueCell[]>`
    with e as (
      select id, source, source_ref from ledger.journal_entry where business_day = ${day}
    ), lines as (
      select p.entry_id, p.amount, a.code, a.name, a.type, a.fund::text as fund
        from e join ledger.posting p on p.entry_id = e.id join ledger.account a on a.id = p.account_id
    ), method as (
      -- how it was paid is the other side of the entry
      select entry_id,
             case when bool_or(code in ('clearing:stripe', 'disputes:stripe')) then 'card'
                  when bool_or(code like 'cash:kiosk:%' or code like 'cash:gate:%') then 'cash'
                  when bool_or(code like 'ar:%:ua:%') then 'utility_bill'
                  when bool_or(code like 'ar:%') then 'receivable'
                  else 'other' end as method
        from lines where type <> 'revenue' group by entry_id
    ), channel as (
      select e.id as entry_id,
             coalesce(s.channel::text, pay.channel, rpay.channel, dpay.channel,
                      case e.source when 'permits' then 'portal' when 'enforcement' then 'handheld'
                                    when 'cis' then 'utility' else e.source end) as channel
        from e
        left join parking.session s
          on e.source = 'parking' and s.public_id = (case when e.source = 'parking' and e.source_ref ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                                                    then e.source_ref::uuid end)
        left join payments.payment pay on e.source = 'stripe' and pay.stripe_payment_intent_id = e.source_ref
        left join payments.refund r on e.source = 'stripe' and r.stripe_refund_id = e.source_ref
        left join payments.payment rpay on rpay.id = r.payment_id
        left join payments.dispute d on e.source = 'stripe' and d.stripe_dispute_id = e.source_ref
        left join payments.payment dpay on dpay.id = d.payment_id
    )
    select l.code as account, l.fund, coalesce(f.name, l.name) as facility, f.code as "facilityCode",
           c.channel, coalesce(m.method, 'other') as method,
           (-sum(l.amount))::bigint as cents, count(distinct l.entry_id)::int as entries
      from lines l
      left join method m using (entry_id)
      left join channel c using (entry_id)
      left join parking.facility f on l.code = 'revenue:parking:' || f.code
     where l.type = 'revenue'
     group by 1, 2, 3, 4, 5, 6
     order by 3, 5, 6`

  const ledger = await sql<{ account: string; cents: number }[]>`
    select a.code as account, (-sum(p.amount))::bigint as cents
      from ledger.posting p join ledger.account a on a.id = p.account_id
     where a.type = 'revenue'
       and p.entry_id in (select id from ledger.journal_entry where business_day = ${day})
     group by 1`
  const [whole]: [{ entries: number; trial: number }] = (await sql`
    select count(distinct e.id)::int as entries, coalesce(sum(p.amount), 0)::bigint as trial
      from ledger.journal_entry e join ledger.posting p on p.entry_id = e.id
     where e.business_day = ${day}`) as never

  const sessions = await sql<{ channel: string; n: number }[]>`
    select channel::text, count(*)::int as n from parking.session
     where starts_at >= ${start} and starts_at < ${end} and status <> 'cancelled'
     group by 1`
  const permitCharges = await sql<{ kind: string; n: number; cents: number }[]>`
    select kind, count(*)::int as n, coalesce(sum(amount_cents), 0)::bigint as cents from permits.charge
     where status = 'paid' and updated_at >= ${start} and updated_at < ${end}
     group by 1`
  const [citations]: [{ n: number; cents: number }] = (await sql`
    select count(*)::int as n, coalesce(sum(fine_cents), 0)::bigint as cents from enforcement.citation
     where issued_at >= ${start} and issued_at < ${end}`) as never
  const [cardRefunds]: [{ n: number; cents: number }] = (await sql`
    select count(*)::int as n, coalesce(sum(amount_cents), 0)::bigint as cents from payments.refund
     where status = 'succeeded' and updated_at >= ${start} and updated_at < ${end}`) as never
  const [parkingRefunds]: [{ n: number; cents: number }] = (await sql`
    select count(*)::int as n, coalesce(-sum(amount_cents), 0)::bigint as cents from parking.purchase
     where kind = 'refund' and status = 'settled' and created_at >= ${start} and created_at < ${end}`) as never
  const disputes = await sql<{ status: string; n: number; cents: number }[]>`
    select status, count(*)::int as n, coalesce(sum(amount_cents), 0)::bigint as cents from payments.dispute
     where created_at >= ${start} and created_at < ${end}
     group by 1`
  const priorPeriod = await sql<PriorPeriodLine[]>`
    select e.id as "entryId", to_char((e.occurred_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as "occurredOn",
           e.description,
           coalesce((select -sum(p.amount) from ledger.posting p join ledger.account a on a.id = p.account_id
                      where p.entry_id = e.id and a.type = 'revenue'), 0)::bigint as "revenueCents"
      from ledger.journal_entry e
     where e.business_day = ${day} and e.prior_period
     order by e.id`

  const sum = (xs: { cents: number }[]) => xs.reduce((s, x) => s + x.cents, 0)
  const group = (key: (c: RevenueCell) => string) =>
    revenue.reduce<Record<string, number>>((acc, c) => ({ ...acc, [key(c)]: (acc[key(c)] ?? 0) + c.cents }), {})
  const byAccount = group((c) => c.account)
  const accounts = new Set([...Object.keys(byAccount), ...ledger.map((l) => l.account)])
  const differences = [...accounts]
    .map((account) => ({
      account,
      ledgerCents: ledger.find((l) => l.account === account)?.cents ?? 0,
      breakdownCents: byAccount[account] ?? 0,
    }))
    .filter((d) => d.ledgerCents !== d.breakdownCents)
  const ledgerRevenueCents = sum(ledger)
  const breakdownRevenueCents = sum(revenue)
  return {
    day,
    revenue,
    totals: {
      revenueCents: breakdownRevenueCents,
      byFund: group((c) => c.fund),
      byMethod: group((c) => c.method),
      byChannel: group((c) => c.channel),
    },
    counts: {
      entries: whole.entries,
      sessions: Object.fromEntries(sessions.map((s) => [s.channel, s.n])),
      permitCharges: Object.fromEntries(permitCharges.map((p) => [p.kind, { count: p.n, cents: p.cents }])),
      citations: { count: citations.n, fineCents: citations.cents },
    },
    refunds: {
      card: { count: cardRefunds.n, cents: cardRefunds.cents },
      parking: { count: parkingRefunds.n, cents: parkingRefunds.cents },
    },
    disputes: {
      count: disputes.reduce((s, d) => s + d.n, 0),
      cents: sum(disputes),
      byStatus: Object.fromEntries(disputes.map((d) => [d.status, d.n])),
    },
    priorPeriod,
    check: {
      ledgerRevenueCents,
      breakdownRevenueCents,
      trialBalanceCents: whole.trial,
      differences,
      equal: differences.length === 0 && ledgerRevenueCents === breakdownRevenueCents && whole.trial === 0,
    },
  }
}

export interface CloseResult {
  status: DayStatus
  report: CloseReport
  /** False when the day was closed already and this returned the stored report. */
  closedNow: boolean
}

/**
 * Closes a business day: waits for postings in flight to it, builds its report, checks it
 * against the ledger and locks the day, all in one transaction. Closing a closed day returns its
 * stored report. A report that disagrees with the ledger does not close the day: it is marked
 * failed, with an exception for finance, and can be closed again once the cause is fixed.
 */
export async function closeDay(
  sql: Db,
  day: string,
  options: { timeZone: string; principal?: Principal | null; now?: Date },
): Promise<CloseResult> {
  const now = options.now ?? new Date()
  if (day >= cityDay(now, options.timeZone)) {
    throw new AppError('conflict', `${day} has not ended yet in the city's time zone; only past days can close`)
  }
  const outcome = await inTransaction(sql, async (tx) => {
    await tx`insert into finance.day (day) values (${day}) on conflict (day) do nothing`
    const [row]: [{ status: string; report: CloseReport | null }] = (await tx`
      select status, report from finance.day where day = ${day} for update`) as never
    if (row.status === 'closed') {
      return { report: row.report!, closedNow: false }
    }
    await tx`select pg_advisory_xact_lock(${DAY_LOCK_CLASS}, ${lockKey(day)})`
    const report = await closeReport(tx, day, options.timeZone)
    const by = options.principal?.kind === 'user' ? options.principal.userId : null
    if (!report.check.equal) {
      await tx`
        update finance.day
           set status = 'failed', report = ${tx.json(report as never)}, revenue_cents = ${report.check.breakdownRevenueCents},
               ledger_revenue_cents = ${report.check.ledgerRevenueCents},
               failure = 'The close report does not equal the ledger', updated_at = now()
         where day = ${day}`
      await raiseException(tx, {
        key: `close:${day}:mismatch:${report.check.ledgerRevenueCents}:${report.check.breakdownRevenueCents}:${report.check.trialBalanceCents}`,
        kind: 'close_mismatch',
        summary: `The close of ${day} does not equal the ledger`,
        amountCents: report.check.ledgerRevenueCents - report.check.breakdownRevenueCents,
        evidence: { day, check: report.check },
      })
      return { report, closedNow: false }
    }
    await tx`
      update finance.day
         set status = 'closed', closed_at = ${now}, closed_by = ${by}, report = ${tx.json(report as never)},
             revenue_cents = ${report.check.breakdownRevenueCents}, ledger_revenue_cents = ${report.check.ledgerRevenueCents},
             failure = null, updated_at = now()
       where day = ${day}`
    await writeAudit(tx, options.principal ?? null, {
      action: 'finance.day.close',
      entity: 'finance.day',
      entityId: day,
      after: { revenueCents: report.totals.revenueCents, entries: report.counts.entries },
    })
    return { report, closedNow: true }
  })
  return { ...outcome, status: await dayStatus(sql, day) }
}

/**
 * The job's close: every day before today that is not closed, oldest first, within the last
 * `lookbackDays` days, from the first of them with entries (quiet days close at zero). Days
 * close in order, so a prior-period adjustment to a day that closes in the same run lands on the
 * next of them.
 */
export async function closePendingDays(
  sql: Db,
  options: { timeZone: string; now?: Date; lookbackDays?: number },
): Promise<{ closed: string[]; failed: string[] }> {
  const now = options.now ?? new Date()
  const until = cityDay(now, options.timeZone)
  const since = addDays(until, -(options.lookbackDays ?? 31))
  // every day from the first with entries in the window: a quiet Sunday closes too, at zero
  const days = await sql<{ day: string }[]>`
    select to_char(d.day, 'YYYY-MM-DD') as day
      from generate_series(
             (select min(business_day) from ledger.journal_entry where business_day >= ${since} and business_day < ${until}),
             ${until}::date - 1, interval '1 day') d (day)
     where not exists (select from finance.day f where f.day = d.day::date and f.status = 'closed')
     order by d.day`
  const closed: string[] = []
  const failed: string[] = []
  for (const { day } of days) {
    const result = await closeDay(sql, day, { timeZone: options.timeZone, now })
    ;(result.status.status === 'closed' ? closed : failed).push(day)
  }
  return { closed, failed }
}

export async function dayStatus(sql: Db, day: string): Promise<DayStatus> {
  const [status] = await daysBetween(sql, day, day)
  return status!
}

/**
 * The calendar: each day from..to with its status and revenue: a closed day's from its close,
 * an open one's from the ledger as it stands.
 */
export async function daysBetween(sql: Db, from: string, to: string): Promise<DayStatus[]> {
  return sql<DayStatus[]>`
    with days as (
      select d::date as day from generate_series(${from}::date, ${to}::date, interval '1 day') d
    ), live as (
      select e.business_day as day, count(distinct e.id)::int as entries,
             count(distinct e.id) filter (where e.prior_period)::int as prior,
             coalesce(-sum(p.amount) filter (where a.type = 'revenue'), 0)::bigint as revenue
        from ledger.journal_entry e
        join ledger.posting p on p.entry_id = e.id
        join ledger.account a on a.id = p.account_id
       where e.business_day between ${from} and ${to}
       group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as day, coalesce(f.status, 'open') as status,
           f.closed_at as "closedAt", f.closed_by as "closedBy",
           coalesce(case when f.status = 'closed' then f.revenue_cents end, live.revenue, 0)::bigint as "revenueCents",
           coalesce(live.entries, 0) as entries, coalesce(live.prior, 0) as "priorPeriodEntries",
           f.failure
      from days
      left join finance.day f on f.day = days.day
      left join live on live.day = days.day
     order by days.day`
}

export async function storedReport(sql: Db, day: string): Promise<CloseReport | null> {
  const [row]: [{ report: CloseReport | null }?] = await sql`select report from finance.day where day = ${day}`
  return row?.report ?? null
}

/** The city's time zone, where the posting trigger reads it. Written at start from config. */
export async function writeFinanceTimeZone(sql: Db, timeZone: string): Promise<void> {
  await sql`update finance.settings set time_zone = ${timeZone} where time_zone <> ${timeZone}`
}
