import { describe, expect, it } from 'vitest'
import {
  adaptiveBoth,
  componentBoxes,
  connectedComponents,
  createGrey,
  greyFromPixels,
  open,
  resize,
  stretchX,
  type Component,
  type GreyImage,
} from '../../api/enforcement/ocr/image.ts'
import { mulberry32 } from '../../api/enforcement/ocr/train/random.ts'

// The first stage's image primitives are written for speed (runs and union-find, running
// windows); these tests hold them to the plainest definitions, on random masks of blobs.

function randomMask(width: number, height: number, seed: number): Uint8Array {
  const random = mulberry32(seed)
  const mask = new Uint8Array(width * height)
  // Rectangles, diagonal strokes and speckle: touching, diagonal-only and lone pixels.
  for (let i = 0; i < 12; i++) {
    const x = Math.floor(random() * width)
    const y = Math.floor(random() * height)
    const w = 1 + Math.floor(random() * 8)
    const h = 1 + Math.floor(random() * 8)
    for (let yy = y; yy < Math.min(height, y + h); yy++) {
      mask.fill(1, yy * width + x, yy * width + Math.min(width, x + w))
    }
  }
  for (let i = 0; i < 4; i++) {
    let x = Math.floor(random() * width)
    const up = random() < 0.5
    for (let y = 0; y < height && x >= 0 && x < width; y++, x += up ? 1 : -1) {
      mask[y * width + x] = 1
    }
  }
  for (let i = 0; i < mask.length; i++) {
    if (random() < 0.04) {
      mask[i] = 1
    }
  }
  return mask
}

// Flood fill from each unlabelled pixel in raster order, eight neighbours.
function floodFill(mask: Uint8Array, width: number, height: number) {
  const labels = new Int32Array(width * height)
  const components: Component[] = []
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] !== 1 || labels[start] !== 0) {
      continue
    }
    const label = components.length + 1
    const c: Component = { label, x0: width, y0: height, x1: 0, y1: 0, area: 0 }
    const todo = [start]
    labels[start] = label
    while (todo.length) {
      const p = todo.pop()!
      const x = p % width
      const y = Math.floor(p / width)
      c.area++
      c.x0 = Math.min(c.x0, x)
      c.y0 = Math.min(c.y0, y)
      c.x1 = Math.max(c.x1, x + 1)
      c.y1 = Math.max(c.y1, y + 1)
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx
          const ny = y + dy
          const q = ny * width + nx
          if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[q] === 1 && !labels[q]) {
            labels[q] = label
            todo.push(q)
          }
        }
      }
    }
    components.push(c)
  }
  return { labels, components }
}

// Erode then dilate, each pixel looking at its whole (2r+1)² window.
function plainOpen(mask: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const filter = (src: Uint8Array, want: number) => {
    const out = new Uint8Array(src.length)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let any = false
        for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r) && !any; yy++) {
          for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
            if (src[yy * width + xx] === want) {
              any = true
              break
            }
          }
        }
        out[y * width + x] = any ? want : 1 - want
      }
    }
    return out
  }
  return filter(filter(mask, 0), 1)
}

// Resampling as defined, one output pixel at a time: along each axis a box over the source
// pixels an output pixel covers when shrinking, a tent when enlarging, weights normalised and
// held in single precision as the resizer holds them, across first, then down.
function plainResize(img: GreyImage, width: number, height: number): GreyImage {
  const weightsFor = (srcLen: number, dstLen: number, i: number): [number, number][] => {
    const scale = srcLen / dstLen
    const support = scale > 1 ? scale / 2 : 1
    const stride = Math.ceil(support * 2) + 2
    const centre = (i + 0.5) * scale
    const out: [number, number][] = []
    const lo = Math.max(0, Math.floor(centre - support))
    const hi = Math.min(srcLen - 1, Math.ceil(centre + support))
    for (let s = lo; s <= hi && out.length < stride; s++) {
      const w =
        scale > 1
          ? Math.max(0, Math.min(s + 1, centre + support) - Math.max(s, centre - support))
          : Math.max(0, 1 - Math.abs(s + 0.5 - centre))
      out.push([s, Math.fround(w)])
    }
    const sum = out.reduce((a, [, w]) => a + w, 0)
    return sum === 0 ? [[lo, 1]] : out.map(([s, w]) => [s, Math.fround(w / sum)])
  }
  const mid: number[] = []
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0
      for (const [s, w] of weightsFor(img.width, width, x)) acc += img.data[y * img.width + s]! * w
      mid.push(Math.fround(acc))
    }
  }
  const out = createGrey(width, height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0
      for (const [s, w] of weightsFor(img.height, height, y)) acc += mid[s * width + x]! * w
      out.data[y * width + x] = Math.min(255, Math.max(0, Math.round(acc)))
    }
  }
  return out
}

describe('image primitives of the first stage', () => {
  it('resamples as the box and tent filters define, an axis kept at its size included', () => {
    const random = mulberry32(5)
    const img = createGrey(37, 23)
    img.data.forEach((_, i) => (img.data[i] = Math.floor(random() * 256)))
    for (const [w, h] of [
      [37, 23],
      [55, 23],
      [20, 23],
      [37, 40],
      [37, 9],
      [50, 31],
      [13, 11],
    ] as const) {
      expect(resize(img, w, h), `${w}x${h}`).toEqual(plainResize(img, w, h))
    }
    expect(stretchX(img, 1.4)).toEqual(plainResize(img, 52, 23))
  })

  it('labels the components a flood fill finds, in the same order with the same boxes', () => {
    for (const [width, height, seed] of [
      [40, 30, 1],
      [97, 23, 2],
      [13, 61, 3],
      [1, 9, 4],
      [9, 1, 5],
    ] as const) {
      const mask = randomMask(width, height, seed)
      const plain = floodFill(mask, width, height)
      // The mask as its own array and as views into a larger one, word-aligned and not.
      for (const offset of [0, 1, 4]) {
        const held = new Uint8Array(mask.length + offset)
        held.set(mask, offset)
        const fast = connectedComponents(held.subarray(offset), width, height)
        expect(fast.components, `offset ${offset}`).toEqual(plain.components)
        expect(fast.labels, `offset ${offset}`).toEqual(plain.labels)
        expect(componentBoxes(held.subarray(offset), width, height)).toEqual(plain.components)
      }
    }
    // Long runs of ink, crossed four pixels at a time where a word is whole: every third row
    // set but for its last few pixels, joining the speckle between them.
    const width = 97
    const striped = randomMask(width, 23, 6).map((v, i) =>
      Math.floor(i / width) % 3 === 0 && i % width < 90 ? 1 : v,
    )
    const plain = floodFill(striped, width, 23)
    for (const offset of [0, 1, 2, 4]) {
      const held = new Uint8Array(striped.length + offset)
      held.set(striped, offset)
      const fast = connectedComponents(held.subarray(offset), width, 23)
      expect(fast.components, `striped, offset ${offset}`).toEqual(plain.components)
      expect(fast.labels, `striped, offset ${offset}`).toEqual(plain.labels)
    }
    // The labels drawn late still come from their own mask's runs, not the next mask's.
    const first = connectedComponents(striped, width, 23)
    connectedComponents(randomMask(width, 23, 7), width, 23)
    expect(first.labels).toEqual(plain.labels)
  })

  it('joins pixels that touch only at a corner, and nothing else', () => {
    // 1 . 1
    // . 1 .
    // . . . 1
    const width = 4
    const mask = new Uint8Array([1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1])
    const { components } = connectedComponents(mask, width, 3)
    expect(components.map((c) => c.area)).toEqual([3, 1])
  })

  it('opens a mask as erosion then dilation over the whole square would', () => {
    for (const r of [1, 2, 3, 5]) {
      // Rows one word of 32 pixels wide, more, less, and a whole number of words or not.
      for (const [width, seed] of [
        [50, 7],
        [50, 8],
        [48, 9],
        [3, 10],
        [31, 11],
        [32, 12],
        [33, 13],
        [64, 14],
        [97, 15],
      ] as const) {
        const mask = randomMask(width, 35, seed)
        expect(open(mask, width, 35, r), `width ${width}, r ${r}`).toEqual(plainOpen(mask, width, 35, r))
      }
    }
    // A solid mask stays solid to its edges: the window is clipped there, not padded with 0.
    const solid = new Uint8Array(40 * 9).fill(1)
    expect(open(solid, 40, 9, 3)).toEqual(solid)
    expect(() => open(solid, 40, 9, 32)).toThrow(RangeError)
  })

  it('marks ink darker (and, for light ink, lighter) than its window’s mean by more than the offset', () => {
    const random = mulberry32(11)
    const img = createGrey(31, 17)
    img.data.forEach((_, i) => (img.data[i] = Math.floor(random() * 256)))
    const radius = 4
    const offset = 10
    const { dark: mask, light } = adaptiveBoth(img, radius, offset)
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        let sum = 0
        let n = 0
        for (let yy = Math.max(0, y - radius); yy <= Math.min(img.height - 1, y + radius); yy++) {
          for (let xx = Math.max(0, x - radius); xx <= Math.min(img.width - 1, x + radius); xx++) {
            sum += img.data[yy * img.width + xx]!
            n++
          }
        }
        const v = img.data[y * img.width + x]!
        expect(mask[y * img.width + x], `pixel ${x},${y}`).toBe(v < sum / n - offset ? 1 : 0)
        expect(light[y * img.width + x], `pixel ${x},${y}`).toBe(255 - v < (255 * n - sum) / n - offset ? 1 : 0)
      }
    }
  })

  it('turns a coloured ground light in the brightest channel while dark ink stays dark', () => {
    // White, a mid blue (a mountain scene), a dark navy character stroke; RGBA.
    const pixels = [255, 255, 255, 255, 79, 116, 196, 255, 16, 24, 48, 255]
    expect([...greyFromPixels(pixels, 3, 1, 4).data]).toEqual([255, 114, 24])
    expect([...greyFromPixels(pixels, 3, 1, 4, 'brightest').data]).toEqual([255, 196, 48])
  })
})
