// Reading a plate on the phone while offline, with the browser reader (web/src/lib/ocr: a web
// worker running tesseract.js, its files from our own origin). Loaded on first use, so a phone
// with a signal never starts tesseract; when it cannot read (its files not kept yet), the photo
// waits in the queue and the server reads it when it is sent.
import type { Region } from './photo.ts'
import { blobOf } from './photo.ts'

export interface LocalCandidate {
  plate: string
  state: string | null
  score: number
  reasons: string[]
}

/** A reader that cannot start must not hold the ambassador up. */
const READ_TIMEOUT_MS = 20_000
const WARMED = 'curbline.handheld.reader-kept'

const reader = () => import('../../lib/ocr/read-plate.ts')

/** Candidates best first, or null when the phone could not read the photo. */
export async function readOnPhone(
  dataUrl: string,
  region: Region | null,
): Promise<LocalCandidate[] | null> {
  try {
    const { readPlateInBrowser } = await reader()
    const reading = await Promise.race([
      readPlateInBrowser(await blobOf(dataUrl), region ?? undefined),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), READ_TIMEOUT_MS)),
    ])
    return (
      reading?.candidates.map((c) => ({
        plate: c.plate,
        state: c.state ?? null,
        score: c.score,
        reasons: c.reasons,
      })) ?? null
    )
  } catch {
    return null
  }
}

/** The reader's own files (tesseract's worker, core and model), for the service worker to keep. */
export async function readerFiles(): Promise<string[]> {
  try {
    return (await reader()).ocrAssetUrls()
  } catch {
    return []
  }
}

/**
 * Runs the reader once on this phone while it is online, so its worker script and tesseract's
 * files pass through the service worker and are kept: the first offline read then needs no
 * network. Done once per phone, and stopped again at once to free the memory.
 */
export async function keepReaderOnce(): Promise<void> {
  if (localStorage.getItem(WARMED)) {
    return
  }
  const module = await reader().catch(() => null)
  if (!module) {
    return
  }
  try {
    await module.warmPlateReader()
    localStorage.setItem(WARMED, new Date().toISOString())
  } catch {
    // tried again the next time the handheld opens
  } finally {
    module.closePlateReader()
  }
}
