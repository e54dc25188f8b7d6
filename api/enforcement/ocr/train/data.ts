// The training lines: synthetic plates put through the reader's own first stage, so the
// recogniser learns on exactly the line images it will be shown (the cleaned mask and the grey
// band of the row the segmenter finds, at the reader's stretches), labelled with the number.
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { greyFromPixels, type Box, type GreyImage } from '../image.ts'
import { rowLine, type RowSource } from '../reader.ts'
import { WORK_HEIGHT, segmentPlate, type CharRow } from '../segment.ts'
import { lstmfDocument, type LinePage } from './lstmf.ts'
import { createRng, type Rng } from './random.ts'
import {
  RENDER_MIXES,
  isRenderMix,
  renderSyntheticPlate,
  type RenderMix,
  type RenderMixName,
  type SyntheticPlate,
} from './render.ts'

/** Lines per .lstmf file: big enough to keep the file count low, small enough to shuffle. */
export const LINES_PER_FILE = 400

export interface LineSample extends LinePage {
  source: RowSource
  stretch: number
}

// The row the segmenter found for the number, if it found it: across most of the number and
// about its height (not the banner, not a slogan, not a row that lost half the characters).
export function rowForNumber(rows: CharRow[], box: Box, imageHeight: number): CharRow | undefined {
  const k = WORK_HEIGHT / imageHeight
  const tb = { x: box.x * k, y: box.y * k, w: box.w * k, h: box.h * k }
  return rows.find((row) => {
    const b = row.band
    const cy = b.y + b.h / 2
    const overlap = Math.max(0, Math.min(b.x + b.w, tb.x + tb.w) - Math.max(b.x, tb.x))
    return (
      cy > tb.y &&
      cy < tb.y + tb.h &&
      b.h > tb.h * 0.5 &&
      b.h < tb.h * 1.4 &&
      overlap > tb.w * 0.85 &&
      b.w < tb.w * 1.3
    )
  })
}

/**
 * The training lines one synthetic plate gives: its mask row and its grey band, if found. With
 * `faceGrey`, that share of the grey bands is cut as the reader cuts a crop's, across the
 * plate's face (the whole image is the plate); the draw is made only when asked, so a mix
 * without it draws the same lines as before.
 */
export async function linesOf(
  plate: SyntheticPlate,
  rng: Rng,
  faceGrey = 0,
  markInMask = false,
): Promise<LineSample[]> {
  const { data, info } = await sharp(plate.image).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const grey = greyFromPixels(data, info.width, info.height, info.channels)
  const face = faceGrey > 0 && rng.chance(faceGrey) ? { x: 0, y: 0, w: grey.width, h: grey.height } : undefined
  const row = rowForNumber(segmentPlate(grey, { limit: 4, face }), plate.box, grey.height)
  if (!row) {
    return []
  }
  const lines: LineSample[] = []
  // A mask that lost or merged characters would teach the wrong label; the grey band keeps them.
  // With `markInMask`, a mask with one blob more is taught too where its band reaches past the
  // number towards a mark drawn there: the extra blob is the mark, and the label leaves it out.
  if (
    row.chars.length === plate.text.length ||
    (markInMask && row.chars.length === plate.text.length + 1 && reachesMark(row, plate, grey.height))
  ) {
    const stretch = rng.range(1.1, 1.7)
    lines.push({ png: await compressed(rowLine(row, stretch, 'mask')), text: plate.text, source: 'mask', stretch })
  }
  const stretch = rng.range(1.25, 1.75)
  lines.push({ png: await compressed(rowLine(row, stretch, 'grey')), text: plate.text, source: 'grey', stretch })
  return lines
}

// Whether the row's band reaches a third of a character past the number, on a side where a
// mark was drawn, and into that mark.
function reachesMark(row: CharRow, plate: SyntheticPlate, imageHeight: number): boolean {
  const k = WORK_HEIGHT / imageHeight
  const b = row.band
  const n = { x: plate.box.x * k, w: plate.box.w * k, h: plate.box.h * k }
  return plate.marks.some((m) => {
    const mx = m.x * k
    const mw = m.w * k
    const leftOf = mx + mw / 2 < n.x
    return leftOf
      ? b.x < n.x - n.h / 3 && b.x < mx + mw
      : b.x + b.w > n.x + n.w + n.h / 3 && b.x + b.w > mx
  })
}

// The reader's line, its pixels exactly, as a deflated PNG (an .lstmf file holds PNG bytes):
// small, for a training set of tens of thousands of lines.
async function compressed(line: GreyImage): Promise<Uint8Array> {
  return sharp(line.data, { raw: { width: line.width, height: line.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer()
}

export interface ShardResult {
  files: string[]
  plates: number
  lines: number
}

/** Renders `count` plates from `seed` and writes their lines as .lstmf files under `dir`. */
export async function writeShard(
  dir: string,
  seed: number,
  count: number,
  mix: RenderMixName = 'standard',
): Promise<ShardResult> {
  fs.mkdirSync(dir, { recursive: true })
  const rng = createRng(seed)
  const files: string[] = []
  let pending: LinePage[] = []
  let lines = 0
  const flush = () => {
    if (pending.length === 0) {
      return
    }
    const file = path.join(dir, `s${seed}-${files.length}.lstmf`)
    fs.writeFileSync(file, lstmfDocument(pending))
    files.push(file)
    lines += pending.length
    pending = []
  }
  for (let i = 0; i < count; i++) {
    const plate = await renderSyntheticPlate(rng, undefined, RENDER_MIXES[mix])
    const asked: RenderMix = RENDER_MIXES[mix]
    pending.push(...(await linesOf(plate, rng, asked.faceGrey, asked.markInMask)))
    if (pending.length >= LINES_PER_FILE) {
      flush()
    }
  }
  flush()
  return { files, plates: count, lines }
}

// Run as a child of train.ts: `tsx data.ts <dir> <seed> <count> [mix]`; prints its result as JSON.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, seed, count, mix = 'standard'] = process.argv.slice(2)
  if (!dir || !seed || !count || !isRenderMix(mix)) {
    throw new Error(`usage: data.ts <dir> <seed> <count> [${Object.keys(RENDER_MIXES).join('|')}]`)
  }
  const result = await writeShard(dir, Number(seed), Number(count), mix)
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
