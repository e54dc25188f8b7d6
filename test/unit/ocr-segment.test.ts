import { describe, expect, it } from 'vitest'
import { decodeImage, decodePhoto } from '../../api/enforcement/ocr/node.ts'
import { segmentPlate, withoutBars } from '../../api/enforcement/ocr/segment.ts'
import { greyRow } from '../../api/enforcement/ocr/reader.ts'
import {
  renderPlate,
  renderPlateInScenery,
  renderPlateOnBand,
  renderPlateWithStickerBefore,
} from '../fixtures/ocr/render-plate.ts'

describe('cutting a plate into its row of characters', () => {
  it('finds the seven characters of a plate', async () => {
    const [row] = segmentPlate(await decodeImage(await renderPlate('KYP 4595', 'NC')))
    expect(row?.chars).toHaveLength(7)
  })

  it('frees characters standing in a dark band that a threshold joins them to', async () => {
    const [row] = segmentPlate(await decodeImage(await renderPlateOnBand('KYP 4595', 'NC')))
    expect(row?.chars).toHaveLength(7)
  })

  it('frees characters standing in a coloured scene in the brightest channel, not in luma', async () => {
    const { image, brightest } = await decodePhoto(await renderPlateInScenery('MNW 235'))
    const [luma] = segmentPlate(image)
    const [bright] = segmentPlate(brightest())
    // In luma the scene is as dark as the characters' feet: the row loses their lower parts.
    expect(bright?.sourceCharHeight).toBeGreaterThan((luma?.sourceCharHeight ?? 0) * 1.1)
  })

  it('clears the rows of a mask that are mostly ink, and only those', () => {
    const width = 10
    const mask = new Uint8Array(width * 3)
    mask.fill(1, 0, 3) // a short stroke
    mask.fill(1, width, width + 9) // a bar
    const cut = withoutBars(mask, width, 3)
    expect(cut?.subarray(0, width)).toEqual(mask.subarray(0, width))
    expect(cut?.subarray(width, 2 * width).every((v) => v === 0)).toBe(true)
    expect(withoutBars(new Uint8Array(width * 3), width, 3)).toBeUndefined()
  })

  it('cuts the grey band to the characters, dark on light, at the mask’s character height', async () => {
    const [row] = segmentPlate(await decodeImage(await renderPlate('KYP 4595', 'NC')))
    expect(row).toBeDefined()
    if (row) {
      const grey = greyRow(row)
      // 1.3 character heights plus the white padding above and below
      expect(grey.height).toBeGreaterThanOrEqual(Math.round(row.charHeight * 1.3) + 14)
      expect(grey.height).toBeLessThanOrEqual(Math.round(row.charHeight * 1.3) + 18)
      const mean = grey.data.reduce((a, b) => a + b, 0) / grey.data.length
      expect(mean).toBeGreaterThan(127)
    }
  })

  it("reaches the grey band across the plate's face, when told where that is, to a character the mask lost", async () => {
    const image = await decodeImage(await renderPlateWithStickerBefore('KYP4595'))
    const whole = { x: 0, y: 0, w: image.width, h: image.height }
    const [tight] = segmentPlate(image)
    const [onFace] = segmentPlate(image, { face: whole })
    expect(tight?.chars).toHaveLength(6)
    expect(tight?.face).toBeUndefined()
    expect(onFace?.face?.w).toBeCloseTo((whole.w * onFace!.work.height) / image.height, 5)
    if (tight && onFace) {
      const h = tight.band.h
      const scale = tight.charHeight / h
      // 0.3 character heights each side without a face; with one, up to 0.9 where the plate
      // goes on (left of the lost K), less where its edge comes first.
      const pad = 24
      expect(greyRow(tight).width).toBeCloseTo(Math.round((tight.band.w + 0.6 * h) * scale) + pad, -1)
      const reached = greyRow(onFace).width - pad
      expect(reached).toBeGreaterThan((tight.band.w + 1.3 * h) * scale)
      expect(reached).toBeLessThanOrEqual((tight.band.w + 1.8 * h) * scale + 1)
    }
  })
})
