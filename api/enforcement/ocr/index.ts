// Plate reading: locate the plate, cut and clean its character row, read it with tesseract at
// several horizontal stretches, and rank the plates the reads support. Pure: the caller
// decodes the photo to grey pixels and injects the tesseract call (see node.ts and
// web/src/lib/ocr/).
import { clampBox, crop, growBox, iou, type Box, type GreyImage } from './image.ts'
import {
  DEFAULT_STATES,
  GENERIC_US_FORMATS,
  STATE_GRAMMARS,
  defaultSpelling,
  fitPattern,
  isFreeSwap,
} from './grammar.ts'
import { locatePlates } from './locate.ts'
import { rankCandidates, type PlateCandidate, type RawRead } from './rank.ts'
import {
  END_JUDGE,
  PLATE_MODEL_STRETCHES,
  READER_MODELS,
  TRAINED_PLATE_MODELS,
  isPlateModel,
  readRow,
  type PlateModel,
  type PlateStretches,
  type ReaderModel,
  type Recognise,
} from './reader.ts'
import { segmentPlate, type CharRow } from './segment.ts'

export type { Box, GreyImage } from './image.ts'
export { greyFromPixels } from './image.ts'
export type { PlateCandidate, RawRead } from './rank.ts'
export type {
  PlateModel,
  PlateStretches,
  ReaderModel,
  Recognise,
  RecogniseRequest,
  Recognised,
} from './reader.ts'
export {
  END_JUDGE,
  fromTesseractPage,
  recogniseOn,
  tesseractParameters,
  TESSERACT_OUTPUT,
  PLATE_ALPHABET,
  PLATE_MODELS,
  PLATE_MODEL_STRETCHES,
  READER_MODELS,
  TRAINED_PLATE_MODELS,
} from './reader.ts'
export {
  matchRightHolders,
  plateDistance,
  type HolderMatch,
  type MatchResult,
  type MatchOptions,
} from './match.ts'
export { DEFAULT_STATES, STATE_GRAMMARS, GENERIC_US_FORMATS } from './grammar.ts'

export interface ReadPlateOptions {
  /** Runs tesseract on one prepared line image (Node: the worker pool; browser: a web worker). */
  recognise: Recognise
  /**
   * Rough plate region in image pixels (the handheld's viewfinder guide). Without it the whole
   * image is searched; a tight crop of a plate is read as it is.
   */
  region?: Box
  /**
   * Makes the same photo with each pixel's brightest channel (greyFromPixels 'brightest'); called
   * only when it is read, at most once. When given, and the plate's characters are at least
   * BRIGHTEST_MIN_CHAR_HEIGHT px tall, the chosen plate box is cut from it too and the English
   * model reads that row's mask at `stretches`: characters standing in a coloured scene or band
   * (Idaho's mountains) join it in luma and come loose here.
   */
  brightest?: () => GreyImage
  /** States whose plate formats are preferred, likeliest first (default FL, GA, AL, NC). */
  states?: readonly string[]
  /** Horizontal stretches the row is read at; the reads vote (default 1.2, 1.4, 1.6). */
  stretches?: readonly number[]
  /** Horizontal stretches the row's grey band is read at (default 1.4, 1.6). */
  greyStretches?: readonly number[]
  /**
   * Recognisers to read with (default all five, READER_MODELS): the plate models' reads vote
   * with the English model's. Leave a plate model out where its model file is not available.
   */
  models?: readonly ReaderModel[]
  /** Weight of a plate-model read in the vote, against an English-model read's 1. */
  plateModelWeight?: number
  /**
   * The recogniser that gives each candidate region its first read, which picks the row read
   * on (default 'plate': it reads small plates in photos far better than the English model).
   */
  firstModel?: ReaderModel
  /** Stretches each plate model reads the row's mask and grey band at (default PLATE_MODEL_STRETCHES). */
  plateStretches?: Partial<Record<PlateModel, PlateStretches>>
  /**
   * Whether the search also proposes regions of dense vertical edges (the locator's texture
   * pass) beside rows of character blobs. Default: when the searched frame is a scene, at least
   * EDGE_SEARCH_MIN_WIDTH px wide, or the viewfinder's region, where a small plate's characters
   * running into its frame give no blob row (the plate's box found in 97 of 111 photos, not 89);
   * on a crop it only adds rivals to the plate's own row (0.8 points of exact reads on the
   * benchmark's crops).
   */
  edgeRegions?: boolean
  /**
   * In a scene, the share of the plate models' ranking their best candidate must hold for the
   * English model's reads to be skipped (default ENGLISH_UNLESS_SETTLED; Infinity: always read).
   */
  englishUnlessSettled?: number
  /**
   * Whether the English model, where it reads a scene, reads the row's mask too, as on a crop
   * (default false: its grey band and the brightest channel's row; see ENGLISH_UNLESS_SETTLED).
   */
  sceneEnglishMask?: boolean
  /** Candidate plate regions given a first read when searching a photo (default 4). */
  regionsToTry?: number
  /** Most candidates returned (default 8). */
  limit?: number
}

export interface PlateReading {
  candidates: PlateCandidate[]
  /** Wall time of the read, in milliseconds. */
  ms: number
  /** Where the plate was found, in image pixels, when it was. */
  box?: Box
  /** How tall the chosen row's characters are, in image pixels, when a row was read. */
  charHeight?: number
  /** What tesseract read at each pass, for the read's audit trail. */
  reads: RawRead[]
}

export const DEFAULT_STRETCHES = [1.2, 1.4, 1.6] as const

/** Stretches the grey band is read at: it reads best a little wider than the mask does. */
export const GREY_STRETCHES = [1.4, 1.6] as const

/** Frames at least this wide are searched by texture too (see ReadPlateOptions.edgeRegions). */
export const EDGE_SEARCH_MIN_WIDTH = 480

interface Attempt {
  box: Box
  row: CharRow
  prior: number
  first?: RawRead
  /** The second look's read (SECOND_LOOK), where the row was close to the best on its first. */
  second?: RawRead
  quality: number
}

// In a scene (a photo, or the viewfinder's region of one) the first read, the first model's
// mask, picks among rows in different places, and misreads a small plate's often enough that a
// sign's or a window's clean read beats it (car12's 5UVR090 read 510DD, a window's YVF62
// chosen). There the rows whose first read comes within half of the best's are read again by
// the best single reader, plate6's grey band at 1.5, and each is judged by the better of its
// two reads; the chosen row's second look is one of its reads anyway. Photos 74.8 → 75.7%
// exact (top-3 82.9 → 83.8%), the region's unchanged (75.7%); within 0.3 the same, within 0.7
// the crops lost one. On a crop the rows are cuts of one plate, and there it gained one real
// crop and lost 5 of the 600 held-out synthetic ones (75.0 → 74.2%): crops keep the first read.
const SECOND_LOOK = { model: 'plate6', stretch: 1.5 } as const satisfies {
  model: PlateModel
  stretch: number
}
const SECOND_LOOK_WITHIN = 0.5
// A best first read this plate-like (its quality and its row's prior together) is not
// overtaken by a second look at another row on these photos (the same 84 of 111 with no such
// bound, 0.9, 0.8 or 0.7), and it saves 13 of 365 ms a photo on one core.
const SECOND_LOOK_UNLESS = 0.8

// In a scene, the English model reads only where the plate models' reads (the first reads, the
// second look and their six reads of the chosen row) leave the plate unsettled, their best
// candidate holding less than this share of their ranking, and then not the row's mask: its
// grey band, and the brightest channel's row where the characters are tall enough. On photos its
// reads alone are right far less often than a plate model's (mask 21%, grey band 11–12% of the
// photos it read, against 41–69%), and they change the answer only where the plate models are
// nearly tied, as often for the worse as the better. Measured on the fourteenth sitting's reads
// re-ranked, the photos with no box and with the viewfinder's region (exact and top-3 of 111):
// never reading it in a scene, 84 and 93 in both; at 0.5 with all its reads (the thirteenth
// sitting's plan) 84 and 94, reading 3.4 a photo; at 0.5 without its mask reads 84 and 94 in
// both, and on each half of them (alternate files) one exact up and one down, reading 1.3; at
// 0.3, 85 and 94, the one more a near tie (R820503's plate models' best 0.34 against 0.33), and
// a rendered scene's plate models settle on a wrong spelling at 0.31 of their ranking
// (APM6740 for APM5740, which the English grey reads spell). On one core, photos, always reading
// all its reads 1.00, the thirteenth sitting's plan 0.93, this one 0.82, at 0.3 0.78
// (`bench:ocr:settled`). On crops its reads carry far more (without them 333 → 288 exact), and
// a crop, no scene, is read by all of them.
export const ENGLISH_UNLESS_SETTLED = 0.5

// Whether most of `inner` lies within `outer`.
function contains(outer: Box, inner: Box): boolean {
  const ix = Math.max(
    0,
    Math.min(outer.x + outer.w, inner.x + inner.w) - Math.max(outer.x, inner.x),
  )
  const iy = Math.max(
    0,
    Math.min(outer.y + outer.h, inner.y + inner.h) - Math.max(outer.y, inner.y),
  )
  return ix * iy >= 0.7 * inner.w * inner.h
}

// How much a single read looks like a plate: confident, of a plate's length, of a known format.
function readQuality(read: RawRead, states: readonly string[]): number {
  const text = defaultSpelling(read.text)
  const n = text.length
  const lengthFit = n >= 5 && n <= 8 ? 1 : n === 4 ? 0.75 : n === 3 ? 0.4 : 0.1
  const conf = read.confidences.length
    ? read.confidences.reduce((a, b) => a + b, 0) / read.confidences.length
    : 50
  const formats = [
    ...states.flatMap((s) => STATE_GRAMMARS[s]?.formats ?? []),
    ...GENERIC_US_FORMATS,
  ]
  const fits = formats.some((f) => {
    const fit = fitPattern(text, f)
    return fit !== undefined && fit.fixes.filter((x) => !isFreeSwap(x.from, x.to)).length <= 1
  })
  // A sign's word or a date stamp fits no plate format and is all letters or all digits.
  const mixed = /[A-Z]/.test(text) && /[0-9]/.test(text)
  return (conf / 100) * lengthFit * (fits ? 1 : mixed ? 0.8 : 0.6)
}

/**
 * Characters at least this tall (photo pixels) are read in the brightest-channel image too.
 * Smaller ones, a plate across a car park, the English model misreads there more often than
 * not: read at every size, these reads cost the benchmark's photos 4.6 points of exact reads
 * (53.2% -> 48.6%) while the crops, whose characters are mostly taller, gained 3.7.
 */
export const BRIGHTEST_MIN_CHAR_HEIGHT = 32

/** Reads the plate in a photo, a rough region of one, or a plate crop: ranked candidates. */
export async function readPlate(
  image: GreyImage,
  options: ReadPlateOptions,
): Promise<PlateReading> {
  const started = performance.now()
  const states = options.states ?? DEFAULT_STATES
  const stretches = options.stretches ?? DEFAULT_STRETCHES
  const greyStretches = options.greyStretches ?? GREY_STRETCHES
  const firstStretch = stretches[Math.floor(stretches.length / 2)] ?? 1.4
  const models = options.models ?? READER_MODELS
  const firstModel = options.firstModel ?? (models.includes('plate') ? 'plate' : 'eng')
  const frame = options.region
    ? clampBox(growBox(options.region, 0.25), image.width, image.height)
    : { x: 0, y: 0, w: image.width, h: image.height }
  if (frame.w < 8 || frame.h < 8) {
    return { candidates: [], ms: performance.now() - started, reads: [] }
  }

  // The frame itself may be the plate (a crop, or a guide drawn tight); otherwise the locator
  // finds character rows inside it. A crop's three likeliest rows each get a first read: the
  // masks lose different characters (one an end character touching the frame, another a
  // character broken by an opening), and the row scores cannot tell which is whole.
  // A frame too small to be a photo, with no region drawn in it, is the plate itself: there the
  // grey band may reach across the plate's face to an end character the mask lost. A located
  // box is the plate's rough extent, often with its frame, and a guide's region a rough one.
  const boxes: { box: Box; prior: number; rows: number; isPlate?: boolean }[] = []
  // A frame this wide is a photo to search; a narrower one may be the plate itself.
  const photoSized = frame.w >= EDGE_SEARCH_MIN_WIDTH
  const aspect = frame.w / frame.h
  if (aspect >= 1.2 && aspect <= 5) {
    boxes.push({
      box: frame,
      prior: options.region ? 0.9 : 1,
      rows: 3,
      isPlate: !photoSized && !options.region,
    })
  }
  const framed = crop(image, frame)
  // The viewfinder's region is searched at the photo's scale: its texture pass joins edges as
  // far apart as in the whole photo, where a plate's are, not a sixth as far (the region's
  // width / 80, under a character's spacing on a small plate, broke the number's band in two:
  // the region's photos 70.3 → 75.7% exact, top-3 77.5 → 83.8%; 47366J1 lost, 7 gained).
  for (const r of locatePlates(framed, {
    limit: 6,
    edges: options.edgeRegions ?? (photoSized || options.region !== undefined),
    ...(options.region ? { sceneWidth: image.width } : {}),
  })) {
    const box = clampBox(
      { x: r.box.x + frame.x, y: r.box.y + frame.y, w: r.box.w, h: r.box.h },
      image.width,
      image.height,
    )
    if (!boxes.some((b) => iou(b.box, box) > 0.5)) {
      boxes.push({ box, prior: 0.6 + 0.4 * Math.min(1, r.score), rows: 1 })
    }
  }

  // Within one plate the number is the tallest text: a row well inside another attempt's box
  // (a plate-sized one, not a whole photo) with much smaller characters is a slogan. A frame
  // too small to be searched as a photo, whose row's characters stand at least a quarter of
  // its height, is a plate too, however small the slogan's box within it: a slogan such as DC
  // GOVT fits more plate formats than a four-digit number and otherwise wins the first read.
  // A guide's region is not a plate, however tight it is drawn: its tallest row may be a badge,
  // a tail light's edge or the plate's own frame, and ruled the plate's number out as a slogan
  // (wts-lg-000155's CYZ5139 under a row of blobs 80 px tall). Measured on the photos with the
  // viewfinder's region: 68.5 → 70.3% exact, none lost; with the region drawn at 1.1 times the
  // plate's box, 72 → 80 of 111; at 1.5 times, 68 → 77.
  const isSlogan = (a: Attempt, among: readonly Attempt[]) =>
    among.some(
      (b) =>
        b !== a &&
        !(options.region && b.box === frame) &&
        contains(b.box, a.box) &&
        (a.box.w * a.box.h >= 0.05 * b.box.w * b.box.h ||
          (!photoSized && b.box === frame && b.row.sourceCharHeight >= frame.h / 4)) &&
        a.row.sourceCharHeight < b.row.sourceCharHeight * 0.75,
    )
  // The likeliest rows, which get a first read: stable-sorted, so of equal priors the earlier.
  const regionsToTry = options.regionsToTry ?? 4
  const likeliest = (all: readonly Attempt[]) =>
    all
      .filter((a) => !isSlogan(a, all))
      .sort((a, b) => b.prior - a.prior)
      .slice(0, regionsToTry)
  const attempts: Attempt[] = []
  for (const [i, { box, prior, rows, isPlate }] of boxes.entries()) {
    // A row's prior is at most its box's. Once the rows to try outrank every box still to cut,
    // and none of those boxes holds one of them (the only way a row of theirs could rule it out
    // as a slogan), the rest cannot change what is read: they are not cut at all (a box's cut
    // is 7 to 9 ms of a photo's first stage on one core; 88 of the photos' 673 boxes, 153 of
    // the crops' 939).
    const chosen = likeliest(attempts)
    const rest = boxes.slice(i)
    if (
      chosen.length === regionsToTry &&
      rest.every(
        (b) =>
          b.prior < (chosen[chosen.length - 1]?.prior ?? Infinity) &&
          chosen.every((a) => !contains(b.box, a.box)),
      )
    ) {
      break
    }
    const cut = clampBox(growBox(box, 0.2, 0.1), image.width, image.height)
    const face = isPlate ? { x: box.x - cut.x, y: box.y - cut.y, w: box.w, h: box.h } : undefined
    for (const row of segmentPlate(crop(image, cut), { limit: rows, face })) {
      if (row.chars.length >= 3) {
        const rowPrior = 0.7 + 0.1 * Math.max(0, Math.min(3, row.score))
        attempts.push({ box, row, prior: prior * rowPrior, quality: 0 })
      }
    }
  }
  const tried = likeliest(attempts)
  await Promise.all(
    tried.map(async (a, i) => {
      const [read] = await readRow(a.row, options.recognise, [firstStretch], i, 'mask', firstModel)
      a.first = read
      a.quality = read ? readQuality(read, states) * a.prior : 0
    }),
  )
  const secondPlan =
    options.plateStretches?.[SECOND_LOOK.model] ?? PLATE_MODEL_STRETCHES[SECOND_LOOK.model]
  const leading = Math.max(...tried.map((a) => a.quality))
  const close = tried.filter((a) => a.first && a.quality >= SECOND_LOOK_WITHIN * leading)
  const scene = photoSized || options.region !== undefined
  if (
    scene &&
    leading < SECOND_LOOK_UNLESS &&
    close.length >= 2 &&
    models.includes(SECOND_LOOK.model) &&
    secondPlan.grey.includes(SECOND_LOOK.stretch)
  ) {
    await Promise.all(
      close.map(async (a) => {
        const { stretch, model } = SECOND_LOOK
        const [read] = await readRow(a.row, options.recognise, [stretch], 0, 'grey', model)
        a.second = read
        a.quality = Math.max(a.quality, read ? readQuality(read, states) * a.prior : 0)
      }),
    )
  }
  tried.sort((a, b) => b.quality - a.quality)
  const best = tried[0]
  if (!best?.first) {
    return { candidates: [], ms: performance.now() - started, reads: [] }
  }

  const reads: RawRead[] = [{ ...best.first, region: 0 }]
  const rest = firstModel === 'eng' ? stretches.filter((s) => s !== firstStretch) : stretches
  // The grey band is read too: binarising breaks strokes or joins them to the background where
  // the grey still shows the character, and the two sources' reads vote together.
  // A runner-up row nearly as plate-like as the best (its first read votes too) has its grey
  // band read as well: the best row's first read may have won on a slogan or a broken mask.
  const second = tried[1]
  const runnerUp = second?.first && second.quality >= best.quality * 0.8 ? second : undefined
  const plateReads = TRAINED_PLATE_MODELS.filter((m) => models.includes(m)).flatMap((model) => {
    const plan = options.plateStretches?.[model] ?? PLATE_MODEL_STRETCHES[model]
    const mask = model === firstModel ? plan.mask.filter((s) => s !== firstStretch) : plan.mask
    const grey =
      best.second && model === SECOND_LOOK.model
        ? plan.grey.filter((s) => s !== SECOND_LOOK.stretch)
        : plan.grey
    return [
      readRow(best.row, options.recognise, mask, 0, 'mask', model),
      readRow(best.row, options.recognise, grey, 0, 'grey', model),
    ]
  })
  if (best.second) {
    reads.push({ ...best.second, region: 0 })
  }
  const others: RawRead[] = []
  tried.slice(1).forEach((a, i) => {
    if (a.first && a.quality >= best.quality * 0.8) {
      others.push({ ...a.first, region: i + 1 })
    }
  })
  // The English model's reads: its mask's, its grey band's and, where the characters are tall
  // enough, the brightest channel's row; in a scene not its mask's (ENGLISH_UNLESS_SETTLED).
  const english = async (withMask: boolean): Promise<RawRead[][]> => {
    if (!models.includes('eng')) {
      return []
    }
    const [brightRow] =
      options.brightest && best.row.sourceCharHeight >= BRIGHTEST_MIN_CHAR_HEIGHT
        ? segmentPlate(crop(options.brightest(), growBox(best.box, 0.2, 0.1)), { limit: 1 })
        : []
    return Promise.all([
      withMask ? readRow(best.row, options.recognise, rest, 0) : [],
      readRow(best.row, options.recognise, greyStretches, 0, 'grey'),
      brightRow && brightRow.chars.length >= 3 ? readRow(brightRow, options.recognise, stretches, 0) : [],
    ])
  }
  // In a scene the plate models' reads alone usually settle the plate, and the English model's
  // are read only where they do not (ENGLISH_UNLESS_SETTLED); elsewhere all are read at once.
  const cascade = scene && models.includes('eng') && models.some(isPlateModel)
  const early = cascade ? undefined : english(true)
  // On a crop the end judge reads the row's grey band too: its reads do not vote, they judge the
  // others' end characters (END_JUDGE). In a scene they changed no photo's answer (the
  // fifteenth sitting's reads re-ranked), and a photo's reads are what its time goes on.
  const judge = async (): Promise<RawRead[]> => {
    const { model, grey } = END_JUDGE
    const judgements = await readRow(best.row, options.recognise, grey, 0, 'grey', model)
    return judgements.map((r) => ({ ...r, judge: true }))
  }
  const judged = !scene && models.includes(END_JUDGE.model) ? judge() : Promise.resolve([])
  const [secondGrey, ...plate] = await Promise.all([
    runnerUp ? readRow(runnerUp.row, options.recognise, [firstStretch], 1, 'grey', firstModel) : [],
    ...plateReads,
  ])
  const plateModelReads = [...secondGrey, ...plate.flat()]
  const rank = (all: RawRead[]) =>
    rankCandidates(all, {
      states,
      limit: options.limit ?? 8,
      plateModelWeight: options.plateModelWeight,
    })
  const reading = (all: RawRead[], candidates: PlateCandidate[]): PlateReading => ({
    candidates,
    ms: performance.now() - started,
    box: best.box,
    charHeight: best.row.sourceCharHeight,
    reads: all,
  })
  if (cascade) {
    const plateOnly = [...reads, ...plateModelReads, ...others]
    const settled = rank(plateOnly)
    if ((settled[0]?.score ?? 0) >= (options.englishUnlessSettled ?? ENGLISH_UNLESS_SETTLED)) {
      return reading(plateOnly, settled)
    }
  }
  const withMask = options.sceneEnglishMask ?? false
  const [more = [], grey = [], bright = []] = await (early ?? english(withMask))
  const judgements = await judged
  const all = [...reads, ...more, ...grey, ...plateModelReads, ...bright, ...others, ...judgements]
  return reading(all, rank(all))
}
