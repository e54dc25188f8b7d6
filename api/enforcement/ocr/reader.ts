// The reader interface around tesseract.js. The pipeline never creates a tesseract worker: Node
// (a worker pool) and the browser (a web worker) each inject a `Recognise` that runs theirs.
import type Tesseract from 'tesseract.js'
import { encodePng, pad, stretchX } from './image.ts'
import type { RawRead } from './rank.ts'
import type { CharRow } from './segment.ts'

export const PLATE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export interface RecogniseRequest {
  /** An 8-bit greyscale PNG: black characters on white, one line. */
  png: Uint8Array
  /** Characters tesseract may answer with. */
  whitelist: string
}

export interface Recognised {
  text: string
  /** One entry per recognised character, in reading order. */
  symbols: { text: string; confidence: number }[]
}

export type Recognise = (request: RecogniseRequest) => Promise<Recognised>

/** Tesseract parameters for one plate line; passed with each `recognize` call. */
export function tesseractParameters(request: RecogniseRequest): Partial<Tesseract.WorkerParams> {
  return {
    tessedit_pageseg_mode: '7' as Tesseract.PSM,
    tessedit_char_whitelist: request.whitelist,
    user_defined_dpi: '300',
  }
}

/** Output formats to request from `recognize`: text and the block tree with symbol confidences. */
export const TESSERACT_OUTPUT: Partial<Tesseract.OutputFormats> = { text: true, blocks: true }

/** Flattens tesseract.js's page into the reader's answer. */
export function fromTesseractPage(page: Tesseract.Page): Recognised {
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
export function plateRead(answer: Recognised, stretch: number, region: number): RawRead {
  const keep = answer.symbols
    .map((s) => ({ text: s.text.toUpperCase(), confidence: s.confidence }))
    .filter((s) => s.text.length === 1 && PLATE_ALPHABET.includes(s.text))
  const fromText = answer.text.toUpperCase().replace(/[^A-Z0-9]/g, '')
  const fromSymbols = keep.map((s) => s.text).join('')
  if (fromSymbols === fromText) {
    return { text: fromText, confidences: keep.map((s) => s.confidence), stretch, region }
  }
  return { text: fromText, confidences: [], stretch, region }
}

/** The PNG handed to tesseract for a row at one horizontal stretch. */
export function rowImage(row: CharRow, stretch: number): Uint8Array {
  return encodePng(pad(stretchX(row.image, stretch), 0, 0, 255))
}

/** Reads one character row at each stretch (concurrently: a worker pool may run them at once). */
export async function readRow(
  row: CharRow,
  recognise: Recognise,
  stretches: readonly number[],
  region: number,
): Promise<RawRead[]> {
  return Promise.all(
    stretches.map(async (stretch) => {
      const answer = await recognise({ png: rowImage(row, stretch), whitelist: PLATE_ALPHABET })
      return plateRead(answer, stretch, region)
    }),
  )
}
