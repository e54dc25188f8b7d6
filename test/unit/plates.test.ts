import { describe, it, expect } from 'vitest'
import {
  checkPlate,
  isValidPlate,
  normaliseJurisdiction,
  normalisePlate,
  printedPlate,
} from '../../api/customers/plates.ts'

describe('plate normalisation', () => {
  it('upper-cases and drops spaces, dashes and dots', () => {
    expect(normalisePlate('abc 123')).toBe('ABC123')
    expect(normalisePlate(' 7-xy.z 9 ')).toBe('7XYZ9')
    expect(normalisePlate('AB\u2013C\u00B712')).toBe('ABC12')
  })

  it('keeps the letters and digits a plate is made of, including look-alikes', () => {
    expect(normalisePlate('O0I1B8S5')).toBe('O0I1B8S5')
  })

  it('accepts 1 to 8 letters and digits and nothing else', () => {
    expect(isValidPlate('A')).toBe(true)
    expect(isValidPlate('ABCD1234')).toBe(true)
    expect(isValidPlate('')).toBe(false)
    expect(isValidPlate('ABCDE1234')).toBe(false)
    expect(isValidPlate('ÅBC123')).toBe(false)
    expect(isValidPlate('AB*123')).toBe(false)
    expect(isValidPlate(normalisePlate(' - . '))).toBe(false)
  })

  it('keeps the printed form tidy but recognisable', () => {
    expect(printedPlate('  abc   123 ')).toBe('ABC 123')
    expect(printedPlate('7-XYZ-9')).toBe('7-XYZ-9')
  })
})

describe('plate jurisdictions', () => {
  it('knows US states, DC, territories and Canadian provinces', () => {
    for (const code of ['MA', 'ny', ' ca ', 'DC', 'PR', 'GU', 'ON', 'QC', 'BC', 'YT']) {
      expect(normaliseJurisdiction(code)).toBe(code.trim().toUpperCase())
    }
  })

  it('refuses codes that issue no plates here', () => {
    for (const code of ['XX', 'UK', 'M', 'MAS', '', '12']) {
      expect(normaliseJurisdiction(code)).toBeNull()
    }
  })
})

describe('checkPlate', () => {
  it('gives the stored plate, state and printed form', () => {
    expect(checkPlate('abc-123', 'ma')).toEqual({
      ok: true,
      plate: 'ABC123',
      state: 'MA',
      printed: 'ABC-123',
    })
  })

  it('names the plate field when the plate is wrong', () => {
    expect(checkPlate('TOO-LONG-99', 'MA')).toMatchObject({ ok: false, field: 'plate' })
  })

  it('names the state field when the jurisdiction is unknown', () => {
    expect(checkPlate('ABC123', 'ZZ')).toMatchObject({ ok: false, field: 'state' })
  })
})
