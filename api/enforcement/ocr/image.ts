// Image primitives on 8-bit greyscale arrays. No DOM and no Node APIs: the same code runs in
// Node and in a browser web worker.

export interface GreyImage {
  width: number
  height: number
  data: Uint8Array
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export function createGrey(width: number, height: number, fill = 0): GreyImage {
  const data = new Uint8Array(width * height)
  if (fill !== 0) {
    data.fill(fill)
  }
  return { width, height, data }
}

/**
 * Grey pixels from interleaved pixels (`channels` 1 to 4): 'luma' (BT.601) weighs the channels
 * as the eye does; 'brightest' keeps each pixel's brightest channel, in which a coloured ground
 * (a blue mountain scene, a red band) turns light while black or dark characters stay dark.
 */
export function greyFromPixels(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  mode: 'luma' | 'brightest' = 'luma',
): GreyImage {
  const out = createGrey(width, height)
  const n = width * height
  if (channels < 3) {
    for (let i = 0; i < n; i++) {
      out.data[i] = pixels[i * channels] ?? 0
    }
    return out
  }
  // One loop per mode: the mode is not asked a million times a photo.
  const data = out.data
  if (mode === 'brightest') {
    for (let i = 0, o = 0; i < n; i++, o += channels) {
      data[i] = Math.max(pixels[o] ?? 0, pixels[o + 1] ?? 0, pixels[o + 2] ?? 0)
    }
    return out
  }
  for (let i = 0, o = 0; i < n; i++, o += channels) {
    const r = pixels[o] ?? 0
    const g = pixels[o + 1] ?? 0
    const b = pixels[o + 2] ?? 0
    // Stored as a byte, the fraction truncates: rounded to the nearest grey level.
    data[i] = (r * 299 + g * 587 + b * 114 + 500) / 1000
  }
  return out
}

export function clampBox(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, Math.min(width, Math.round(box.x)))
  const y0 = Math.max(0, Math.min(height, Math.round(box.y)))
  const x1 = Math.max(x0, Math.min(width, Math.round(box.x + box.w)))
  const y1 = Math.max(y0, Math.min(height, Math.round(box.y + box.h)))
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

/** Grows a box by a fraction of its width and height on each side. */
export function growBox(box: Box, fx: number, fy = fx): Box {
  const dx = box.w * fx
  const dy = box.h * fy
  return { x: box.x - dx, y: box.y - dy, w: box.w + 2 * dx, h: box.h + 2 * dy }
}

/** Intersection over union of two boxes: 1 for the same box, 0 for boxes apart. */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x))
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y))
  const inter = ix * iy
  return inter / (a.w * a.h + b.w * b.h - inter)
}

export function crop(img: GreyImage, box: Box): GreyImage {
  const b = clampBox(box, img.width, img.height)
  const out = createGrey(b.w, b.h)
  for (let y = 0; y < b.h; y++) {
    const from = (b.y + y) * img.width + b.x
    out.data.set(img.data.subarray(from, from + b.w), y * b.w)
  }
  return out
}

interface Taps {
  start: Int32Array
  count: Int32Array
  weights: Float32Array
  stride: number
}

// Per output sample, the source samples and weights: a box filter when shrinking (every source
// pixel counts), a tent (linear interpolation) when enlarging.
function taps(srcLen: number, dstLen: number): Taps {
  const scale = srcLen / dstLen
  const support = scale > 1 ? scale / 2 : 1
  const stride = Math.ceil(support * 2) + 2
  const start = new Int32Array(dstLen)
  const count = new Int32Array(dstLen)
  const weights = new Float32Array(dstLen * stride)
  for (let i = 0; i < dstLen; i++) {
    const centre = (i + 0.5) * scale
    const lo = Math.max(0, Math.floor(centre - support))
    const hi = Math.min(srcLen - 1, Math.ceil(centre + support))
    let sum = 0
    let k = 0
    for (let s = lo; s <= hi && k < stride; s++, k++) {
      let w: number
      if (scale > 1) {
        w = Math.max(0, Math.min(s + 1, centre + support) - Math.max(s, centre - support))
      } else {
        w = Math.max(0, 1 - Math.abs(s + 0.5 - centre))
      }
      weights[i * stride + k] = w
      sum += w
    }
    if (sum === 0) {
      weights[i * stride] = 1
      sum = 1
      k = Math.max(k, 1)
    }
    for (let j = 0; j < k; j++) {
      weights[i * stride + j] = (weights[i * stride + j] ?? 0) / sum
    }
    // Taps of weight 0 at either end (a tent's reach past its two neighbours) are dropped: they
    // add nothing to the sum, not even a rounding, and were half of an enlargement's work.
    let first = 0
    while (first < k - 1 && weights[i * stride + first] === 0) first++
    while (k > first + 1 && weights[i * stride + k - 1] === 0) k--
    if (first > 0) {
      weights.copyWithin(i * stride, i * stride + first, i * stride + k)
    }
    start[i] = lo + first
    count[i] = k - first
  }
  return { start, count, weights, stride }
}

export function resize(img: GreyImage, width: number, height: number): GreyImage {
  const w = Math.max(1, Math.round(width))
  const h = Math.max(1, Math.round(height))
  // An axis kept at its size is copied, not filtered: its tent has one tap of weight 1 and the
  // rest 0, so the result is the same to the bit (a row stretched for a read is resized across
  // only; half of stretchX's time was the identity pass down its columns).
  if (w === img.width && h === img.height) {
    return { width: w, height: h, data: img.data.slice() }
  }
  // Locals, and typed-array reads known in range: this is the pipeline's hottest loop.
  const src = img.data
  const srcWidth = img.width
  if (h === img.height) {
    return resizeAcross(img, w)
  }
  const mid = new Float32Array(w * img.height)
  if (w === srcWidth) {
    mid.set(src)
  } else {
    const { start, count, weights, stride } = taps(srcWidth, w)
    for (let y = 0; y < img.height; y++) {
      const row = y * srcWidth
      for (let x = 0; x < w; x++) {
        const s = row + start[x]!
        const n = count[x]!
        const wi = x * stride
        // An enlargement's two taps summed as the loop would, without its overhead.
        if (n === 2) {
          mid[y * w + x] = 0 + src[s]! * weights[wi]! + src[s + 1]! * weights[wi + 1]!
          continue
        }
        let acc = 0
        for (let k = 0; k < n; k++) {
          acc += src[s + k]! * weights[wi + k]!
        }
        mid[y * w + x] = acc
      }
    }
  }
  const out = createGrey(w, h)
  const dst = out.data
  const { start, count, weights, stride } = taps(img.height, h)
  for (let y = 0; y < h; y++) {
    const s = start[y]!
    const n = count[y]!
    const wi = y * stride
    if (n === 2) {
      const w0 = weights[wi]!
      const w1 = weights[wi + 1]!
      const a = s * w
      const b = a + w
      const d = y * w
      for (let x = 0; x < w; x++) {
        const acc = 0 + mid[a + x]! * w0 + mid[b + x]! * w1
        dst[d + x] = acc < 0 ? 0 : acc > 255 ? 255 : Math.round(acc)
      }
      continue
    }
    for (let x = 0; x < w; x++) {
      let acc = 0
      for (let k = 0; k < n; k++) {
        acc += mid[(s + k) * w + x]! * weights[wi + k]!
      }
      dst[y * w + x] = acc < 0 ? 0 : acc > 255 ? 255 : Math.round(acc)
    }
  }
  return out
}

// A resize across only (a row stretched for a read): the pass across written straight to bytes,
// each sum rounded to a float first as the two-pass resize stores it, so the same to the bit
// without its intermediate image.
function resizeAcross(img: GreyImage, w: number): GreyImage {
  const src = img.data
  const srcWidth = img.width
  const out = createGrey(w, img.height)
  const dst = out.data
  const { start, count, weights, stride } = taps(srcWidth, w)
  for (let y = 0; y < img.height; y++) {
    const row = y * srcWidth
    const o = y * w
    for (let x = 0; x < w; x++) {
      const s = row + start[x]!
      const n = count[x]!
      const wi = x * stride
      let v: number
      if (n === 2) {
        v = Math.fround(0 + src[s]! * weights[wi]! + src[s + 1]! * weights[wi + 1]!)
      } else {
        let acc = 0
        for (let k = 0; k < n; k++) {
          acc += src[s + k]! * weights[wi + k]!
        }
        v = Math.fround(acc)
      }
      dst[o + x] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v)
    }
  }
  return out
}

export function invert(img: GreyImage): GreyImage {
  const out = createGrey(img.width, img.height)
  for (let i = 0; i < img.data.length; i++) {
    out.data[i] = 255 - (img.data[i] ?? 0)
  }
  return out
}

export function histogram(img: GreyImage): Uint32Array {
  const hist = new Uint32Array(256)
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i] ?? 0
    hist[v] = (hist[v] ?? 0) + 1
  }
  return hist
}

/** The grey level below which `fraction` of the pixels lie. */
export function percentile(hist: Uint32Array, fraction: number): number {
  let total = 0
  for (let v = 0; v < 256; v++) {
    total += hist[v] ?? 0
  }
  const target = total * fraction
  let acc = 0
  for (let v = 0; v < 256; v++) {
    acc += hist[v] ?? 0
    if (acc >= target) {
      return v
    }
  }
  return 255
}

/** Linear contrast stretch so that the given low/high percentiles map to 0 and 255. */
export function normaliseContrast(img: GreyImage, lo = 0.02, hi = 0.98): GreyImage {
  const hist = histogram(img)
  const a = percentile(hist, lo)
  const b = percentile(hist, hi)
  const out = createGrey(img.width, img.height)
  const span = Math.max(1, b - a)
  for (let i = 0; i < img.data.length; i++) {
    const v = (((img.data[i] ?? 0) - a) * 255) / span
    out.data[i] = v < 0 ? 0 : v > 255 ? 255 : v
  }
  return out
}

/** Otsu's threshold: pixels <= the returned level are one class, the rest the other. */
export function otsu(img: GreyImage): number {
  const hist = histogram(img)
  const total = img.data.length
  let sumAll = 0
  for (let v = 0; v < 256; v++) {
    sumAll += v * (hist[v] ?? 0)
  }
  let sumB = 0
  let wB = 0
  let best = 0
  let level = 127
  for (let v = 0; v < 256; v++) {
    wB += hist[v] ?? 0
    if (wB === 0) {
      continue
    }
    const wF = total - wB
    if (wF === 0) {
      break
    }
    sumB += v * (hist[v] ?? 0)
    const mB = sumB / wB
    const mF = (sumAll - sumB) / wF
    const between = wB * wF * (mB - mF) * (mB - mF)
    if (between > best) {
      best = between
      level = v
    }
  }
  return level
}

/** A mask (1 = ink) of the pixels darker than or equal to `level`. */
export function thresholdDark(img: GreyImage, level: number): Uint8Array {
  const mask = new Uint8Array(img.data.length)
  for (let i = 0; i < img.data.length; i++) {
    mask[i] = (img.data[i] ?? 0) <= level ? 1 : 0
  }
  return mask
}

let satScratch = new Float64Array(0)

/**
 * Summed-area table with a zero first row and column: (w+1) x (h+1), in a buffer kept between
 * calls and overwritten by the next. A photo's is 7.4 MB, and allocating one for each threshold
 * brought on a full garbage collection every photo or two.
 */
function integral(img: GreyImage): Float64Array {
  const { width, height, data } = img
  const w = width + 1
  const size = w * (height + 1)
  if (satScratch.length < size) {
    satScratch = new Float64Array(size)
  }
  const sat = satScratch
  sat.fill(0, 0, w)
  for (let y = 0; y < height; y++) {
    let row = 0
    const src = y * width
    const above = y * w + 1
    const here = (y + 1) * w + 1
    sat[here - 1] = 0
    for (let x = 0; x < width; x++) {
      row += data[src + x]!
      sat[here + x] = sat[above + x]! + row
    }
  }
  return sat
}

/**
 * Local (Bradley) threshold: ink where a pixel is darker than the mean of its window by more
 * than `offset` grey levels (a whole number). Copes with shadows and gradients that defeat a
 * global threshold.
 * `light` is the same threshold on the inverted image (light ink on a dark ground), from the
 * same summed-area table: the inverse's window sum is 255 times the window's area less the
 * image's, exact in doubles, so it equals thresholding invert(img) to the bit.
 */
export function adaptiveBoth(
  img: GreyImage,
  radius: number,
  offset: number,
): { dark: Uint8Array; light: Uint8Array } {
  const { width, height, data } = img
  const w = width + 1
  const sat = integral(img)
  const dark = new Uint8Array(data.length)
  const light = new Uint8Array(data.length)
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - radius)
    const y1 = Math.min(height, y + radius + 1)
    const top = y0 * w
    const bottom = y1 * w
    const row = y * width
    for (let x = 0; x < width; x++) {
      const x0 = x > radius ? x - radius : 0
      const x1 = x + radius + 1 < width ? x + radius + 1 : width
      // The window's sum, and the comparisons are v < sum / area - offset and its inverse's, multiplied
      // out: integers in doubles, exact, and the same to the bit as dividing (a window's mean
      // differs from a whole grey level by at least 1 / area or not at all), without a division
      // per pixel and polarity.
      const sum = sat[bottom + x1]! - sat[top + x1]! - sat[bottom + x0]! + sat[top + x0]!
      const area = (x1 - x0) * (y1 - y0)
      const v = data[row + x]!
      dark[row + x] = (v + offset) * area < sum ? 1 : 0
      light[row + x] = (255 - v + offset) * area < 255 * area - sum ? 1 : 0
    }
  }
  return { dark, light }
}

export interface Component {
  label: number
  x0: number
  y0: number
  x1: number // exclusive
  y1: number // exclusive
  area: number
}

export interface Labelled {
  labels: Int32Array
  components: Component[]
}

// The labeller's runs in raster order (row, first x, end x exclusive) and their union-find
// parents, in buffers kept between calls and grown as a mask needs: a photo's masks hold tens
// of thousands of runs, and arrays doubled for each mask were much of the garbage the first
// stage made.
let runY = new Int32Array(1024)
let runX0 = new Int32Array(1024)
let runX1 = new Int32Array(1024)
let parent = new Int32Array(1024)

function findRoot(i: number): number {
  let root = i
  while (parent[root] !== root) root = parent[root]!
  while (parent[i] !== root) {
    const up = parent[i]!
    parent[i] = root
    i = up
  }
  return root
}

// Finds the mask's runs of set pixels and joins those touching across rows; answers how many.
function labelRuns(mask: Uint8Array, width: number, height: number): number {
  let runs = 0
  let prevStart = 0
  let prevEnd = 0
  // Background is skipped four pixels at a time where the mask's words are aligned.
  const words =
    mask.byteOffset % 4 === 0
      ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
      : undefined
  for (let y = 0; y < height; y++) {
    const row = y * width
    const rowStart = runs
    let above = prevStart
    for (let x = 0; x < width; ) {
      const i = row + x
      if (words && (i & 3) === 0 && x + 4 <= width && words[i >> 2] === 0) {
        x += 4
        continue
      }
      if (mask[i] !== 1) {
        x++
        continue
      }
      const x0 = x
      x++
      // Through ink four pixels at a time where the words are aligned and all set.
      while (x < width && mask[row + x] === 1) {
        const j = row + x
        if (words && (j & 3) === 0 && x + 4 <= width && words[j >> 2] === 0x01010101) {
          x += 4
        } else {
          x++
        }
      }
      if (runs === runY.length) {
        const grow = (a: Int32Array) => {
          const b = new Int32Array(a.length * 2)
          b.set(a)
          return b
        }
        runY = grow(runY)
        runX0 = grow(runX0)
        runX1 = grow(runX1)
        parent = grow(parent)
      }
      const r = runs++
      runY[r] = y
      runX0[r] = x0
      runX1[r] = x
      parent[r] = r
      // Runs in the row above touching this one, diagonals included: [x0 - 1, x] overlaps.
      while (above < prevEnd && runX1[above]! < x0) above++
      let root = r
      for (let a = above; a < prevEnd && runX0[a]! <= x; a++) {
        const ra = findRoot(a)
        if (ra !== root) {
          // The earlier run stays the root, so a root is its component's first run.
          if (ra < root) {
            parent[root] = ra
            root = ra
          } else {
            parent[ra] = root
          }
        }
      }
    }
    prevStart = rowStart
    prevEnd = runs
  }
  return runs
}

// The components of the runs labelRuns found, numbered in the order of their first runs, and
// each run's label in `runLabel` when one is given.
function componentsOfRuns(
  runs: number,
  width: number,
  height: number,
  runLabel?: Int32Array,
): Component[] {
  const components: Component[] = []
  const labelOf = new Int32Array(runs)
  for (let r = 0; r < runs; r++) {
    const root = findRoot(r)
    let label = labelOf[root]!
    if (label === 0) {
      label = components.length + 1
      labelOf[root] = label
      components.push({ label, x0: width, y0: height, x1: 0, y1: 0, area: 0 })
    }
    if (runLabel) {
      runLabel[r] = label
    }
    const c = components[label - 1]!
    const y = runY[r]!
    const x0 = runX0[r]!
    const x1 = runX1[r]!
    if (x0 < c.x0) c.x0 = x0
    if (y < c.y0) c.y0 = y
    if (x1 > c.x1) c.x1 = x1
    if (y + 1 > c.y1) c.y1 = y + 1
    c.area += x1 - x0
  }
  return components
}

/**
 * The boxes and areas of a mask's 8-connected components, as connectedComponents finds them,
 * with nothing kept to draw their labels from: the locator judges components by their boxes.
 */
export function componentBoxes(mask: Uint8Array, width: number, height: number): Component[] {
  return componentsOfRuns(labelRuns(mask, width, height), width, height)
}

/**
 * 8-connected components of a mask; labels start at 1, 0 is background, numbered in the order
 * of each component's first pixel (row by row). Works on runs of set pixels, joined across
 * rows with union-find: the first stage labels a dozen masks per plate, and a pixel flood fill
 * was a third of its time.
 */
export function connectedComponents(mask: Uint8Array, width: number, height: number): Labelled {
  const runs = labelRuns(mask, width, height)
  const runLabel = new Int32Array(runs)
  const components = componentsOfRuns(runs, width, height, runLabel)
  // Most masks are judged by their components' boxes alone (the first stage's unless a row is
  // found), so the label image is drawn only when asked for, from the runs kept at their size.
  const ys = runY.slice(0, runs)
  const x0s = runX0.slice(0, runs)
  const x1s = runX1.slice(0, runs)
  let labels: Int32Array | undefined
  return {
    components,
    get labels() {
      if (!labels) {
        labels = new Int32Array(width * height)
        for (let r = 0; r < runs; r++) {
          const row = ys[r]! * width
          labels.fill(runLabel[r]!, row + x0s[r]!, row + x1s[r]!)
        }
      }
      return labels
    },
  }
}

// A mask of 0s and 1s as bits, 32 pixels a word, each row starting on a new word (bit i of a
// row's word j is pixel 32j + i).
function packRows(mask: Uint8Array, width: number, height: number, words: number): Int32Array {
  const bits = new Int32Array(words * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let j = 0; j < words; j++) {
      const x0 = row + (j << 5)
      const n = Math.min(32, width - (j << 5))
      let v = 0
      for (let i = 0; i < n; i++) {
        v |= mask[x0 + i]! << i
      }
      bits[y * words + j] = v
    }
  }
  return bits
}

function unpackRows(bits: Int32Array, width: number, height: number, words: number): Uint8Array {
  const mask = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let j = 0; j < words; j++) {
      let v = bits[y * words + j]!
      const x0 = row + (j << 5)
      const n = Math.min(32, width - (j << 5))
      if (v === -1 && n === 32) {
        mask.fill(1, x0, x0 + 32)
        continue
      }
      for (let i = 0; v !== 0 && i < n; i++, v >>>= 1) {
        mask[x0 + i] = v & 1
      }
    }
  }
  return mask
}

// Erosion (`dilate` false) or dilation with a (2r+1)² square, on packed rows, its window clipped
// to the mask: a pixel past the mask's edge never counts, so it stands as 1 (all set) for an
// erosion and 0 for a dilation. A row's words shifted by d pixels bring in each pixel's
// neighbour d to its right and to its left, 32 at a time; then each word ANDs or ORs the rows
// above and below it. r is under 32 (a window narrower than a word either side).
function squareFilterBits(
  src: Int32Array,
  width: number,
  height: number,
  words: number,
  r: number,
  dilate: boolean,
): Int32Array {
  const outside = dilate ? 0 : -1
  const used = width & 31
  // The last word's bits past the row's end.
  const tail = used === 0 ? 0 : -1 << used
  // Each row in turn, a word of `outside` either side and its bits past the end set as those
  // pixels stand.
  const row = new Int32Array(words + 2)
  row[0] = outside
  row[words + 1] = outside
  const across = new Int32Array(words * height)
  for (let y = 0; y < height; y++) {
    const at = y * words
    row.set(src.subarray(at, at + words), 1)
    row[words] = (row[words]! & ~tail) | (tail & outside)
    for (let j = 0; j < words; j++) {
      const prev = row[j]!
      const cur = row[j + 1]!
      const next = row[j + 2]!
      let v = cur
      for (let d = 1; d <= r; d++) {
        const right = (cur >>> d) | (next << (32 - d))
        const left = (cur << d) | (prev >>> (32 - d))
        v = dilate ? v | right | left : v & right & left
      }
      across[at + j] = v
    }
  }
  const out = new Int32Array(words * height)
  for (let y = 0; y < height; y++) {
    const from = y > r ? y - r : 0
    const to = y + r < height - 1 ? y + r : height - 1
    const at = y * words
    for (let j = 0; j < words; j++) {
      let v = across[from * words + j]!
      for (let k = from + 1; k <= to; k++) {
        v = dilate ? v | across[k * words + j]! : v & across[k * words + j]!
      }
      out[at + j] = v
    }
  }
  return out
}

/**
 * Morphological opening with a (2r+1)² square: removes lines thinner than the square. Works on
 * the mask packed 32 pixels a word: the first stage opens a dozen masks per candidate box, and
 * byte by byte that was its largest cost.
 */
export function open(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  if (r >= 32) {
    throw new RangeError(`open: a square of radius ${r} is wider than the filter's words`)
  }
  const words = (width + 31) >>> 5
  const bits = packRows(mask, width, height, words)
  const eroded = squareFilterBits(bits, width, height, words, r, false)
  return unpackRows(squareFilterBits(eroded, width, height, words, r, true), width, height, words)
}

/** Stretches (or squeezes) an image horizontally by `factor`. */
export function stretchX(img: GreyImage, factor: number): GreyImage {
  return resize(img, img.width * factor, img.height)
}

export function pad(img: GreyImage, px: number, py: number, value: number): GreyImage {
  const out = createGrey(img.width + 2 * px, img.height + 2 * py, value)
  for (let y = 0; y < img.height; y++) {
    out.data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + py) * out.width + px)
  }
  return out
}

/** Mean absolute horizontal gradient, a cheap measure of how much vertical-stroke edge a region holds. */
export function horizontalGradient(img: GreyImage): GreyImage {
  const { width, height, data } = img
  const out = createGrey(width, height)
  const dst = out.data
  for (let y = 0; y < height; y++) {
    const row = y * width
    for (let x = 1; x < width - 1; x++) {
      const d = data[row + x + 1]! - data[row + x - 1]!
      dst[row + x] = d < 0 ? -d : d
    }
  }
  return out
}

/**
 * An 8-bit binary PGM (P5): a short text header, then the pixels as they are. Leptonica reads it
 * in tesseract.js without a decoder, and it needs no zlib, so Node and the browser hand
 * tesseract byte-identical images.
 */
export function encodePgm(img: GreyImage): Uint8Array {
  const header = `P5\n${img.width} ${img.height}\n255\n`
  const out = new Uint8Array(header.length + img.data.length)
  for (let i = 0; i < header.length; i++) {
    out[i] = header.charCodeAt(i)
  }
  out.set(img.data, header.length)
  return out
}
