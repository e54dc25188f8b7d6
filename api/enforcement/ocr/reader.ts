// The reader interface around tesseract.js. The pipeline never creates a tesseract worker: Node
// (a worker pool) and the browser (a web worker) each inject a `Recognise` that runs theirs.
import type Tesseract from 'tesseract.js'
import {
  crop,
  encodePgm,
  normaliseContrast,
  pad,
  resize,
  stretchX,
  type GreyImage,
} from './image.ts'
import type { CharChoice, RawRead } from './rank.ts'
import type { CharRow } from './segment.ts'

export const PLATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/**
 * The plate models trained here on synthetic plates (train/, kept as
 * model/<name>.traineddata.gz with their float weights beside them): 'plate' from the second
 * sitting of training, 'plate2' trained on from it with plates it never saw, 'plate3' on from
 * plate2 with plates drawn as street photos show them (the `street` render mix), 'plate4' on
 * from plate3 with half the numbers in a stamped stroke face (the `stamped` mix), 'plate5' on
 * from plate4 with those and plates with a state's scene and a fruit between the groups (the
 * `scenic` mix), 'plate6' on from plate5 with plates with an emblem among the characters (the
 * `emblems` mix), then at a tenth of the learning rate, and 'plate7' on from plate6 at that rate
 * with plates with a symbol font's pictograph beside the number (the `symbols` mix).
 */
export type PlateModel = 'plate' | 'plate2' | 'plate3' | 'plate4' | 'plate5' | 'plate6' | 'plate7'

/** Every plate model trained and kept: `npm run ocr:train` trains on from any of them. */
export const TRAINED_PLATE_MODELS: readonly PlateModel[] = [
  'plate',
  'plate2',
  'plate3',
  'plate4',
  'plate5',
  'plate6',
  'plate7',
]

export interface PlateStretches {
  mask: readonly number[]
  grey: readonly number[]
}

/**
 * Stretches each plate model reads at (all were trained on lines stretched 1.1 to 1.75): the
 * six reads one model used to make, shared between three. The first read (the first model's
 * mask, at the middle stretch) picks the row; the first model also reads the mask at 1.2, plate5
 * the mask at 1.6 and the grey band at 1.3 and 1.7, and plate6, whose reads alone are right most
 * often, the grey band at 1.5. plate4 took plate2's reads, plate5 plate4's, and plate6 and
 * plate5 plate3's: plate2, plate3 and plate4 are kept for training on and for the bench (which
 * may give them reads), not read.
 */
export const PLATE_MODEL_STRETCHES: Record<PlateModel, PlateStretches> = {
  plate: { mask: [1.2, 1.4], grey: [] },
  plate2: { mask: [], grey: [] },
  plate3: { mask: [], grey: [] },
  plate4: { mask: [], grey: [] },
  plate5: { mask: [1.6], grey: [1.3, 1.7] },
  plate6: { mask: [], grey: [1.5] },
  plate7: { mask: [], grey: [] },
}

/**
 * The model that judges a crop's end characters, and the stretches of the grey band it reads:
 * plate7, which learned that a pictograph beside the number is no character, reads a plate crop's
 * grey band three times, and where all three reads spell the number without an end character
 * the other models read, that spelling gains their reads' weight (rank.ts, `judge`). Its reads
 * do not vote: alone they spell more crops right than any model's (the grey band at 1.5, 73.9%
 * of the benchmark's crops against plate6's 67.0%), but they read a 1 as I more often, and
 * voting they lost as many real plates as they won.
 */
export const END_JUDGE = { model: 'plate7', grey: [1.3, 1.5, 1.7] } as const satisfies {
  model: PlateModel
  grey: readonly number[]
}

/**
 * The plate models the reader reads with, and the handheld downloads: those the plan gives
 * reads, and the end judge. Each gets different real plates wrong, so all read and their reads
 * vote.
 */
export const PLATE_MODELS: readonly PlateModel[] = TRAINED_PLATE_MODELS.filter(
  (m) =>
    PLATE_MODEL_STRETCHES[m].mask.length + PLATE_MODEL_STRETCHES[m].grey.length > 0 ||
    m === END_JUDGE.model,
)

/**
 * Which recogniser reads a line: tesseract's stock English model or a plate model. Their errors
 * differ, and their reads vote together.
 */
export type ReaderModel = 'eng' | PlateModel

export const READER_MODELS: readonly ReaderModel[] = ['eng', ...PLATE_MODELS]

export function isPlateModel(model: ReaderModel | undefined): model is PlateModel {
  return model !== undefined && model !== 'eng'
}

export interface RecogniseRequest {
  /** An 8-bit greyscale binary PGM (P5; encodePgm): black characters on white, one line. */
  image: Uint8Array
  /** Characters tesseract may answer with. */
  whitelist: string
  /** The recogniser to read with (default the English model). */
  model?: ReaderModel
  /** What the line was cut from (default the mask): it decides whether tesseract may invert it. */
  source?: RowSource
}

export type Choice = CharChoice

export interface Recognised {
  text: string
  /**
   * One entry per recognised character, in reading order, with the LSTM's alternatives for it
   * (the chosen character among them) when the reader reports them.
   */
  symbols: { text: string; confidence: number; choices?: Choice[] }[]
}

export type Recognise = (request: RecogniseRequest) => Promise<Recognised>

/**
 * Whether tesseract may read a line again inverted when its first read is unsure (keeping
 * whichever it is surer of). Every line handed over is dark on light, so what it reads inverted
 * is the ground's noise, and where it wins a plate line read 3F becomes 35, 781Y861 becomes
 * 3365. Two kinds of read keep it, measured on the benchmark:
 * - the plate model's reads of the mask, among them the first reads, which pick the row to read:
 *   an unsure read of a sign or a window comes back as that noise and loses to the plate's row
 *   (without it a rendered scene's PARKING sign, read 7Y14KBL, beat APM 5740's row);
 * - the English model's reads of the grey band, which it reads right inverted where the plate
 *   models are unsure (N359973, read UESEIET: without it the photos lose it, 84 → 82 exact).
 * The others read without it, and an unsure line is not read twice: the English model's mask
 * reads are right more often (1246 → 1290 of the benchmark crops' 2208, 1192 → 1235 of the
 * held-out synthetic crops' 3114) and take 15.4 ms a line on one core, not 19.7; the same plates
 * come first in every set, and the other models' reads barely change (a few in a thousand).
 */
export function invertsWhenUnsure(request: RecogniseRequest): boolean {
  const model = request.model ?? 'eng'
  const source = request.source ?? 'mask'
  return (model === 'plate' && source === 'mask') || (model === 'eng' && source === 'grey')
}

/** Tesseract parameters for one plate line; passed with each `recognize` call. */
export function tesseractParameters(request: RecogniseRequest): Partial<Tesseract.WorkerParams> {
  return {
    // The plate models were trained on lines exactly as cut, so they read them raw (no layout
    // analysis, which would re-cut them); the English model reads a single text line.
    tessedit_pageseg_mode: (isPlateModel(request.model) ? '13' : '7') as Tesseract.PSM,
    tessedit_char_whitelist: request.whitelist,
    user_defined_dpi: '300',
    tessedit_do_invert: invertsWhenUnsure(request) ? '1' : '0',
    // The LSTM's per-character alternatives, which only the hOCR output carries.
    lstm_choice_mode: '2',
    hocr_char_boxes: '1',
  }
}

/** Output formats to request from `recognize`: text, and hOCR with symbols and their choices. */
export const TESSERACT_OUTPUT: Partial<Tesseract.OutputFormats> = { text: true, hocr: true }

/** The part of a tesseract.js worker the reader drives (Node's and the browser's alike). */
export interface TesseractWorkerLike {
  setParameters(params: Partial<Tesseract.WorkerParams>): Promise<unknown>
  recognize(
    image: Buffer | Blob,
    options?: Partial<Tesseract.RecognizeOptions>,
    output?: Partial<Tesseract.OutputFormats>,
  ): Promise<{ data: Tesseract.Page }>
}

const applied = new WeakMap<TesseractWorkerLike, string>()

/**
 * Reads one line image on a worker. The line's parameters are set on the worker, and only when
 * they differ from the ones it holds: parameters passed with `recognize` are saved and restored
 * around every call, which cost about 8 ms of a 25 ms read. A tesseract.js worker runs its jobs
 * in the order they were sent, so a read queued right after its parameters reads with them.
 */
export async function recogniseOn(
  worker: TesseractWorkerLike,
  image: Buffer | Blob,
  request: RecogniseRequest,
): Promise<Recognised> {
  const params = tesseractParameters(request)
  const key = JSON.stringify(params)
  const set = applied.get(worker) === key ? undefined : worker.setParameters(params)
  applied.set(worker, key)
  const reading = worker.recognize(image, {}, TESSERACT_OUTPUT)
  await set
  const { data } = await reading
  return fromTesseractPage(data)
}

const HOCR_SYMBOL = /x_conf ([\d.]+)'>([^<]*)<|id='choice_[^']*' title='x_confs ([\d.]+)'>([^<]*)</g

/** The symbols of tesseract's hOCR (with `hocr_char_boxes`), each with its LSTM choices. */
export function symbolsFromHocr(hocr: string): Recognised['symbols'] {
  const symbols: Recognised['symbols'] = []
  for (const m of hocr.matchAll(HOCR_SYMBOL)) {
    if (m[1] !== undefined) {
      symbols.push({ text: m[2] ?? '', confidence: Number(m[1]) })
      continue
    }
    const last = symbols[symbols.length - 1]
    if (last) {
      last.choices = [...(last.choices ?? []), { text: m[4] ?? '', confidence: Number(m[3]) }]
    }
  }
  return symbols
}

/** Flattens tesseract.js's page into the reader's answer. */
export function fromTesseractPage(page: Tesseract.Page): Recognised {
  if (page.hocr) {
    return { text: page.text, symbols: symbolsFromHocr(page.hocr) }
  }
  const symbols: Recognised['symbols'] = []
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      for (const line of para.lines) {
        for (const word of line.words) {
          for (const s of word.symbols) {
            symbols.push({ text: s.text, confidence: s.confidence })
          }
        }
      }
    }
  }
  return { text: page.text, symbols }
}

/** Restricts an answer to the plate alphabet, keeping each kept character's confidence. */
export function plateRead(
  answer: Recognised,
  stretch: number,
  region: number,
  source: RowSource = 'mask',
  model: ReaderModel = 'eng',
): RawRead {
  const keep = answer.symbols
    .map((s) => ({ text: s.text.toUpperCase(), confidence: s.confidence, choices: s.choices }))
    .filter((s) => s.text.length === 1 && PLATE_ALPHABET.includes(s.text))
  const fromText = answer.text.toUpperCase().replace(/[^A-Z0-9]/g, '')
  const fromSymbols = keep.map((s) => s.text).join('')
  if (fromSymbols === fromText) {
    const read: RawRead = {
      text: fromText,
      confidences: keep.map((s) => s.confidence),
      stretch,
      region,
      source,
      model,
    }
    if (keep.some((s) => s.choices)) {
      read.alternatives = keep.map((s) => alternativesOf(s.text, s.choices ?? []))
    }
    return read
  }
  return { text: fromText, confidences: [], stretch, region, source, model }
}

// The other characters the LSTM weighed at a position, most confident first; the chosen one and
// anything outside the plate alphabet are left out.
function alternativesOf(chosen: string, choices: Choice[]): Choice[] {
  const best = new Map<string, number>()
  for (const c of choices) {
    const text = c.text.toUpperCase()
    if (text.length === 1 && text !== chosen && PLATE_ALPHABET.includes(text)) {
      best.set(text, Math.max(best.get(text) ?? 0, c.confidence))
    }
  }
  return [...best.entries()]
    .map(([text, confidence]) => ({ text, confidence }))
    .sort((a, b) => b.confidence - a.confidence)
}

/**
 * What a row is read from: the cleaned mask of its characters, or the grey crop cut to the
 * characters' band, which keeps strokes that binarising broke or joined to the background.
 */
export type RowSource = 'mask' | 'grey'

// The grey band's margin beside the mask's outer characters, in character heights: a little
// background, and across the plate's own face, where the caller knew where that is, up to most
// of a character more. The mask loses an end character that touches a bolt, a sticker or the
// plate's edge (KYP4595's K, 4W5825's last 5), and a band cut tight to the mask loses it too;
// beyond the plate a photo shows its frame and the car, which read as characters.
const GREY_MARGIN = 0.3
const GREY_REACH = 0.9

/** The row's band of the grey crop, contrast-stretched, at the mask's character height. */
export function greyRow(row: CharRow): GreyImage {
  const { band, work, face } = row
  const h = band.h
  const within = (room: number) => Math.min(GREY_REACH * h, Math.max(GREY_MARGIN * h, room))
  const left = face ? within(band.x - face.x) : GREY_MARGIN * h
  const right = face ? within(face.x + face.w - band.x - band.w) : GREY_MARGIN * h
  const cut = crop(work, {
    x: band.x - left,
    y: band.y - h * 0.15,
    w: band.w + left + right,
    h: h * 1.3,
  })
  const grey = normaliseContrast(cut, 0.02, 0.98)
  const scale = row.charHeight / h
  return pad(resize(grey, grey.width * scale, grey.height * scale), 12, 8, 255)
}

// Each row's images as read: several models read a row at one stretch (the first read's mask and
// the English model's, the grey band by three models), and its grey band is cut once for all
// its stretches.
const made = new WeakMap<CharRow, { grey?: GreyImage; lines: Map<string, Uint8Array> }>()

/** The line image of a row at one horizontal stretch: what tesseract reads, and training learns. */
export function rowLine(row: CharRow, stretch: number, source: RowSource = 'mask'): GreyImage {
  const image = source === 'grey' ? greyOf(row) : row.image
  return stretchX(image, stretch)
}

function imagesOf(row: CharRow) {
  let images = made.get(row)
  if (!images) {
    images = { lines: new Map() }
    made.set(row, images)
  }
  return images
}

function greyOf(row: CharRow): GreyImage {
  const images = imagesOf(row)
  return (images.grey ??= greyRow(row))
}

/**
 * The image handed to tesseract for a row at one horizontal stretch: a PGM, which leptonica
 * reads as it stands (a PNG's checksums cost the encoder 0.7 ms a line and the reader inflating
 * it; the same pixels, the same reads).
 */
export function rowImage(row: CharRow, stretch: number, source: RowSource = 'mask'): Uint8Array {
  const { lines } = imagesOf(row)
  const key = `${source} ${stretch}`
  let line = lines.get(key)
  if (!line) {
    line = encodePgm(rowLine(row, stretch, source))
    lines.set(key, line)
  }
  return line
}

/** Reads one character row at each stretch (concurrently: a worker pool may run them at once). */
export async function readRow(
  row: CharRow,
  recognise: Recognise,
  stretches: readonly number[],
  region: number,
  source: RowSource = 'mask',
  model: ReaderModel = 'eng',
): Promise<RawRead[]> {
  return Promise.all(
    stretches.map(async (stretch) => {
      const image = rowImage(row, stretch, source)
      const answer = await recognise({ image, whitelist: PLATE_ALPHABET, model, source })
      return plateRead(answer, stretch, region, source, model)
    }),
  )
}
