import { describe, it, expect } from 'vitest'
import { hoursSchema, isOpenAt, nextOpening } from '../../api/facilities/hours.ts'

const NY = 'America/New_York'
const library = hoursSchema.parse([
  { days: [1, 2, 3, 4, 5, 6], from: '07:00', to: '22:00' },
  { days: [0], from: '10:00', to: '18:00' },
])

describe('opening hours', () => {
  it('is open inside a span of the local weekday and closed outside it', () => {
    // Monday 30 November 2026, 06:59 and 07:00 in New York (EST, UTC-5)
    expect(isOpenAt(library, NY, new Date('2026-11-30T11:59:00Z'))).toBe(false)
    expect(isOpenAt(library, NY, new Date('2026-11-30T12:00:00Z'))).toBe(true)
    // 22:00 is closing time
    expect(isOpenAt(library, NY, new Date('2026-12-01T02:59:00Z'))).toBe(true)
    expect(isOpenAt(library, NY, new Date('2026-12-01T03:00:00Z'))).toBe(false)
    // Sunday keeps shorter hours
    expect(isOpenAt(library, NY, new Date('2026-11-29T14:30:00Z'))).toBe(false)
    expect(isOpenAt(library, NY, new Date('2026-11-29T15:00:00Z'))).toBe(true)
  })

  it('is always open without hours', () => {
    expect(isOpenAt(null, NY, new Date('2026-11-29T08:00:00Z'))).toBe(true)
    expect(nextOpening(null, NY, new Date())).toBeNull()
  })

  it('says when it opens next, in local time, across a change of clocks', () => {
    expect(nextOpening(library, NY, new Date('2026-12-01T03:30:00Z'))).toBe('Tuesday 07:00')
    expect(nextOpening(library, NY, new Date('2026-11-29T06:00:00Z'))).toBe('Sunday 10:00')
    // Saturday night before spring-forward (8 March 2026): Sunday opens at 10:00 EDT
    expect(nextOpening(library, NY, new Date('2026-03-08T04:00:00Z'))).toBe('Sunday 10:00')
  })

  it('refuses hours that end before they start, or an empty list', () => {
    expect(hoursSchema.safeParse([{ days: [1], from: '18:00', to: '08:00' }]).success).toBe(false)
    expect(hoursSchema.safeParse([]).success).toBe(false)
    expect(hoursSchema.safeParse([{ days: [7], from: '08:00', to: '18:00' }]).success).toBe(false)
  })
})
