// Plate normalisation: pure, no I/O, so web/ and kiosk/ can import it too.

/** US states, DC and the territories that issue plates. */
export const US_JURISDICTIONS = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS',
  'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY',
  'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV',
  'WI', 'WY', 'DC', 'PR', 'GU', 'VI', 'AS', 'MP',
] as const

/** Canadian provinces and territories. */
export const CANADIAN_JURISDICTIONS = [
  'AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT',
] as const

export const JURISDICTIONS: ReadonlySet<string> = new Set([
  ...US_JURISDICTIONS,
  ...CANADIAN_JURISDICTIONS,
])

export const PLATE_PATTERN = /^[A-Z0-9]{1,8}$/

// Spaces, hyphens and dashes of every width, dots and middle dots: separators, not characters.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212.\u00B7\u2022]/g

/** 'abc-12 3' -> 'ABC123'. The result may still be invalid; check it with isValidPlate. */
export function normalisePlate(printed: string): string {
  return printed.replace(SEPARATORS, '').toUpperCase()
}

/** The plate as it reads on the car, tidied: trimmed, single spaces, upper case. */
export function printedPlate(input: string): string {
  return input.trim().replace(/\s+/g, ' ').toUpperCase()
}

export function isValidPlate(normalised: string): boolean {
  return PLATE_PATTERN.test(normalised)
}

/** 'ma' -> 'MA' when it names a US state or territory or a Canadian province; null otherwise. */
export function normaliseJurisdiction(input: string): string | null {
  const code = input.trim().toUpperCase()
  return JURISDICTIONS.has(code) ? code : null
}

export type PlateCheck =
  | { ok: true; plate: string; state: string; printed: string }
  | { ok: false; field: 'plate' | 'state'; message: string }

/** Everything a form needs: the stored plate and state, the printed form, or what is wrong. */
export function checkPlate(printed: string, state: string): PlateCheck {
  const plate = normalisePlate(printed)
  if (!isValidPlate(plate)) {
    return {
      ok: false,
      field: 'plate',
      message: 'A plate has 1 to 8 letters (A-Z) and digits, not counting spaces, dashes and dots',
    }
  }
  const jurisdiction = normaliseJurisdiction(state)
  if (!jurisdiction) {
    return {
      ok: false,
      field: 'state',
      message: 'Use the 2-letter code of a US state or territory or a Canadian province',
    }
  }
  return { ok: true, plate, state: jurisdiction, printed: printedPlate(printed) }
}
