import type { PlateCandidate, PlateReader } from './reads.ts'

/*
  The server's plate reader: the OCR pipeline (api/enforcement/ocr/) on the process's pool of
  tesseract.js workers, loaded on first use so an API that never reads a photo never starts
  tesseract. The right-holders at the place come first: a read within one confusion-aware edit of
  a plate holding a right is shown as that plate, with the reason; a plate with no close holder
  is left as read, so a plate without a right is never mistaken for someone else's paid one.
*/
let started = false

export function plateReader(): PlateReader {
  return async (image, { region, holders }) => {
    started = true
    const { readPlateFile, matchRightHolders } = await import('./ocr/node.ts').then(async (node) => ({
      readPlateFile: node.readPlateFile,
      matchRightHolders: (await import('./ocr/index.ts')).matchRightHolders,
    }))
    const reading = await readPlateFile(image, region ? { region } : {})
    const read: PlateCandidate[] = reading.candidates.map((c) => ({
      plate: c.plate,
      state: c.state ?? null,
      score: c.score,
      reasons: c.reasons,
    }))
    const { matches } = matchRightHolders(reading.candidates, holders)
    const matched: PlateCandidate[] = matches.map((m) => ({
      plate: m.holder,
      state: m.candidate.state ?? null,
      score: m.score,
      reasons: m.reasons,
    }))
    const seen = new Set(matched.map((m) => m.plate))
    return [...matched, ...read.filter((r) => !seen.has(r.plate))].slice(0, 6)
  }
}

/** Stops the tesseract workers, if plates were read: they would keep the process alive. */
export async function closePlateReader(): Promise<void> {
  if (started) {
    await (await import('./ocr/node.ts')).closeOcrPool()
  }
}
