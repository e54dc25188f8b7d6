import { readFileSync } from 'node:fs'
import path from 'node:path'
import { rankCandidates, type RawRead } from '../../api/enforcement/ocr/rank.ts'

// npm run bench:ocr:rerank -- before.json [after.json] — ranks the raw reads `bench:ocr` kept
// (BENCH_DUMP) again with today's rank.ts, without reading a single image: a ranking change is
// measured in seconds, not in a bench run. With two dumps it prints, per set, both figures, the
// images whose truth moved (its place among the candidates, -1 for none) and the figure with
// both dumps' reads pooled, which is what reading both ways would give.
interface Dumped {
  set: string
  file: string
  truth: string
  reads: RawRead[]
}

const [before, after] = process.argv.slice(2)
if (!before) {
  console.error('usage: npm run bench:ocr:rerank -- before.json [after.json]')
  process.exit(2)
}
const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Dumped[]
const place = (reads: RawRead[], truth: string) =>
  rankCandidates(reads, { limit: 8 }).findIndex((c) => c.plate === truth)

interface Tally {
  n: number
  exact: number
  top3: number
}
const tally = (places: number[]): Tally => ({
  n: places.length,
  exact: places.filter((p) => p === 0).length,
  top3: places.filter((p) => p >= 0 && p < 3).length,
})
const show = (t: Tally) =>
  `exact ${t.exact}/${t.n} (${((100 * t.exact) / t.n).toFixed(1)}%)  top-3 ${t.top3}/${t.n} (${((100 * t.top3) / t.n).toFixed(1)}%)`

const key = (d: Dumped) => `${d.set}\t${d.file}`
const first = load(before)
const second = after ? new Map(load(after).map((d) => [key(d), d])) : undefined
const afterName = path.basename(after ?? '')
for (const set of [...new Set(first.map((d) => d.set))]) {
  const images = first.filter((d) => d.set === set)
  const places = images.map((d) => place(d.reads, d.truth))
  console.log(`${set} (${path.basename(before)}): ${show(tally(places))}`)
  if (!second) {
    continue
  }
  const pairs = images.flatMap((d, i) => {
    const other = second.get(key(d))
    return other ? [{ d, other, was: places[i] ?? -1 }] : []
  })
  if (pairs.length === 0) {
    console.log(`${set}: not in ${afterName}`)
    continue
  }
  const now = pairs.map(({ d, other }) => place(other.reads, d.truth))
  const pooled = pairs.map(({ d, other }) => place([...d.reads, ...other.reads], d.truth))
  console.log(`${set} (${afterName}): ${show(tally(now))}`)
  console.log(`${set} (both pooled): ${show(tally(pooled))}`)
  pairs.forEach(({ d, was }, i) => {
    if (now[i] !== was) {
      console.log(`  ${path.basename(d.file)} ${d.truth}: ${was} -> ${now[i]}`)
    }
  })
}
