import type { Sql } from '../connect.ts'
import { readConfig } from '../../api/config.ts'
import { issueCitation, issueWarning } from '../../api/enforcement/citations.ts'
import { fileAppeal } from '../../api/enforcement/appeals.ts'
import { escalate } from '../../api/enforcement/escalation.ts'
import { CITY } from './city.ts'

/*
  The demo's enforcement history, so the supervisor's screens have something on them: a citation
  on a demo driver's car (on their statement), one under appeal, a warning, and a plate with three
  citations long past due (on the scofflaw list). No photos: the handheld takes real ones.
*/
export async function seedEnforcement(sql: Sql): Promise<number> {
  const config = { ...readConfig({ NODE_ENV: 'development' }), CITY_TIME_ZONE: CITY.timeZone }
  const days = (n: number) => new Date(Date.now() - n * 86_400_000)
  const [zone]: [{ id: number }?] = await sql`select id from parking.facility where code = '105'`
  const where = { facilityId: zone?.id ?? null, blockFace: 0, lat: CITY.downtown.lat - 0.0042, lon: CITY.downtown.lon, location: '500 block of Fayetteville St' }
  const cite = (plate: string, printed: string, code: string, issuedAt: Date) =>
    issueCitation(sql, config, null, {
      clientId: null,
      number: null,
      plate,
      state: 'NC',
      printed,
      vehicle: {},
      violationCode: code,
      readId: null,
      issuedAt,
      photos: [],
      ...where,
    })
  await cite('ZXM5402', 'ZXM-5402', 'EXPIRED', days(3))
  const appealed = await cite('DLB3365', 'DLB-3365', 'NO-PAY', days(6))
  await fileAppeal(sql, {
    citation: appealed.citation,
    reason: 'I paid at the kiosk on the corner; it printed no receipt and the time did not show up.',
    email: null,
    photoIds: [],
    principal: null,
  })
  await issueWarning(sql, null, { clientId: null, plate: 'JKL7730', state: 'NC', violationCode: 'NO-PAY', readId: null, issuedAt: days(2), note: null, ...where })
  for (const ago of [70, 55, 40]) {
    await cite('SCF4411', 'SCF-4411', 'NO-PAY', days(ago))
  }
  await escalate(sql, new Date(), config.CITY_TIME_ZONE)
  return 5
}
