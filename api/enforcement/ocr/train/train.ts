// `npm run ocr:train`: trains a plate recogniser on synthetic plates and writes the integer
// model the reader ships (api/enforcement/ocr/model/plate.traineddata.gz, or with --model plate2
// or plate3 the second or third plate model, plate2.traineddata.gz, plate3.traineddata.gz).
//
//   npm run ocr:train                       # all steps: lang, data, train, export
//   npm run ocr:train -- data --plates 6000 # more training plates (new seeds, kept ones kept)
//   npm run ocr:train -- data --plates 6000 --first-seed 1120   # plates an earlier sitting
//                                                   # did not see (shards of 500 from that seed)
//   npm run ocr:train -- train --iterations 90000   # go on from the last checkpoint, or from
//                                                   # the committed float model (--scratch: not)
//   npm run ocr:train -- evaluate           # each kept checkpoint's error on the evaluation plates
//   npm run ocr:train -- export             # checkpoint -> int (and float) model in the repository
//   npm run ocr:train -- train export --model plate2 --from plate   # the second plate model,
//                                                   # trained on from the first's float model
//   npm run ocr:train -- data --plates 25000 --first-seed 1260 --mix street   # plates drawn as
//                                                   # street photos show them (the third's)
//   npm run ocr:train -- data --plates 25000 --first-seed 1310 --mix stamped  # and half of
//                                                   # them in a stamped stroke face
//   npm run ocr:train -- data --plates 12500 --first-seed 1385 --mix scenic   # a state's scene
//                                                   # behind the number, a fruit between groups
//   npm run ocr:train -- data --plates 25000 --first-seed 1423 --mix emblems  # a shield, a
//                                                   # portrait, a heron or a badge among them
//   npm run ocr:train -- data --plates 8000 --first-seed 1513 --mix faces  # the emblems mix
//                                                   # with grey lines cut across the plate's face
//   npm run ocr:train -- data --plates 25000 --first-seed 1529 --mix symbols  # a symbol font's
//                                                   # pictograph beside the number
//   npm run ocr:train -- data --plates 25000 --first-seed 1579 --mix photos   # most plates as
//                                                   # small as a street photo shows them
//   npm run ocr:train -- train --model plate6 --from plate6 --learning-rate 0.0001   # on from a
//                                                   # float model at another learning rate
//
// Needs Debian's tesseract-ocr (lstmtraining, lstmeval, combine_lang_model, combine_tessdata) and
// the font packages the renderer draws with; it says which are missing. Work files live under
// .data/ocr-train/ (OCR_TRAIN_DIR); nothing leaves the machine.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'
import { PLATE_ALPHABET, TRAINED_PLATE_MODELS, type PlateModel } from '../reader.ts'
import {
  RENDER_MIXES,
  fontPackages,
  isRenderMix,
  missingFonts,
  type RenderMixName,
} from './render.ts'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../../..')
const work = path.resolve(root, process.env.OCR_TRAIN_DIR ?? '.data/ocr-train')
// The language name lstmtraining builds every plate model's starter traineddata under.
const LANG = 'plate'

/** The value after `--<name>` on the command line, if it is there. */
function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function modelOption(name: string, fallback: PlateModel): PlateModel {
  const value = argument(name) ?? fallback
  if (!(TRAINED_PLATE_MODELS as readonly string[]).includes(value)) {
    throw new Error(`--${name} is one of ${TRAINED_PLATE_MODELS.join(', ')}`)
  }
  return value as PlateModel
}

// The plate model this sitting trains and exports (--model), and the committed model whose float
// weights it starts from when this machine has no checkpoint of its own (--from, default itself).
const MODEL = modelOption('model', 'plate')
const FROM = modelOption('from', MODEL)

/** A plate model's int model, as the reader loads it. */
const modelFile = (model: PlateModel) => path.resolve(here, `../model/${model}.traineddata.gz`)
/**
 * The float model an int model was made from: only training reads it, to go on from where the
 * committed model stopped instead of from nothing (a checkpoint's Adam state would be 8x larger).
 */
const floatModelFile = (model: PlateModel) =>
  path.resolve(here, `../model/${model}.float.traineddata.gz`)

/**
 * The network: a 3x3 convolution, 3x3 max-pool, a vertical summarising LSTM, then forward,
 * backward and forward LSTMs along the line; small enough to run in the handheld's browser.
 * The output layer's size is the unicharset's (the 36 characters plus tesseract's specials).
 */
export const NET_SPEC = (outputs: number) =>
  `[1,36,0,1 Ct3,3,16 Mp3,3 Lfys48 Lfx96 Lrx96 Lfx128 O1c${outputs}]`

// Seeds: evaluation plates come from their own range, so no training plate is ever evaluated.
// A thousand of them: on 300 the error moved by half a point between checkpoints, trend or not.
const EVAL_SHARDS = [
  { seed: 1, count: 300 },
  { seed: 2, count: 700 },
]
// A sitting drawn in another mix also gets evaluation plates of its own mix (eval-<mix>/): the
// standard ones say whether a model still reads what the others read, not whether it learned
// what its mix adds (a stroke face, a scene).
const MIX_EVAL_SHARD = { seed: 3, count: 500 }
const mixEvalDir = (mix: RenderMixName) => path.join(work, `eval-${mix}`)
const TRAIN_SEED_BASE = 1000
const PLATES_PER_SHARD = 500

// lstmtraining's OpenMP threads spin while they wait; on a small machine they fight each other
// and anything else running, so it gets one thread unless OCR_TRAIN_THREADS says otherwise.
const threads = process.env.OCR_TRAIN_THREADS ?? '1'
const toolEnv = { ...process.env, OMP_THREAD_LIMIT: threads, OMP_NUM_THREADS: threads }

/** Runs a tool to completion; quiet, it returns what the tool printed instead of showing it. */
function run(cmd: string, args: string[], options: { quiet?: boolean } = {}): string {
  const r = spawnSync(cmd, args, {
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: toolEnv,
  })
  const out = options.quiet ? `${r.stdout ?? ''}${r.stderr ?? ''}` : ''
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed${out ? `\n${out}` : ''}`)
  }
  return out
}

function checkTools(): void {
  const tools = [
    'lstmtraining',
    'lstmeval',
    'combine_lang_model',
    'unicharset_extractor',
    'combine_tessdata',
  ]
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0)
  const fonts = missingFonts()
  if (missing.length || fonts.length) {
    throw new Error(
      `missing ${[...missing, ...fonts.map((f) => f.file)].join(', ')}\n` +
        `install with: apt-get install -y tesseract-ocr ${fontPackages().join(' ')}`,
    )
  }
}

const langDir = path.join(work, 'lang')
const starter = path.join(langDir, LANG, `${LANG}.traineddata`)

/** The unicharset (A-Z0-9) and the starter traineddata lstmtraining builds the net on. */
function lang(): number {
  const script = path.join(work, 'script')
  fs.mkdirSync(path.join(langDir, LANG), { recursive: true })
  fs.mkdirSync(script, { recursive: true })
  fs.writeFileSync(path.join(work, 'alphabet.txt'), `${[...PLATE_ALPHABET].join('\n')}\n`)
  run('unicharset_extractor', [
    '--output_unicharset',
    path.join(work, 'unicharset'),
    '--norm_mode',
    '1',
    path.join(work, 'alphabet.txt'),
  ], { quiet: true })
  // combine_lang_model insists on a radical-stroke table (used only for Han); one entry does.
  fs.writeFileSync(path.join(script, 'radical-stroke.txt'), '19968 1\n')
  run('combine_lang_model', [
    '--input_unicharset',
    path.join(work, 'unicharset'),
    '--script_dir',
    script,
    '--output_dir',
    langDir,
    '--lang',
    LANG,
  ], { quiet: true })
  const sizeFile = fs.readdirSync(path.join(langDir, LANG)).find((f) => f.includes('charset_size='))
  const size = Number(/charset_size=(\d+)/.exec(sizeFile ?? '')?.[1])
  if (!size) {
    throw new Error('combine_lang_model wrote no charset size')
  }
  return size
}

function runShard(dir: string, seed: number, count: number, mix: RenderMixName): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, path.join(here, 'data.ts'), dir, String(seed), String(count), mix],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code) => {
      if (code === 0) {
        fs.writeFileSync(path.join(dir, `s${seed}.done`), out)
        resolve()
      } else {
        reject(new Error(`data shard ${seed} failed (${code})`))
      }
    })
  })
}

/**
 * Renders shards of training plates (and the evaluation set) not rendered yet, in parallel. The
 * evaluation plates are always the standard mix, so every model's error is on the same lines.
 */
async function data(plates: number, firstSeed: number, mix: RenderMixName): Promise<void> {
  const lines = path.join(work, 'lines')
  const evalDir = path.join(work, 'eval')
  const jobs: { dir: string; seed: number; count: number; mix: RenderMixName }[] = []
  for (const { seed, count } of EVAL_SHARDS) {
    if (!fs.existsSync(path.join(evalDir, `s${seed}.done`))) {
      jobs.push({ dir: evalDir, seed, count, mix: 'standard' })
    }
  }
  if (mix !== 'standard' && !fs.existsSync(path.join(mixEvalDir(mix), `s${MIX_EVAL_SHARD.seed}.done`))) {
    jobs.push({ dir: mixEvalDir(mix), ...MIX_EVAL_SHARD, mix })
  }
  for (let i = 0; i < Math.ceil(plates / PLATES_PER_SHARD); i++) {
    const seed = firstSeed + i
    if (!fs.existsSync(path.join(lines, `s${seed}.done`))) {
      jobs.push({ dir: lines, seed, count: PLATES_PER_SHARD, mix })
    }
  }
  const parallel = Math.max(1, Number(process.env.OCR_TRAIN_JOBS ?? os.availableParallelism()))
  let next = 0
  let done = 0
  const worker = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      await runShard(job.dir, job.seed, job.count, job.mix)
      process.stdout.write(`data: ${++done}/${jobs.length} shards\n`)
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
  const list = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.lstmf'))
      .sort()
      .map((f) => path.join(dir, f))
  fs.writeFileSync(path.join(work, 'train.txt'), `${list(lines).join('\n')}\n`)
  fs.writeFileSync(path.join(work, 'eval.txt'), `${list(evalDir).join('\n')}\n`)
  if (mix !== 'standard') {
    fs.writeFileSync(path.join(work, `eval-${mix}.txt`), `${list(mixEvalDir(mix)).join('\n')}\n`)
  }
}

const checkpoints = path.join(work, 'checkpoints', MODEL)
const lastCheckpoint = path.join(checkpoints, `${LANG}_checkpoint`)
// lstmtraining keeps only its last checkpoint and those with a new best error on the lines it
// trains on; the one to ship is chosen on the evaluation plates, so training keeps a copy of the
// last checkpoint every few minutes (OCR_TRAIN_SNAPSHOT_MINUTES), named by the lines seen.
const snapshots = path.join(checkpoints, 'snapshots')
const SNAPSHOT_MS = Number(process.env.OCR_TRAIN_SNAPSHOT_MINUTES ?? 4) * 60_000

/**
 * Where training starts: this machine's last checkpoint; else the committed float model (its
 * LSTM extracted), so training carries on across machines; else, or with --scratch, an empty
 * net.
 */
function startingPoint(outputs: number, scratch: boolean, learningRate?: number): string[] {
  const rate = learningRate === undefined ? [] : ['--learning_rate', String(learningRate)]
  if (fs.existsSync(lastCheckpoint)) {
    if (learningRate !== undefined) {
      // lstmtraining resumes a checkpoint at the checkpoint's own learning rate, whatever it is
      // told; a new rate takes only on weights loaded from a model.
      throw new Error(
        `--learning-rate starts from a float model, and ${path.relative(root, checkpoints)} holds a checkpoint: ` +
          `export it, move that folder aside, and train with --from ${MODEL}`,
      )
    }
    return ['--continue_from', lastCheckpoint]
  }
  const from = floatModelFile(FROM)
  if (!scratch && fs.existsSync(from)) {
    const float = path.join(work, `${FROM}.float.traineddata`)
    const lstm = path.join(work, `${FROM}.lstm`)
    fs.writeFileSync(float, zlib.gunzipSync(fs.readFileSync(from)))
    run('combine_tessdata', ['-e', float, lstm], { quiet: true })
    process.stdout.write(`train: continuing from ${path.relative(root, from)}\n`)
    // Every sitting before the eighth trained at lstmtraining's 0.001; a tenth of it settles
    // the weights where the larger steps kept them moving between checkpoints. A loaded model
    // keeps the rates stored in its layers unless told to reset them.
    return ['--continue_from', lstm, ...rate, ...(learningRate === undefined ? [] : ['--reset_learning_rate'])]
  }
  return ['--net_spec', NET_SPEC(outputs), ...rate]
}

/** Trains (or continues training) until `iterations` lines in all have been seen. */
async function train(iterations: number, outputs: number, scratch: boolean, learningRate?: number): Promise<void> {
  const from = startingPoint(outputs, scratch, learningRate)
  fs.mkdirSync(snapshots, { recursive: true })
  const child = spawn('lstmtraining', [
    ...from,
    '--traineddata',
    starter,
    '--model_output',
    path.join(checkpoints, LANG),
    '--train_listfile',
    path.join(work, 'train.txt'),
    '--eval_listfile',
    path.join(work, 'eval.txt'),
    '--max_iterations',
    String(iterations),
    '--target_error_rate',
    '0.005',
    '--debug_interval',
    '0',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: toolEnv })
  let seen = 0
  const show = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
    out.write(chunk)
    for (const m of chunk.toString().matchAll(/At iteration \d+\/(\d+)\//g)) {
      seen = Number(m[1])
    }
  }
  child.stdout.on('data', show(process.stdout))
  child.stderr.on('data', show(process.stderr))
  const keep = () => {
    if (seen > 0 && fs.existsSync(lastCheckpoint)) {
      const file = path.join(snapshots, `${LANG}_${seen}.checkpoint`)
      fs.copyFileSync(lastCheckpoint, `${file}.part`)
      fs.renameSync(`${file}.part`, file)
    }
  }
  const timer = setInterval(keep, SNAPSHOT_MS)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', resolve)
  }).finally(() => clearInterval(timer))
  if (code !== 0) {
    throw new Error(`lstmtraining failed (${code})`)
  }
}

/**
 * A checkpoint (the last, or OCR_TRAIN_CHECKPOINT) as an integer model, gzipped as tesseract.js
 * loads it, in the repository (or at OCR_TRAIN_MODEL_OUT, to try a checkpoint on the bench),
 * and, when it goes to the repository, its float model beside it for later training.
 */
function exportModel(): void {
  const out = path.resolve(process.env.OCR_TRAIN_MODEL_OUT ?? modelFile(MODEL))
  const checkpoint = process.env.OCR_TRAIN_CHECKPOINT ?? lastCheckpoint
  const write = (file: string, int: boolean) => {
    const plain = path.join(work, `${MODEL}.${int ? 'int' : 'float'}.traineddata`)
    run('lstmtraining', [
      '--stop_training',
      ...(int ? ['--convert_to_int'] : []),
      '--continue_from',
      checkpoint,
      '--traineddata',
      starter,
      '--model_output',
      plain,
    ], { quiet: true })
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(plain), { level: 9 }))
    process.stdout.write(`wrote ${path.relative(root, file)} (${fs.statSync(file).size} bytes)\n`)
  }
  write(out, true)
  if (out === modelFile(MODEL)) {
    write(floatModelFile(MODEL), false)
  }
}

// The lines rendered into an evaluation folder, as its shards' .done files record them.
function linesIn(dir: string): number {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.done'))
    .reduce((sum, f) => sum + (Number(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).lines) || 0), 0)
}

/**
 * Character and word error on the evaluation plates of OCR_TRAIN_CHECKPOINT, else of every
 * snapshot training kept and the last checkpoint: how to choose a checkpoint without looking at
 * the benchmark. Each mix's evaluation plates rendered on this machine are scored too, and the
 * character error over all of their lines together.
 */
function evaluate(): void {
  const kept = fs.existsSync(snapshots)
    ? fs
        .readdirSync(snapshots)
        .filter((f) => f.endsWith('.checkpoint'))
        .sort((a, b) => (Number(/\d+/.exec(a)?.[0]) || 0) - (Number(/\d+/.exec(b)?.[0]) || 0))
        .map((f) => path.join(snapshots, f))
    : []
  const chosen = process.env.OCR_TRAIN_CHECKPOINT
  const sets = fs
    .readdirSync(work)
    .filter((f) => /^eval(-[a-z]+)?\.txt$/.test(f))
    .sort()
  for (const checkpoint of chosen ? [chosen] : [...kept, lastCheckpoint]) {
    let errors = 0
    let lines = 0
    const scores = sets.map((list) => {
      const set = list.replace('.txt', '')
      const out = run(
        'lstmeval',
        ['--model', checkpoint, '--traineddata', starter, '--eval_listfile', path.join(work, list)],
        { quiet: true },
      )
      // lstmeval prints every misread line, then the totals; only the totals are the answer.
      const bcer = Number(/BCER eval=([\d.]+)/.exec(out)?.[1])
      if (Number.isFinite(bcer)) {
        const count = linesIn(path.join(work, set))
        errors += bcer * count
        lines += count
      }
      return `${set} ${Number.isFinite(bcer) ? `${bcer.toFixed(2)}%` : 'no totals printed'}`
    })
    const all = sets.length > 1 && lines > 0 ? `, together ${(errors / lines).toFixed(2)}%` : ''
    process.stdout.write(`evaluate: ${path.relative(root, checkpoint)}: ${scores.join(', ')}${all}\n`)
  }
}

// --mix: what the rendered plates look like (render.ts's RENDER_MIXES).
function mixOption(): RenderMixName {
  const value = argument('mix') ?? 'standard'
  if (!isRenderMix(value)) {
    throw new Error(`--mix is one of ${Object.keys(RENDER_MIXES).join(', ')}`)
  }
  return value
}

function option(name: string, fallback: number): number {
  const given = argument(name)
  const value = given === undefined ? fallback : Number(given)
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} needs a positive number`)
  }
  return value
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Steps are the words that are neither an option nor an option's value.
  const valued = new Set(['--plates', '--iterations', '--first-seed', '--model', '--from', '--mix', '--learning-rate'])
  const steps = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith('--') && !valued.has(all[i - 1] ?? ''))
  const all = steps.length === 0
  checkTools()
  const outputs = lang()
  if (all || steps.includes('data')) {
    await data(option('plates', 12000), option('first-seed', TRAIN_SEED_BASE), mixOption())
  }
  if (all || steps.includes('train')) {
    const rate = argument('learning-rate') === undefined ? undefined : option('learning-rate', 0.001)
    await train(option('iterations', 120000), outputs, process.argv.includes('--scratch'), rate)
  }
  if (steps.includes('evaluate')) {
    evaluate()
  }
  if (all || steps.includes('export')) {
    exportModel()
  }
}
