import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from 'sharp'
import type { Worker } from 'tesseract.js'
import {
  closeOcrPool,
  createTesseractWorker,
  decodeImage,
  decodePhoto,
  ocrPool,
  readPlateFile,
  recogniseWith,
} from '../../api/enforcement/ocr/node.ts'
import {
  END_JUDGE,
  matchRightHolders,
  PLATE_MODEL_STRETCHES,
  PLATE_MODELS,
  readPlate,
  type PlateReading,
  READER_MODELS,
  type ReaderModel,
  type Recognise,
  type RecogniseRequest,
  tesseractParameters,
} from '../../api/enforcement/ocr/index.ts'
import {
  renderPlate,
  renderPlateInScenery,
  renderPlateOnBand,
  renderPlateWithPlateLikeSlogan,
  renderPlateWithStickerBefore,
  renderScene,
} from '../fixtures/ocr/render-plate.ts'

// One tesseract worker per model for the file: starting one takes about half a second.
const workers = new Map<ReaderModel, Worker>()
const recognise: Recognise = (request) => {
  const worker = workers.get(request.model ?? 'eng')
  if (!worker) {
    throw new Error('no tesseract worker')
  }
  return recogniseWith(worker, request)
}

beforeAll(async () => {
  for (const model of READER_MODELS) {
    workers.set(model, await createTesseractWorker(model))
  }
})

afterAll(async () => {
  await Promise.all([...workers.values()].map((w) => w.terminate()))
  await closeOcrPool()
})

async function readRendered(printed: string, style: string) {
  const image = await decodeImage(await renderPlate(printed, style))
  return readPlate(image, { recognise })
}

describe('reading plates the tests render', () => {
  it.each([
    ['GA', 'BVN 0669', 'BVN0669'],
    ['NC', 'KWV 3918', 'KWV3918'],
    ['FL', 'N78 8BY', 'N788BY'],
    ['AL', '6A5730A', '6A5730A'],
    ['XX', '5UVR 090', '5UVR090'],
  ])('reads a %s plate printed %s', async (style, printed, plate) => {
    const reading = await readRendered(printed, style)
    expect(reading.candidates[0]?.plate).toBe(plate)
    expect(reading.candidates[0]?.reasons.length).toBeGreaterThan(0)
    expect(reading.ms).toBeGreaterThan(0)
    // The number is drawn in DejaVu Sans Bold at 112 px, whose capitals and digits stand
    // 0.73 em tall: about 82 px, in the image's pixels.
    expect(reading.charHeight).toBeGreaterThan(112 * 0.73 * 0.9)
    expect(reading.charHeight).toBeLessThan(112 * 0.73 * 1.1)
  })

  it.each([
    ['GA', 'SZB 8520', 'SZB8520'],
    ['NC', 'GDI 1605', 'GDI1605'],
    ['FL', 'Z20 6SB', 'Z206SB'],
    ['AL', '5B2045S', '5B2045S'],
  ])('reads look-alike characters on a %s plate printed %s', async (style, printed, plate) => {
    const reading = await readRendered(printed, style)
    expect(reading.candidates.slice(0, 3).map((c) => c.plate)).toContain(plate)
  })

  it.each([
    ['2368', 'DCGOVT', 320],
    ['5273', 'DCGOVT', 260],
    ['7524', 'ESTANI', 320],
  ])('reads the number %s of a crop, not its slogan %s that reads like a plate', async (number, slogan, width) => {
    // The slogan's six characters fit more plate formats than the number's four, and its own
    // small box is too small a part of the crop for the slogan rule's usual size test.
    const image = await decodeImage(await renderPlateWithPlateLikeSlogan(number, slogan, width))
    const reading = await readPlate(image, { recognise })
    expect(reading.candidates[0]?.plate).toBe(number)
  })

  it("has a crop's grey band read by the end judge, whose reads judge and do not vote", async () => {
    const image = await decodeImage(await renderPlateWithPlateLikeSlogan('7524', 'ESTANI', 320))
    const reading = await readPlate(image, { recognise })
    const judged = reading.reads.filter((r) => r.model === END_JUDGE.model)
    expect(judged.map((r) => r.stretch).sort()).toEqual([...END_JUDGE.grey].sort())
    expect(judged.every((r) => r.judge && r.source === 'grey' && r.region === 0)).toBe(true)
    expect(reading.reads.filter((r) => r.judge && r.model !== END_JUDGE.model)).toEqual([])
    expect(reading.candidates[0]?.plate).toBe('7524')
    // Without the judge's model the crop is read as before, by the others alone.
    const others = READER_MODELS.filter((m) => m !== END_JUDGE.model)
    const without = await readPlate(image, { recognise, models: others })
    expect(without.reads.filter((r) => r.judge)).toEqual([])
    expect(without.reads.length).toBe(reading.reads.length - END_JUDGE.grey.length)
  })

  it.each(['KYP4595', 'UZ5354'])(
    'reads the first character of a crop of %s that the mask loses with a sticker fused to it',
    async (plate) => {
      // The grey band reaches across the plate's face past the mask's first character, where
      // a band cut tight to the mask shows only a sliver of the lost one.
      const image = await decodeImage(await renderPlateWithStickerBefore(plate))
      const reading = await readPlate(image, { recognise })
      const masks = reading.reads.filter((r) => (r.source ?? 'mask') === 'mask' && r.region === 0)
      expect(masks.every((r) => r.text.length < plate.length)).toBe(true)
      expect(reading.candidates[0]?.plate).toBe(plate)
    },
  )

  it('reads a plate whose characters stand in a dark band', async () => {
    const image = await decodeImage(await renderPlateOnBand('BVN 0669', 'GA'))
    const reading = await readPlate(image, { recognise })
    expect(reading.candidates[0]?.plate).toBe('BVN0669')
  })

  it('reads a plate whose characters stand in a coloured scene from its brightest channel', async () => {
    const { image, brightest } = await decodePhoto(await renderPlateInScenery('MNW 235'))
    const plain = await readPlate(image, { recognise })
    const reading = await readPlate(image, { recognise, brightest })
    // The English model reads the brightest channel's row at each of the three stretches.
    expect(reading.reads.length).toBe(plain.reads.length + 3)
    expect(reading.candidates[0]?.plate).toBe('MNW235')
  })

  it('reads the chosen row with every plate model, each at its own stretches', async () => {
    const reading = await readRendered('KWV 3918', 'NC')
    const of = (model: ReaderModel, source: 'mask' | 'grey') =>
      reading.reads
        .filter((r) => r.region === 0 && r.model === model && r.source === source)
        .map((r) => r.stretch)
        .sort()
    // The plate model's first read, at the middle stretch, picked the row.
    expect(reading.reads[0]).toMatchObject({ model: 'plate', source: 'mask', stretch: 1.4 })
    for (const model of PLATE_MODELS.filter((m) => m !== END_JUDGE.model)) {
      expect(of(model, 'mask')).toEqual([...PLATE_MODEL_STRETCHES[model].mask].sort())
      expect(of(model, 'grey')).toEqual([...PLATE_MODEL_STRETCHES[model].grey].sort())
    }
    // This image is photo-sized, a scene: the end judge reads crops only.
    expect(reading.reads.filter((r) => r.model === END_JUDGE.model || r.judge)).toEqual([])
    // plate2, plate3 and plate4 are kept, not read: plate4 took plate2's reads, plate5
    // plate4's, and plate6 and plate5 plate3's.
    expect(reading.reads.filter((r) => r.model === 'plate2' || r.model === 'plate3' || r.model === 'plate4')).toEqual([])
    for (const model of ['plate5', 'plate6'] as const) {
      expect(reading.reads.filter((r) => r.model === model).map((r) => r.text)).toContain('KWV3918')
    }
    expect(reading.candidates[0]?.plate).toBe('KWV3918')
  })

  it('hands tesseract each line as a PGM, and lets it invert only the reads measured to gain', async () => {
    const asked: RecogniseRequest[] = []
    // A crop, which every model reads.
    const crop = await sharp(await renderPlate('KWV 3918', 'NC')).resize({ width: 400 }).png().toBuffer()
    const image = await decodeImage(crop)
    const reading = await readPlate(image, {
      recognise: (request) => {
        asked.push(request)
        return recognise(request)
      },
    })
    expect(reading.candidates[0]?.plate).toBe('KWV3918')
    for (const { image: line } of asked) {
      const header = /^P5\n(\d+) (\d+)\n255\n/.exec(new TextDecoder().decode(line.subarray(0, 20)))
      expect(header).not.toBeNull()
      const [, width, height] = header ?? []
      expect(line.length - (header?.[0].length ?? 0)).toBe(Number(width) * Number(height))
    }
    const inverting = new Set(
      asked.filter((r) => tesseractParameters(r).tessedit_do_invert === '1').map((r) => `${r.model} ${r.source}`),
    )
    expect([...inverting].sort()).toEqual(['eng grey', 'plate mask'])
    expect(asked.some((r) => r.model === 'plate5' || r.model === 'plate6')).toBe(true)
  })

  it('reads the grey band as well as the cleaned mask', async () => {
    const reading = await readRendered('BVN 0669', 'GA')
    expect(reading.reads.filter((r) => r.source === 'grey').length).toBeGreaterThan(0)
    expect(reading.reads.filter((r) => r.source !== 'grey').length).toBeGreaterThan(0)
  })

  it("carries tesseract's own alternatives for each character into the reads", async () => {
    const reading = await readRendered('SZB 8520', 'GA')
    const read = reading.reads.find((r) => r.alternatives)
    expect(read?.alternatives).toHaveLength(read?.text.length ?? -1)
    const weighed = read?.alternatives?.flat() ?? []
    expect(weighed.length).toBeGreaterThan(0)
    for (const [i, choices] of (read?.alternatives ?? []).entries()) {
      expect(choices.map((c) => c.text)).not.toContain(read?.text.charAt(i))
    }
  })

  it('says which state format the best candidate fits', async () => {
    const reading = await readRendered('6A5730A', 'AL')
    expect(reading.candidates[0]).toMatchObject({ plate: '6A5730A', state: 'AL' })
    expect(reading.candidates[0]?.reasons).toContain('fits AL format DLDDDDL')
  })

  it('finds the plate in a whole photo without being told where it is', async () => {
    const scene = await renderScene('KYP 4595', 'NC')
    const reading = await readPlate(await decodeImage(scene.png), { recognise })
    expect(reading.candidates[0]?.plate).toBe('KYP4595')
    const box = reading.box
    expect(box).toBeDefined()
    if (box) {
      const cx = box.x + box.w / 2
      const cy = box.y + box.h / 2
      expect(cx).toBeGreaterThan(scene.box.x)
      expect(cx).toBeLessThan(scene.box.x + scene.box.w)
      expect(cy).toBeGreaterThan(scene.box.y)
      expect(cy).toBeLessThan(scene.box.y + scene.box.h)
    }
  })

  it('reads a scene with the English model only where the plate models leave the plate unsettled', async () => {
    const scene = await renderScene('KYP 4595', 'NC')
    const image = await decodeImage(scene.png)
    const settled = await readPlate(image, { recognise })
    expect(settled.candidates[0]?.plate).toBe('KYP4595')
    expect(settled.reads.filter((r) => r.model === 'eng')).toEqual([])
    // Plate models that spell the number a different way at every read leave it open.
    let calls = 0
    const unsure: Recognise = async (request) => {
      const answer = await recognise(request)
      if (request.model === 'eng') {
        return answer
      }
      calls += 1
      const text = answer.text.trim().slice(0, -1) + String(calls % 10)
      return { text, symbols: [...text].map((c) => ({ text: c, confidence: 60 })) }
    }
    const unsettled = await readPlate(image, { recognise: unsure })
    const englishReads = (reading: PlateReading) =>
      reading.reads
        .filter((r) => r.model === 'eng')
        .map((r) => `${r.source ?? 'mask'} ${r.stretch}`)
        .sort()
    // In a scene it reads the grey band only, unless told to read as on a crop.
    expect(englishReads(unsettled)).toEqual(['grey 1.4', 'grey 1.6'])
    calls = 0
    const all = await readPlate(image, { recognise: unsure, sceneEnglishMask: true })
    expect(englishReads(all)).toEqual(['grey 1.4', 'grey 1.6', 'mask 1.2', 'mask 1.4', 'mask 1.6'])
    // A plate crop (narrower than a photo) is no scene: the English model reads it whatever
    // the plate models say.
    const small = await sharp(await renderPlate('KWV 3918', 'NC')).resize({ width: 400 }).png().toBuffer()
    const crop = await readPlate(await decodeImage(small), { recognise })
    expect(crop.candidates[0]?.plate).toBe('KWV3918')
    expect(crop.reads.filter((r) => r.model === 'eng').length).toBe(5)
  })

  it("takes a small plate's row over a sign's when the best reader's second look says so", async () => {
    // The plate's characters run together: the first model's read of its mask is poor, and
    // the PARKING sign's clean read would win the row on it alone.
    const scene = await renderScene('APM 5740', 'GA', 120, true)
    const reading = await readPlate(await decodeImage(scene.png), { recognise })
    const box = reading.box ?? { x: 0, y: 0, w: 0, h: 0 }
    expect(box.x + box.w / 2).toBeGreaterThan(scene.box.x)
    expect(box.x + box.w / 2).toBeLessThan(scene.box.x + scene.box.w)
    expect(reading.candidates.slice(0, 3).map((c) => c.plate)).toContain('APM5740')
    // The chosen row's second look is one of its reads, not read twice.
    const looks = reading.reads.filter(
      (r) => r.model === 'plate6' && r.source === 'grey' && r.region === 0,
    )
    expect(looks).toHaveLength(1)
  })

  it('reads within the rough region of the viewfinder guide', async () => {
    const scene = await renderScene('APM 5740', 'GA', 160)
    const { x, y, w, h } = scene.box
    const region = { x: x - w * 0.4, y: y - h * 0.5, w: w * 1.8, h: h * 2 }
    const reading = await readPlate(await decodeImage(scene.png), { recognise, region })
    expect(reading.candidates[0]?.plate).toBe('APM5740')
  })

  it("reads the plate in the viewfinder's region between ribs taller than its characters", async () => {
    // The region is no plate: its tallest row (a bumper's ribs) does not make the plate's
    // number, found inside it, a slogan.
    const scene = await renderScene('APM 5740', 'GA', 200, false, undefined, true)
    const { x, y, w, h } = scene.box
    const region = { x: x - w * 0.35, y: y - h * 0.6, w: w * 1.7, h: h * 2.2 }
    const reading = await readPlate(await decodeImage(scene.png), { recognise, region })
    expect(reading.candidates[0]?.plate).toBe('APM5740')
  })

  it("searches the viewfinder's region by texture for a small plate whose characters run together", async () => {
    const scene = await renderScene('KYP 4595', 'NC', 110, true)
    const { x, y, w, h } = scene.box
    const region = { x: x - w * 0.35, y: y - h * 0.6, w: w * 1.7, h: h * 2.2 }
    const image = await decodeImage(scene.png)
    // The blob search finds no row there, and the region itself is no plate crop: nothing read.
    const blobsOnly = await readPlate(image, { recognise, region, edgeRegions: false })
    expect(blobsOnly.candidates).toEqual([])
    const reading = await readPlate(image, { recognise, region })
    expect(reading.candidates.length).toBeGreaterThan(0)
    const box = reading.box ?? { x: 0, y: 0, w: 0, h: 0 }
    expect(box.x + box.w / 2).toBeGreaterThan(x)
    expect(box.x + box.w / 2).toBeLessThan(x + w)
    expect(box.y + box.h / 2).toBeGreaterThan(y)
    expect(box.y + box.h / 2).toBeLessThan(y + h)
  })

  it('returns no candidates for a photo with no characters in it', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">
      <rect width="640" height="360" fill="#8a96a0"/><rect x="120" y="90" width="400" height="200" rx="40" fill="#5a2020"/>
    </svg>`
    const blank = await decodeImage(await sharp(Buffer.from(svg)).png().toBuffer())
    const reading = await readPlate(blank, { recognise })
    expect(reading.candidates).toEqual([])
  })

  it('confirms the right-holder and finds no right for a plate that holds none', async () => {
    const reading = await readRendered('BVN 0669', 'GA')
    const holders = ['BVN0668', 'BVN0669', 'AVN0669', 'QRS1234']
    expect(matchRightHolders(reading.candidates, holders).match?.holder).toBe('BVN0669')
    const unpaid = await readRendered('HWT 2718', 'GA')
    expect(matchRightHolders(unpaid.candidates, holders).match).toBeNull()
  })
})

describe('the Node worker pool', () => {
  it('reads a PNG file with workers it starts on demand, no more than the CPUs per model', async () => {
    const png = await renderPlate('JSD 7911', 'NC')
    const reading = await readPlateFile(png)
    expect(reading.candidates[0]?.plate).toBe('JSD7911')
    expect(reading.reads.some((r) => r.model === 'plate')).toBe(true)
    expect(ocrPool().started()).toBeGreaterThan(READER_MODELS.length - 1)
    expect(ocrPool().started()).toBeLessThanOrEqual(ocrPool().size * READER_MODELS.length)
  })

  it('refuses work once closed', async () => {
    const pool = ocrPool()
    await closeOcrPool()
    await expect(pool.recognise({ image: new Uint8Array(), whitelist: 'A' })).rejects.toThrow(
      /closed/,
    )
  })
})
