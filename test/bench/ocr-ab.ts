import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as current from '../../api/enforcement/ocr/node.ts'
import { readPlate, type Box } from '../../api/enforcement/ocr/index.ts'

// npm run bench:ocr:ab -- <git ref> — the plate reader as committed at <ref> against the working
// tree, end to end (decode to ranked candidates, tesseract included), each with its own worker
// for each model. The two builds take turns photo by photo, which goes first alternating, so the
// machine's noise falls on both alike; prints each build's median, mean and p90, the working
// tree's as a ratio of the other's, each build's exact reads, and how many first candidates
// differ. BENCH_AB_SET=guided reads the photos within the handheld's viewfinder region (as
// bench:ocr draws it around the labelled plate), crops the crops. Run it on one core, as the
// issue's speed target is set: `taskset -c 0 npm run bench:ocr:ab -- HEAD~1`.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PLATES = path.resolve(process.env.PLATES_DIR ?? path.join(ROOT, '../shared/plates'))
const SET = process.env.BENCH_AB_SET ?? 'photos'
const ref = process.argv[2]
if (!ref || !['photos', 'guided', 'crops'].includes(SET)) {
  console.error('usage: [BENCH_AB_SET=photos|guided|crops] npm run bench:ocr:ab -- <git ref>')
  process.exit(2)
}

// The other build is unpacked under node_modules, where its own imports (sharp, tesseract.js)
// resolve to this checkout's packages.
const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT })
  .toString()
  .trim()
const dir = path.join(ROOT, 'node_modules/.cache/curbline-ocr-ab', sha)
if (!existsSync(path.join(dir, 'api/enforcement/ocr/index.ts'))) {
  mkdirSync(dir, { recursive: true })
  const archive = execFileSync('git', ['archive', sha, 'api/enforcement/ocr'], {
    cwd: ROOT,
    maxBuffer: 1 << 30,
  })
  execFileSync('tar', ['-x', '-C', dir], { input: archive })
}
const base = pathToFileURL(path.join(dir, 'api/enforcement/ocr/')).href
const other = {
  node: (await import(new URL('node.ts', base).href)) as typeof current,
  index: (await import(new URL('index.ts', base).href)) as { readPlate: typeof readPlate },
}

interface Build {
  name: string
  pool: current.OcrPool
  decode: typeof current.decodePhoto
  read: typeof readPlate
  ms: number[]
  exact: number
}
const builds: Build[] = [
  {
    name: sha.slice(0, 8),
    pool: other.node.createOcrPool(1),
    decode: other.node.decodePhoto,
    read: other.index.readPlate,
    ms: [],
    exact: 0,
  },
  {
    name: 'working tree',
    pool: current.createOcrPool(1),
    decode: current.decodePhoto,
    read: readPlate,
    ms: [],
    exact: 0,
  },
]

const folder = SET === 'crops' ? 'crops' : 'photos'
const files = readFileSync(path.join(PLATES, `${folder}.tsv`), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file = '', plate = '', x, y, w, h] = line.split('\t')
    const box = { x: Number(x), y: Number(y), w: Number(w), h: Number(h) }
    // The viewfinder's region as bench:ocr draws it: about three times the plate's area.
    const region =
      SET === 'guided'
        ? { x: box.x - box.w * 0.35, y: box.y - box.h * 0.6, w: box.w * 1.7, h: box.h * 2.2 }
        : undefined
    return {
      file: path.join(PLATES, folder, file),
      truth: plate.toUpperCase().replace(/[^A-Z0-9]/g, ''),
      region,
    }
  })

async function readWith(build: Build, buffer: Buffer, region?: Box) {
  const started = performance.now()
  const { image, brightest } = await build.decode(buffer)
  const reading = await build.read(image, {
    recognise: build.pool.recognise,
    brightest,
    ...(region ? { region } : {}),
  })
  return { ms: performance.now() - started, first: reading.candidates[0]?.plate }
}

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

try {
  console.log(
    `plate reading on ${os.availableParallelism()} CPUs, ${files.length} ${SET} from ${PLATES}: ${sha.slice(0, 8)} (${ref}) against the working tree`,
  )
  // Each build's workers start, and its code warms, before anything is timed.
  for (const { file, region } of files.slice(0, 3)) {
    for (const build of builds) {
      await readWith(build, readFileSync(file), region)
    }
  }
  let differ = 0
  for (const [i, { file, truth, region }] of files.entries()) {
    const buffer = readFileSync(file)
    const firsts = new Map<Build, string | undefined>()
    for (const build of i % 2 ? [...builds].reverse() : builds) {
      const { ms, first } = await readWith(build, buffer, region)
      build.ms.push(ms)
      build.exact += first === truth ? 1 : 0
      firsts.set(build, first)
    }
    differ += new Set(firsts.values()).size > 1 ? 1 : 0
  }
  const [before, after] = builds as [Build, Build]
  for (const b of builds) {
    console.log(
      `${b.name.padEnd(14)} median ${quantile(b.ms, 0.5).toFixed(0)} ms  mean ${mean(b.ms).toFixed(0)} ms  p90 ${quantile(b.ms, 0.9).toFixed(0)} ms  exact ${b.exact}/${files.length}`,
    )
  }
  console.log(
    `working tree / ${before.name}: median ${(quantile(after.ms, 0.5) / quantile(before.ms, 0.5)).toFixed(3)}  mean ${(mean(after.ms) / mean(before.ms)).toFixed(3)}; first candidate differs on ${differ} of ${files.length}`,
  )
} finally {
  await Promise.all(builds.map((b) => b.pool.close()))
}
