// A plate photo as the handheld keeps and sends it: a JPEG or PNG data URL no larger than the
// reader needs, and the viewfinder guide's box in that image's pixels.

export interface Region {
  x: number
  y: number
  w: number
  h: number
}

export interface Shot {
  /** data:image/...;base64,... : what the API takes, and what the offline queue stores. */
  dataUrl: string
  width: number
  height: number
  /** The guide box in the photo's pixels; null for a photo picked from a file. */
  region: Region | null
}

/** The long side the reader works at: enough for a plate across a street, small to send. */
const LONG_SIDE = 1600
const SMALL_FILE = 1_500_000

/** A frame of the camera, the guide box given in the frame's own pixels. */
export function shotFromCanvas(canvas: HTMLCanvasElement, region: Region | null): Shot {
  const scaled = scaleDown(canvas)
  const k = scaled.width / canvas.width
  return {
    dataUrl: scaled.toDataURL('image/jpeg', 0.9),
    width: scaled.width,
    height: scaled.height,
    region: region ? clamp(scale(region, k), scaled.width, scaled.height) : null,
  }
}

/** A photo picked from the phone: sent as it is when it is small, else scaled down as a JPEG. */
export async function shotFromFile(file: Blob): Promise<Shot> {
  const bitmap = await createImageBitmap(file)
  try {
    const fits = Math.max(bitmap.width, bitmap.height) <= LONG_SIDE * 1.25
    if (fits && file.size <= SMALL_FILE && /^image\/(jpeg|png|webp)$/.test(file.type)) {
      return {
        dataUrl: await dataUrlOf(file),
        width: bitmap.width,
        height: bitmap.height,
        region: null,
      }
    }
    const canvas = document.createElement('canvas')
    canvas.width = bitmap.width
    canvas.height = bitmap.height
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0)
    return shotFromCanvas(canvas, null)
  } finally {
    bitmap.close()
  }
}

function scaleDown(canvas: HTMLCanvasElement): HTMLCanvasElement {
  const long = Math.max(canvas.width, canvas.height)
  if (long <= LONG_SIDE) {
    return canvas
  }
  const k = LONG_SIDE / long
  const out = document.createElement('canvas')
  out.width = Math.round(canvas.width * k)
  out.height = Math.round(canvas.height * k)
  const ctx = out.getContext('2d')
  if (ctx) {
    ctx.imageSmoothingQuality = 'high'
    ctx.drawImage(canvas, 0, 0, out.width, out.height)
  }
  return out
}

function scale(r: Region, k: number): Region {
  return { x: r.x * k, y: r.y * k, w: r.w * k, h: r.h * k }
}

/** Whole pixels inside the image. */
export function clamp(r: Region, width: number, height: number): Region {
  const x = Math.max(0, Math.min(width - 1, Math.round(r.x)))
  const y = Math.max(0, Math.min(height - 1, Math.round(r.y)))
  return {
    x,
    y,
    w: Math.max(1, Math.min(width - x, Math.round(r.w))),
    h: Math.max(1, Math.min(height - y, Math.round(r.h))),
  }
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('The photo could not be read'))
    reader.readAsDataURL(blob)
  })
}

/** The photo back as a Blob, for a reader that wants one (the browser OCR). */
export async function blobOf(dataUrl: string): Promise<Blob> {
  return (await fetch(dataUrl)).blob()
}
