import type { Box, PlateReading } from '../../../../api/enforcement/ocr/index.ts'
import { READER_MODELS } from '../../../../api/enforcement/ocr/reader.ts'

/** Where the API serves tesseract.js's files (api/enforcement/ocr/assets-route.ts). */
export const OCR_ASSETS = '/api/ocr'

export type PlateWorkerRequest =
  | { kind: 'warm'; id: number; assets: string }
  | {
      kind: 'read'
      id: number
      assets: string
      blob: Blob
      region?: Box
      states?: string[]
    }

export type PlateWorkerResponse =
  | { kind: 'ready'; id: number }
  | { kind: 'reading'; id: number; reading: PlateReading }
  | { kind: 'error'; id: number; message: string }

// The smallest modules using a SIMD instruction and a relaxed-SIMD one: if the engine accepts
// them it runs tesseract's faster builds (the test wasm-feature-detect makes).
const SIMD = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]

/** The tesseract.js-core build for this device: LSTM only (the model we ship), SIMD if it can. */
export function coreFile(): string {
  let simd = false
  try {
    simd = WebAssembly.validate(new Uint8Array(SIMD))
  } catch {
    simd = false
  }
  return simd ? 'tesseract-core-simd-lstm.wasm.js' : 'tesseract-core-lstm.wasm.js'
}

/** The files a device needs to read plates offline, for the handheld's service worker to keep. */
export function ocrAssetUrls(assets = OCR_ASSETS): string[] {
  return [
    `${assets}/tesseract/worker.min.js`,
    `${assets}/tesseract/core/${coreFile()}`,
    ...READER_MODELS.map((model) => `${assets}/tesseract/lang/${model}.traineddata.gz`),
  ]
}
