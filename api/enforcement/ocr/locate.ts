// Plate locator: finds rows of character-shaped blobs (a plate's number is a short line of
// 4 to 8 characters of one height, evenly spaced) in a whole photo or in a rough region, and
// returns plate-sized boxes around them, likeliest first.
import {
  adaptiveBoth,
  componentBoxes,
  histogram,
  horizontalGradient,
  iou,
  percentile,
  resize,
  type Box,
  type GreyImage,
} from './image.ts'

export interface PlateRegion {
  /** Plate box in the input image's pixels (characters plus a plate-like margin). */
  box: Box
  /** How plate-like the character row is; comparable between regions of one image. */
  score: number
  /** Characters found in the row. */
  chars: number
  polarity: 'dark-on-light' | 'light-on-dark'
}

export interface LocateOptions {
  /** Most regions returned. */
  limit?: number
  /** Photos wider than this are searched at this width (plates stay a few dozen pixels wide). */
  maxWidth?: number
  /** Also look for plates by their texture (dense vertical edges), not only by their blobs. */
  edges?: boolean
  /**
   * The width of the photo the image was cut from, when it is a region of one (the viewfinder's):
   * the texture pass joins edges across gaps scaled to the photo, as plates in it are, not to
   * the region.
   */
  sceneWidth?: number
}

interface Blob {
  x0: number
  y0: number
  x1: number
  y1: number
  h: number
  w: number
  cy: number
}

function charBlobs(mask: Uint8Array, width: number, height: number): Blob[] {
  const components = componentBoxes(mask, width, height)
  const maxH = Math.max(12, height * 0.3)
  const out: Blob[] = []
  for (const c of components) {
    const h = c.y1 - c.y0
    const w = c.x1 - c.x0
    if (h < 7 || h > maxH || w < 2 || w > h * 1.2) {
      continue
    }
    const aspect = h / w
    const fill = c.area / (h * w)
    if (aspect < 0.9 || aspect > 10 || fill < 0.15 || (fill > 0.88 && aspect < 2.5)) {
      continue
    }
    out.push({ x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, h, w, cy: (c.y0 + c.y1) / 2 })
  }
  return out.sort((a, b) => a.x0 - b.x0)
}

function find(parent: Int32Array, i: number): number {
  let r = i
  while (parent[r] !== r) {
    r = parent[r] ?? r
  }
  let p = i
  while (parent[p] !== r) {
    const next = parent[p] ?? r
    parent[p] = r
    p = next
  }
  return r
}

// Links neighbouring blobs of about one height on about one line into rows.
function rows(blobs: Blob[]): Blob[][] {
  const parent = new Int32Array(blobs.length).map((_, i) => i)
  for (let i = 0; i < blobs.length; i++) {
    const a = blobs[i]
    if (!a) {
      continue
    }
    for (let j = i + 1; j < blobs.length; j++) {
      const b = blobs[j]
      if (!b) {
        continue
      }
      const h = Math.max(a.h, b.h)
      if (b.x0 > a.x1 + h * 1.3) {
        break
      }
      const similar = Math.max(a.h, b.h) / Math.min(a.h, b.h) <= 1.3
      const aligned = Math.abs(a.cy - b.cy) <= h * 0.3
      const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)
      if (similar && aligned && overlap < Math.min(a.w, b.w) * 0.5) {
        parent[find(parent, j)] = find(parent, i)
      }
    }
  }
  const groups = new Map<number, Blob[]>()
  blobs.forEach((b, i) => {
    const r = find(parent, i)
    const g = groups.get(r)
    if (g) {
      g.push(b)
    } else {
      groups.set(r, [b])
    }
  })
  return [...groups.values()]
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}

function scoreRow(row: Blob[]): number {
  const n = row.length
  if (n < 3 || n > 10) {
    return 0
  }
  const h = median(row.map((b) => b.h))
  const x0 = Math.min(...row.map((b) => b.x0))
  const x1 = Math.max(...row.map((b) => b.x1))
  const aspect = (x1 - x0) / h
  if (aspect < 1.5 || aspect > 9) {
    return 0
  }
  const hs = row.map((b) => b.h)
  const spread = (Math.max(...hs) - Math.min(...hs)) / h
  const countFit = n >= 5 && n <= 8 ? 1 : n === 4 ? 0.7 : 0.4
  const cys = row.map((b) => b.cy)
  const tilt = (Math.max(...cys) - Math.min(...cys)) / h
  return countFit * (1 - Math.min(0.6, spread)) * (1 - Math.min(0.6, tilt)) * Math.min(1, h / 14)
}

interface RowSpan {
  blobs: Blob[]
  h: number
  cy: number
  x0: number
  x1: number
}

function spanOf(blobs: Blob[]): RowSpan {
  return {
    blobs,
    h: median(blobs.map((x) => x.h)),
    cy: median(blobs.map((x) => x.cy)),
    x0: Math.min(...blobs.map((x) => x.x0)),
    x1: Math.max(...blobs.map((x) => x.x1)),
  }
}

// Rows split by a sticker or a state emblem in the middle of the number join back up. Each
// row's height, line and extent are worked out once, not for every pair it is weighed against
// (a busy photo holds a few hundred two-blob rows).
function mergeSplitRows(groups: Blob[][]): Blob[][] {
  const out = groups.map((g) => spanOf([...g]))
  let merged = true
  while (merged) {
    merged = false
    outer: for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]
        const b = out[j]
        if (!a || !b || a.blobs.length + b.blobs.length > 9) {
          continue
        }
        const h = Math.max(a.h, b.h)
        const gap = Math.max(b.x0 - a.x1, a.x0 - b.x1)
        if (
          Math.max(a.h, b.h) / Math.min(a.h, b.h) <= 1.25 &&
          Math.abs(a.cy - b.cy) <= h * 0.3 &&
          gap <= h * 2.6
        ) {
          out[i] = spanOf([...a.blobs, ...b.blobs])
          out.splice(j, 1)
          merged = true
          break outer
        }
      }
    }
  }
  return out.map((r) => r.blobs)
}

/**
 * A plate in a photo is framed whole, its characters inside its own margin: a plate-sized box
 * running past the photo's edge holds a camera's date stamp burnt into the corner, or a plate
 * cut off (which cannot be read whole anyway). A stamp reads cleanly, so its first read beats a
 * small plate's unless its box starts well behind: at 0.4 of its row's score the box read was
 * one at the photo's edge in 5 of the benchmark's 111 photos, at 0.2 in 2 (at 0.1 no fewer).
 */
function framedWhole(box: Box, img: GreyImage): number {
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.w <= img.width && box.y + box.h <= img.height
  return inside ? 1 : 0.2
}

const EDGE_BAND_ASPECT = 10

/**
 * Plate-like regions by texture: a plate's number is a short band of dense vertical edges.
 * Finds plates whose characters the blob search cannot cut apart (touching each other or the
 * frame at a small size); scores stay below a clean character row's.
 */
export function edgeRegions(
  work: GreyImage,
  sceneWidth = work.width,
): { box: Box; score: number }[] {
  const { width, height } = work
  const gradient = horizontalGradient(work)
  // Strong edges only: the photo's top tenth, and never faint texture.
  const level = Math.max(40, percentile(histogram(gradient), 0.9))
  const edges = gradient.data
  const mask = new Uint8Array(width * height)
  const gap = Math.max(4, Math.round(sceneWidth / 80))
  // A row through a number crosses edges every few pixels for several characters; a frame's
  // side or a lone pole gives an isolated edge. Runs of edges closer than `gap` are joined, and
  // only runs as long as two or three characters are kept.
  const minRun = 3 * gap
  for (let y = 0; y < height; y++) {
    const row = y * width
    let start = -1
    let last = -1
    const flush = () => {
      if (start >= 0 && last - start + 1 >= minRun) {
        mask.fill(1, row + start, row + last + 1)
      }
    }
    for (let x = 0; x < width; x++) {
      if (edges[row + x]! >= level) {
        if (start < 0 || x - last > gap) {
          flush()
          start = x
        }
        last = x
      }
    }
    flush()
  }
  // A number's band is up to about six times as wide as it is tall, and joins the edges of a
  // tail light or a bumper's recess beside it (wts-lg-000146's 4EEU387, a band 9.3 times as
  // wide as tall, was no box at all at 8: photos 73.9 → 74.8% exact, nothing else moved; 12
  // the same).
  const out: { box: Box; score: number }[] = []
  for (const c of componentBoxes(mask, width, height)) {
    const w = c.x1 - c.x0
    const h = c.y1 - c.y0
    const fill = c.area / (w * h)
    if (h < 9 || h > height * 0.25 || w / h < 1.8 || w / h > EDGE_BAND_ASPECT || fill < 0.45) {
      continue
    }
    // The band is the character row: a plate reaches about half its height again around it.
    const box = { x: c.x0 - h * 0.4, y: c.y0 - h * 0.6, w: w + h * 0.8, h: h * 2.2 }
    out.push({ box, score: 0.6 * fill * Math.min(1, h / 14) * framedWhole(box, work) })
  }
  return out
}

/** Plate-like regions of a photo (or of a part of one), likeliest first. */
export function locatePlates(img: GreyImage, options: LocateOptions = {}): PlateRegion[] {
  const maxWidth = options.maxWidth ?? 1280
  const scale = img.width > maxWidth ? maxWidth / img.width : 1
  const work = scale < 1 ? resize(img, img.width * scale, img.height * scale) : img
  const found: PlateRegion[] = []
  const masks = adaptiveBoth(work, 12, 8)
  for (const polarity of ['dark-on-light', 'light-on-dark'] as const) {
    const mask = polarity === 'dark-on-light' ? masks.dark : masks.light
    const blobs = charBlobs(mask, work.width, work.height)
    const groups = mergeSplitRows(rows(blobs).filter((g) => g.length >= 2))
    for (const row of groups) {
      const h = median(row.map((b) => b.h))
      const x0 = Math.min(...row.map((b) => b.x0)) - h * 0.6
      const x1 = Math.max(...row.map((b) => b.x1)) + h * 0.6
      const y0 = Math.min(...row.map((b) => b.y0)) - h * 0.75
      const y1 = Math.max(...row.map((b) => b.y1)) + h * 0.75
      const score = scoreRow(row) * framedWhole({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, work)
      if (score <= 0) {
        continue
      }
      found.push({
        box: { x: x0 / scale, y: y0 / scale, w: (x1 - x0) / scale, h: (y1 - y0) / scale },
        score,
        chars: row.length,
        polarity,
      })
    }
  }
  if (options.edges) {
    for (const r of edgeRegions(work, (options.sceneWidth ?? img.width) * scale)) {
      found.push({
        box: { x: r.box.x / scale, y: r.box.y / scale, w: r.box.w / scale, h: r.box.h / scale },
        score: r.score,
        chars: 0,
        polarity: 'dark-on-light',
      })
    }
  }
  found.sort((a, b) => b.score - a.score)
  const kept: PlateRegion[] = []
  for (const r of found) {
    if (!kept.some((k) => iou(k.box, r.box) > 0.4)) {
      kept.push(r)
    }
  }
  return kept.slice(0, options.limit ?? 5)
}
