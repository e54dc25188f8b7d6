import type { Sql } from '../connect.ts'
import { CITY } from './city.ts'
import { saveZone, savePermitType, type PermitTypeInput } from '../../api/permits/types.ts'

const { lat: LAT, lon: LON } = CITY.downtown
const round6 = (x: number) => Math.round(x * 1e6) / 1e6

function box(lat1: number, lon1: number, lat2: number, lon2: number) {
  const ring = [
    [lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1],
  ].map(([x, y]) => [round6(x!), round6(y!)])
  return { type: 'Polygon' as const, coordinates: [ring] }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))

/*
  The demo city's permits: two residential zones (zone A holds the southern on-street blocks and
  the homes of the demo drivers; zone B lies north-east, where none of them lives), and one type
  of each kind the department issues. The Market Street Garage sells only a few monthly permits,
  so its waitlist can be seen.
*/
export async function seedPermits(sql: Sql): Promise<number> {
  await saveZone(sql, null, {
    code: 'A',
    name: 'Residential zone A (Downtown South)',
    boundary: box(LAT - 0.0002, LON - 0.0035, LAT + 0.0049, LON + 0.0035),
  })
  await saveZone(sql, null, {
    code: 'B',
    name: 'Residential zone B (Oakwood)',
    boundary: box(LAT + 0.006, LON + 0.004, LAT + 0.014, LON + 0.012),
  })
  const common = { description: '', active: true, renewalWindowDays: 30, secondVehicleCents: 0, visitorPassesPerMonth: 0 }
  type Seeded = Omit<PermitTypeInput, keyof typeof common> & Partial<typeof common>
  const types: Seeded[] = [
    residential('A', range(121, 140), 'For households in zone A: park on its blocks beyond the posted time limit.'),
    residential('B', range(136, 140), 'For households in zone B, on the blocks nearest it.'),
    {
      code: 'EMP-CITY',
      name: 'City staff permit',
      kind: 'employee',
      description: 'City employees, in the City Hall Garage; staff confirm employment.',
      zone: null,
      priceCents: 3000,
      period: 'monthly',
      proration: 'daily',
      refundPolicy: 'daily',
      maxVehicles: 2,
      maxPerHousehold: null,
      needsApproval: true,
      facilities: [{ code: 'G-CIVIC', capacity: 150 }],
    },
    {
      code: 'GAR-MARKET',
      name: 'Monthly permit, Market Street Garage',
      kind: 'monthly_garage',
      zone: null,
      priceCents: 9500,
      period: 'monthly',
      proration: 'daily',
      refundPolicy: 'none',
      maxVehicles: 2,
      maxPerHousehold: null,
      needsApproval: false,
      facilities: [{ code: 'G-MARKET', capacity: 3 }],
    },
    {
      code: 'AIR-EMP',
      name: 'Airport employee permit',
      kind: 'airport_employee',
      description: 'Badge-holding Airport employees, in the Economy Lot.',
      zone: null,
      priceCents: 24000,
      period: 'semester',
      proration: 'monthly',
      refundPolicy: 'monthly',
      maxVehicles: 2,
      maxPerHousehold: null,
      needsApproval: true,
      facilities: [{ code: 'AIR-ECON', capacity: 500 }],
    },
    {
      code: 'CONTRACT',
      name: 'Contractor permit',
      kind: 'contractor',
      description: 'Work vehicles of contractors on city jobs, on any metered block.',
      zone: null,
      priceCents: 6000,
      period: 'monthly',
      proration: 'none',
      refundPolicy: 'none',
      maxVehicles: 5,
      maxPerHousehold: null,
      needsApproval: true,
      facilities: range(101, 140).map((code) => ({ code, capacity: null })),
    },
    {
      code: 'DISABLED',
      name: 'Disability parking permit',
      kind: 'disability',
      description: 'Free, on any metered block and in the city lots, with no time limit.',
      zone: null,
      priceCents: 0,
      period: 'annual',
      proration: 'none',
      refundPolicy: 'none',
      maxVehicles: 1,
      maxPerHousehold: null,
      needsApproval: true,
      facilities: [...range(101, 140), 'L-RIVER', 'L-DEPOT', 'L-LIBRARY'].map((code) => ({ code, capacity: null })),
    },
  ]
  function residential(zone: string, blocks: string[], description: string): Seeded {
    return {
      code: `RES-${zone}`,
      name: `Residential permit, zone ${zone}`,
      kind: 'residential',
      description,
      zone,
      priceCents: 4000,
      period: 'annual',
      proration: 'daily',
      refundPolicy: 'monthly',
      maxVehicles: 3,
      maxPerHousehold: 2,
      needsApproval: false,
      secondVehicleCents: 2000,
      visitorPassesPerMonth: 4,
      facilities: blocks.map((code) => ({ code, capacity: null })),
    }
  }
  for (const t of types) {
    await savePermitType(sql, null, { ...common, ...t } as PermitTypeInput)
  }
  return types.length
}
