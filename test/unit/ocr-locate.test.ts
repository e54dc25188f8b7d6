import { describe, expect, it } from 'vitest'
import { decodeImage } from '../../api/enforcement/ocr/node.ts'
import { edgeRegions, locatePlates } from '../../api/enforcement/ocr/locate.ts'
import { crop, type Box } from '../../api/enforcement/ocr/image.ts'
import { renderPlateBetweenTrims, renderScene } from '../fixtures/ocr/render-plate.ts'

// Whether a proposed region holds most of the plate and is not much larger than a plate.
function holds(region: Box, plate: Box): boolean {
  const ix = Math.max(0, Math.min(region.x + region.w, plate.x + plate.w) - Math.max(region.x, plate.x))
  const iy = Math.max(0, Math.min(region.y + region.h, plate.y + plate.h) - Math.max(region.y, plate.y))
  return ix * iy >= 0.6 * plate.w * plate.h && region.w * region.h <= 6 * plate.w * plate.h
}

describe('finding the plate in a photo', () => {
  it('finds a plate by its row of character blobs', async () => {
    const scene = await renderScene('KYP 4595', 'NC', 160)
    const regions = locatePlates(await decodeImage(scene.png), { edges: false })
    expect(regions.slice(0, 2).some((r) => holds(r.box, scene.box))).toBe(true)
  })

  it('finds a small plate whose characters run together by its texture of vertical edges', async () => {
    const scene = await renderScene('KYP 4595', 'NC', 110, true)
    const image = await decodeImage(scene.png)
    // The blob search cannot cut these characters apart...
    expect(locatePlates(image, { edges: false }).some((r) => holds(r.box, scene.box))).toBe(false)
    // ...the texture pass finds the number's band, and the locator offers it.
    expect(edgeRegions(image).some((r) => holds(r.box, scene.box))).toBe(true)
    expect(locatePlates(image, { edges: true }).some((r) => holds(r.box, scene.box))).toBe(true)
  })

  it("finds it by texture in the viewfinder's region as in the whole photo", async () => {
    const scene = await renderScene('KYP 4595', 'NC', 130, true)
    const { x, y, w, h } = scene.box
    const region = {
      x: Math.round(x - w * 0.6),
      y: Math.round(y - h * 0.9),
      w: Math.round(w * 2.2),
      h: Math.round(h * 2.8),
    }
    const cut = crop(await decodeImage(scene.png), region)
    const inPhoto = (b: Box): Box => ({ ...b, x: b.x + region.x, y: b.y + region.y })
    // Edges joined across gaps scaled to the region (a sixth of the photo's width) break the
    // number's band between characters, and nothing plate-sized is left...
    expect(edgeRegions(cut).some((r) => holds(inPhoto(r.box), scene.box))).toBe(false)
    // ...scaled to the photo the region was cut from, as the plate is, the band is whole.
    expect(edgeRegions(cut, 1280).some((r) => holds(inPhoto(r.box), scene.box))).toBe(true)
    const located = locatePlates(cut, { edges: true, sceneWidth: 1280 })
    expect(located.some((r) => holds(inPhoto(r.box), scene.box))).toBe(true)
  })

  it('finds by texture a plate whose band of edges runs on into the trims beside it', async () => {
    const scene = await renderPlateBetweenTrims('KYP 4595', 'NC')
    const image = await decodeImage(scene.png)
    expect(edgeRegions(image).some((r) => holds(r.box, scene.box))).toBe(true)
  })

  it("ranks a camera's date stamp in the photo's corner below the plate", async () => {
    const scene = await renderScene('KYP 4595', 'NC', 100, false, '2014-04-28')
    const regions = locatePlates(await decodeImage(scene.png), { edges: true })
    const plate = regions.findIndex((r) => holds(r.box, scene.box))
    const stamp = regions.findIndex((r) => r.box.x < 20 && r.box.y < 20)
    expect(plate).toBeGreaterThanOrEqual(0)
    expect(stamp).toBeGreaterThan(plate)
  })

  it('proposes nothing by texture in a photo of flat surfaces and a lone pole', async () => {
    const sharp = (await import('sharp')).default
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">
      <rect width="640" height="360" fill="#8a96a0"/><rect y="250" width="640" height="110" fill="#3b3b3b"/>
      <rect x="300" y="40" width="8" height="220" fill="#222"/></svg>`
    const image = await decodeImage(await sharp(Buffer.from(svg)).png().toBuffer())
    expect(edgeRegions(image)).toEqual([])
  })
})
