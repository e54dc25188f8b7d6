// Tesseract's LSTM training file (.lstmf), written directly: a serialised DocumentData, the
// format `tesseract image base lstm.train` writes, without running the CLI (about 80 ms a line)
// for every line. Layout, little-endian, as tesseract 5's TFile serialises it:
//   u32 page count; per page: u8 present, str filename, i32 page number, bytes image (PNG),
//   str language, str transcription, u32 box count + boxes (i16 left, bottom, right, top),
//   u32 box-text count + strs, i8 vertical.  A str or bytes is u32 length + the bytes.

export interface LinePage {
  /** PNG of one text line. */
  png: Uint8Array
  /** What the line says. */
  text: string
}

/** A PNG's width and height, from its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  if (png.byteLength < 24 || view.getUint32(12) !== 0x49484452) {
    throw new Error('not a PNG')
  }
  return { width: view.getUint32(16), height: view.getUint32(20) }
}

class Writer {
  private parts: Buffer[] = []
  private fixed(size: number, write: (b: Buffer) => void) {
    const b = Buffer.alloc(size)
    write(b)
    this.parts.push(b)
  }
  u8 = (v: number) => this.fixed(1, (b) => b.writeUInt8(v))
  i8 = (v: number) => this.fixed(1, (b) => b.writeInt8(v))
  i16 = (v: number) => this.fixed(2, (b) => b.writeInt16LE(v))
  u32 = (v: number) => this.fixed(4, (b) => b.writeUInt32LE(v))
  i32 = (v: number) => this.fixed(4, (b) => b.writeInt32LE(v))
  bytes(v: Uint8Array) {
    this.u32(v.byteLength)
    this.parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength))
  }
  str(v: string) {
    this.bytes(Buffer.from(v, 'utf8'))
  }
  done(): Buffer {
    return Buffer.concat(this.parts)
  }
}

/** The .lstmf bytes of a document whose pages are single lines, each boxed whole. */
export function lstmfDocument(pages: LinePage[]): Buffer {
  const w = new Writer()
  w.u32(pages.length)
  pages.forEach((page, i) => {
    const { width, height } = pngSize(page.png)
    w.u8(1)
    w.str('')
    w.i32(i)
    w.bytes(page.png)
    w.str('')
    w.str(page.text)
    w.u32(1)
    w.i16(0)
    w.i16(0)
    w.i16(width)
    w.i16(height)
    w.u32(1)
    w.str(page.text)
    w.i8(0)
  })
  return w.done()
}
