import os from 'node:os'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createOcrPool, decodePhoto } from '../../api/enforcement/ocr/node.ts'
import { ENGLISH_UNLESS_SETTLED, readPlate } from '../../api/enforcement/ocr/index.ts'

// npm run bench:ocr:settled — what skipping the English model's reads where the plate models
// settle a photo saves: every photo in ../shared/plates (or PLATES_DIR) read, no box given,
// with the English model always reading all its reads and at each setting (BENCH_SETTLED_AT, a
// list of thresholds, each with `:mask` where the English model reads the row's mask too, as on
// a crop; default the thirteenth sitting's plan, 0.5:mask, the pipeline's own, and 0, never
// reading in a scene), one after another for each photo in an order that rotates, so that the
// machine's noise falls on every setting alike. Prints each setting's median, mean and p90 and its median as a ratio
// of always reading, and how often its first candidate differs from always reading's.
// Run it on one core with `taskset -c 0 npm run bench:ocr:settled`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PLATES = path.resolve(process.env.PLATES_DIR ?? path.join(ROOT, '../shared/plates'))

interface Setting {
  threshold: number
  mask: boolean
}
const settings: Setting[] = [
  'Infinity:mask',
  ...(process.env.BENCH_SETTLED_AT ?? `0.5:mask,${ENGLISH_UNLESS_SETTLED},0`).split(','),
].map((s) => {
  const [threshold = '', mask] = s.split(':')
  const bad = threshold === '' || Number.isNaN(Number(threshold))
  if (bad || (mask !== undefined && mask !== 'mask')) {
    throw new Error(`BENCH_SETTLED_AT: ${s} is not a threshold, or one with :mask`)
  }
  return { threshold: Number(threshold), mask: mask === 'mask' }
})
const files = readFileSync(path.join(PLATES, 'photos.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', plate = ''] = line.split('\t')
    return { file: path.join(PLATES, 'photos', file), truth: plate.toUpperCase().replace(/[^A-Z0-9]/g, '') }
  })

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

const pool = createOcrPool()
try {
  console.log(`plate reading on ${os.availableParallelism()} CPUs, ${files.length} photos from ${PLATES}`)
  const warm = await decodePhoto(readFileSync(files[0]?.file ?? ''))
  await readPlate(warm.image, { recognise: pool.recognise, brightest: warm.brightest })
  const ms = settings.map(() => [] as number[])
  const exact = settings.map(() => 0)
  const differs = settings.map(() => 0)
  for (const [i, { file, truth }] of files.entries()) {
    const buffer = readFileSync(file)
    const firsts: (string | undefined)[] = []
    for (let k = 0; k < settings.length; k++) {
      const s = (k + i) % settings.length
      const started = performance.now()
      const { image, brightest } = await decodePhoto(buffer)
      const reading = await readPlate(image, {
        recognise: pool.recognise,
        brightest,
        englishUnlessSettled: settings[s]?.threshold,
        sceneEnglishMask: settings[s]?.mask,
      })
      ms[s]?.push(performance.now() - started)
      firsts[s] = reading.candidates[0]?.plate
    }
    firsts.forEach((plate, s) => {
      exact[s] = (exact[s] ?? 0) + (plate === truth ? 1 : 0)
      differs[s] = (differs[s] ?? 0) + (plate !== firsts[0] ? 1 : 0)
    })
  }
  const always = quantile(ms[0] ?? [], 0.5)
  settings.forEach((setting, s) => {
    const times = ms[s] ?? []
    const label =
      setting.threshold === Infinity
        ? 'English always reads'
        : setting.threshold === 0
          ? 'never in a scene'
          : `settled at ${setting.threshold}${setting.mask ? ', mask' : ''}`
    console.log(
      `${label.padEnd(24)} median ${quantile(times, 0.5).toFixed(0)} ms  mean ${mean(times).toFixed(0)} ms  p90 ${quantile(times, 0.9).toFixed(0)} ms  median ${(quantile(times, 0.5) / always).toFixed(2)} of always  exact ${exact[s]}/${files.length}  first candidate differs on ${differs[s]}`,
    )
  })
} finally {
  await pool.close()
}
