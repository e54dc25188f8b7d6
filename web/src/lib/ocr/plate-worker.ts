/*
  The handheld's plate reader, off the page's thread: decodes the photo, runs the same pipeline
  as the server (api/enforcement/ocr) and reads with tesseract.js workers (the English model and
  the three plate models) whose script, core and models all come from our own origin
  (api/enforcement/ocr/assets-route.ts).
*/
import { createWorker, type Worker as TesseractWorker } from 'tesseract.js'
import {
  greyFromPixels,
  readPlate,
  recogniseOn,
  READER_MODELS,
  type Box,
  type ReaderModel,
  type PlateReading,
  type Recognise,
} from '../../../../api/enforcement/ocr/index.ts'
import { coreFile, type PlateWorkerRequest, type PlateWorkerResponse } from './protocol.ts'

/** Photos are read at most this wide: plates stay dozens of pixels wide, reads stay quick. */
const MAX_WIDTH = 1600

const tesseracts = new Map<ReaderModel, Promise<TesseractWorker>>()

// One tesseract.js worker per model: a worker reads with the language it was started on.
function startTesseract(assets: string, model: ReaderModel): Promise<TesseractWorker> {
  const base = new URL(assets, self.location.origin).href.replace(/\/$/, '')
  let worker = tesseracts.get(model)
  if (!worker) {
    worker = createWorker(model, 1, {
      workerPath: `${base}/tesseract/worker.min.js`,
      corePath: `${base}/tesseract/core/${coreFile()}`,
      langPath: `${base}/tesseract/lang`,
      gzip: true,
      // The service worker and the HTTP cache keep the files; IndexedDB would hold a second copy.
      cacheMethod: 'none',
    })
    worker.catch(() => tesseracts.delete(model))
    tesseracts.set(model, worker)
  }
  return worker
}

const startAll = (assets: string) =>
  Promise.all(READER_MODELS.map((model) => startTesseract(assets, model)))

// Warming runs while the ambassador uses the page: one model at a time, so the phone never
// compiles four tesseract cores at once (a read that comes meanwhile starts the rest at once).
async function startOneByOne(assets: string): Promise<void> {
  for (const model of READER_MODELS) {
    await startTesseract(assets, model)
  }
}

async function decode(blob: Blob, region?: Box) {
  const bitmap = await createImageBitmap(blob)
  const scale = Math.min(1, MAX_WIDTH / bitmap.width)
  const width = Math.max(1, Math.round(bitmap.width * scale))
  const height = Math.max(1, Math.round(bitmap.height * scale))
  const canvas = new OffscreenCanvas(width, height)
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) {
    throw new Error('This browser cannot draw the photo off screen')
  }
  context.drawImage(bitmap, 0, 0, width, height)
  bitmap.close()
  const pixels = context.getImageData(0, 0, width, height).data
  const scaled = region
    ? { x: region.x * scale, y: region.y * scale, w: region.w * scale, h: region.h * scale }
    : undefined
  return {
    image: greyFromPixels(pixels, width, height, 4),
    brightest: () => greyFromPixels(pixels, width, height, 4, 'brightest'),
    region: scaled,
    scale,
  }
}

async function read(request: Extract<PlateWorkerRequest, { kind: 'read' }>): Promise<PlateReading> {
  await startAll(request.assets)
  const recognise: Recognise = async (r) => {
    const worker = await startTesseract(request.assets, r.model ?? 'eng')
    return recogniseOn(worker, new Blob([r.image.slice()], { type: 'image/x-portable-graymap' }), r)
  }
  const started = performance.now()
  const { image, brightest, region, scale } = await decode(request.blob, request.region)
  const reading = await readPlate(image, { recognise, region, brightest, states: request.states })
  const box = reading.box && {
    x: reading.box.x / scale,
    y: reading.box.y / scale,
    w: reading.box.w / scale,
    h: reading.box.h / scale,
  }
  return { ...reading, box, ms: performance.now() - started }
}

self.addEventListener('message', (event: MessageEvent<PlateWorkerRequest>) => {
  const request = event.data
  const reply = (message: PlateWorkerResponse) => self.postMessage(message)
  if (request.kind === 'warm') {
    startOneByOne(request.assets).then(
      () => reply({ id: request.id, kind: 'ready' }),
      (e: unknown) => reply({ id: request.id, kind: 'error', message: String(e) }),
    )
    return
  }
  read(request).then(
    (reading) => reply({ id: request.id, kind: 'reading', reading }),
    (e: unknown) =>
      reply({ id: request.id, kind: 'error', message: e instanceof Error ? e.message : String(e) }),
  )
})
