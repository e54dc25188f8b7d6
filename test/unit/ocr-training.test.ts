import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Worker } from 'tesseract.js'
import { createTesseractWorker, decodeImage, recogniseWith } from '../../api/enforcement/ocr/node.ts'
import { readPlate, type Recognise } from '../../api/enforcement/ocr/index.ts'
import { lstmfDocument, pngSize } from '../../api/enforcement/ocr/train/lstmf.ts'
import { linesOf } from '../../api/enforcement/ocr/train/data.ts'
import { createRng } from '../../api/enforcement/ocr/train/random.ts'
import sharp from 'sharp'
import {
  PLATE_FONTS,
  RENDER_MIXES,
  renderSyntheticPlate,
  type RenderMix,
  type SyntheticPlate,
} from '../../api/enforcement/ocr/train/render.ts'
import { pickStrokeFace, strokeGlyphPath, STROKE_FACE_CHARS } from '../../api/enforcement/ocr/train/stroke-face.ts'
import { PLATE_ALPHABET } from '../../api/enforcement/ocr/reader.ts'
import { renderPlate } from '../fixtures/ocr/render-plate.ts'

// The CI machine has Debian's DejaVu fonts only; the training run has them all (train.ts).
const DEJAVU = PLATE_FONTS.filter((f) => f.pkg === 'fonts-dejavu-core')

// The share of a plate's pixels inside a region that are dark ink (grey below 110).
async function darkShare(plate: SyntheticPlate, inside: (px: number, py: number) => boolean): Promise<number> {
  const { data, info } = await sharp(plate.image).greyscale().raw().toBuffer({ resolveWithObject: true })
  let dark = 0
  let all = 0
  for (let py = 0; py < info.height; py++) {
    for (let px = 0; px < info.width; px++) {
      if (inside(px, py)) {
        all++
        dark += (data[py * info.width + px] ?? 255) < 110 ? 1 : 0
      }
    }
  }
  return dark / Math.max(1, all)
}

// Renders each seed's plate without and with what a mix adds (the same number on both), hands
// the pair to `compare`, and counts the plates with it whose row the first stage cuts: every
// line cut must read as the plate.
async function cutWithAndWithout(
  seeds: number[],
  without: RenderMix,
  withIt: RenderMix,
  compare: (a: SyntheticPlate, b: SyntheticPlate) => Promise<void> | void,
): Promise<number> {
  const rng = createRng(seeds[0] ?? 1)
  let cut = 0
  for (const seed of seeds) {
    const a = await renderSyntheticPlate(createRng(seed), DEJAVU, without)
    const b = await renderSyntheticPlate(createRng(seed), DEJAVU, withIt)
    expect(b.text).toBe(a.text)
    await compare(a, b)
    const lines = await linesOf(b, rng)
    for (const line of lines) {
      expect(line.text).toBe(b.text)
    }
    cut += lines.length > 0 ? 1 : 0
  }
  return cut
}

// Reads tesseract's serialised strings and vectors back, as TFile::DeSerialize does.
function reader(bytes: Buffer) {
  let o = 0
  const u32 = () => {
    const v = bytes.readUInt32LE(o)
    o += 4
    return v
  }
  return {
    u8: () => bytes.readUInt8(o++),
    i16: () => {
      const v = bytes.readInt16LE(o)
      o += 2
      return v
    },
    u32,
    i32: () => {
      const v = bytes.readInt32LE(o)
      o += 4
      return v
    },
    bytes: () => {
      const n = u32()
      const v = bytes.subarray(o, o + n)
      o += n
      return v
    },
    offset: () => o,
  }
}

describe('training files', () => {
  it('writes a .lstmf document as tesseract serialises one: each line boxed whole', async () => {
    const rng = createRng(3)
    const plate = await renderSyntheticPlate(rng, DEJAVU)
    const png = new Uint8Array(plate.image)
    const doc = lstmfDocument([
      { png, text: 'ABC123' },
      { png, text: 'XY9' },
    ])
    const r = reader(doc)
    expect(r.u32()).toBe(2)
    const { width, height } = pngSize(png)
    for (const [i, text] of ['ABC123', 'XY9'].entries()) {
      expect(r.u8()).toBe(1)
      expect(r.bytes().length).toBe(0)
      expect(r.i32()).toBe(i)
      expect(Buffer.compare(r.bytes(), Buffer.from(png))).toBe(0)
      expect(r.bytes().toString()).toBe('')
      expect(r.bytes().toString()).toBe(text)
      expect(r.u32()).toBe(1)
      expect([r.i16(), r.i16(), r.i16(), r.i16()]).toEqual([0, 0, width, height])
      expect(r.u32()).toBe(1)
      expect(r.bytes().toString()).toBe(text)
      expect(r.u8()).toBe(0)
    }
    expect(r.offset()).toBe(doc.length)
  })

  it('renders the same synthetic plate from the same seed', async () => {
    const a = await renderSyntheticPlate(createRng(11), DEJAVU)
    const b = await renderSyntheticPlate(createRng(11), DEJAVU)
    expect(a.text).toBe(b.text)
    expect(Buffer.compare(a.image, b.image)).toBe(0)
    expect(a.text).toMatch(/^[A-Z0-9]{5,8}$/)
    expect(a.box.x).toBeGreaterThanOrEqual(-2)
    expect(a.box.y).toBeGreaterThanOrEqual(-2)
    expect(a.box.x + a.box.w).toBeLessThanOrEqual(a.width + 2)
    expect(a.box.y + a.box.h).toBeLessThanOrEqual(a.height + 2)
  })

  it('draws marks and borders beside the number only in the street mix', async () => {
    // Ink in the strips just past each end of the number, against the plate's own lightness.
    const besideNumber = (plate: SyntheticPlate) => {
      const { x, y, w, h } = plate.box
      const strip = h * 0.6
      return darkShare(
        plate,
        (px, py) =>
          py >= Math.round(y) && py < y + h && ((px >= x - strip && px < x) || (px > x + w && px <= x + w + strip)),
      )
    }
    const always = { ...RENDER_MIXES.street, endMark: 1, closeBorder: 1 }
    let standard = 0
    let street = 0
    for (const seed of [21, 22, 23, 24, 25, 26]) {
      const a = await renderSyntheticPlate(createRng(seed), DEJAVU, RENDER_MIXES.standard)
      const b = await renderSyntheticPlate(createRng(seed), DEJAVU, always)
      expect(b.text).toBe(a.text)
      standard += await besideNumber(a)
      street += await besideNumber(b)
    }
    expect(street).toBeGreaterThan(standard * 1.5)
    // The default is the standard mix: earlier sittings' seeds draw the plates they drew.
    const plain = await renderSyntheticPlate(createRng(21), DEJAVU)
    const standardAgain = await renderSyntheticPlate(createRng(21), DEJAVU, RENDER_MIXES.standard)
    expect(Buffer.compare(plain.image, standardAgain.image)).toBe(0)
  })

  it('draws the number in a stamped stroke face in the stamped mix, which the first stage cuts', async () => {
    const always = { ...RENDER_MIXES.stamped, strokeFace: 1 }
    const cut = await cutWithAndWithout([31, 32, 33, 34, 35, 36, 37, 38, 39, 40], RENDER_MIXES.street, always, (a, b) => {
      expect(Buffer.compare(a.image, b.image)).not.toBe(0)
    })
    expect(cut).toBeGreaterThanOrEqual(7)
    // Without the share the mix draws no stroke face, and takes no extra draw for it.
    const street = await renderSyntheticPlate(createRng(41), DEJAVU, RENDER_MIXES.street)
    const none = await renderSyntheticPlate(createRng(41), DEJAVU, { ...RENDER_MIXES.street, strokeFace: 0 })
    expect(Buffer.compare(street.image, none.image)).toBe(0)
  })

  it('draws a scene behind the number and a fruit between its groups in the scenic mix, which the first stage cuts', async () => {
    // Dark ink in the band across the characters' feet, where the scene's treeline stands.
    const darkAtFeet = (plate: SyntheticPlate) => {
      const { x, y, w, h } = plate.box
      return darkShare(
        plate,
        (px, py) => py >= Math.round(y + h * 0.8) && py < y + h * 1.15 && px >= Math.round(x) && px < x + w,
      )
    }
    const always = { ...RENDER_MIXES.scenic, scene: 1, groupMark: 1, small: 0 }
    const plain = { ...always, scene: 0, groupMark: 0 }
    let plainFeet = 0
    let scenicFeet = 0
    const cut = await cutWithAndWithout([51, 52, 53, 54, 55, 56, 57, 58, 59, 60], plain, always, async (a, b) => {
      plainFeet += await darkAtFeet(a)
      scenicFeet += await darkAtFeet(b)
    })
    expect(scenicFeet).toBeGreaterThan(plainFeet * 1.3)
    expect(cut).toBeGreaterThanOrEqual(7)
    // Without the shares the mix draws neither, and takes no extra draw for them.
    const stamped = await renderSyntheticPlate(createRng(61), DEJAVU, RENDER_MIXES.stamped)
    const none = await renderSyntheticPlate(createRng(61), DEJAVU, { ...RENDER_MIXES.stamped, scene: 0, groupMark: 0 })
    expect(Buffer.compare(stamped.image, none.image)).toBe(0)
  })

  it('draws an emblem between the groups or behind the number in the emblems mix, which the first stage cuts', async () => {
    // The emblem draws from its own stream, so a plate with one and the same plate without it
    // (a share above 0 keeps the main stream's draws) differ only where the emblem is.
    const always = { ...RENDER_MIXES.emblems, emblem: 1, groupMark: 0, small: 0 }
    const never = { ...always, emblem: 1e-9 }
    let near = 0
    let changed = 0
    const cut = await cutWithAndWithout([71, 72, 73, 74, 75, 76, 77, 78, 79, 80], never, always, async (a, b) => {
      expect(b.box).toEqual(a.box)
      const [pa, pb] = await Promise.all(
        [a, b].map((p) => sharp(p.image).greyscale().raw().toBuffer({ resolveWithObject: true })),
      )
      const { x, y, w, h } = b.box
      for (let py = 0; py < pb!.info.height; py++) {
        for (let px = 0; px < pb!.info.width; px++) {
          const i = py * pb!.info.width + px
          if (Math.abs((pa!.data[i] ?? 0) - (pb!.data[i] ?? 0)) > 40) {
            changed++
            near += px >= x - h * 0.5 && px < x + w + h * 0.5 && py >= y - h * 0.5 && py < y + h * 1.5 ? 1 : 0
          }
        }
      }
    })
    expect(changed).toBeGreaterThan(2000)
    expect(near / changed).toBeGreaterThan(0.9)
    expect(cut).toBeGreaterThanOrEqual(7)
    // The other mixes have no emblem share, and take no draw for one.
    const scenic = await renderSyntheticPlate(createRng(81), DEJAVU, RENDER_MIXES.scenic)
    const none = await renderSyntheticPlate(createRng(81), DEJAVU, { ...RENDER_MIXES.scenic, emblem: 0 })
    expect(Buffer.compare(scenic.image, none.image)).toBe(0)
  })

  it('draws a symbol just past an end of the number in the symbols mix, and teaches the mask rows that keep it', async () => {
    const always = { ...RENDER_MIXES.symbols, symbolMark: 1, endMark: 0, small: 0 }
    let drawn = 0
    let taught = 0
    for (const seed of [91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102]) {
      const plate = await renderSyntheticPlate(createRng(seed), DEJAVU, always)
      const [mark] = plate.marks
      expect(mark).toBeDefined()
      const { x, w, h } = plate.box
      // Beside the number, not over it: at most a sliver of overlap from the camera's skew.
      const overlap = Math.max(0, Math.min(mark!.x + mark!.w, x + w) - Math.max(mark!.x, x))
      expect(overlap).toBeLessThan(h * 0.35)
      const inside = (px: number, py: number) =>
        px >= mark!.x && px < mark!.x + mark!.w && py >= mark!.y && py < mark!.y + mark!.h
      const plain = await renderSyntheticPlate(createRng(seed), DEJAVU, {
        ...always,
        symbolMark: 1e-9,
      })
      drawn += (await darkShare(plate, inside)) !== (await darkShare(plain, inside)) ? 1 : 0
      // The same lines without the option, and with it a mask line holding one blob more.
      const [before, withMarks] = await Promise.all([
        linesOf(plate, createRng(seed), 0),
        linesOf(plate, createRng(seed), 0, true),
      ])
      for (const line of withMarks) {
        expect(line.text).toBe(plate.text)
      }
      const masks = (lines: typeof before) => lines.filter((l) => l.source === 'mask').length
      expect(masks(withMarks)).toBeGreaterThanOrEqual(masks(before))
      taught += masks(withMarks) - masks(before)
    }
    expect(drawn).toBeGreaterThanOrEqual(10)
    expect(taught).toBeGreaterThanOrEqual(1)
    // The other mixes have no symbol share, and take no draw for one.
    const emblems = await renderSyntheticPlate(createRng(103), DEJAVU, RENDER_MIXES.emblems)
    const none = await renderSyntheticPlate(createRng(103), DEJAVU, {
      ...RENDER_MIXES.emblems,
      symbolMark: 0,
    })
    expect(Buffer.compare(emblems.image, none.image)).toBe(0)
    expect(emblems.marks).toEqual(none.marks)
  })

  it("places every plate character's stroke-face centre lines inside its cell", () => {
    expect(STROKE_FACE_CHARS).toBe(PLATE_ALPHABET.split('').sort().join(''))
    for (const seed of [1, 2, 3]) {
      const face = pickStrokeFace(createRng(seed))
      for (const c of STROKE_FACE_CHARS) {
        const glyph = strokeGlyphPath(face, c, 100, 50, 40, 0.8)
        const nums = glyph.d.match(/-?\d+(\.\d+)?/g)!.map(Number)
        const xs = nums.filter((_, i) => i % 2 === 0)
        const ys = nums.filter((_, i) => i % 2 === 1)
        expect(Math.min(...xs)).toBeGreaterThanOrEqual(100)
        expect(Math.max(...xs)).toBeLessThanOrEqual(100 + glyph.width)
        expect(Math.min(...ys)).toBeGreaterThanOrEqual(50)
        // Only Q's tail reaches below the line.
        expect(Math.max(...ys)).toBeLessThanOrEqual(c === 'Q' ? 50 + 40 * 1.12 : 50 + 40)
        expect(glyph.penWidth).toBeGreaterThan(40 * 0.07)
      }
    }
  })

  it("labels the reader's own first-stage lines of most synthetic plates with their number", async () => {
    const rng = createRng(5)
    let found = 0
    for (let i = 0; i < 12; i++) {
      const plate = await renderSyntheticPlate(rng, DEJAVU)
      const lines = await linesOf(plate, rng)
      if (lines.length > 0) {
        found++
      }
      for (const line of lines) {
        expect(line.text).toBe(plate.text)
        expect(pngSize(line.png).height).toBeGreaterThan(40)
      }
    }
    expect(found).toBeGreaterThanOrEqual(8)
  })

  it("cuts grey lines across the plate's face in the faces mix, and the other mixes' lines as before", async () => {
    let wider = 0
    let compared = 0
    for (const seed of [21, 22, 23, 24, 25, 26]) {
      const plate = await renderSyntheticPlate(createRng(seed), DEJAVU)
      // No share takes no draw: the same lines as a mix without the option.
      const [before, asked0] = await Promise.all([linesOf(plate, createRng(seed)), linesOf(plate, createRng(seed), 0)])
      expect(asked0.map((l) => l.png)).toEqual(before.map((l) => l.png))
      const narrow = before.find((l) => l.source === 'grey')
      const face = (await linesOf(plate, createRng(seed), 1)).find((l) => l.source === 'grey')
      if (narrow && face) {
        compared++
        // Per unit of stretch, so the two lines' own stretches do not decide it. Where the
        // number runs close to the plate's edge there is no face to reach across.
        const [a, b] = [pngSize(narrow.png).width / narrow.stretch, pngSize(face.png).width / face.stretch]
        expect(b).toBeGreaterThan(a - 2)
        wider += b > a + 2 ? 1 : 0
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4)
    expect(wider).toBeGreaterThanOrEqual(compared / 2)
    expect(RENDER_MIXES.faces.faceGrey).toBeGreaterThan(0)
  })
})

describe('the plate model', () => {
  let worker: Worker | undefined
  const recognise: Recognise = (request) => {
    if (!worker || request.model !== 'plate') {
      throw new Error('only the plate model reads here')
    }
    return recogniseWith(worker, request)
  }
  beforeAll(async () => {
    worker = await createTesseractWorker('plate')
  })
  afterAll(async () => {
    await worker?.terminate()
  })

  it.each([
    ['GA', 'BVN 0669', 'BVN0669'],
    ['NC', 'KWV 3918', 'KWV3918'],
    ['FL', 'N78 8BY', 'N788BY'],
    ['AL', '6A5730A', '6A5730A'],
    ['XX', 'WMA 4821', 'WMA4821'],
  ])('reads a rendered %s plate printed %s on its own', async (style, printed, plate) => {
    const image = await decodeImage(await renderPlate(printed, style))
    const reading = await readPlate(image, {
      recognise,
      models: ['plate'],
      stretches: [],
      greyStretches: [],
      firstModel: 'plate',
    })
    expect(reading.reads.every((r) => r.model === 'plate')).toBe(true)
    expect(reading.candidates.slice(0, 2).map((c) => c.plate)).toContain(plate)
  })
})
