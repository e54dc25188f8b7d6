import { randomUUID } from 'node:crypto'
import type { Sql } from '../connect.ts'
import type { DevicePrincipal, UserPrincipal } from '../../api/http/context.ts'
import { AppError } from '../../api/http/errors.ts'
import { facilityByCode } from '../../api/facilities/facilities.ts'
import { quote } from '../../api/facilities/tariff.ts'
import { zonedInstant } from '../../api/facilities/local-time.ts'
import { startSession } from '../../api/sessions/sessions.ts'
import { closePendingDays } from '../../api/finance/close.ts'
import { addDays } from '../../api/permits/terms.ts'
import { recordCollection, recordDeposit } from '../../api/finance/cash.ts'
import { cityDay, ensureCalendar, exportCycle } from '../../api/finance/cycles.ts'
import { accountBalance } from '../../api/ledger/balances.ts'
import { parkingAccount } from '../../api/ledger/accounts.ts'

const DAYS = 30
const KIOSK_FACILITY = '101'
const WEB_FACILITIES = ['L-RIVER', 'L-DEPOT', 'L-LIBRARY', '102', '103', '104']

export interface FinanceSeed {
  sessions: number
  closedDays: number
  cycleExports: number
}

/**
 * A month of parking for the finance console to show: kiosk cash at zone 101 and the demo
 * drivers paying on their utility bills around town, each bought at its own past time through
 * the real purchase path; the days closed as the nightly job would; the kiosk emptied twice
 * (once counted short beyond tolerance, an exception) with one deposit; and the bill cycles
 * whose billing date this month has passed, exported.
 */
export async function seedFinance(sql: Sql, timeZone: string, log: (line: string) => void = () => {}): Promise<FinanceSeed> {
  const [kiosk]: [{ id: number; name: string }?] = await sql`select id, name from app.device where kind = 'kiosk' order by id limit 1`
  const drivers = await sql<{ user_id: number; customer_id: number; name: string; email: string; account_id: number }[]>`
    select u.id as user_id, u.customer_id, u.display_name as name, u.email,
           (select h.utility_account_id from cis.account_holder h where h.customer_id = u.customer_id
             order by h.utility_account_id limit 1) as account_id
      from app.user_account u where u.role = 'driver' order by u.id`
  const payers = drivers.filter((d) => d.account_id !== null)
  if (!kiosk || payers.length === 0) {
    return { sessions: 0, closedDays: 0, cycleExports: 0 }
  }
  const kioskPrincipal: DevicePrincipal = { kind: 'device', deviceId: kiosk.id, deviceKind: 'kiosk', name: kiosk.name }
  const facilities = new Map(
    await Promise.all([KIOSK_FACILITY, ...WEB_FACILITIES].map(async (code) => [code, await facilityByCode(sql, code)] as const)),
  )
  const todayIs = cityDay(new Date(), timeZone)
  let sessions = 0
  let n = 0
  // a fixed walk, so every demo city has the same month
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!
  for (let d = DAYS; d >= 1; d--) {
    const day = addDays(todayIs, -d)
    const busy = 6 + ((d * 7) % 5)
    for (let i = 0; i < busy; i++) {
      n++
      const minute = 8 * 60 + ((i * 53 + d * 17) % 540)
      const at = new Date(zonedInstant(day, minute, timeZone))
      const minutes = 30 * (1 + ((i + d) % 4))
      const plate = `FIN${String(n).padStart(4, '0')}`
      try {
        if (i % 2 === 0) {
          const facility = facilities.get(KIOSK_FACILITY)!
          const cents = quote(facility.tariff, at, new Date(at.getTime() + minutes * 60_000)).totalCents
          await startSession(sql, {
            facility,
            plate: { plate, state: 'NC', printed: plate },
            span: { minutes },
            payment: { method: 'cash', amountCents: cents, saleId: randomUUID() },
            principal: kioskPrincipal,
            key: `demo-finance:${n}`,
            now: at,
          })
        } else {
          const driver = pick(payers, i + d)
          const principal: UserPrincipal = {
            kind: 'user', userId: driver.user_id, role: 'driver', customerId: driver.customer_id,
            displayName: driver.name, email: driver.email, csrfToken: '', sessionHash: '',
          }
          await startSession(sql, {
            facility: facilities.get(pick(WEB_FACILITIES, i + d))!,
            plate: { plate, state: 'NC', printed: plate },
            span: { minutes },
            payment: { method: 'utility_account', utilityAccountId: driver.account_id },
            principal,
            key: `demo-finance:${n}`,
            now: at,
          })
        }
        sessions++
      } catch (err) {
        // a zone closed at that hour (a Sunday, a holiday) sells nothing: so be it
        if (!(err instanceof AppError)) {
          throw err
        }
      }
    }
    if (d === 16 || d === 2) {
      const collection = await recordCollection(
        sql,
        kioskPrincipal,
        {
          deviceId: kiosk.id,
          // the second count comes up $7.25 short, past the tolerance: an exception to work
          countedCents: (await accountBalance(sql, parkingAccount.kioskCash(kiosk.id))) - (d === 2 ? 725 : 0),
          collectedAt: new Date(zonedInstant(day, 18 * 60, timeZone)),
          note: d === 2 ? 'Coin tube jammed; counted twice' : null,
          key: `demo-finance:collection:${d}`,
          toleranceCents: 500,
        },
        new Date(zonedInstant(day, 18 * 60, timeZone)),
      )
      if (d === 16) {
        await recordDeposit(sql, kioskPrincipal, {
          slipNumber: 'DS-1001',
          depositedOn: addDays(day, 1),
          amountCents: collection.counted_cents,
          collectionIds: [collection.public_id],
        })
      }
    }
  }
  await ensureCalendar(sql, todayIs)
  const { closed } = await closePendingDays(sql, { timeZone, lookbackDays: DAYS + 1 })
  const due = await sql<{ cycle: number; day: string }[]>`
    select cycle, billing_date::text as day from finance.bill_cycle_date
     where billing_date >= date_trunc('month', ${todayIs}::date) and billing_date < ${todayIs}::date
     order by billing_date, cycle`
  for (const { cycle, day } of due) {
    await exportCycle(sql, cycle, day)
  }
  log(`finance: ${sessions} parking sessions over ${DAYS} days, ${closed.length} days closed, ${due.length} cycle exports`)
  return { sessions, closedDays: closed.length, cycleExports: due.length }
}

