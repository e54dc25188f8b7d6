// The files tesseract.js needs in the browser, served from our own origin out of the npm
// packages (never a CDN): the worker script, the WebAssembly core builds, the English model,
// and the plate models committed beside the pipeline. Mount with
// `app.route(OCR_ASSETS_BASE, ocrAssets())` ahead of the `/api/*` 404.
import { Hono } from 'hono'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { PLATE_MODELS } from './reader.ts'

const require = createRequire(import.meta.url)

/** Where the browser reader (web/src/lib/ocr) expects these files. */
export const OCR_ASSETS_BASE = '/api/ocr'

const TESSERACT_DIST = path.join(path.dirname(require.resolve('tesseract.js/package.json')), 'dist')
const CORE_DIR = path.dirname(require.resolve('tesseract.js-core/package.json'))
const LANG_DIR = path.join(
  path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
)
const PLATE_MODEL_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'model')
const CORE_FILE = /^tesseract-core(-relaxedsimd|-simd)?(-lstm)?\.wasm\.js$/

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>()

function load(file: string): Promise<Uint8Array<ArrayBuffer>> {
  let bytes = cache.get(file)
  if (!bytes) {
    bytes = readFile(file).then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>,
    )
    bytes.catch(() => cache.delete(file))
    cache.set(file, bytes)
  }
  return bytes
}

function send(bytes: Uint8Array<ArrayBuffer>, type: string): Response {
  return new Response(bytes, {
    headers: {
      'Content-Type': type,
      'Content-Length': String(bytes.byteLength),
      // The packages' versions change only with a deploy; a day keeps phones from refetching.
      'Cache-Control': 'public, max-age=86400',
    },
  })
}

/**
 * GET /tesseract/worker.min.js, /tesseract/core/<build>.wasm.js, and the models:
 * /tesseract/lang/eng.traineddata.gz and /tesseract/lang/<plate model>.traineddata.gz
 */
export function ocrAssets(): Hono {
  const app = new Hono()
  app.get('/tesseract/worker.min.js', async () =>
    send(await load(path.join(TESSERACT_DIST, 'worker.min.js')), 'text/javascript; charset=utf-8'),
  )
  app.get('/tesseract/core/:file', async (c) => {
    const file = c.req.param('file')
    if (!CORE_FILE.test(file)) {
      return c.notFound()
    }
    return send(await load(path.join(CORE_DIR, file)), 'text/javascript; charset=utf-8')
  })
  app.get('/tesseract/lang/eng.traineddata.gz', async () =>
    send(await load(path.join(LANG_DIR, 'eng.traineddata.gz')), 'application/gzip'),
  )
  for (const model of PLATE_MODELS) {
    app.get(`/tesseract/lang/${model}.traineddata.gz`, async () =>
      send(await load(path.join(PLATE_MODEL_DIR, `${model}.traineddata.gz`)), 'application/gzip'),
    )
  }
  return app
}
