import { describe, it, expect } from 'vitest'
import {
  ALTERNATIVE_COST,
  MIN_ALTERNATIVE_CONFIDENCE,
  distanceWithinOne,
  matchRightHolders,
  plateDistance,
  readerDoubts,
  substitutionCost,
} from '../../api/enforcement/ocr/match.ts'
import type { PlateCandidate } from '../../api/enforcement/ocr/rank.ts'

const candidate = (plate: string, score = 1): PlateCandidate => ({ plate, score, reasons: [] })

describe('confusion-aware plate distance', () => {
  it('charges less for look-alike characters than for other substitutions', () => {
    expect(substitutionCost('O', '0')).toBe(0.25)
    for (const [a, b] of [
      ['I', '1'],
      ['B', '8'],
      ['S', '5'],
      ['Z', '2'],
      ['D', '0'],
      ['G', '6'],
    ] as const) {
      expect(substitutionCost(a, b)).toBe(0.5)
      expect(substitutionCost(b, a)).toBe(0.5)
    }
    expect(substitutionCost('A', 'K')).toBe(1)
    expect(substitutionCost('7', '7')).toBe(0)
  })

  it('counts insertions and deletions as one edit', () => {
    expect(plateDistance('ABC123', 'ABC1234')).toBe(1)
    expect(plateDistance('ABC1234', 'BC1234')).toBe(1)
    expect(plateDistance('ABC1234', 'ABD1235')).toBe(2)
  })

  it('agrees with the full table wherever the distance is at most one', () => {
    const pairs = [
      ['ABC1234', 'ABC1234'],
      ['ABC1Z34', 'ABC1234'],
      ['A8C1Z34', 'ABC1234'],
      ['A8C1Z35', 'ABC1234'],
      ['ABC1234', 'ABC124'],
      ['ABC1234', 'XABC1234'],
      ['ABC1234', 'ABX1234'],
      ['ABC1234', 'ACB1234'],
      ['N0X218', 'NOX218'],
    ] as const
    for (const [a, b] of pairs) {
      const full = plateDistance(a, b)
      const fast = distanceWithinOne(a, b)
      expect(fast).toBe(full <= 1 ? full : Infinity)
    }
  })
})

describe('matching reads against right-holders', () => {
  const holders = ['ABC1234', 'XYZ9876', 'GHT4521', 'KLM3300']

  it('matches an exact read to its right-holder', () => {
    const result = matchRightHolders([candidate('XYZ9876')], holders)
    expect(result.match?.holder).toBe('XYZ9876')
    expect(result.match?.distance).toBe(0)
    expect(result.match?.reasons[0]).toMatch(/exact match/)
  })

  it('prefers the right-holder within one confusion-aware edit', () => {
    // Z for 2 and B for 8 are look-alikes: two of them still make one edit.
    const result = matchRightHolders([candidate('A8C1Z34')], holders)
    expect(result.match?.holder).toBe('ABC1234')
    expect(result.match?.distance).toBe(1)
    expect(result.match?.reasons[0]).toMatch(/8→B at position 2/)
  })

  it('prefers a lower-ranked candidate that holds a right over a top read that does not', () => {
    const result = matchRightHolders(
      [candidate('GHT4S7I', 0.5), candidate('GHT4521', 0.3), candidate('QQQ1111', 0.2)],
      holders,
    )
    expect(result.match?.holder).toBe('GHT4521')
  })

  it('matches a read with one character missing or extra', () => {
    expect(matchRightHolders([candidate('KLM330')], holders).match?.holder).toBe('KLM3300')
    expect(matchRightHolders([candidate('KLM33008')], holders).match?.holder).toBe('KLM3300')
  })

  it('finds no match beyond one edit, so a plate with no right is not taken for a paid one', () => {
    expect(matchRightHolders([candidate('ABD1235')], holders).match).toBeNull()
    expect(matchRightHolders([candidate('A8C1Z3S')], holders).match).toBeNull()
    expect(matchRightHolders([candidate('QRS5555')], holders)).toEqual({ match: null, matches: [] })
    expect(matchRightHolders([], holders).match).toBeNull()
  })

  it('puts the exact right-holder before a near one', () => {
    const result = matchRightHolders([candidate('ABC1234')], ['ABC1284', 'ABC1234'])
    expect(result.matches.map((m) => m.holder)).toEqual(['ABC1234', 'ABC1284'])
  })

  it('lets a weak candidate match a holder exactly but not within an edit', () => {
    const exact = [candidate('QRS5555', 0.5), candidate('XYZ9876', 0.08)]
    expect(matchRightHolders(exact, holders).match?.holder).toBe('XYZ9876')
    const near = [candidate('QRS5555', 0.5), candidate('XYZ9875', 0.08)]
    expect(matchRightHolders(near, holders).match).toBeNull()
  })

  it('keeps a weak exact match when a stronger near one to the same holder falls short', () => {
    const reads = [
      candidate('QRS5555', 0.5),
      candidate('XYZ9875', 0.12),
      candidate('XYZ9876', 0.08),
    ]
    expect(matchRightHolders(reads, holders).match).toMatchObject({
      holder: 'XYZ9876',
      distance: 0,
    })
  })

  it('adds up the evidence of every candidate within one edit of a holder', () => {
    // Passes split between readings one edit from KLM3300: none is strong enough alone.
    const split = [
      candidate('QRS5555', 0.3),
      candidate('KLM330', 0.16),
      candidate('KLM33O0', 0.1),
      candidate('XLM3300', 0.08),
    ]
    expect(matchRightHolders([split[0]!, split[1]!], holders).match).toBeNull()
    const result = matchRightHolders(split, holders)
    expect(result.match).toMatchObject({ holder: 'KLM3300', candidate: { plate: 'KLM33O0' } })
    expect(result.match?.score).toBeCloseTo(0.16 * 0.55 + 0.1 * (1 - 0.45 * 0.25) + 0.08 * 0.55)
    expect(result.match?.reasons[1]).toBe('2 other reads within one edit of it too')
  })

  it('does not pool weak reads that point at different holders', () => {
    const scattered = [
      candidate('QRS5555', 0.3),
      candidate('ABC1235', 0.12),
      candidate('XYZ9875', 0.12),
      candidate('GHT4520', 0.12),
    ]
    expect(matchRightHolders(scattered, holders).match).toBeNull()
  })

  it('counts a holder listed twice once', () => {
    const weak = [candidate('QRS5555', 0.5), candidate('XYZ9875', 0.15)]
    expect(matchRightHolders(weak, ['XYZ9876', 'xyz 9876', 'XYZ-9876']).match).toBeNull()
  })

  it('ignores candidates far weaker than the best read', () => {
    const result = matchRightHolders(
      [candidate('QRS5555', 0.95), candidate('ABC1234', 0.05)],
      holders,
    )
    expect(result.match).toBeNull()
  })

  it('compares holders as printed, with spaces and dashes dropped', () => {
    const result = matchRightHolders([candidate('ABC1234')], ['abc-1234'])
    expect(result.match?.holder).toBe('abc-1234')
  })

  it('matches against ten thousand holders in a few milliseconds', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `Q${String(i).padStart(6, '0')}`)
    const started = performance.now()
    const result = matchRightHolders([candidate('Q004Z17'), candidate('Q0042I7', 0.5)], many)
    expect(performance.now() - started).toBeLessThan(200)
    expect(result.match?.holder).toBe('Q004217')
  })
})

describe("the reader's own alternatives in matching", () => {
  // ABC1234 read as ABC7Z34, the reader weighing 1 against the 7 at position 4 (and little else).
  const unsure = (confidence: number): PlateCandidate => ({
    plate: 'ABC7Z34',
    score: 1,
    reasons: [],
    alternatives: [[], [], [{ text: 'O', confidence: 5 }], [{ text: '1', confidence }], [], [], []],
  })

  it('counts a character the reader weighed at a position as a look-alike there', () => {
    expect(distanceWithinOne('ABC7Z34', 'ABC1234')).toBe(Infinity)
    const doubts = readerDoubts(unsure(60).alternatives)
    expect(distanceWithinOne('ABC7Z34', 'ABC1234', doubts)).toBe(ALTERNATIVE_COST + 0.5)
    const result = matchRightHolders([unsure(60)], ['ABC1234', 'XYZ9876'])
    expect(result.match?.holder).toBe('ABC1234')
    expect(result.match?.reasons[0]).toMatch(/7→1 at position 4 \(the reader weighed it there\)/)
  })

  it('ignores alternatives the reader gave little confidence, or at another position', () => {
    const faint = unsure(MIN_ALTERNATIVE_CONFIDENCE - 1)
    expect(matchRightHolders([faint], ['ABC1234']).match).toBeNull()
    expect(matchRightHolders([unsure(60)], ['ABC7214']).match).toBeNull()
  })

  it('still finds no right for a plate no holder is within one edit of', () => {
    expect(matchRightHolders([unsure(90)], ['ABC1235', 'XBC1234']).match).toBeNull()
  })
})
