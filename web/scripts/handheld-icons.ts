// npx tsx web/scripts/handheld-icons.ts — draws the handheld's home-screen icons from
// web/public/icons/handheld.svg with sharp, here on the machine (nothing from a CDN). The PNGs
// are committed; run this again after changing the SVG.
import sharp from 'sharp'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../public/icons/', import.meta.url))
const svg = await readFile(`${dir}handheld.svg`)

for (const size of [180, 192, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png().toFile(`${dir}handheld-${size}.png`)
}
// maskable: the mark inside the middle 80%, on the full-bleed navy a launcher may crop to a circle
const inner = await sharp(svg, { density: 300 }).resize(400, 400).png().toBuffer()
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#162e51' } })
  .composite([{ input: inner, left: 56, top: 56 }])
  .png()
  .toFile(`${dir}handheld-maskable-512.png`)
console.log('icons written to', dir)
