import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addDays, firstTerm, nextTerm, refundOf, type TermRule } from '../../api/permits/terms.ts'

const monthly = (proration: TermRule['proration'], priceCents = 3000): TermRule => ({
  priceCents,
  period: 'monthly',
  proration,
})

describe('first terms', () => {
  it('runs a whole period from the first day without proration, a 31st falling back', () => {
    expect(firstTerm(monthly('none'), '2026-01-31')).toEqual({
      startsOn: '2026-01-31',
      endsOn: '2026-02-27',
      priceCents: 3000,
    })
    expect(firstTerm({ priceCents: 12000, period: 'annual', proration: 'none' }, '2028-02-29')).toEqual({
      startsOn: '2028-02-29',
      endsOn: '2029-02-27',
      priceCents: 12000,
    })
  })

  it('charges the days left of a calendar period, leap years counted', () => {
    const annual: TermRule = { priceCents: 12000, period: 'annual', proration: 'daily' }
    // 184 of 365 days, and of 366 in 2028
    expect(firstTerm(annual, '2026-07-01')).toEqual({ startsOn: '2026-07-01', endsOn: '2026-12-31', priceCents: 6049 })
    expect(firstTerm(annual, '2028-07-01').priceCents).toBe(6033)
    expect(firstTerm(monthly('daily', 3100), '2026-02-15')).toEqual({
      startsOn: '2026-02-15',
      endsOn: '2026-02-28',
      priceCents: 1550,
    })
    expect(firstTerm(monthly('daily', 2900), '2028-02-15').priceCents).toBe(1500)
  })

  it('charges the months left, the current one whole, under monthly proration', () => {
    const semester: TermRule = { priceCents: 6000, period: 'semester', proration: 'monthly' }
    expect(firstTerm(semester, '2026-03-15')).toEqual({ startsOn: '2026-03-15', endsOn: '2026-06-30', priceCents: 4000 })
    expect(firstTerm(semester, '2026-12-31')).toEqual({ startsOn: '2026-12-31', endsOn: '2026-12-31', priceCents: 1000 })
    expect(firstTerm(semester, '2026-07-01').priceCents).toBe(6000)
  })
})

describe('renewals', () => {
  it('keeps an anniversary on its day across short months', () => {
    const rule = monthly('none')
    const ends: string[] = []
    let term = firstTerm(rule, '2026-01-31')
    for (let i = 0; i < 4; i++) {
      term = nextTerm(rule, '2026-01-31', term.endsOn)
      ends.push(`${term.startsOn}..${term.endsOn}`)
    }
    expect(ends).toEqual([
      '2026-02-28..2026-03-30',
      '2026-03-31..2026-04-29',
      '2026-04-30..2026-05-30',
      '2026-05-31..2026-06-29',
    ])
  })

  it('renews a leap-day annual permit on the 28th, and on the 29th when there is one', () => {
    const rule: TermRule = { priceCents: 12000, period: 'annual', proration: 'none' }
    const terms = [firstTerm(rule, '2028-02-29')]
    for (let i = 0; i < 4; i++) {
      terms.push(nextTerm(rule, '2028-02-29', terms.at(-1)!.endsOn))
    }
    expect(terms.map((t) => t.startsOn)).toEqual(['2028-02-29', '2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29'])
    expect(terms.every((t) => t.priceCents === 12000)).toBe(true)
  })

  it('renews a calendar term for the whole next period at full price', () => {
    const semester: TermRule = { priceCents: 6000, period: 'semester', proration: 'daily' }
    expect(nextTerm(semester, '2026-03-15', '2026-06-30')).toEqual({
      startsOn: '2026-07-01',
      endsOn: '2026-12-31',
      priceCents: 6000,
    })
    expect(nextTerm(monthly('daily'), '2026-01-10', '2028-01-31')).toEqual({
      startsOn: '2028-02-01',
      endsOn: '2028-02-29',
      priceCents: 3000,
    })
  })

  it('leaves no gap and no overlap between terms, whatever the start', () => {
    const day = fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2024-01-01', n))
    const rules = fc.record({
      priceCents: fc.integer({ min: 0, max: 100_000 }),
      period: fc.constantFrom('monthly' as const, 'semester' as const, 'annual' as const),
      proration: fc.constantFrom('none' as const, 'daily' as const, 'monthly' as const),
    })
    fc.assert(
      fc.property(rules, day, (rule, start) => {
        let term = firstTerm(rule, start)
        expect(term.priceCents).toBeLessThanOrEqual(rule.priceCents)
        for (let i = 0; i < 6; i++) {
          const next = nextTerm(rule, start, term.endsOn)
          expect(next.startsOn).toBe(addDays(term.endsOn, 1))
          expect(next.endsOn >= next.startsOn).toBe(true)
          term = next
        }
      }),
    )
  })
})

describe('refunds on cancellation', () => {
  const year = { startsOn: '2026-01-01', endsOn: '2026-12-31', amountCents: 12000 }

  it('gives back the unused days, the day of cancellation used', () => {
    expect(refundOf('daily', year, '2026-12-30')).toBe(33)
    expect(refundOf('daily', year, '2026-12-31')).toBe(0)
    expect(refundOf('daily', year, '2025-12-31')).toBe(12000)
    expect(refundOf('daily', { startsOn: '2028-01-01', endsOn: '2028-12-31', amountCents: 36600 }, '2028-02-29')).toBe(30600)
  })

  it('gives back the unused whole months, of the calendar or from an anniversary', () => {
    const semester = { startsOn: '2026-01-01', endsOn: '2026-06-30', amountCents: 6000 }
    expect(refundOf('monthly', semester, '2026-03-10')).toBe(3000)
    expect(refundOf('monthly', semester, '2026-03-31')).toBe(3000)
    const anniversary = { startsOn: '2026-01-15', endsOn: '2026-07-14', amountCents: 6000 }
    expect(refundOf('monthly', anniversary, '2026-02-14')).toBe(5000)
    expect(refundOf('monthly', anniversary, '2026-02-15')).toBe(4000)
    // a prorated first term, Mar 15 - Jun 30 charged as four months
    expect(refundOf('monthly', { startsOn: '2026-03-15', endsOn: '2026-06-30', amountCents: 4000 }, '2026-04-10')).toBe(2000)
  })

  it('gives nothing back under a no-refund policy', () => {
    expect(refundOf('none', year, '2026-01-02')).toBe(0)
  })

  it('never gives back more than the term cost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('daily' as const, 'monthly' as const),
        (n, amount, policy) => {
          const refund = refundOf(policy, { ...year, amountCents: amount }, addDays('2025-12-01', n))
          expect(refund).toBeGreaterThanOrEqual(0)
          expect(refund).toBeLessThanOrEqual(amount)
        },
      ),
    )
  })
})
