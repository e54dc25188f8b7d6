/*
  Plate reading in the browser, for the handheld when it has no signal (or to spare the
  server): the pipeline runs in a web worker (plate-worker.ts); the first read loads tesseract
  (about 3 MB of model and 4 MB of WebAssembly from our own origin), later ones take a few
  hundred milliseconds.
*/
import type { Box, PlateReading } from '../../../../api/enforcement/ocr/index.ts'
import { OCR_ASSETS, type PlateWorkerRequest, type PlateWorkerResponse } from './protocol.ts'

export type { Box, PlateReading, PlateCandidate } from '../../../../api/enforcement/ocr/index.ts'
export { matchRightHolders } from '../../../../api/enforcement/ocr/match.ts'
export { ocrAssetUrls } from './protocol.ts'

export interface BrowserReadOptions {
  /** States whose plate formats come first (default FL, GA, AL, NC). */
  states?: string[]
  /** Where tesseract.js's files are served (default /api/ocr). */
  assets?: string
}

let worker: Worker | undefined
let nextId = 1
const pending = new Map<
  number,
  { resolve: (r: PlateWorkerResponse) => void; reject: (e: Error) => void }
>()

function plateWorker(): Worker {
  if (!worker) {
    const w = new Worker(new URL('./plate-worker.ts', import.meta.url), { type: 'module' })
    w.addEventListener('message', (event: MessageEvent<PlateWorkerResponse>) => {
      const waiting = pending.get(event.data.id)
      pending.delete(event.data.id)
      waiting?.resolve(event.data)
    })
    w.addEventListener('error', (event) => {
      for (const waiting of pending.values()) {
        waiting.reject(new Error(event.message || 'The plate reader stopped'))
      }
      pending.clear()
      w.terminate()
      worker = undefined
    })
    worker = w
  }
  return worker
}

function ask(request: PlateWorkerRequest): Promise<PlateWorkerResponse> {
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject })
    plateWorker().postMessage(request)
  })
}

/** Starts the reader and loads tesseract ahead of the first photo (say, when the camera opens). */
export async function warmPlateReader(options: BrowserReadOptions = {}): Promise<void> {
  const answer = await ask({ kind: 'warm', id: nextId++, assets: options.assets ?? OCR_ASSETS })
  if (answer.kind === 'error') {
    throw new Error(answer.message)
  }
}

/**
 * Reads the plate in a photo (JPEG or PNG blob), within the viewfinder guide's rough region
 * (photo pixels) when given: ranked candidates with reasons, as the server's read returns.
 */
export async function readPlateInBrowser(
  blob: Blob,
  region?: Box,
  options: BrowserReadOptions = {},
): Promise<PlateReading> {
  const answer = await ask({
    kind: 'read',
    id: nextId++,
    assets: options.assets ?? OCR_ASSETS,
    blob,
    region,
    states: options.states,
  })
  if (answer.kind === 'error') {
    throw new Error(answer.message)
  }
  if (answer.kind !== 'reading') {
    throw new Error('The plate reader answered out of turn')
  }
  return answer.reading
}

/** Stops the reader's worker (and tesseract's); the next read starts them again. */
export function closePlateReader(): void {
  worker?.terminate()
  worker = undefined
  for (const waiting of pending.values()) {
    waiting.reject(new Error('The plate reader was closed'))
  }
  pending.clear()
}
