// Normaliser and segmenter: from a plate crop to a clean line of characters (black on white,
// nothing else) that tesseract reads in single-line mode.
import {
  adaptiveBoth,
  connectedComponents,
  createGrey,
  invert,
  normaliseContrast,
  open,
  otsu,
  resize,
  thresholdDark,
  type Box,
  type Component,
  type GreyImage,
  type Labelled,
} from './image.ts'

/** Working height of a crop, in pixels: the scale the shape rules below are written for. */
export const WORK_HEIGHT = 120

export interface CharRow {
  /**
   * White background, black characters, cut to the row with a margin; not stretched. Painted
   * when first read: most candidate rows are dropped unread.
   */
  readonly image: GreyImage
  /** The width of `image`, known before it is painted. */
  imageWidth: number
  /** Character boxes in `image` coordinates, left to right. */
  chars: Box[]
  /** Character height in `image` pixels. */
  charHeight: number
  /** Median character height in the input crop's pixels. */
  sourceCharHeight: number
  polarity: 'dark-on-light' | 'light-on-dark'
  /** How much the row looks like a plate's characters; higher is better. */
  score: number
  /** The crop at working height, contrast-stretched, characters dark (inverted if need be). */
  work: GreyImage
  /** The characters' extent in `work` pixels. */
  band: Box
  /** The plate's extent in `work` pixels, when the caller knew where in the crop it is. */
  face?: Box
}

export interface SegmentOptions {
  /** Character height in the output image, in pixels. */
  charHeight?: number
  /** Most rows to return, best first. */
  limit?: number
  /** White margin around the row, as a fraction of the character height. */
  margin?: number
  /** Where the plate is in the crop, when the caller knows: the crop is cut with a margin around it. */
  face?: Box
}

interface Blob extends Component {
  h: number
  w: number
  cx: number
  cy: number
}

function isCharShaped(c: Component, height: number, width: number): boolean {
  const h = c.y1 - c.y0
  const w = c.x1 - c.x0
  if (h < height * 0.22 || h > height * 0.92 || w < 2) {
    return false
  }
  const aspect = h / w
  if (aspect < 0.9 || aspect > 12) {
    return false
  }
  const fill = c.area / (h * w)
  // A solid block is a sticker or a frame piece unless it is thin enough to be an I or a 1.
  if (fill < 0.12 || (fill > 0.88 && aspect < 2.5)) {
    return false
  }
  // Screw holes, bolts and frame edges touch the top or bottom border of a tight crop.
  if (c.y0 <= 0 && c.y1 >= height) {
    return false
  }
  if (c.x0 <= 0 || c.x1 >= width) {
    return fill < 0.7 && aspect > 1.2
  }
  return true
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const n = s.length
  if (n === 0) {
    return 0
  }
  return n % 2 ? (s[(n - 1) / 2] ?? 0) : ((s[n / 2 - 1] ?? 0) + (s[n / 2] ?? 0)) / 2
}

// The largest set of blobs of about one height on about one line: the plate's characters.
function bestRow(blobs: Blob[]): Blob[] {
  let best: Blob[] = []
  let bestScore = -Infinity
  for (const seed of blobs) {
    const members = blobs.filter(
      (b) => Math.abs(b.h - seed.h) <= seed.h * 0.22 && Math.abs(b.cy - seed.cy) <= seed.h * 0.3,
    )
    const row = trimGaps(members)
    const hs = row.map((b) => b.h)
    const spread = (Math.max(...hs) - Math.min(...hs)) / seed.h
    const score = row.length * 10 - spread * 5 + seed.h / 100
    if (score > bestScore) {
      bestScore = score
      best = row
    }
  }
  return best
}

// Drops blobs cut off from the others by a gap much wider than a character (a sticker, a
// county name's letters): keeps the longest run whose gaps stay under 2.2 character heights.
function trimGaps(members: Blob[]): Blob[] {
  const sorted = [...members].sort((a, b) => a.cx - b.cx)
  const h = median(sorted.map((b) => b.h))
  let best: Blob[] = []
  let run: Blob[] = []
  for (const b of sorted) {
    const last = run[run.length - 1]
    if (last && b.x0 - last.x1 > h * 2.2) {
      if (run.length > best.length) {
        best = run
      }
      run = []
    }
    run.push(b)
  }
  return run.length > best.length ? run : best
}

function toBlob(c: Component): Blob {
  return { ...c, h: c.y1 - c.y0, w: c.x1 - c.x0, cx: (c.x0 + c.x1) / 2, cy: (c.y0 + c.y1) / 2 }
}

/**
 * Characters touching a frame, a bolt or a slogan above or below merge with it into one blob
 * that fails the shape test. Clipping the mask to the row's band cuts them loose; the band's
 * blobs then extend the row sideways while the gaps stay character-sized.
 */
function recutToBand(
  mask: Uint8Array,
  width: number,
  height: number,
  row: Blob[],
): { found: Labelled; row: Blob[] } {
  const h = median(row.map((b) => b.h))
  const top = Math.max(0, Math.min(...row.map((b) => b.y0)) - Math.round(h * 0.06))
  const bottom = Math.min(height, Math.max(...row.map((b) => b.y1)) + Math.round(h * 0.06))
  const band = new Uint8Array(mask.length)
  band.set(mask.subarray(top * width, bottom * width), top * width)
  const found = connectedComponents(band, width, height)
  const { components } = found
  const widest = Math.max(...row.map((b) => b.w))
  // Judged on the components before any becomes a blob: most are specks.
  const fits = components
    .filter((c) => {
      const bh = c.y1 - c.y0
      const bw = c.x1 - c.x0
      const aspect = bh / bw
      const fill = c.area / (bh * bw)
      return (
        bh >= h * 0.6 &&
        bw >= 2 &&
        bw <= Math.min(h * 1.15, widest * 1.25) &&
        aspect >= 0.9 &&
        fill >= 0.12 &&
        fill <= 0.8 &&
        !(fill > 0.88 && aspect < 2.5) &&
        c.x0 > 0 &&
        c.x1 < width
      )
    })
    .map(toBlob)
  const x0 = Math.min(...row.map((b) => b.x0))
  const x1 = Math.max(...row.map((b) => b.x1))
  const kept = fits.filter((b) => b.cx >= x0 && b.cx <= x1)
  const rest = fits.filter((b) => b.cx < x0 || b.cx > x1).sort((a, b) => a.cx - b.cx)
  let grew = true
  while (grew) {
    grew = false
    const left = Math.min(...kept.map((b) => b.x0))
    const right = Math.max(...kept.map((b) => b.x1))
    for (let i = 0; i < rest.length; i++) {
      const b = rest[i]
      if (
        b &&
        (left - b.x1 <= h * 1.2 && b.x1 <= left ? true : b.x0 - right <= h * 1.2 && b.x0 >= right)
      ) {
        kept.push(b)
        rest.splice(i, 1)
        grew = true
        break
      }
    }
  }
  return { found, row: kept }
}

interface RenderOptions {
  polarity: CharRow['polarity']
  charHeight: number
  margin: number
  toSource: number
  recut: boolean
}

// The row's blobs painted black on white, gaps evened out, scaled to the target char height.
function renderRow(labels: Int32Array, row: Blob[], work: GreyImage, o: RenderOptions): CharRow {
  const h = median(row.map((b) => b.h))
  const top = Math.min(...row.map((b) => b.y0))
  const bottom = Math.max(...row.map((b) => b.y1))
  const left = Math.min(...row.map((b) => b.x0))
  const right = Math.max(...row.map((b) => b.x1))
  // Wide gaps (a dash, an emblem, a sticker between groups) shrink to a letter space: the
  // reader otherwise drops or invents a character there.
  const sorted = [...row].sort((a, b) => a.x0 - b.x0)
  const shift = new Map<number, number>()
  let removed = 0
  let prevRight = Infinity
  for (const b of sorted) {
    const gap = b.x0 - prevRight
    if (gap > h * 0.45) {
      removed += gap - Math.round(h * 0.3)
    }
    shift.set(b.label, removed)
    prevRight = prevRight === Infinity ? b.x1 : Math.max(prevRight, b.x1)
  }

  const margin = Math.round(h * o.margin)
  const cw = right - left - removed + 2 * margin
  const ch = bottom - top + 2 * margin
  const scale = o.charHeight / h
  const paint = () => {
    const clean = createGrey(cw, ch, 255)
    for (let y = top; y < bottom; y++) {
      for (let x = left; x < right; x++) {
        const dx = shift.get(labels[y * work.width + x] ?? 0)
        if (dx !== undefined) {
          clean.data[(y - top + margin) * cw + (x - left + margin - dx)] = 0
        }
      }
    }
    return resize(clean, cw * scale, ch * scale)
  }
  let image: GreyImage | undefined
  const chars = sorted.map((b) => ({
    x: (b.x0 - left + margin - (shift.get(b.label) ?? 0)) * scale,
    y: (b.y0 - top + margin) * scale,
    w: b.w * scale,
    h: b.h * scale,
  }))

  const hs = row.map((b) => b.h)
  const spread = (Math.max(...hs) - Math.min(...hs)) / h
  const lengthFit = row.length >= 5 && row.length <= 8 ? 1 : row.length >= 3 ? 0.5 : 0
  // Letters and digits are strokes: a solid blob is an emblem, a sticker or a bolt.
  const solid = row.filter((b) => b.area / (b.w * b.h) > 0.62).length
  const score = lengthFit * 2 + Math.min(row.length, 8) / 4 - spread + h / work.height - solid * 0.4
  return {
    get image() {
      return (image ??= paint())
    },
    // As resize rounds it.
    imageWidth: Math.max(1, Math.round(cw * scale)),
    chars,
    charHeight: o.charHeight,
    sourceCharHeight: h * o.toSource,
    polarity: o.polarity,
    score,
    work,
    band: { x: left, y: top, w: right - left, h: bottom - top },
  }
}

// The row as the blobs first show it and, when clipping to its band finds more, recut.
function rowsFromMask(
  mask: Uint8Array,
  work: GreyImage,
  o: Omit<RenderOptions, 'recut'>,
): CharRow[] {
  const found = connectedComponents(mask, work.width, work.height)
  const blobs: Blob[] = found.components
    .filter((c) => isCharShaped(c, work.height, work.width))
    .map(toBlob)
  if (blobs.length < 2) {
    return []
  }
  const first = bestRow(blobs)
  if (first.length < 2) {
    return []
  }
  const rows = [renderRow(found.labels, first, work, { ...o, recut: false })]
  const recut = recutToBand(mask, work.width, work.height, first)
  if (recut.row.length > first.length) {
    rows.push(renderRow(recut.found.labels, recut.row, work, { ...o, recut: true }))
  }
  return rows
}

/**
 * Candidate character rows of a plate crop, best first: each binarisation (global Otsu, local
 * mean) and each polarity (dark letters on a light plate, and the reverse).
 */
export function segmentPlate(crop: GreyImage, options: SegmentOptions = {}): CharRow[] {
  const charHeight = options.charHeight ?? 48
  if (crop.width < 8 || crop.height < 8) {
    return []
  }
  const work = normaliseContrast(
    resize(crop, (crop.width * WORK_HEIGHT) / crop.height, WORK_HEIGHT),
    0.01,
    0.99,
  )
  const rows: CharRow[] = []
  const locals = adaptiveBoth(work, 24, 12)
  for (const polarity of ['dark-on-light', 'light-on-dark'] as const) {
    const img = polarity === 'dark-on-light' ? work : invert(work)
    const global = thresholdDark(img, otsu(img))
    const local = polarity === 'dark-on-light' ? locals.dark : locals.light
    // Opening cuts characters loose from the thin outlines, trees and borders they touch.
    const masks = [
      global,
      local,
      open(global, img.width, img.height, 2),
      open(local, img.width, img.height, 2),
      open(global, img.width, img.height, 3),
    ]
    // A dark band the characters stand on (a scene, a bar, the plate's edge) joins them into
    // one blob; clearing its rows cuts them loose.
    for (const mask of [global, local]) {
      const cut = withoutBars(mask, img.width, img.height)
      if (cut) {
        masks.push(cut, open(cut, img.width, img.height, 2))
      }
    }
    for (const mask of masks) {
      rows.push(
        ...rowsFromMask(mask, img, {
          polarity,
          charHeight,
          margin: options.margin ?? 0.35,
          toSource: crop.height / WORK_HEIGHT,
        }),
      )
    }
  }
  rows.sort((a, b) => b.score - a.score)
  const best = dedupe(rows).slice(0, options.limit ?? 4)
  if (options.face) {
    const k = WORK_HEIGHT / crop.height
    const { x, y, w, h } = options.face
    const face = { x: x * k, y: y * k, w: w * k, h: h * k }
    for (const row of best) {
      row.face = face
    }
  }
  return best
}

/**
 * The mask with its bar rows cleared (rows holding one unbroken run of ink across a good part
 * of the width, which a row through characters never does), or undefined when it has none.
 */
export function withoutBars(
  mask: Uint8Array,
  width: number,
  height: number,
  span = 0.35,
): Uint8Array | undefined {
  // On a mask of the wrong polarity the plate itself is the ink; its rows are all bars.
  let ink = 0
  for (let i = 0; i < mask.length; i++) {
    ink += mask[i] ?? 0
  }
  if (ink > 0.45 * mask.length) {
    return undefined
  }
  let out: Uint8Array | undefined
  for (let y = 0; y < height; y++) {
    let run = 0
    let longest = 0
    for (let x = 0; x < width; x++) {
      run = mask[y * width + x] ? run + 1 : 0
      longest = Math.max(longest, run)
    }
    if (longest > span * width) {
      out ??= mask.slice()
      out.fill(0, y * width, (y + 1) * width)
    }
  }
  return out
}

function dedupe(rows: CharRow[]): CharRow[] {
  const out: CharRow[] = []
  for (const r of rows) {
    const same = out.some(
      (o) =>
        o.polarity === r.polarity &&
        o.chars.length === r.chars.length &&
        Math.abs(o.imageWidth - r.imageWidth) <= 2,
    )
    if (!same) {
      out.push(r)
    }
  }
  return out
}
