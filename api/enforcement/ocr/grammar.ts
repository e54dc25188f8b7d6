// Plate formats per state and the character-confusion fixes they license. A format is a
// pattern of L (letter) and D (digit); a read that fits one after swapping look-alike
// characters is a likelier plate than the raw read.

export type Pattern = string

export interface StateGrammar {
  state: string
  /** Standard passenger formats, most common first. */
  formats: Pattern[]
}

// Formats of current and recent standard passenger series; vanity plates fit none of them
// and are kept as read.
export const STATE_GRAMMARS: Record<string, StateGrammar> = {
  FL: { state: 'FL', formats: ['LDDDLL', 'LLLDLL', 'DDDDLL', 'LLLLDD', 'DDDLLL', 'LLLDDL'] },
  GA: { state: 'GA', formats: ['LLLDDDD', 'DDDLLL', 'LLDDDD'] },
  AL: { state: 'AL', formats: ['DLDDDDL', 'DDLDDDL', 'DDLLDDD', 'DLLDDDD', 'DDLDDDD'] },
  NC: { state: 'NC', formats: ['LLLDDDD', 'LLLDDD'] },
}

/** Formats common across US states, for a plate whose state is unknown or not listed. */
export const GENERIC_US_FORMATS: Pattern[] = [
  'LLLDDDD',
  'DLLLDDD',
  'LLLDDD',
  'DDDLLL',
  'DDDDLL',
  'LLDDDDD',
  'DLLDDD',
  'DDLLDD',
  'LLDDDD',
  'DDDDDD',
  'DDDDDDD',
]

export const DEFAULT_STATES = ['FL', 'GA', 'AL', 'NC'] as const

/** Letters a reader confuses with digits, and the reverse. */
const LETTER_TO_DIGIT: Record<string, string> = {
  O: '0',
  Q: '0',
  D: '0',
  U: '0',
  I: '1',
  L: '4',
  J: '1',
  T: '7',
  Z: '2',
  S: '5',
  B: '8',
  G: '6',
  A: '4',
}
const DIGIT_TO_LETTER: Record<string, string> = {
  '0': 'O',
  '1': 'I',
  '2': 'Z',
  '4': 'A',
  '5': 'S',
  '6': 'G',
  '7': 'T',
  '8': 'B',
}

/** O and 0 are printed alike on most plates, so swapping them is no evidence against a read. */
export function isFreeSwap(a: string, b: string): boolean {
  return (a === 'O' && b === '0') || (a === '0' && b === 'O')
}

export interface Fix {
  at: number
  from: string
  to: string
}

export interface FittedRead {
  plate: string
  pattern: Pattern
  fixes: Fix[]
}

/** Whether `c` is one digit (an empty string, past a plate's end, is not). */
export const isDigit = (c: string) => c >= '0' && c <= '9'
const isLetter = (c: string) => c >= 'A' && c <= 'Z'

/** The read bent to fit a pattern by look-alike swaps, or undefined if it cannot fit. */
export function fitPattern(read: string, pattern: Pattern): FittedRead | undefined {
  if (read.length !== pattern.length) {
    return undefined
  }
  let plate = ''
  const fixes: Fix[] = []
  for (let i = 0; i < read.length; i++) {
    const c = read.charAt(i)
    const want = pattern.charAt(i)
    if (want === 'D' && isDigit(c)) {
      plate += c
    } else if (want === 'L' && isLetter(c)) {
      plate += c
    } else {
      const to = want === 'D' ? LETTER_TO_DIGIT[c] : DIGIT_TO_LETTER[c]
      if (!to) {
        return undefined
      }
      plate += to
      fixes.push({ at: i, from: c, to })
    }
  }
  return { plate, pattern, fixes }
}

/** Patterns of the given states (or all listed) that `plate` fits exactly, as [state, pattern]. */
export function statesFitting(plate: string, states?: readonly string[]): [string, Pattern][] {
  const out: [string, Pattern][] = []
  for (const state of states ?? Object.keys(STATE_GRAMMARS)) {
    const g = STATE_GRAMMARS[state]
    for (const f of g?.formats ?? []) {
      if (fitPattern(plate, f)?.fixes.length === 0) {
        out.push([state, f])
      }
    }
  }
  return out
}

/** `LLLDDDD` for `ABC1234`: the shape of a plate, for reasons shown to the ambassador. */
export function shapeOf(plate: string): Pattern {
  return [...plate].map((c) => (isDigit(c) ? 'D' : 'L')).join('')
}

/**
 * The spelling used for a read before any format is applied: O becomes 0. Most states print
 * one glyph for both and record 0; a format that wants a letter there turns it back.
 */
export function defaultSpelling(read: string): string {
  return read.replace(/O/g, '0')
}

export function describeFix(f: Fix): string {
  const kind = isDigit(f.to) ? 'digit' : 'letter'
  return `${f.from}→${f.to} at position ${f.at + 1} (${kind} expected)`
}
