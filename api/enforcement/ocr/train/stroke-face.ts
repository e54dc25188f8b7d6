// A plate face drawn as strokes: centre lines of each character traced with one pen, as US
// plates are stamped (a die of even strokes, no thick and thin). The font packages the renderer
// otherwise draws from are typefaces for reading text; their 2 has a curved foot and their W a
// low middle, where a plate's 2 runs straight into a flat base (read as Z) and its W's middle
// may reach the top (read as H). Each character has the variants states' dies use (an open or
// closed 4, a pointed or flat A, a 1 with or without a foot); a plate picks one of each, a pen
// width and caps, and keeps them for all its characters.
import type { Rng } from './random.ts'

// Centre lines on a grid 10 wide (12 for W) and 20 high, y down: M, L, Q and Z only, absolute.
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['M5 0 Q10 0 10 5 L10 15 Q10 20 5 20 Q0 20 0 15 L0 5 Q0 0 5 0 Z',
        'M5 0 Q10 0 10 7 L10 13 Q10 20 5 20 Q0 20 0 13 L0 7 Q0 0 5 0 Z'],
  '1': ['M2 3.5 L5 0 L5 20', 'M2 3.5 L5 0 L5 20 M1.5 20 L8.5 20', 'M5 0 L5 20'],
  '2': ['M0.3 4.5 Q0.5 0 5 0 Q10 0 10 5 Q10 8 6.5 11 L0 20 L10 20',
        'M0.3 4.5 Q0.5 0 5 0 Q10 0 10 5 Q10 9 5 12 Q0 15 0 20 L10 20'],
  '3': ['M0.3 4 Q0.8 0 5 0 Q10 0 10 5 Q10 9.5 5 9.5 Q10 9.5 10 15 Q10 20 5 20 Q0 20 0 16',
        'M0.5 0 L10 0 L4.5 8 Q10 8 10 14 Q10 20 5 20 Q0 20 0 16'],
  '4': ['M7.5 20 L7.5 0 L0 14 L10 14', 'M5 0 L0 14 L10 14 M7.5 7 L7.5 20'],
  '5': ['M9.5 0 L1 0 L0.5 9 Q2.5 7.5 5 7.5 Q10 7.5 10 13.5 Q10 20 5 20 Q0 20 0 16'],
  '6': ['M9.5 3.5 Q8.5 0 5 0 Q0 0 0 6 L0 14 Q0 20 5 20 Q10 20 10 14 Q10 8 5 8 Q0 8 0 13',
        'M8 0 L1.5 9.5 Q0 12 0 14 Q0 20 5 20 Q10 20 10 14 Q10 8.5 5 8.5 Q2.5 8.5 1.5 9.5'],
  '7': ['M0 0 L10 0 L3.5 20', 'M0 0 L10 0 Q4 8 4 20'],
  '8': ['M5 9.5 Q0.5 9.5 0.5 4.8 Q0.5 0 5 0 Q9.5 0 9.5 4.8 Q9.5 9.5 5 9.5 Q0 9.5 0 14.8 Q0 20 5 20 Q10 20 10 14.8 Q10 9.5 5 9.5 Z'],
  '9': ['M0.5 16.5 Q1.5 20 5 20 Q10 20 10 14 L10 6 Q10 0 5 0 Q0 0 0 6 Q0 12 5 12 Q10 12 10 7',
        'M2 20 L8.5 10.5 Q10 8 10 6 Q10 0 5 0 Q0 0 0 6 Q0 11.5 5 11.5 Q7.5 11.5 8.5 10.5'],
  A: ['M0 20 L5 0 L10 20 M1.8 13.5 L8.2 13.5', 'M0 20 L3.5 0 L6.5 0 L10 20 M1.6 13 L8.4 13'],
  B: ['M0 0 L0 20 L6 20 Q10 20 10 15 Q10 10 5.5 10 L0 10 M0 0 L5.5 0 Q9.5 0 9.5 5 Q9.5 10 5.5 10'],
  C: ['M10 4.5 Q9.5 0 5 0 Q0 0 0 5.5 L0 14.5 Q0 20 5 20 Q9.5 20 10 15.5'],
  D: ['M0 0 L0 20 L5 20 Q10 20 10 15 L10 5 Q10 0 5 0 Z', 'M0 0 L0 20 L4 20 Q10 20 10 10 Q10 0 4 0 Z'],
  E: ['M10 0 L0 0 L0 20 L10 20 M0 10 L7.5 10'],
  F: ['M10 0 L0 0 L0 20 M0 10 L7.5 10'],
  G: ['M10 4.5 Q9.5 0 5 0 Q0 0 0 5.5 L0 14.5 Q0 20 5 20 Q10 20 10 14.5 L10 11 L5.5 11',
      'M10 4.5 Q9.5 0 5 0 Q0 0 0 5.5 L0 14.5 Q0 20 5 20 Q10 20 10 14.5 L10 11 L5.5 11 M10 11 L10 20'],
  H: ['M0 0 L0 20 M10 0 L10 20 M0 10 L10 10'],
  I: ['M5 0 L5 20 M2 0 L8 0 M2 20 L8 20', 'M5 0 L5 20'],
  J: ['M10 0 L10 15 Q10 20 5 20 Q0 20 0 15', 'M10 0 L10 15 Q10 20 5 20 Q0 20 0 15 M5 0 L10 0'],
  K: ['M0 0 L0 20 M10 0 L0 13 M3.8 8.5 L10 20', 'M0 0 L0 20 M10 0 L0 10 L10 20'],
  L: ['M0 0 L0 20 L10 20'],
  M: ['M0 20 L0 0 L5 14 L10 0 L10 20', 'M0 20 L0 0 L5 9 L10 0 L10 20', 'M0 20 L1 0 L5 12 L9 0 L10 20'],
  N: ['M0 20 L0 0 L10 20 L10 0'],
  O: ['M5 0 Q10 0 10 5 L10 15 Q10 20 5 20 Q0 20 0 15 L0 5 Q0 0 5 0 Z',
      'M5.5 0 Q11 0 11 7 L11 13 Q11 20 5.5 20 Q0 20 0 13 L0 7 Q0 0 5.5 0 Z'],
  P: ['M0 20 L0 0 L6 0 Q10 0 10 5.25 Q10 10.5 6 10.5 L0 10.5'],
  Q: ['M5 0 Q10 0 10 5 L10 15 Q10 20 5 20 Q0 20 0 15 L0 5 Q0 0 5 0 Z M6.5 14 L11 20.5',
      'M5 0 Q10 0 10 5 L10 15 Q10 20 5 20 Q0 20 0 15 L0 5 Q0 0 5 0 Z M5.5 17 L9 22'],
  R: ['M0 20 L0 0 L6 0 Q10 0 10 5.25 Q10 10.5 6 10.5 L0 10.5 M5 10.5 L10 20',
      'M0 20 L0 0 L6 0 Q10 0 10 5.25 Q10 10.5 6 10.5 L0 10.5 M6 10.5 Q10 12 10 16 L10 20'],
  S: ['M9.7 4 Q9 0 5 0 Q0 0 0 5 Q0 9 5 10 Q10 11 10 15 Q10 20 5 20 Q0.5 20 0 15.5'],
  T: ['M0 0 L10 0 M5 0 L5 20'],
  U: ['M0 0 L0 15 Q0 20 5 20 Q10 20 10 15 L10 0'],
  V: ['M0 0 L5 20 L10 0'],
  W: ['M0 0 L2.7 20 L6 6 L9.3 20 L12 0', 'M0 0 L3 20 L6 0 L9 20 L12 0', 'M0 0 L1.5 20 L6 10 L10.5 20 L12 0'],
  X: ['M0 0 L10 20 M10 0 L0 20'],
  Y: ['M0 0 L5 10 L10 0 M5 10 L5 20', 'M0 0 L5 11 M10 0 L3 20'],
  Z: ['M0 0 L10 0 L0 20 L10 20', 'M0 0 L10 0 L0 20 L10 20 M2.5 10 L7.5 10'],
}

/** The characters the stroke face draws (A-Z, 0-9). */
export const STROKE_FACE_CHARS = Object.keys(GLYPHS).sort().join('')

const GLYPH_HEIGHT = 20

export interface StrokeFace {
  /** Pen width in grid units (the grid is 20 high). */
  pen: number
  cap: 'butt' | 'round' | 'square'
  join: 'miter' | 'round'
  /** Centre lines of each character in this plate's chosen variant. */
  paths: Map<string, string>
}

/** One plate's die: a variant of each character, a pen width and its caps. */
export function pickStrokeFace(rng: Rng): StrokeFace {
  const paths = new Map<string, string>()
  for (const [c, variants] of Object.entries(GLYPHS)) {
    paths.set(c, rng.pick(variants))
  }
  return {
    pen: rng.range(1.9, 3.4),
    cap: rng.pick(['butt', 'round', 'square'] as const),
    join: rng.pick(['miter', 'round'] as const),
    paths,
  }
}

/** Grid width of a character's centre lines (W is wider than the others). */
export function strokeGlyphWidth(face: StrokeFace, c: string): number {
  const xs = pairs(face.paths.get(c) ?? '').map(([x]) => x)
  return xs.length ? Math.max(10, ...xs) - Math.min(0, ...xs) : 10
}

// The path's coordinate pairs: every command here takes absolute pairs.
function pairs(d: string): [number, number][] {
  const nums = d.match(/-?\d+(\.\d+)?/g)?.map(Number) ?? []
  const out: [number, number][] = []
  for (let i = 0; i + 1 < nums.length; i += 2) {
    out.push([nums[i]!, nums[i + 1]!])
  }
  return out
}

/**
 * A character's centre lines placed on the plate: its ink's top-left at (x, top), `height` tall
 * including the pen, each x scaled by `sx` (the pen keeps its width).
 */
export function strokeGlyphPath(
  face: StrokeFace,
  c: string,
  x: number,
  top: number,
  height: number,
  sx: number,
): { d: string; penWidth: number; width: number } {
  const d = face.paths.get(c)
  if (!d) {
    throw new Error(`the stroke face has no ${c}`)
  }
  const k = height / (GLYPH_HEIGHT + face.pen)
  const half = face.pen / 2
  let i = 0
  const placed = d.replace(/-?\d+(\.\d+)?/g, (n) => {
    const v = Number(n)
    const out = i % 2 === 0 ? x + (half + v * sx) * k : top + (half + v) * k
    i++
    return out.toFixed(2)
  })
  return { d: placed, penWidth: face.pen * k, width: (strokeGlyphWidth(face, c) * sx + face.pen) * k }
}
