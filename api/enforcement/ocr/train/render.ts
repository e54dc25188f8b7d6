// Synthetic US plates for training the plate recogniser: the number drawn from real font
// outlines (opentype.js, so every character's box is known), a state banner and slogan,
// stickers, bolts, scenic or dark backgrounds, a tilt and skew, then the camera's damage
// (low resolution, blur, shadow, noise, JPEG). Nothing here is drawn from the benchmark's
// photos: the variety comes from fonts, layouts and noise, so the recogniser has to generalise.
import fs from 'node:fs'
import opentype from 'opentype.js'
import sharp from 'sharp'
import type { Box } from '../image.ts'
import { createRng, type Rng } from './random.ts'
import { pickStrokeFace, strokeGlyphPath } from './stroke-face.ts'

/** A font file for the plate number, and the extra stroke that makes it bolder or embossed. */
export interface PlateFont {
  file: string
  /** Debian package that ships it. */
  pkg: string
  /** Extra outline, as a fraction of the character height: [min, max]. */
  stroke: [number, number]
}

const F = (file: string, pkg: string, stroke: [number, number] = [0, 0.025]): PlateFont => ({
  file,
  pkg,
  stroke,
})

/**
 * Plate-like faces from Debian's font packages: condensed and industrial sans (most US plates),
 * DIN, a monospace, and wide geometric faces for the W, M and A that narrow faces draw thin.
 */
export const PLATE_FONTS: PlateFont[] = [
  F('/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf', 'fonts-dejavu-extra'),
  F('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', 'fonts-dejavu-core'),
  F('/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', 'fonts-dejavu-core'),
  F('/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf', 'fonts-liberation'),
  F('/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf', 'fonts-liberation2'),
  F('/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf', 'fonts-liberation2'),
  F('/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf', 'fonts-roboto-unhinted'),
  F('/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Regular.ttf', 'fonts-roboto-unhinted', [0.01, 0.04]),
  F('/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Black.ttf', 'fonts-roboto-unhinted'),
  F('/usr/share/fonts/truetype/open-sans/OpenSans-CondBold.ttf', 'fonts-open-sans'),
  F('/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf', 'fonts-open-sans'),
  F('/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf', 'fonts-bebas-neue'),
  F('/usr/share/fonts/opentype/bebas-neue/BebasNeue-Regular.otf', 'fonts-bebas-neue', [0.01, 0.04]),
  F('/usr/share/fonts/truetype/opendin/OSP-DIN.ttf', 'fonts-opendin', [0.005, 0.04]),
  F('/usr/share/fonts/truetype/freefont/FreeSansBold.ttf', 'fonts-freefont-ttf'),
  F('/usr/share/fonts/opentype/cantarell/Cantarell-Bold.otf', 'fonts-cantarell'),
  F('/usr/share/fonts/opentype/league-spartan/LeagueSpartan-Bold.otf', 'fonts-league-spartan'),
  F('/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf', 'fonts-noto-core'),
  F('/usr/share/fonts/truetype/routed-gothic/routed-gothic.ttf', 'fonts-routed-gothic', [0.03, 0.07]),
  F('/usr/share/fonts/truetype/routed-gothic/routed-gothic-narrow.ttf', 'fonts-routed-gothic', [0.03, 0.07]),
  F('/usr/share/fonts/opentype/b612/B612-Bold.otf', 'fonts-b612'),
]

/** Families for the banner and slogan, drawn by librsvg through fontconfig. */
const WORD_FAMILIES = [
  'DejaVu Serif',
  'Liberation Serif',
  'Noto Serif',
  'FreeSerif',
  'DejaVu Sans',
  'Open Sans',
  'Cantarell',
  'Roboto',
  'Bebas Neue',
  'Liberation Sans Narrow',
]

/** The Debian packages the renderer's fonts come from. */
export function fontPackages(): string[] {
  return [...new Set([...PLATE_FONTS, ...SYMBOL_FONTS].map((f) => f.pkg))].sort()
}

/** Fonts whose files are missing (their package is not installed). */
export function missingFonts(fonts = [...PLATE_FONTS, ...SYMBOL_FONTS]): PlateFont[] {
  return fonts.filter((f) => !fs.existsSync(f.file))
}

const loaded = new Map<string, opentype.Font>()

function loadFont(file: string): opentype.Font {
  let font = loaded.get(file)
  if (!font) {
    const buffer = fs.readFileSync(file)
    font = opentype.parse(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length))
    loaded.set(file, font)
  }
  return font
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const DIGITS = '0123456789'

// Shapes of plate numbers: L a letter, D a digit, * either; a space is a gap on the plate.
const FORMATS = [
  'LLL DDDD', 'LLL DDD', 'DDD LLL', 'DLLL DDD', 'DDD DLL', 'LLLDDD', 'DDDLLL', 'LLDDDDD',
  'LL DDDDD', 'DDDDDD', 'DDDDDDD', 'LLLL DD', 'DDDD LL', 'LLL LLL', 'DL DDDD', 'DDD LLLL',
  'LDD DLL', 'DLLDDDD', 'LLD DLL', 'DDLDDL', '*****', '******', '*******', '** ****',
  'LLLLLLL', 'LLLLLL', 'DDDDD', 'LLLL DDD', 'DDLL DDD', 'DDDDDDDD',
]

/** A plate number in one of the common US shapes, or a vanity plate. */
export function plateNumber(rng: Rng): { text: string; groups: string[] } {
  const format = rng.pick(FORMATS)
  const out = [...format].map((c) =>
    c === 'L' ? rng.pick([...LETTERS]) : c === 'D' ? rng.pick([...DIGITS]) : c === '*' ? rng.pick([...LETTERS + DIGITS]) : ' ',
  )
  const groups = out.join('').split(' ').filter(Boolean)
  return { text: groups.join(''), groups }
}

const WORDS = [
  'ALASKA', 'Arizona', 'CALIFORNIA', 'Colorado', 'DELAWARE', 'Florida', 'GEORGIA', 'Idaho',
  'ILLINOIS', 'Indiana', 'KENTUCKY', 'Maryland', 'MISSISSIPPI', 'Nevada', 'NEW JERSEY',
  'Oregon', 'TEXAS', 'Vermont', 'VIRGINIA', 'Washington', 'Wisconsin', 'Utah', 'OHIO',
  'Land of Lincoln', 'Sunshine State', 'Famous Potatoes', 'Garden State', 'Live Free or Die',
  'Green Mountain State', 'First in Flight', 'Peach State', 'The Lone Star State', 'DEALER',
  'COUNTY', 'Evergreen State', 'Great Lakes', 'America\'s Dairyland', 'Grand Canyon State',
  'IN GOD WE TRUST', 'Heart of Dixie', 'Spirit of America', 'Life Elevated',
]

const INKS = ['#111111', '#1b2a6b', '#0d3b7a', '#6b1020', '#12502e', '#222244', '#3a2a1a', '#000000']
const LIGHT_INKS = ['#ffffff', '#f4e9b0', '#f8f8f0', '#ffd24a']
const LIGHT_BACKS = ['#ffffff', '#f7f5ee', '#eef2f8', '#f9f3d6', '#e8f1e8', '#fbe9e0', '#e6e6e6', '#fdf7c4']
const DARK_BACKS = ['#0c1f4a', '#113d26', '#111111', '#4a0f14', '#1c3f7a']
const ACCENTS = ['#c0392b', '#1f5fa8', '#2e7d32', '#b8860b', '#6a1b9a', '#d35400', '#1a1a1a', '#0e6b77']

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;')

type Matrix = [number, number, number, number, number, number]

const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
]

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[2] * b[1],
    a[1] * b[0] + a[3] * b[1],
    a[0] * b[2] + a[2] * b[3],
    a[1] * b[2] + a[3] * b[3],
    a[0] * b[4] + a[2] * b[5] + a[4],
    a[1] * b[4] + a[3] * b[5] + a[5],
  ]
}

const W = 600
const H = 300

function background(rng: Rng, dark: boolean): string {
  if (dark) {
    const c = rng.pick(DARK_BACKS)
    return `<rect width="${W}" height="${H}" fill="${c}"/>`
  }
  const a = rng.pick(LIGHT_BACKS)
  const style = rng.int(0, 3)
  if (style === 0) {
    return `<rect width="${W}" height="${H}" fill="${a}"/>`
  }
  const b = rng.pick(LIGHT_BACKS)
  let svg = `<defs><linearGradient id="g" x1="0" y1="0" x2="${rng.chance(0.5) ? 1 : 0}" y2="1">
    <stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
    <rect width="${W}" height="${H}" fill="url(#g)"/>`
  if (style >= 2) {
    // Scenery: hills, a sun, waves, a skyline band, in muted colours behind the number.
    for (let i = rng.int(1, 4); i > 0; i--) {
      const colour = rng.pick([...ACCENTS, '#f0a030', '#7fb3d5', '#a9d18e', '#d7bde2'])
      const opacity = rng.range(0.15, 0.7).toFixed(2)
      const kind = rng.int(0, 2)
      if (kind === 0) {
        svg += `<ellipse cx="${rng.int(0, W)}" cy="${rng.int(180, 360)}" rx="${rng.int(80, 400)}" ry="${rng.int(30, 120)}" fill="${colour}" opacity="${opacity}"/>`
      } else if (kind === 1) {
        svg += `<circle cx="${rng.int(0, W)}" cy="${rng.int(0, H)}" r="${rng.int(20, 110)}" fill="${colour}" opacity="${opacity}"/>`
      } else {
        const y = rng.int(40, 280)
        svg += `<path d="M0 ${y} Q ${W / 4} ${y - rng.int(-60, 60)} ${W / 2} ${y} T ${W} ${y} L ${W} ${H} L 0 ${H} Z" fill="${colour}" opacity="${opacity}"/>`
      }
    }
  }
  return svg
}

function words(rng: Rng, dark: boolean, charTop: number, charBottom: number): string {
  const colour = dark ? rng.pick(LIGHT_INKS) : rng.pick([...ACCENTS, ...INKS])
  let svg = ''
  const top = Math.min(charTop - 8, rng.int(40, 75))
  if (top > 28 && rng.chance(0.9)) {
    const size = Math.min(top - 4, rng.int(24, 58))
    const italic = rng.chance(0.3) ? ' font-style="italic"' : ''
    const weight = rng.chance(0.5) ? ' font-weight="bold"' : ''
    svg += `<text x="${W / 2 + rng.int(-40, 40)}" y="${top}" font-family="${rng.pick(WORD_FAMILIES)}" font-size="${size}"${italic}${weight} text-anchor="middle" fill="${colour}">${esc(rng.pick(WORDS))}</text>`
  }
  const room = H - charBottom
  if (room > 26 && rng.chance(0.85)) {
    const size = Math.min(room - 8, rng.int(16, 36))
    const y = Math.min(H - 8, charBottom + size + rng.int(2, Math.max(3, room - size - 6)))
    svg += `<text x="${W / 2 + rng.int(-60, 60)}" y="${y}" font-family="${rng.pick(WORD_FAMILIES)}" font-size="${size}" text-anchor="middle" fill="${rng.pick([...ACCENTS, ...INKS])}">${esc(rng.pick(WORDS))}</text>`
  }
  return svg
}

function stickersAndBolts(rng: Rng): string {
  let svg = ''
  for (let i = rng.int(0, 2); i > 0; i--) {
    const w = rng.int(40, 90)
    const h = rng.int(28, 55)
    const x = rng.chance(0.5) ? rng.int(8, 60) : rng.int(W - 60 - w, W - 8 - w)
    const y = rng.chance(0.6) ? rng.int(6, 40) : rng.int(H - 40 - h, H - 6 - h)
    const fill = rng.pick(['#e53935', '#fdd835', '#43a047', '#1e88e5', '#fb8c00', '#ffffff', '#8e24aa'])
    svg += `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="${fill}" stroke="#333" stroke-width="1"/>`
    svg += `<text x="${x + w / 2}" y="${y + h * 0.75}" font-family="DejaVu Sans" font-weight="bold" font-size="${Math.round(h * 0.6)}" text-anchor="middle" fill="#111">${rng.int(1, 30)}</text>`
  }
  if (rng.chance(0.8)) {
    const y = rng.int(18, 40)
    for (const x of [rng.int(90, 160), rng.int(440, 510)]) {
      svg += `<circle cx="${x}" cy="${y}" r="${rng.int(5, 11)}" fill="${rng.pick(['#999', '#777', '#bbb', '#555'])}"/>`
    }
  }
  return svg
}

// A logo, dash or nothing in the gap between the number's groups.
function separator(rng: Rng, x: number, w: number, top: number, h: number, ink: string): string {
  const cx = x + w / 2
  const cy = top + h / 2
  const kind = rng.int(0, 4)
  const colour = rng.chance(0.5) ? ink : rng.pick(ACCENTS)
  if (kind === 0 || w < 12) {
    return ''
  }
  if (kind === 1) {
    return `<rect x="${cx - w * 0.3}" y="${cy - h * 0.05}" width="${w * 0.6}" height="${h * 0.1}" fill="${ink}"/>`
  }
  if (kind === 2) {
    const r = Math.min(w, h) * rng.range(0.25, 0.45)
    const pts = Array.from({ length: 10 }, (_, i) => {
      const a = (Math.PI * i) / 5 - Math.PI / 2
      const rr = i % 2 === 0 ? r : r * 0.45
      return `${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`
    })
    return `<polygon points="${pts.join(' ')}" fill="${colour}"/>`
  }
  if (kind === 3) {
    return `<circle cx="${cx}" cy="${cy}" r="${Math.min(w, h) * rng.range(0.2, 0.4)}" fill="${colour}" opacity="0.85"/>`
  }
  // A state's outline: an irregular blob.
  const r = Math.min(w, h) * 0.4
  const pts = Array.from({ length: 9 }, (_, i) => {
    const a = (2 * Math.PI * i) / 9
    const rr = r * rng.range(0.6, 1.1)
    return `${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * 1.3 * Math.sin(a)).toFixed(1)}`
  })
  return `<polygon points="${pts.join(' ')}" fill="${colour}" opacity="0.8"/>`
}

// A mark beside the number and the box it was drawn in (plate coordinates).
interface Mark {
  svg: string
  box: Box
}

// Just past one end of the number: a graphic (a wheelchair sign, a heart, a state's outline, a
// star) or small stacked letters (a county code, DV, TRK), as plates put there; the reader must
// neither read it as a character nor lose the character beside it.
function endMark(rng: Rng, box: Box, ink: string): Mark {
  const h = box.h * rng.range(0.5, 0.95)
  const w = box.h * rng.range(0.35, 0.8)
  const gap = box.h * rng.range(0.08, 0.45)
  const left = rng.chance(0.5)
  const x = left ? box.x - gap - w : box.x + box.w + gap
  const y = box.y + (box.h - h) * rng.range(0, 1)
  const colour = rng.chance(0.6) ? ink : rng.pick(ACCENTS)
  const kind = rng.int(0, 3)
  const at = { x, y, w, h }
  if (kind === 0) {
    const size = (h / 2) * 0.9
    const letters = () =>
      Array.from({ length: rng.int(1, 3) }, () => rng.pick([...LETTERS + DIGITS])).join('')
    return {
      box: at,
      svg:
        `<text x="${(x + w / 2).toFixed(1)}" y="${(y + size).toFixed(1)}" font-family="${rng.pick(WORD_FAMILIES)}" font-weight="bold" font-size="${size.toFixed(1)}" text-anchor="middle" fill="${colour}">${letters()}</text>` +
        `<text x="${(x + w / 2).toFixed(1)}" y="${(y + h).toFixed(1)}" font-family="${rng.pick(WORD_FAMILIES)}" font-weight="bold" font-size="${size.toFixed(1)}" text-anchor="middle" fill="${colour}">${letters()}</text>`,
    }
  }
  if (kind === 1) {
    // A wheelchair sign: a square with a figure's head and wheel.
    const r = Math.min(w, h)
    return {
      box: { x, y, w: r, h: r },
      svg:
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${r.toFixed(1)}" height="${r.toFixed(1)}" rx="${(r * 0.1).toFixed(1)}" fill="${colour}"/>` +
        `<circle cx="${(x + r * 0.45).toFixed(1)}" cy="${(y + r * 0.2).toFixed(1)}" r="${(r * 0.09).toFixed(1)}" fill="#fff"/>` +
        `<circle cx="${(x + r * 0.45).toFixed(1)}" cy="${(y + r * 0.65).toFixed(1)}" r="${(r * 0.22).toFixed(1)}" fill="none" stroke="#fff" stroke-width="${(r * 0.07).toFixed(1)}"/>`,
    }
  }
  if (kind === 2) {
    const cx = x + w / 2
    const top = y + h * 0.3
    return {
      box: at,
      svg: `<path d="M ${cx.toFixed(1)} ${(y + h).toFixed(1)} C ${(x - w * 0.3).toFixed(1)} ${(y + h * 0.5).toFixed(1)} ${(x + w * 0.1).toFixed(1)} ${(y - h * 0.1).toFixed(1)} ${cx.toFixed(1)} ${top.toFixed(1)} C ${(x + w * 0.9).toFixed(1)} ${(y - h * 0.1).toFixed(1)} ${(x + w * 1.3).toFixed(1)} ${(y + h * 0.5).toFixed(1)} ${cx.toFixed(1)} ${(y + h).toFixed(1)} Z" fill="${colour}"/>`,
    }
  }
  const svg =
    separator(rng, x, w, y, h, ink) ||
    `<circle cx="${(x + w / 2).toFixed(1)}" cy="${(y + h / 2).toFixed(1)}" r="${(Math.min(w, h) * 0.4).toFixed(1)}" fill="${colour}"/>`
  return { box: at, svg }
}

/**
 * Fonts whose pictographs are drawn as symbols beside the number (`symbolMark`), from packages
 * the plate faces already need.
 */
export const SYMBOL_FONTS: PlateFont[] = [
  F('/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf', 'fonts-noto-core'),
  F('/usr/share/fonts/truetype/noto/NotoSansSymbols-Bold.ttf', 'fonts-noto-core'),
  F('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', 'fonts-dejavu-core'),
  F('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'fonts-dejavu-core'),
]

// Miscellaneous symbols (the wheelchair among them), dingbats, and the pictographs and
// ornaments of the supplementary planes. Left out: arrows, technical and geometric shapes, the
// dingbats' check marks, crosses, bars and circled digits, whose rings, bars and strokes are
// drawn like O, I, V, X or a digit, which a mark beside the number must not teach to skip.
const SYMBOL_RANGES: [number, number][] = [
  [0x2600, 0x26ff],
  [0x2700, 0x2712],
  [0x2719, 0x2757],
  [0x275b, 0x2775],
  [0x2794, 0x27bf],
  [0x1f300, 0x1f64f],
  [0x1f650, 0x1f67f],
  [0x1f680, 0x1f6ff],
]

const symbolGlyphs = new Map<string, opentype.Glyph[]>()
let symbolFonts: PlateFont[] | undefined

// A training run has every font (train.ts checks); a test machine may have DejaVu's only.
function installedSymbolFonts(): PlateFont[] {
  symbolFonts ??= SYMBOL_FONTS.filter((f) => fs.existsSync(f.file))
  return symbolFonts
}

// The font's glyphs in SYMBOL_RANGES that draw something.
function symbolsOf(file: string): opentype.Glyph[] {
  let glyphs = symbolGlyphs.get(file)
  if (!glyphs) {
    const font = loadFont(file)
    glyphs = []
    for (const [from, to] of SYMBOL_RANGES) {
      for (let code = from; code <= to; code++) {
        const index = font.charToGlyphIndex(String.fromCodePoint(code))
        if (index > 0) {
          const glyph = font.glyphs.get(index)
          const bb = glyph.getBoundingBox()
          // A thin upright glyph is drawn like an I or a 1.
          if (bb.x2 > bb.x1 && bb.y2 > bb.y1 && bb.x2 - bb.x1 >= 0.35 * (bb.y2 - bb.y1)) {
            glyphs.push(glyph)
          }
        }
      }
    }
    symbolGlyphs.set(file, glyphs)
  }
  return glyphs
}

// Just past one end of the number, a pictograph from a symbol font (a figure in a wheelchair,
// a bird, a star, a flower, an anchor, a seal-like disc): emblems on real plates are drawn in
// endless ways, the stacked letters and four shapes of endMark are a few of them, and the
// recogniser must learn that none of them is a character. In a third it stands in a ring, as a
// seal does; in a fifth it is drawn in outline.
function symbolMark(rng: Rng, box: Box, ink: string, left: boolean): Mark {
  const file = rng.pick(installedSymbolFonts()).file
  const glyph = rng.pick(symbolsOf(file))
  const font = loadFont(file)
  const h = box.h * rng.range(0.6, 1.25)
  const gap = box.h * rng.range(0.05, 0.45)
  const ring = rng.chance(0.33)
  const colour = rng.chance(0.5) ? ink : rng.pick(ACCENTS)
  const size = font.unitsPerEm
  const path = glyph.getPath(0, 0, size)
  const bb = path.getBoundingBox()
  const inner = ring ? h * 0.62 : h
  const k = inner / Math.max(bb.y2 - bb.y1, (bb.x2 - bb.x1) * 0.8)
  const gw = (bb.x2 - bb.x1) * k * rng.range(0.8, 1.15)
  const w = ring ? h : gw
  const x = left ? box.x - gap - w : box.x + box.w + gap
  const y = box.y + (box.h - h) * rng.range(0, 1)
  const gx = x + (w - gw) / 2
  const gy = y + (h - (bb.y2 - bb.y1) * k) / 2
  const sx = gw / (bb.x2 - bb.x1)
  const outline = rng.chance(0.2)
  const paint = outline
    ? `fill="none" stroke="${colour}" stroke-width="${(box.h * 0.05 / k).toFixed(2)}"`
    : `fill="${colour}"`
  let svg = `<path transform="translate(${f1(gx - bb.x1 * sx)} ${f1(gy - bb.y1 * k)}) scale(${sx.toFixed(4)} ${k.toFixed(4)})" d="${path.toPathData(1)}" ${paint}/>`
  if (ring) {
    svg += `<circle cx="${f1(x + w / 2)}" cy="${f1(y + h / 2)}" r="${f1(h * 0.46)}" fill="none" stroke="${colour}" stroke-width="${f1(h * rng.range(0.04, 0.1))}"/>`
  }
  return { svg, box: { x, y, w, h } }
}

// A border drawn close around the number (a plate's inner frame, a dealer's surround), which
// the first stage must cut the end characters loose from.
function closeBorder(rng: Rng, box: Box, ink: string): string {
  const margin = box.h * rng.range(0.04, 0.22)
  const stroke = box.h * rng.range(0.03, 0.1)
  const colour = rng.chance(0.7) ? ink : rng.pick(ACCENTS)
  return `<rect x="${(box.x - margin).toFixed(1)}" y="${(box.y - margin).toFixed(1)}" width="${(box.w + 2 * margin).toFixed(1)}" height="${(box.h + 2 * margin).toFixed(1)}" rx="${(box.h * rng.range(0, 0.2)).toFixed(1)}" fill="none" stroke="${colour}" stroke-width="${stroke.toFixed(1)}"/>`
}

const f1 = (v: number) => v.toFixed(1)

// A state's scene across the plate, as Idaho, Washington, Nevada or Colorado print one: a
// coloured sky fading to white behind the banner, a pale mountain range behind the lower half of
// the number and a dark treeline whose tips reach into the characters' feet. The first stage
// must keep characters standing in it and the grey band must read them (the benchmark's Idaho
// plates lost characters to exactly this, which the muted shapes of background() never drew).
function scene(rng: Rng, box: Box): string {
  const sky = rng.pick(['#b3202a', '#1f4e9a', '#d9822b', '#2a7a9a', '#6a3d8a', '#c8a02a'])
  let svg = `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="${sky}"/><stop offset="${rng.range(0.25, 0.5).toFixed(2)}" stop-color="${rng.pick(LIGHT_BACKS)}"/></linearGradient></defs>
    <rect width="${W}" height="${H}" fill="url(#sky)"/>`
  const bottom = box.y + box.h
  if (rng.chance(0.75)) {
    const base = bottom - box.h * rng.range(0, 0.4)
    const colour = rng.pick(['#9fb3d9', '#a8b8c8', '#b9a6cf', '#9cc0a8', '#c8b49a', '#7f96c4'])
    let pts = `0,${H} 0,${f1(base)}`
    for (let x = 0; x < W; ) {
      x += rng.range(25, 90)
      pts += ` ${f1(x)},${f1(base - rng.range(5, box.h * 0.6))} ${f1(x + rng.range(10, 40))},${f1(base - rng.range(0, 15))}`
    }
    svg += `<polygon points="${pts} ${W},${H}" fill="${colour}" opacity="${rng.range(0.5, 0.95).toFixed(2)}"/>`
  }
  if (rng.chance(0.85)) {
    const base = bottom + box.h * rng.range(-0.05, 0.25)
    const colour = rng.pick(['#1b2a5b', '#17361f', '#2b2b45', '#24401f', '#3b2a4a', '#2f4f6f'])
    let trees = ''
    for (let x = -10; x < W + 10; x += rng.range(5, 14)) {
      const w = rng.range(8, 20)
      const top = base - box.h * rng.range(0.05, 0.3)
      trees += `M${f1(x - w / 2)} ${f1(base + 2)} L${f1(x)} ${f1(top)} L${f1(x + w / 2)} ${f1(base + 2)} Z `
    }
    if (rng.chance(0.4)) {
      // One tall conifer at an end, its tip above the number's top.
      const x = rng.chance(0.5) ? rng.range(15, 70) : rng.range(W - 70, W - 15)
      const w = rng.range(25, 50)
      trees += `M${f1(x - w / 2)} ${f1(base + 2)} L${f1(x)} ${f1(rng.range(20, box.y + box.h * 0.3))} L${f1(x + w / 2)} ${f1(base + 2)} Z `
    }
    svg += `<path d="${trees}" fill="${colour}"/><rect x="0" y="${f1(base)}" width="${W}" height="${f1(Math.max(0, H - base))}" fill="${colour}"/>`
  }
  return svg
}

// A fruit in the gap between the number's groups, as Florida's orange with its leaves and
// blossom: wider than a separator, often touching the characters either side.
function groupMark(rng: Rng, gap: Box): string {
  const r = Math.min(gap.h * rng.range(0.25, 0.42), gap.w / 2 + gap.h * 0.06)
  const cx = gap.x + gap.w / 2 + rng.range(-0.1, 0.1) * gap.h
  const cy = gap.y + gap.h * rng.range(0.4, 0.65)
  const colour = rng.pick(['#f08a1c', '#e8731a', '#f5a623', '#d9452b', '#f2c12e', '#8e2a5a'])
  let svg = `<circle cx="${f1(cx)}" cy="${f1(cy)}" r="${f1(r)}" fill="${colour}" stroke="#7a3a12" stroke-width="${f1(r * rng.range(0, 0.08))}"/>`
  for (let i = rng.int(1, 3); i > 0; i--) {
    const angle = rng.range(-70, 70)
    svg += `<ellipse cx="${f1(cx + rng.range(-0.6, 0.6) * r)}" cy="${f1(cy - r * rng.range(0.8, 1.1))}" rx="${f1(r * 0.5)}" ry="${f1(r * 0.2)}" transform="rotate(${angle.toFixed(0)} ${f1(cx)} ${f1(cy - r)})" fill="${rng.pick(['#2e7d32', '#4f8f2f', '#1f5f2a'])}"/>`
  }
  if (rng.chance(0.5)) {
    const bx = cx + rng.range(-0.5, 0.5) * r
    const by = cy + rng.range(-0.2, 0.6) * r
    for (let i = 0; i < 5; i++) {
      const a = (2 * Math.PI * i) / 5
      svg += `<circle cx="${f1(bx + Math.cos(a) * r * 0.16)}" cy="${f1(by + Math.sin(a) * r * 0.16)}" r="${f1(r * 0.14)}" fill="#ffffff"/>`
    }
  }
  return svg
}

// An emblem between the number's groups or behind the number, as states print one there:
// Maryland's quartered shield and its heron standing in reeds, Illinois's pale portrait of
// Lincoln (taller than the characters, the characters either side standing on it), a badge
// drawn in outline (New Jersey's firefighter's shield). The benchmark's Illinois and Maryland
// plates lost characters to these, or gained one: a fruit was the only emblem the other mixes
// drew. `gap` is where it stands (the first gap between groups, or the number's middle on a
// plate of one group); a shield or a badge needs a gap.
function emblem(rng: Rng, box: Box, gap: Box | undefined): string {
  const kinds = gap ? ['shield', 'portrait', 'bird', 'badge'] : ['portrait', 'bird']
  const kind = rng.pick(kinds)
  const at = gap ?? { x: box.x + box.w * rng.range(0.3, 0.6), y: box.y, w: 0, h: box.h }
  const cx = at.x + at.w / 2
  const h = at.h
  if (kind === 'shield') {
    const w = Math.min(h * rng.range(0.3, 0.5), Math.max(at.w * 0.95, h * 0.2))
    const sh = w * rng.range(1.05, 1.3)
    const x = cx - w / 2
    const y = at.y + (h - sh) * rng.range(0.3, 0.6)
    const id = `shield-${Math.round(x * 10)}`
    const outline = `M${f1(x)} ${f1(y)} H${f1(x + w)} V${f1(y + sh * 0.55)} Q${f1(x + w)} ${f1(y + sh * 0.85)} ${f1(cx)} ${f1(y + sh)} Q${f1(x)} ${f1(y + sh * 0.85)} ${f1(x)} ${f1(y + sh * 0.55)} Z`
    // Two quarters of gold and black bars, two of white with a red cross.
    const bars = (qx: number, qy: number) =>
      Array.from({ length: 6 }, (_, i) =>
        `<rect x="${f1(qx + (i * w) / 12)}" y="${f1(qy)}" width="${f1(w / 12)}" height="${f1(sh / 2)}" fill="${i % 2 ? '#111' : '#e0a820'}"/>`,
      ).join('')
    const cross = (qx: number, qy: number) =>
      `<rect x="${f1(qx)}" y="${f1(qy)}" width="${f1(w / 2)}" height="${f1(sh / 2)}" fill="#f4f4f4"/>` +
      `<rect x="${f1(qx + w / 4 - w / 20)}" y="${f1(qy + sh * 0.05)}" width="${f1(w / 10)}" height="${f1(sh * 0.4)}" fill="#c0262d"/>` +
      `<rect x="${f1(qx + w * 0.05)}" y="${f1(qy + sh / 4 - sh / 20)}" width="${f1(w * 0.4)}" height="${f1(sh / 10)}" fill="#c0262d"/>`
    return (
      `<clipPath id="${id}"><path d="${outline}"/></clipPath><g clip-path="url(#${id})">` +
      `${bars(x, y)}${cross(x + w / 2, y)}${cross(x, y + sh / 2)}${bars(x + w / 2, y + sh / 2)}</g>` +
      `<path d="${outline}" fill="none" stroke="#222" stroke-width="${f1(w * rng.range(0.02, 0.06))}"/>`
    )
  }
  if (kind === 'portrait') {
    // Head and shoulders in one pale tone, outlined, with a darker beard, hair and collar:
    // faint beside the ink, but edges the local-mean mask can keep.
    const ph = h * rng.range(1, 1.35)
    const bottom = at.y + h + h * rng.range(-0.05, 0.15)
    const tone = rng.pick(['#a4badf', '#b3c1d8', '#c0cde6', '#9bb0d0', '#c2bcd6', '#a9c3d6'])
    const shade = rng.pick(['#6f8ab8', '#7f93b0', '#8aa0c8', '#5f7aa8'])
    const line = f1(ph * rng.range(0.015, 0.035))
    const headY = bottom - ph * 0.6
    const hx = cx + rng.range(-0.08, 0.08) * ph
    return (
      `<g opacity="${rng.range(0.7, 1).toFixed(2)}" stroke="${shade}" stroke-width="${line}">` +
      `<path d="M${f1(cx - ph * 0.5)} ${f1(bottom)} Q${f1(cx - ph * 0.48)} ${f1(bottom - ph * 0.36)} ${f1(hx)} ${f1(bottom - ph * 0.34)} Q${f1(cx + ph * 0.48)} ${f1(bottom - ph * 0.36)} ${f1(cx + ph * 0.5)} ${f1(bottom)} Z" fill="${tone}"/>` +
      `<path d="M${f1(hx - ph * 0.12)} ${f1(bottom - ph * 0.3)} L${f1(hx)} ${f1(bottom - ph * 0.12)} L${f1(hx + ph * 0.12)} ${f1(bottom - ph * 0.3)}" fill="none"/>` +
      `<ellipse cx="${f1(hx)}" cy="${f1(headY)}" rx="${f1(ph * 0.2)}" ry="${f1(ph * 0.27)}" fill="${tone}"/>` +
      `<path d="M${f1(hx - ph * 0.19)} ${f1(headY + ph * 0.02)} Q${f1(hx)} ${f1(headY + ph * 0.42)} ${f1(hx + ph * 0.19)} ${f1(headY + ph * 0.02)} Q${f1(hx)} ${f1(headY + ph * 0.16)} ${f1(hx - ph * 0.19)} ${f1(headY + ph * 0.02)} Z" fill="${shade}"/>` +
      `<path d="M${f1(hx - ph * 0.21)} ${f1(headY - ph * 0.02)} Q${f1(hx - ph * 0.08)} ${f1(headY - ph * 0.36)} ${f1(hx + ph * 0.2)} ${f1(headY - ph * 0.14)}" fill="none" stroke-width="${f1(ph * 0.07)}"/>` +
      `</g>`
    )
  }
  if (kind === 'bird') {
    // A heron: a body, an S of a neck, a beak, two long legs, and reeds at its feet.
    const bh = h * rng.range(0.9, 1.4)
    const foot = at.y + h + h * rng.range(0, 0.25)
    const colour = rng.pick(['#2a6fb0', '#1f5fa8', '#3a7ab8', '#0e6b77', '#4a6a8a'])
    const body = { x: cx, y: foot - bh * 0.48 }
    const pen = bh * rng.range(0.025, 0.045)
    const facing = rng.chance(0.5) ? 1 : -1
    const head = { x: cx + facing * bh * 0.08, y: foot - bh }
    let svg =
      `<ellipse cx="${f1(body.x)}" cy="${f1(body.y)}" rx="${f1(bh * 0.17)}" ry="${f1(bh * 0.08)}" transform="rotate(${(-facing * 25).toFixed(0)} ${f1(body.x)} ${f1(body.y)})" fill="${colour}"/>` +
      `<path d="M${f1(body.x + facing * bh * 0.1)} ${f1(body.y - bh * 0.04)} C${f1(body.x + facing * bh * 0.25)} ${f1(body.y - bh * 0.2)} ${f1(body.x - facing * bh * 0.05)} ${f1(head.y + bh * 0.25)} ${f1(head.x)} ${f1(head.y + bh * 0.03)}" fill="none" stroke="${colour}" stroke-width="${f1(pen)}"/>` +
      `<ellipse cx="${f1(head.x)}" cy="${f1(head.y + bh * 0.03)}" rx="${f1(bh * 0.04)}" ry="${f1(bh * 0.03)}" fill="${colour}"/>` +
      `<path d="M${f1(head.x)} ${f1(head.y + bh * 0.03)} L${f1(head.x + facing * bh * 0.16)} ${f1(head.y + bh * 0.06)}" stroke="${colour}" stroke-width="${f1(pen * 0.7)}"/>` +
      `<path d="M${f1(body.x - bh * 0.02)} ${f1(body.y + bh * 0.05)} L${f1(body.x - bh * 0.04)} ${f1(foot)} M${f1(body.x + bh * 0.03)} ${f1(body.y + bh * 0.05)} L${f1(body.x + bh * 0.06)} ${f1(foot)}" stroke="${colour}" stroke-width="${f1(pen * 0.6)}"/>`
    const reeds = rng.pick(['#2e7d32', '#4f8f2f', '#1f5f2a', '#5a8a3a'])
    for (let i = rng.int(4, 12); i > 0; i--) {
      const x = cx + rng.range(-0.6, 0.6) * bh
      svg += `<path d="M${f1(x)} ${f1(foot + h * 0.1)} Q${f1(x + rng.range(-0.1, 0.1) * bh)} ${f1(foot - bh * 0.2)} ${f1(x + rng.range(-0.2, 0.2) * bh)} ${f1(foot - bh * rng.range(0.2, 0.55))}" fill="none" stroke="${reeds}" stroke-width="${f1(pen * 0.8)}"/>`
    }
    return svg
  }
  // A badge in outline: a shield or a square with a cross and two small letters in it.
  const bw = Math.min(h * rng.range(0.6, 0.9), Math.max(at.w * 0.95, h * 0.3))
  const bh = h * rng.range(0.7, 0.95)
  const x = cx - bw / 2
  const y = at.y + (h - bh) / 2
  const ink = rng.pick(INKS)
  const size = bh * 0.28
  return (
    `<rect x="${f1(x)}" y="${f1(y)}" width="${f1(bw)}" height="${f1(bh)}" rx="${f1(bw * rng.range(0, 0.3))}" fill="none" stroke="${ink}" stroke-width="${f1(bh * rng.range(0.03, 0.06))}"/>` +
    `<path d="M${f1(cx)} ${f1(y + bh * 0.15)} V${f1(y + bh * 0.85)} M${f1(x + bw * 0.15)} ${f1(y + bh / 2)} H${f1(x + bw * 0.85)}" stroke="${ink}" stroke-width="${f1(bh * 0.025)}"/>` +
    `<text x="${f1(cx - bw * 0.22)}" y="${f1(y + bh * 0.45)}" font-family="${rng.pick(WORD_FAMILIES)}" font-weight="bold" font-size="${f1(size)}" text-anchor="middle" fill="${ink}">${rng.pick([...LETTERS])}</text>` +
    `<text x="${f1(cx + bw * 0.22)}" y="${f1(y + bh * 0.85)}" font-family="${rng.pick(WORD_FAMILIES)}" font-weight="bold" font-size="${f1(size)}" text-anchor="middle" fill="${ink}">${rng.pick([...LETTERS])}</text>`
  )
}

interface Layout {
  svg: string
  /** The characters' box in plate (SVG) coordinates. */
  box: Box
  /** The gaps between the number's groups, each as tall as the characters. */
  gaps: Box[]
}

// Room left on one side of the number for a mark: the number takes this share of the width it
// would, near the plate's other edge.
interface Room {
  share: number
  markLeft: boolean
}

// A row `widthAt(sx)` wide squeezed into 78-95% of the plate's width (never below `minScale`),
// and where it starts: centred, give or take, or beside the room left for a mark.
function fitToPlate(
  rng: Rng,
  widthAt: (sx: number) => number,
  sx: number,
  minScale: number,
  room?: Room,
): { sx: number; total: number; left: number } {
  const maxW = rng.range(0.78, 0.95) * W * (room?.share ?? 1)
  const fitted = widthAt(sx) > maxW ? Math.max(minScale, sx * (maxW / widthAt(sx))) : sx
  const total = widthAt(fitted)
  if (room) {
    return { sx: fitted, total, left: room.markLeft ? W * 0.95 - total : W * 0.05 }
  }
  const left = (W - total) / 2 + (rng.range(-0.4, 0.4) * Math.max(0, W - total - 40)) / 2
  return { sx: fitted, total, left }
}

// The number, glyph by glyph, fitted into the plate's width.
function number(rng: Rng, groups: string[], fonts: PlateFont[], ink: string, room?: Room): Layout {
  const pf = rng.pick(fonts)
  const font = loadFont(pf.file)
  const capHeight = (() => {
    const bb = font.charToGlyph('H').getBoundingBox()
    return (bb.y2 - bb.y1) / font.unitsPerEm
  })()
  const charH = rng.range(0.4, 0.58) * H
  const size = charH / capHeight
  const unit = size / font.unitsPerEm
  const drawnScale = rng.range(0.7, 1.25)
  const spacing = rng.range(-0.02, 0.14) * charH
  const gap = groups.length > 1 ? rng.range(0.15, 0.7) * charH : 0
  // Most US plate faces give every character one cell, so wide letters (W, M) are drawn
  // narrow to fit it; in half the plates each glyph is squeezed into the width of a digit.
  const advanceOf = (c: string) => font.charToGlyph(c).advanceWidth ?? font.unitsPerEm * 0.6
  const cell = advanceOf('0')
  const cells = rng.chance(0.5)
  const squeeze = (c: string) => (cells ? Math.min(1, (cell * 1.05) / advanceOf(c)) : 1)
  const advances = groups.map((g) => [...g].map((c) => advanceOf(c) * squeeze(c)))
  const widthAt = (s: number) =>
    advances.reduce((sum, g) => sum + g.reduce((a, b) => a + b * unit * s + spacing, 0), 0) -
    spacing +
    gap * (groups.length - 1)
  const { sx, total, left } = fitToPlate(rng, widthAt, drawnScale, 0.35, room)
  const baseline = H / 2 + charH / 2 + rng.range(-0.08, 0.1) * H
  const stroke = rng.range(pf.stroke[0], pf.stroke[1]) * charH
  const emboss = rng.chance(0.35)
  const openFour = rng.chance(0.35)
  const shade = rng.pick(['#000000', '#ffffff', '#555555'])
  let svg = ''
  let x = left
  let minY = Infinity
  let maxY = -Infinity
  const gaps: Box[] = []
  groups.forEach((group, gi) => {
    if (gi > 0) {
      svg += separator(rng, x - spacing, gap + spacing, baseline - charH, charH, ink)
      gaps.push({ x: x - spacing, y: baseline - charH, w: gap + spacing, h: charH })
      x += gap
    }
    for (const c of group) {
      const glyph = font.charToGlyph(c)
      const dy = rng.range(-0.015, 0.015) * charH
      const outlinePath = glyph.getPath(0, 0, size)
      const path = outlinePath.toPathData(2)
      const bb = outlinePath.getBoundingBox()
      minY = Math.min(minY, baseline + dy + bb.y1)
      maxY = Math.max(maxY, baseline + dy + bb.y2)
      const gsx = sx * squeeze(c)
      const t = `translate(${x.toFixed(2)} ${(baseline + dy).toFixed(2)}) scale(${gsx.toFixed(3)} 1)`
      const outline = stroke > 0.3 ? ` stroke="${ink}" stroke-width="${(stroke / gsx).toFixed(2)}" stroke-linejoin="round"` : ''
      if (emboss) {
        const o = rng.range(1, 3.5)
        svg += `<path transform="translate(${o.toFixed(1)} ${o.toFixed(1)}) ${t}" d="${path}" fill="${shade}" opacity="0.45"/>`
      }
      if (c === '4' && openFour) {
        // California's and Illinois's 4 is open at the top: its diagonal stops short of the
        // stem. Cut the diagonal's top away, under a mask, in the glyph's own coordinates.
        const w = bb.x2 - bb.x1
        const h = bb.y2 - bb.y1
        const id = `open4-${Math.round(x * 100)}`
        const gap = {
          x: bb.x1 + w * rng.range(0.25, 0.35),
          y: bb.y1 - h * 0.1,
          w: w * rng.range(0.25, 0.32),
          h: h * rng.range(0.3, 0.42),
        }
        svg += `<mask id="${id}" maskUnits="userSpaceOnUse" x="${bb.x1 - w}" y="${bb.y1 - h}" width="${3 * w}" height="${3 * h}"><rect x="${bb.x1 - w}" y="${bb.y1 - h}" width="${3 * w}" height="${3 * h}" fill="#fff"/><rect x="${gap.x.toFixed(1)}" y="${gap.y.toFixed(1)}" width="${gap.w.toFixed(1)}" height="${gap.h.toFixed(1)}" fill="#000"/></mask>`
        svg += `<g transform="${t}"><path d="${path}" fill="${ink}"${outline} mask="url(#${id})"/></g>`
      } else {
        svg += `<path transform="${t}" d="${path}" fill="${ink}"${outline}/>`
      }
      x += (glyph.advanceWidth ?? 0) * unit * gsx + spacing
    }
  })
  const pad = stroke / 2
  return {
    svg,
    box: { x: left - pad, y: minY - pad, w: total + 2 * pad, h: maxY - minY + 2 * pad },
    gaps,
  }
}

// The number in a stroke face (stroke-face.ts), as a plate's die stamps it: the same layout as
// number()'s, one cell per character.
function strokeNumber(rng: Rng, groups: string[], ink: string, room?: Room): Layout {
  const face = pickStrokeFace(rng)
  const charH = rng.range(0.4, 0.58) * H
  const drawnScale = rng.range(0.6, 1.05)
  const spacing = rng.range(0.02, 0.16) * charH
  const gap = groups.length > 1 ? rng.range(0.15, 0.7) * charH : 0
  const widthAt = (s: number) =>
    groups.reduce(
      (sum, g) =>
        sum + [...g].reduce((a, c) => a + strokeGlyphPath(face, c, 0, 0, charH, s).width + spacing, 0),
      0,
    ) -
    spacing +
    gap * (groups.length - 1)
  const { sx, total, left } = fitToPlate(rng, widthAt, drawnScale, 0.3, room)
  const top = H / 2 - charH / 2 + rng.range(-0.08, 0.1) * H
  const emboss = rng.chance(0.35)
  const shade = rng.pick(['#000000', '#ffffff', '#555555'])
  let svg = ''
  let x = left
  const gaps: Box[] = []
  groups.forEach((group, gi) => {
    if (gi > 0) {
      svg += separator(rng, x - spacing, gap + spacing, top, charH, ink)
      gaps.push({ x: x - spacing, y: top, w: gap + spacing, h: charH })
      x += gap
    }
    for (const c of group) {
      const dy = rng.range(-0.015, 0.015) * charH
      const glyph = strokeGlyphPath(face, c, x, top + dy, charH, sx)
      const pen = `fill="none" stroke-width="${glyph.penWidth.toFixed(2)}" stroke-linecap="${face.cap}" stroke-linejoin="${face.join}"`
      if (emboss) {
        const o = rng.range(1, 3.5)
        svg += `<path transform="translate(${o.toFixed(1)} ${o.toFixed(1)})" d="${glyph.d}" ${pen} stroke="${shade}" opacity="0.45"/>`
      }
      svg += `<path d="${glyph.d}" ${pen} stroke="${ink}"/>`
      x += glyph.width + spacing
    }
  })
  return { svg, box: { x: left, y: top - 0.02 * charH, w: total, h: charH * 1.06 }, gaps }
}

export interface SyntheticPlate {
  /** The plate crop, as a camera and a cutter would leave it (JPEG-damaged, then PNG). */
  image: Buffer
  width: number
  height: number
  /** The plate number (A-Z0-9 only). */
  text: string
  /** The number's box in `image` pixels. */
  box: Box
  /** The boxes of the marks drawn just past an end of the number (endMark, symbolMark). */
  marks: Box[]
}

/**
 * What a sitting's plates look like, beyond what every plate varies. `standard` is what the
 * first two plate models learned from; `street` is the third's: more plates as small as a
 * street photo shows them, and the things beside the number that the first stage keeps or
 * loses with an end character (a graphic or small stacked letters just past either end, a
 * border drawn close around the number). `stamped` (the fourth's) draws half the numbers in a
 * die's stroke face; `scenic` puts a state's scene behind the number and a fruit between its
 * groups; `emblems` puts a shield, a portrait, a heron or a badge there or behind the number;
 * `faces` is `emblems` with more marks past an end and most grey lines cut across the plate's
 * face, as the reader cuts a crop's; `symbols` puts a symbol font's pictograph past an end;
 * `photos` is `emblems` with most plates drawn as small as a street photo shows them.
 */
export interface RenderMix {
  /** Share of plates drawn 45-110 px wide. */
  small: number
  /** Share with a graphic or stacked letters just past one end of the number. */
  endMark: number
  /** Share with a border drawn close around the number. */
  closeBorder: number
  /** Share whose number is drawn in a stroke face (stroke-face.ts), not a font package's. */
  strokeFace?: number
  /** Share of light plates with a state's scene (sky, mountains, treeline) behind the number. */
  scene?: number
  /** Share of plates of two groups or more with a fruit between the first two. */
  groupMark?: number
  /** Share of the plates without a fruit with an emblem (a shield, a portrait, a heron, a badge). */
  emblem?: number
  /**
   * Share of plates whose grey line is cut as the reader cuts a crop's (data.ts): across the
   * plate's face up to 0.9 character heights past the mask's outer characters, not 0.3.
   */
  faceGrey?: number
  /** Share of plates with a symbol font's pictograph just past one end (where no endMark is). */
  symbolMark?: number
  /**
   * Whether a mask row holding one blob more than the number's characters is a training line
   * too, where the extra blob is a mark drawn beside the number (data.ts).
   */
  markInMask?: boolean
}

export const RENDER_MIXES = {
  standard: { small: 0.33, endMark: 0, closeBorder: 0 },
  street: { small: 0.5, endMark: 0.3, closeBorder: 0.15 },
  stamped: { small: 0.5, endMark: 0.3, closeBorder: 0.15, strokeFace: 0.5 },
  scenic: { small: 0.5, endMark: 0.3, closeBorder: 0.15, strokeFace: 0.3, scene: 0.45, groupMark: 0.3 },
  emblems: {
    small: 0.5,
    endMark: 0.3,
    closeBorder: 0.15,
    strokeFace: 0.3,
    scene: 0.3,
    groupMark: 0.1,
    emblem: 0.45,
  },
  // The emblems mix with more graphics just past an end of the number, and most grey lines cut
  // across the plate's face as the reader now cuts a crop's.
  faces: {
    small: 0.4,
    endMark: 0.45,
    closeBorder: 0.15,
    strokeFace: 0.3,
    scene: 0.3,
    groupMark: 0.1,
    emblem: 0.45,
    faceGrey: 0.7,
  },
  // The emblems mix with a symbol font's pictograph just past an end of the number on 45% of
  // the plates with no other mark there, and the mask rows that keep a mark as one more blob
  // taught too: the reader's mask keeps an emblem beside the number as often as not (a figure in
  // a wheelchair, a loon, a cardinal, a veteran's seal, stacked letters on the benchmark's
  // crops), and until this mix no mask line with one was ever a training line.
  symbols: {
    small: 0.45,
    endMark: 0.3,
    closeBorder: 0.15,
    strokeFace: 0.3,
    scene: 0.3,
    groupMark: 0.1,
    emblem: 0.3,
    faceGrey: 0.5,
    symbolMark: 0.6,
    markInMask: true,
  },
  // The emblems mix drawn as whole street photos show plates: most of them 45-110 px wide, the
  // grey lines cut as the reader cuts a scene's (0.3 character heights past the mask). A model
  // trained on from plate6 with it read the benchmark's photos worse (train/README.md).
  photos: {
    small: 0.85,
    endMark: 0.3,
    closeBorder: 0.15,
    strokeFace: 0.3,
    scene: 0.3,
    groupMark: 0.1,
    emblem: 0.3,
  },
} satisfies Record<string, RenderMix>

export type RenderMixName = keyof typeof RENDER_MIXES

export const isRenderMix = (name: string): name is RenderMixName => Object.hasOwn(RENDER_MIXES, name)

/** Renders one synthetic plate crop. */
export async function renderSyntheticPlate(
  rng: Rng,
  fonts: PlateFont[] = PLATE_FONTS,
  mix: RenderMix = RENDER_MIXES.standard,
): Promise<SyntheticPlate> {
  const { text, groups } = plateNumber(rng)
  const dark = rng.chance(0.12)
  const ink = dark ? rng.pick(LIGHT_INKS) : rng.pick(INKS)
  // Whatever a mix adds takes a draw only when the mix asks for it, so a seed draws the same
  // plate in every mix that does not: earlier sittings' plates stay as they were.
  const asks = (share = 0) => share > 0 && rng.chance(share)
  const stamped = asks(mix.strokeFace)
  // A symbol beside the number draws from its own stream, decided before the number so that the
  // number leaves room for it, as a plate with an emblem at one end does.
  const symbolRng = mix.symbolMark ? createRng(rng.int(1, 2 ** 31)) : undefined
  const wantsSymbol = symbolRng?.chance(mix.symbolMark ?? 0) ?? false
  const room =
    wantsSymbol && symbolRng ? { share: symbolRng.range(0.62, 0.8), markLeft: symbolRng.chance(0.5) } : undefined
  const num = stamped ? strokeNumber(rng, groups, ink, room) : number(rng, groups, fonts, ink, room)
  const frame = rng.chance(0.3)
    ? `<rect x="4" y="4" width="${W - 8}" height="${H - 8}" rx="${rng.int(6, 30)}" fill="none" stroke="${rng.pick(['#222', '#555', '#999', '#1b2a6b'])}" stroke-width="${rng.int(3, 12)}"/>`
    : ''
  const mark = asks(mix.endMark) ? endMark(rng, num.box, ink) : undefined
  const border = asks(mix.closeBorder) ? closeBorder(rng, num.box, ink) : ''
  const scenic = !dark && asks(mix.scene)
  const [firstGap] = num.gaps
  const fruit = firstGap && asks(mix.groupMark) ? groupMark(rng, firstGap) : ''
  // The emblem draws from its own stream (seeded by one draw whenever the mix has emblems), so a
  // plate with one and the same plate without differ only by the emblem.
  const emblemRng = mix.emblem ? createRng(rng.int(1, 2 ** 31)) : undefined
  const badge = emblemRng && !fruit && emblemRng.chance(mix.emblem ?? 0) ? emblem(emblemRng, num.box, firstGap) : ''
  const symbol = symbolRng && room && !mark ? symbolMark(symbolRng, num.box, ink, room.markLeft) : undefined
  const ground = scenic ? scene(rng, num.box) : background(rng, dark)
  const plate = `${ground}${words(rng, dark, num.box.y, num.box.y + num.box.h)}${stickersAndBolts(rng)}${fruit}${badge}${num.svg}${mark?.svg ?? ''}${symbol?.svg ?? ''}${border}${frame}`

  // The camera's angle: a small rotation and skews about the plate's centre.
  const rot = (rng.range(-4, 4) * Math.PI) / 180
  const kx = (rng.range(-10, 10) * Math.PI) / 180
  const ky = (rng.range(-4, 4) * Math.PI) / 180
  const m: Matrix = multiply(
    multiply(
      multiply([1, 0, 0, 1, W / 2, H / 2], [Math.cos(rot), Math.sin(rot), -Math.sin(rot), Math.cos(rot), 0, 0]),
      multiply([1, 0, Math.tan(kx), 1, 0, 0], [1, Math.tan(ky), 0, 1, 0, 0]),
    ),
    [1, 0, 0, 1, -W / 2, -H / 2],
  )
  const corners = (b: Box) =>
    [
      apply(m, b.x, b.y),
      apply(m, b.x + b.w, b.y),
      apply(m, b.x, b.y + b.h),
      apply(m, b.x + b.w, b.y + b.h),
    ] as const
  const hull = (pts: readonly [number, number][]) => {
    const xs = pts.map((p) => p[0])
    const ys = pts.map((p) => p[1])
    return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) }
  }
  const plateHull = hull(corners({ x: 0, y: 0, w: W, h: H }))
  // The cutter's margin: a little tight or a little loose on each side.
  const pw = plateHull.x1 - plateHull.x0
  const ph = plateHull.y1 - plateHull.y0
  const view = {
    x: plateHull.x0 + rng.range(-0.06, 0.04) * pw,
    y: plateHull.y0 + rng.range(-0.08, 0.05) * ph,
    x1: plateHull.x1 + rng.range(-0.04, 0.06) * pw,
    y1: plateHull.y1 + rng.range(-0.05, 0.08) * ph,
  }
  // Plates in street photos are small: 50 to 110 px wide in most of the benchmark's photos
  // (characters 10 to 20 px tall), so a third of the plates are drawn that small.
  const outW = Math.round(rng.chance(mix.small) ? rng.range(45, 110) : rng.range(110, 420))
  const scale = outW / (view.x1 - view.x)
  const outH = Math.round((view.y1 - view.y) * scale)
  const surround = rng.pick(['#2b2b2b', '#6b1f24', '#c8c8c8', '#1d2b4a', '#8a8a80', '#f0f0f0'])
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${outW}" height="${outH}" viewBox="${view.x.toFixed(1)} ${view.y.toFixed(1)} ${(view.x1 - view.x).toFixed(1)} ${(view.y1 - view.y).toFixed(1)}">
<rect x="${view.x - 50}" y="${view.y - 50}" width="${view.x1 - view.x + 100}" height="${view.y1 - view.y + 100}" fill="${surround}"/>
<g transform="matrix(${m.map((v) => v.toFixed(5)).join(' ')})">${plate}</g></svg>`

  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const pixels = degrade(rng, data, info.width, info.height, info.channels)
  let img = sharp(pixels, { raw: { width: info.width, height: info.height, channels: info.channels } })
  const blur = rng.range(0, 1.4)
  if (blur > 0.35) {
    img = img.blur(blur)
  }
  const jpeg = await img.jpeg({ quality: rng.int(25, 92) }).toBuffer()
  // Crops reach the reader at whatever size they were cut; many are upscaled small plates.
  const finalW = rng.chance(0.5) ? 320 : outW
  const finalH = Math.round((outH * finalW) / outW)
  const image = await sharp(jpeg).resize(finalW, finalH, { fit: 'fill' }).png().toBuffer()

  const k = finalW / outW
  const inImage = (b: Box): Box => {
    const e = hull(corners(b))
    return {
      x: (e.x0 - view.x) * scale * k,
      y: (e.y0 - view.y) * scale * k,
      w: (e.x1 - e.x0) * scale * k,
      h: (e.y1 - e.y0) * scale * k,
    }
  }
  return {
    image,
    width: finalW,
    height: finalH,
    text,
    box: inImage(num.box),
    marks: [mark, symbol].flatMap((m) => (m ? [inImage(m.box)] : [])),
  }
}

// Uneven light (a shadow across the plate, a bright glare) and sensor noise.
function degrade(rng: Rng, data: Buffer, width: number, height: number, channels: number): Buffer {
  const out = Buffer.from(data)
  const shadow = rng.chance(0.35)
  const angle = rng.range(0, Math.PI * 2)
  const dx = Math.cos(angle)
  const dy = Math.sin(angle)
  const edge = rng.range(-0.3, 0.3)
  const depth = rng.range(0.35, 0.75)
  const gain = rng.range(0.75, 1.15)
  const lift = rng.range(-25, 25)
  const noise = rng.range(0, 14)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let f = gain
      if (shadow) {
        const d = ((x / width - 0.5) * dx + (y / height - 0.5) * dy) - edge
        f *= d > 0 ? depth + (1 - depth) * Math.max(0, 1 - d * 8) : 1
      }
      const n = noise > 1 ? rng.normal() * noise : 0
      const i = (y * width + x) * channels
      for (let c = 0; c < channels; c++) {
        out[i + c] = Math.max(0, Math.min(255, (data[i + c] ?? 0) * f + lift + n))
      }
    }
  }
  return out
}
