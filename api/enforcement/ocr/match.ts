// Fuzzy matching of read candidates against the plates that hold a right (a paid session, a
// permit) at that place and time. Look-alike swaps cost less than other edits, and nothing
// further than one edit matches: a plate with no right must not borrow someone else's.
import type { CharChoice, PlateCandidate } from './rank.ts'

/** Cost of reading `a` where the plate says `b` (or the reverse). */
export function substitutionCost(a: string, b: string): number {
  if (a === b) {
    return 0
  }
  const pair = a < b ? a + b : b + a
  return CONFUSION_COSTS.get(pair) ?? 1
}

// O and 0 are one glyph on most plates; the others are the reader's usual confusions.
const CONFUSION_COSTS = new Map<string, number>([
  ['0O', 0.25],
  ['0D', 0.5],
  ['0Q', 0.5],
  ['DO', 0.5],
  ['OQ', 0.5],
  ['1I', 0.5],
  ['8B', 0.5],
  ['5S', 0.5],
  ['2Z', 0.5],
  ['6G', 0.5],
])

export const MAX_MATCH_DISTANCE = 1

/**
 * Levenshtein distance with confusion-aware substitution costs; insertions and deletions cost
 * 1. Stops early and returns a value above `limit` once the distance must exceed it.
 */
export function plateDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) {
    return Math.abs(a.length - b.length)
  }
  let prev = new Float64Array(b.length + 1)
  let cur = new Float64Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) {
    prev[j] = j
  }
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i
    let rowMin = cur[0]
    const ca = a.charAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + substitutionCost(ca, b.charAt(j - 1))
      const del = (prev[j] ?? 0) + 1
      const ins = (cur[j - 1] ?? 0) + 1
      const v = Math.min(sub, del, ins)
      cur[j] = v
      rowMin = Math.min(rowMin, v)
    }
    if (rowMin > limit) {
      return rowMin
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[b.length] ?? 0
}

/**
 * `plateDistance(a, b)` when it is at most 1, else Infinity, without the table: within one
 * edit, equal lengths allow only substitutions (an insertion and a deletion already cost 2)
 * and lengths one apart allow only the one insertion.
 */
export function distanceWithinOne(a: string, b: string, unsure?: ReaderDoubts): number {
  if (a.length === b.length) {
    let d = 0
    for (let i = 0; i < a.length && d <= 1; i++) {
      const ca = a.charAt(i)
      const cb = b.charAt(i)
      let cost = substitutionCost(ca, cb)
      if (cost > 0 && unsure) {
        cost = Math.min(cost, unsure.cost(i, cb))
      }
      d += cost
    }
    return d <= 1 ? d : Infinity
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a]
  if (long.length - short.length !== 1) {
    return Infinity
  }
  let i = 0
  while (i < short.length && short.charAt(i) === long.charAt(i)) {
    i++
  }
  return short.slice(i) === long.slice(i + 1) ? 1 : Infinity
}

/** What swapping in a character the reader itself weighed at a position costs, else 1. */
export interface ReaderDoubts {
  cost(position: number, char: string): number
}

/** The reader's doubts from a candidate's per-position alternatives (none when it has none). */
export function readerDoubts(
  alternatives: CharChoice[][] | undefined,
  minConfidence = MIN_ALTERNATIVE_CONFIDENCE,
  cost = ALTERNATIVE_COST,
): ReaderDoubts | undefined {
  if (!alternatives?.some((at) => at.some((c) => c.confidence >= minConfidence))) {
    return undefined
  }
  const sets = alternatives.map(
    (at) => new Set(at.filter((c) => c.confidence >= minConfidence).map((c) => c.text)),
  )
  return { cost: (i, char) => (sets[i]?.has(char) ? cost : 1) }
}

// A character the LSTM gave at least this confidence at a position, though it chose another,
// counts like a known look-alike there.
export const MIN_ALTERNATIVE_CONFIDENCE = 30
export const ALTERNATIVE_COST = 0.5

export interface HolderMatch {
  /** The right-holder's plate, as given. */
  holder: string
  /** The strongest read candidate it was matched from. */
  candidate: PlateCandidate
  /** That candidate's distance from the holder. */
  distance: number
  /**
   * The evidence for the holder: the score of every candidate within one edit of it, each
   * discounted by its distance, summed. The matches are ranked by it.
   */
  score: number
  reasons: string[]
}

export interface MatchResult {
  /** The right-holder to show first, or null: no holder within one edit of any candidate. */
  match: HolderMatch | null
  /** Every holder within one edit, best first (the ambassador may pick another). */
  matches: HolderMatch[]
}

export interface MatchOptions {
  /** Candidates scoring below this share of the best one are not matched (default 0.15). */
  minRelativeScore?: number
  /**
   * Holders whose evidence (the candidates' discounted scores, summed) is below this are
   * dropped (default 0.1): a weak alternative read one edit from a holder is how a plate with
   * no right would borrow one.
   */
  minScore?: number
  /** The floor for a holder some candidate matches exactly, on that candidate's score (default 0.04). */
  minExactScore?: number
}

const clean = (plate: string) => plate.toUpperCase().replace(/[^A-Z0-9]/g, '')

function explain(read: string, holder: string, doubts?: ReaderDoubts): string {
  if (read === holder) {
    return `exact match with right-holder ${holder}`
  }
  if (read.length === holder.length) {
    const diffs: string[] = []
    for (let i = 0; i < read.length; i++) {
      const [a, b] = [read.charAt(i), holder.charAt(i)]
      if (a !== b) {
        const own = doubts && doubts.cost(i, b) < substitutionCost(a, b)
        const note = own ? ' (the reader weighed it there)' : ''
        diffs.push(`${a}→${b} at position ${i + 1}${note}`)
      }
    }
    return `right-holder ${holder} within one edit: ${diffs.join(', ')}`
  }
  return `right-holder ${holder} within one edit: one character ${read.length > holder.length ? 'extra' : 'missing'}`
}

/**
 * Matches ranked candidates against the plates holding a right, within one confusion-aware
 * edit. An exact match wins over a near one; nearer and likelier candidates win over others.
 */
export function matchRightHolders(
  candidates: PlateCandidate[],
  holders: Iterable<string>,
  options: MatchOptions = {},
): MatchResult {
  const top = candidates[0]?.score ?? 0
  const minScore = top * (options.minRelativeScore ?? 0.15)
  const live = candidates.filter((c) => c.score >= minScore && c.plate.length > 0)
  // A holder gathers the evidence of every candidate within one edit of it: passes that split
  // between 81ABQ, 181ABQ and I81ABQ all speak for 481ABQ, though none is strong alone. An exact
  // match to a holder is rare by chance, so a weaker candidate may make it; near ones must add
  // up to a strong share, or a plate with no right would borrow one from a weak alternative.
  const minNear = options.minScore ?? 0.1
  const minExact = options.minExactScore ?? 0.04
  // Per holder, as given (raw): its strongest candidate (index k, distance d, discounted score
  // best), the summed evidence, how many others gave some, and the best exact candidate's score.
  const byHolder = new Map<
    string,
    { raw: string; k: number; d: number; best: number; support: number; others: number; exact: number }
  >()
  const doubts = live.map((c) => readerDoubts(c.alternatives))
  for (const holderRaw of holders) {
    const holder = clean(holderRaw)
    if (byHolder.has(holder)) {
      // The same plate listed twice (a session and a permit) is one holder, not twice the evidence.
      continue
    }
    for (const [k, candidate] of live.entries()) {
      const d = distanceWithinOne(candidate.plate, holder, doubts[k])
      if (d > MAX_MATCH_DISTANCE) {
        continue
      }
      const score = candidate.score * (1 - 0.45 * d)
      const exact = d === 0 ? candidate.score : 0
      const seen = byHolder.get(holder)
      if (!seen) {
        byHolder.set(holder, { raw: holderRaw, best: score, k, d, support: score, others: 0, exact })
        continue
      }
      seen.support += score
      seen.others++
      seen.exact = Math.max(seen.exact, exact)
      if (score > seen.best) {
        Object.assign(seen, { best: score, k, d })
      }
    }
  }
  const kept: HolderMatch[] = []
  for (const [holder, { raw, k, d, support, others, exact }] of byHolder) {
    const candidate = live[k]
    if (!candidate || (support < minNear && exact < minExact)) {
      continue
    }
    const also =
      others > 0 ? [`${others} other read${others === 1 ? '' : 's'} within one edit of it too`] : []
    kept.push({
      holder: raw,
      candidate,
      distance: d,
      score: support,
      reasons: [explain(candidate.plate, holder, doubts[k]), ...also, ...candidate.reasons],
    })
  }
  const matches = kept.sort(
    (a, b) => b.score - a.score || a.distance - b.distance || a.holder.localeCompare(b.holder),
  )
  return { match: matches[0] ?? null, matches }
}
