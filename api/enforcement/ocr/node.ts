// Plate reading in Node: photos decoded by sharp, tesseract.js run by a pool of workers sized
// to the CPU, language data from the @tesseract.js-data/eng package (nothing from a CDN).
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { createWorker, type Worker } from 'tesseract.js'
import { greyFromPixels, type Box, type GreyImage } from './image.ts'
import { readPlate, type PlateReading, type ReadPlateOptions } from './index.ts'
import {
  isPlateModel,
  recogniseOn,
  type ReaderModel,
  type Recognise,
  type RecogniseRequest,
  type Recognised,
} from './reader.ts'

const require = createRequire(import.meta.url)

/** The integerised "best" English model, gzipped, as the package ships it. */
export const LANG_PATH = path.join(
  path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
)

/** The plate models (train/train.ts), gzipped, committed beside the pipeline. */
export const PLATE_MODEL_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'model')

// A JPEG or PNG as raw pixels, EXIF orientation applied.
function decodePixels(buffer: Uint8Array) {
  return sharp(buffer).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true })
}

/** Decodes a JPEG or PNG (EXIF orientation applied) to grey pixels. */
export async function decodeImage(buffer: Uint8Array): Promise<GreyImage> {
  const { data, info } = await decodePixels(buffer)
  return greyFromPixels(data, info.width, info.height, info.channels)
}

/**
 * Decodes a JPEG or PNG to grey pixels, with its brightest-channel image made on demand (see
 * readPlate's `brightest`: most photos never need it).
 */
export async function decodePhoto(
  buffer: Uint8Array,
): Promise<{ image: GreyImage; brightest: () => GreyImage }> {
  const { data, info } = await decodePixels(buffer)
  return {
    image: greyFromPixels(data, info.width, info.height, info.channels),
    brightest: () => greyFromPixels(data, info.width, info.height, info.channels, 'brightest'),
  }
}

/**
 * Starts one tesseract.js worker (a worker thread) on a model's local language data: the
 * folder holding `<model>.traineddata.gz` (a benchmark may point at a checkpoint's export).
 */
export async function createTesseractWorker(
  model: ReaderModel = 'eng',
  langPath = isPlateModel(model) ? PLATE_MODEL_PATH : LANG_PATH,
): Promise<Worker> {
  return createWorker(model, 1, { langPath, cacheMethod: 'none', gzip: true })
}

/** Runs a request on a worker: the recognise call both the pool and the tests use. */
export async function recogniseWith(
  worker: Worker,
  request: RecogniseRequest,
): Promise<Recognised> {
  return recogniseOn(worker, Buffer.from(request.image), request)
}

export interface OcrPool {
  recognise: Recognise
  /** Workers started so far (they start on demand, up to `size` for each model). */
  started(): number
  size: number
  /** Terminates the workers; queued requests fail. */
  close(): Promise<void>
}

interface Job {
  request: RecogniseRequest
  resolve: (r: Recognised) => void
  reject: (e: unknown) => void
}

/**
 * A pool of tesseract.js workers for each model, started lazily as requests queue up; a request
 * goes to its model's pool.
 */
export function createOcrPool(
  size = os.availableParallelism(),
  langPaths: Partial<Record<ReaderModel, string>> = {},
): OcrPool {
  const pools = new Map<ReaderModel, OcrPool>()
  let closed = false
  const poolFor = (model: ReaderModel) => {
    let pool = pools.get(model)
    if (!pool) {
      pool = createModelPool(model, size, langPaths[model])
      pools.set(model, pool)
    }
    return pool
  }
  return {
    size,
    started: () => [...pools.values()].reduce((n, p) => n + p.started(), 0),
    recognise: (request) =>
      closed
        ? Promise.reject(new Error('the OCR pool is closed'))
        : poolFor(request.model ?? 'eng').recognise(request),
    close: async () => {
      closed = true
      await Promise.all([...pools.values()].map((p) => p.close()))
      pools.clear()
    },
  }
}

function createModelPool(model: ReaderModel, size: number, langPath?: string): OcrPool {
  const workers: Worker[] = []
  const idle: Worker[] = []
  const queue: Job[] = []
  let starting = 0
  let closed = false

  const pump = () => {
    while (queue.length > 0 && idle.length > 0) {
      const worker = idle.pop()
      const job = queue.shift()
      if (!worker || !job) {
        break
      }
      recogniseWith(worker, job.request)
        .then(job.resolve, job.reject)
        .finally(() => {
          if (!closed) {
            idle.push(worker)
            pump()
          }
        })
    }
    if (queue.length > idle.length && workers.length + starting < size && !closed) {
      starting++
      createTesseractWorker(model, langPath).then(
        (worker) => {
          starting--
          if (closed) {
            void worker.terminate()
            return
          }
          workers.push(worker)
          idle.push(worker)
          pump()
        },
        (error: unknown) => {
          starting--
          for (const job of queue.splice(0)) {
            job.reject(error)
          }
        },
      )
    }
  }

  return {
    size,
    started: () => workers.length,
    recognise: (request) =>
      new Promise<Recognised>((resolve, reject) => {
        if (closed) {
          reject(new Error('the OCR pool is closed'))
          return
        }
        queue.push({ request, resolve, reject })
        pump()
      }),
    close: async () => {
      closed = true
      for (const job of queue.splice(0)) {
        job.reject(new Error('the OCR pool is closed'))
      }
      await Promise.all(workers.splice(0).map((w) => w.terminate()))
      idle.length = 0
    },
  }
}

let shared: OcrPool | undefined

/** The process's pool, created on first use. */
export function ocrPool(): OcrPool {
  shared ??= createOcrPool()
  return shared
}

/** Terminates the process's pool, if one was started (call on shutdown). */
export async function closeOcrPool(): Promise<void> {
  const pool = shared
  shared = undefined
  await pool?.close()
}

export interface ReadPlateFileOptions extends Partial<Omit<ReadPlateOptions, 'region'>> {
  /** Rough plate region in the photo's pixels (after EXIF rotation). */
  region?: Box
}

/** Reads the plate in a JPEG or PNG photo (or crop) with the process's worker pool. */
export async function readPlateFile(
  buffer: Uint8Array,
  options: ReadPlateFileOptions = {},
): Promise<PlateReading> {
  const started = performance.now()
  const { image, brightest } = await decodePhoto(buffer)
  const reading = await readPlate(image, {
    brightest,
    ...options,
    recognise: options.recognise ?? ocrPool().recognise,
  })
  return { ...reading, ms: performance.now() - started }
}
