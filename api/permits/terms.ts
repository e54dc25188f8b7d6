/*
  A permit's terms and their prices, on the city's calendar: pure date arithmetic over ISO dates
  ('2026-02-28'), shared by the API and the portal's price preview.

  Periods: a month; a semester, the half-year Jan 1 - Jun 30 or Jul 1 - Dec 31; a year.
  Proration 'none': a term runs one whole period from the day it starts (a monthly permit bought
  on Jan 31 runs through Feb 27, then Feb 28 - Mar 30: months are counted from the first day, a
  31st falling back to the month's last day) at full price. 'daily' and 'monthly': terms follow
  the calendar, and a term bought part-way is charged for the days left (daily) or the months
  left, the current one counted whole (monthly). Renewals are always one whole period.

  Cancellation gives back, per the type's refund policy, nothing, the unused days (the day of
  cancellation counts as used) or the unused whole months of each paid term, as a share of what
  that term was charged: cents are rounded half up on every share, so the shares of a term never
  exceed what it cost.
*/

export type Period = 'monthly' | 'semester' | 'annual'
export type Proration = 'none' | 'daily' | 'monthly'

export interface TermRule {
  priceCents: number
  period: Period
  proration: Proration
}

export interface Term {
  startsOn: string
  /** The last day valid, inclusive. */
  endsOn: string
  priceCents: number
}

const MONTHS: Record<Period, number> = { monthly: 1, semester: 6, annual: 12 }

interface Ymd {
  y: number
  m: number // 1..12
  d: number
}

function parse(date: string): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) {
    throw new RangeError(`not an ISO date: ${date}`)
  }
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) }
}

function format({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

/** The date n days on (or back). */
export function addDays(date: string, n: number): string {
  const { y, m, d } = parse(date)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** Days from a to b (b - a). */
export function daysBetween(a: string, b: string): number {
  const pa = parse(a)
  const pb = parse(b)
  return Math.round((Date.UTC(pb.y, pb.m - 1, pb.d) - Date.UTC(pa.y, pa.m - 1, pa.d)) / 86_400_000)
}

/** The anchor's day of the month, n months on, a 31st falling back to a shorter month's last day. */
export function addMonths(anchor: string, n: number): string {
  const { y, m, d } = parse(anchor)
  const index = y * 12 + (m - 1) + n
  const ty = Math.floor(index / 12)
  const tm = (index % 12) + 1
  return format({ y: ty, m: tm, d: Math.min(d, daysInMonth(ty, tm)) })
}

/** The calendar period (month, half-year, year) holding a date. */
export function calendarPeriod(period: Period, date: string): { startsOn: string; endsOn: string } {
  const { y, m } = parse(date)
  const months = MONTHS[period]
  const firstMonth = Math.floor((m - 1) / months) * months + 1
  const startsOn = format({ y, m: firstMonth, d: 1 })
  return { startsOn, endsOn: addDays(addMonths(startsOn, months), -1) }
}

function share(priceCents: number, part: number, whole: number): number {
  return Math.floor((priceCents * part * 2 + whole) / (2 * whole))
}

/** The first term of a permit that starts on a date, and its price under the rule. */
export function firstTerm(rule: TermRule, startsOn: string): Term {
  const months = MONTHS[rule.period]
  if (rule.proration === 'none') {
    return { startsOn, endsOn: addDays(addMonths(startsOn, months), -1), priceCents: rule.priceCents }
  }
  const period = calendarPeriod(rule.period, startsOn)
  if (rule.proration === 'daily') {
    const whole = daysBetween(period.startsOn, period.endsOn) + 1
    const left = daysBetween(startsOn, period.endsOn) + 1
    return { startsOn, endsOn: period.endsOn, priceCents: share(rule.priceCents, left, whole) }
  }
  const monthsLeft = monthIndex(period.endsOn) - monthIndex(startsOn) + 1
  return { startsOn, endsOn: period.endsOn, priceCents: share(rule.priceCents, monthsLeft, months) }
}

/**
 * The term after one that ends on endsOn: one whole period at full price. Anniversary terms are
 * counted from the permit's first day (anchor), so a 31st stays a month's end.
 */
export function nextTerm(rule: TermRule, anchor: string, endsOn: string): Term {
  const startsOn = addDays(endsOn, 1)
  const months = MONTHS[rule.period]
  if (rule.proration === 'none') {
    const k = Math.round((monthIndex(startsOn) - monthIndex(anchor)) / months)
    return { startsOn, endsOn: addDays(addMonths(anchor, (k + 1) * months), -1), priceCents: rule.priceCents }
  }
  return { startsOn, endsOn: calendarPeriod(rule.period, startsOn).endsOn, priceCents: rule.priceCents }
}

function monthIndex(date: string): number {
  const { y, m } = parse(date)
  return y * 12 + (m - 1)
}

export interface PaidTerm {
  startsOn: string
  endsOn: string
  /** What this term was charged. */
  amountCents: number
}

/**
 * What a cancellation on a date gives back of one paid term. A term not yet begun is returned
 * whole under any policy but 'none'; one already over, nothing.
 */
export function refundOf(policy: Proration, term: PaidTerm, cancelledOn: string): number {
  if (policy === 'none' || term.amountCents === 0 || cancelledOn >= term.endsOn) {
    return 0
  }
  if (cancelledOn < term.startsOn) {
    return term.amountCents
  }
  if (policy === 'daily') {
    const whole = daysBetween(term.startsOn, term.endsOn) + 1
    const unused = daysBetween(cancelledOn, term.endsOn)
    return share(term.amountCents, unused, whole)
  }
  // whole months of the term left after the month (of the term) the cancellation falls in
  const months = monthsOf(term)
  let used = 0
  while (used < months.length && months[used]!.startsOn <= cancelledOn) {
    used++
  }
  return share(term.amountCents, months.length - used, months.length)
}

/**
 * A term cut into its months: calendar months for a term that ends on a month's last day (every
 * calendar term, and anniversary terms from a 1st), else months counted from its first day.
 */
function monthsOf(term: PaidTerm): { startsOn: string }[] {
  const end = parse(term.endsOn)
  const calendar = end.d === daysInMonth(end.y, end.m)
  const first = calendar ? format({ ...parse(term.startsOn), d: 1 }) : term.startsOn
  const out: { startsOn: string }[] = [{ startsOn: term.startsOn }]
  for (let i = 1; addMonths(first, i) <= term.endsOn; i++) {
    out.push({ startsOn: addMonths(first, i) })
  }
  return out
}
