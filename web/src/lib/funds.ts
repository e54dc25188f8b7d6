/** The ledger's customer-facing funds, in the order a statement lists them. */
export const FUNDS = [
  'parking',
  'electric',
  'water',
  'sewer',
  'gas',
  'solid_waste',
  'stormwater',
  'fire',
] as const

export type Fund = (typeof FUNDS)[number]

const LABELS: Record<string, string> = {
  parking: 'Parking',
  electric: 'Electric',
  water: 'Water',
  sewer: 'Sewer',
  gas: 'Gas',
  solid_waste: 'Solid waste',
  stormwater: 'Stormwater',
  fire: 'Fire protection',
  general: 'General',
}

// One accent per fund, shared by balance cards and statement lines.
const ACCENTS: Record<string, string> = {
  parking: 'var(--blue-600)',
  electric: '#e5a000',
  water: '#0081a1',
  sewer: '#6b5a3e',
  gas: '#c05600',
  solid_waste: '#4d8055',
  stormwater: '#2e6276',
  fire: '#b50909',
}

/** Sets the fund's --accent custom property on an element. */
export function fundAccent(fund: string): Record<string, string> {
  const accent = ACCENTS[fund]
  return accent ? { '--accent': accent } : {}
}

export function fundLabel(fund: string): string {
  return LABELS[fund] ?? fund
}

/** Funds in statement order, then any the API adds later. */
export function sortFunds(funds: string[]): string[] {
  const rank = (f: string) => {
    const i = (FUNDS as readonly string[]).indexOf(f)
    return i === -1 ? FUNDS.length : i
  }
  return [...funds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}
