import { describe, it, expect } from 'vitest'
import { gunzipSync } from 'node:zlib'
import { testDatabase } from '../../support/db.ts'
import { testApp } from '../../support/app.ts'
import { PLATE_MODELS } from '../../../api/enforcement/ocr/reader.ts'
import { ocrAssetUrls } from '../../../web/src/lib/ocr/protocol.ts'

const db = await testDatabase()
const t = testApp(db)

describe('the browser plate reader’s files, from our own origin', () => {
  it('serves tesseract.js’s worker, a core build and the English model out of the npm packages', async () => {
    const worker = await t.request('/api/ocr/tesseract/worker.min.js')
    expect(worker.status).toBe(200)
    expect(worker.headers.get('content-type')).toContain('javascript')
    const core = await t.request('/api/ocr/tesseract/core/tesseract-core-simd-lstm.wasm.js')
    expect(core.status).toBe(200)
    const model = await t.request('/api/ocr/tesseract/lang/eng.traineddata.gz')
    expect(model.status).toBe(200)
    // a real model: gzip that unpacks to megabytes
    expect(gunzipSync(Buffer.from(await model.arrayBuffer())).length).toBeGreaterThan(1_000_000)
    expect((await t.request('/api/ocr/tesseract/core/..%2F..%2Fpackage.json')).status).toBe(404)
  })

  it.each(PLATE_MODELS)('serves the %s model committed beside the pipeline', async (name) => {
    const model = await t.request(`/api/ocr/tesseract/lang/${name}.traineddata.gz`)
    expect(model.status).toBe(200)
    expect(model.headers.get('content-type')).toBe('application/gzip')
    const bytes = gunzipSync(Buffer.from(await model.arrayBuffer()))
    // a tesseract traineddata: a table of component offsets, then an LSTM model inside it
    expect(bytes.length).toBeGreaterThan(100_000)
    expect(bytes.length).toBeLessThan(20_000_000)
  })

  it('lists every model for the handheld to keep offline, and serves no other', async () => {
    expect(ocrAssetUrls('/a').filter((u) => u.includes('/lang/'))).toEqual([
      '/a/tesseract/lang/eng.traineddata.gz',
      ...PLATE_MODELS.map((name) => `/a/tesseract/lang/${name}.traineddata.gz`),
    ])
    expect(PLATE_MODELS).toEqual(['plate', 'plate5', 'plate6', 'plate7'])
    // plate2, plate3 and plate4 are kept for training on but no longer read: the handheld
    // never downloads them; plate8 does not exist.
    for (const name of ['plate2', 'plate3', 'plate4', 'plate8']) {
      expect((await t.request(`/api/ocr/tesseract/lang/${name}.traineddata.gz`)).status).toBe(404)
    }
  })
})
