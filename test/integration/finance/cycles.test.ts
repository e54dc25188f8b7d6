import { createHash, randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'
import { allDayTariff, makeFacility } from '../sessions/fixtures.ts'
import { makeResident, residentialSetup, ZONE_LAT } from '../permits/fixtures.ts'
import { makeZone, metered, monday } from '../enforcement/fixtures.ts'
import { makeUtilityAccount } from '../customers/cis-fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { cityDay, exportCycle, fillDefaultCalendar } from '../../../api/finance/cycles.ts'
import { listExceptions } from '../../../api/finance/exceptions.ts'
import { cycleExport } from '../../../jobs/cycle-export.ts'
import { createLogger } from '../../../api/http/log.ts'

const db = await testDatabase({ max: 8 })
const t = testApp(db)
const TZ = db.config.CITY_TIME_ZONE
const today = cityDay(new Date(), TZ)
const month = today.slice(0, 7)
/** The first day of the month `n` months after this one. */
const monthsOn = (n: number) => {
  const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 + n, 1))
  return d.toISOString().slice(0, 10)
}
const A = 3
const B = 9

await residentialSetup(db.sql)
await makeFacility(db.sql, { code: 'CY-LOT' })
await makeFacility(db.sql, {
  code: 'CY-REFUND',
  tariff: allDayTariff({ refundUnusedTime: true, maximumStayMinutes: 240 }),
})
await makeZone(db.sql, 'CY-METER', metered())
const finance = await t.userWithRole('finance')
const admin = await t.userWithRole('admin')
const ambassador = await t.userWithRole('ambassador')
const alice = await t.userWithRole('driver', 'Alice (cycle 3)')
const bob = await t.userWithRole('driver', 'Bob (cycle 9)')
const home = await makeResident(db.sql, {
  customerId: alice.customerId!,
  lat: ZONE_LAT + 0.004,
  lon: -78.635,
})
await db.sql`update cis.utility_account set bill_cycle = ${A} where id = ${home.accountId}`
const bobs = await makeUtilityAccount(db.sql, {
  billCycle: B,
  holder: { customerId: bob.customerId!, relationship: 'linked' },
})

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
let plates = 0
const plate = () => `CYC${String(++plates).padStart(3, '0')}`
const post = (path: string, as: Caller, json: object) =>
  t.request(path, { method: 'POST', as, json, headers: { 'idempotency-key': randomUUID() } })
const get = async (path: string, as: Caller = finance) => {
  const res = await t.request(path, { as })
  expect(res.status).toBe(200)
  return res.json()
}
const csv = (path: string, as: Caller, body: string) =>
  t.request(path, { method: 'POST', as, body, headers: { 'content-type': 'text/csv' } })
const onBill = (utilityAccountId: number) => ({ method: 'utility_account', utilityAccountId })

async function startSession(as: Caller, accountId: number, facility = 'CY-LOT', minutes = 90) {
  const res = await post('/api/v1/sessions', as, {
    facility,
    plate: plate(),
    state: 'NC',
    minutes,
    payment: onBill(accountId),
  })
  expect(res.status).toBe(201)
  return res.json()
}

async function runExport(cycle: number, billingDate: string, as: Caller = finance) {
  return post('/api/v1/finance/cycle-exports', as, { cycle, billingDate })
}

async function setDates(
  m: string,
  dates: { cycle: number; billingDate: string }[],
  as: Caller = finance,
) {
  return t.request(`/api/v1/finance/cycle-calendar/${m}`, { method: 'PUT', as, json: { dates } })
}

// Alice's utility account (cycle 3): a session, a session stopped early (its start and its refund
// credit), a permit and a citation, all on the bill. Bob's (cycle 9): one session.
await startSession(alice, home.accountId)
const refundable = await startSession(alice, home.accountId, 'CY-REFUND', 180)
expect(
  (await t.request(`/api/v1/sessions/${refundable.id}/stop`, { method: 'POST', as: alice })).status,
).toBe(200)
const applied = await (
  await post('/api/v1/permits', alice, {
    type: 'RES-Z',
    vehicles: [{ plate: plate(), state: 'NC' }],
  })
).json()
expect(
  (await post(`/api/v1/permits/${applied.id}/payment`, alice, { payment: onBill(home.accountId) }))
    .status,
).toBe(200)
const ticketed = plate()
const cited = await post('/api/v1/enforcement/citations', ambassador, {
  plate: ticketed,
  state: 'NC',
  violation: 'NO-PAY',
  facility: 'CY-METER',
  at: monday('11:00').toISOString(),
  photos: [PNG],
})
expect(cited.status).toBe(201)
const citation = await cited.json()
expect(
  (
    await post(`/api/v1/citations/${citation.number}/payment`, alice, {
      plate: ticketed,
      payment: onBill(home.accountId),
    })
  ).status,
).toBe(200)
await startSession(bob, bobs.id)

interface Line {
  id: number
  reference: string
  chargeCode: string
  amountCents: number
  accountNumber: string
  status: string
  attempt: number
  entryId: number
  postingId: number
  description: string
}

describe('the bill-cycle calendar', () => {
  it('has every cycle once a month for this year and next, cycle n on the n-th weekday by default', async () => {
    const year = Number(today.slice(0, 4))
    for (const y of [year, year + 1]) {
      const { dates } = await get(`/api/v1/finance/cycle-calendar?year=${y}`)
      expect(dates).toHaveLength(12 * 21)
    }
    const { dates } = await get(`/api/v1/finance/cycle-calendar?year=${year + 1}`)
    // January of next year: the weekdays in order, cycle n on the n-th
    const jan = dates.filter((d: { billingDate: string }) =>
      d.billingDate.startsWith(`${year + 1}-01`),
    )
    const weekdays: string[] = []
    for (let day = 1; day <= 31; day++) {
      const date = new Date(Date.UTC(year + 1, 0, day))
      if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) {
        weekdays.push(date.toISOString().slice(0, 10))
      }
    }
    for (let cycle = 1; cycle <= 21; cycle++) {
      expect(jan.find((d: { cycle: number }) => d.cycle === cycle).billingDate).toBe(
        weekdays[Math.min(cycle, weekdays.length) - 1],
      )
    }
    // filling again adds nothing and moves nothing
    expect(await fillDefaultCalendar(db.sql, `${year}-01-01`, `${year + 1}-12-31`)).toBe(0)
  })

  it('lets finance set a month’s dates: real dates of that month, each cycle once', async () => {
    const next = monthsOn(1).slice(0, 7)
    expect((await setDates(next, [{ cycle: 14, billingDate: `${next}-32` }])).status).toBe(400)
    expect((await setDates(next, [{ cycle: 14, billingDate: `${monthsOn(2)}` }])).status).toBe(400)
    const twice = await setDates(next, [
      { cycle: 14, billingDate: `${next}-03` },
      { cycle: 14, billingDate: `${next}-04` },
    ])
    expect(twice.status).toBe(400)
    expect((await twice.json()).error.details).toEqual([
      expect.objectContaining({ field: 'body.dates.1.cycle' }),
    ])
    const set = await setDates(next, [{ cycle: 14, billingDate: `${next}-02` }], admin)
    expect(set.status).toBe(200)
    expect((await set.json()).dates.filter((d: { cycle: number }) => d.cycle === 14)).toEqual([
      { cycle: 14, billingDate: `${next}-02`, exportId: null, exportStatus: null },
    ])
    const [audit] =
      await db.sql`select after from app.audit_log where action = 'finance.bill_cycle.set_dates'`
    expect(audit?.after).toEqual([{ cycle: 14, billingDate: `${next}-02` }])
  })
})

describe('exporting a cycle', () => {
  let lines: Line[] = []
  let exportId = 0
  let file = ''

  it('carries each parking charge and credit of the cycle’s accounts once, the other cycle’s none', async () => {
    expect(
      (
        await setDates(month, [
          { cycle: A, billingDate: today },
          { cycle: B, billingDate: today },
        ])
      ).status,
    ).toBe(200)
    const res = await runExport(A, today)
    expect(res.status).toBe(201)
    const made = await res.json()
    expect(made).toMatchObject({
      cycle: A,
      billingDate: today,
      status: 'done',
      lineCount: 5,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    exportId = made.id
    const detail = await get(`/api/v1/finance/cycle-exports/${exportId}`)
    lines = detail.lineList
    expect(lines.map((l) => l.chargeCode).sort()).toEqual(['PKC', 'PKP', 'PKR', 'PKS', 'PKS'])
    expect(
      lines.every(
        (l) => l.accountNumber === home.accountNumber && l.status === 'exported' && l.attempt === 1,
      ),
    ).toBe(true)
    expect(lines.find((l) => l.chargeCode === 'PKR')?.amountCents).toBeLessThan(0)
    expect(lines.find((l) => l.chargeCode === 'PKC')?.description).toContain(citation.number)
    expect(new Set(lines.map((l) => `${l.entryId}:${l.postingId}`)).size).toBe(5)
    for (const l of lines) {
      expect(l.reference).toBe(`CL-${l.entryId}-${l.postingId}`)
    }
    // the lines add up to what the ledger says the account owes
    expect(made.totalCents).toBe(
      await accountBalance(db.sql, receivable.ofUtilityAccount('parking', home.accountId)),
    )

    const other = await (await runExport(B, today)).json()
    const otherLines: Line[] = (await get(`/api/v1/finance/cycle-exports/${other.id}`)).lineList
    expect(otherLines.map((l) => [l.accountNumber, l.chargeCode])).toEqual([
      [bobs.accountNumber, 'PKS'],
    ])
  })

  it('writes the file as CSV, the same bytes on every download and every run', async () => {
    const download = await t.request(`/api/v1/finance/cycle-exports/${exportId}/file`, {
      as: finance,
    })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toContain('text/csv')
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="curbline-cycle-03-${today}.csv"`,
    )
    file = await download.text()
    const rows = file.trimEnd().split('\n')
    expect(rows[0]).toBe('account_number,charge_code,service,amount,description,reference')
    expect(rows).toHaveLength(6)
    const session = lines.find((l) => l.chargeCode === 'PKS')
    expect(file).toContain(
      `${home.accountNumber},PKS,parking,${((session?.amountCents ?? 0) / 100).toFixed(2)},`,
    )
    expect(file).toMatch(new RegExp(`,PKR,parking,-\\d+\\.\\d{2},`))
    const sha = createHash('sha256').update(file).digest('hex')
    expect(download.headers.get('x-content-sha256')).toBe(sha)

    // more charges arrive, then the same cycle and date is run again, twice at once
    await startSession(alice, home.accountId)
    const [again, once] = await Promise.all([runExport(A, today), exportCycle(db.sql, A, today)])
    expect(again.status).toBe(200)
    expect(((await again.json()) as { id: number }).id).toBe(exportId)
    expect(once).toMatchObject({ id: exportId, lineCount: 5, sha256: sha })
    const second = await (
      await t.request(`/api/v1/finance/cycle-exports/${exportId}/file`, { as: finance })
    ).text()
    expect(second).toBe(file)
    const exports = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from finance.cycle_export where cycle = ${A}`
    expect(exports).toEqual([{ n: 1 }])
  })

  it('marks lines billed or rejected from the CIS acknowledgement, once; a rejected line becomes an exception', async () => {
    const rejected = lines.find((l) => l.chargeCode === 'PKP')
    const ack = ['reference,status,reason,bill_id']
    for (const l of lines) {
      ack.push(
        l === rejected
          ? `${l.reference},rejected,"Account closed, final bill issued",`
          : `${l.reference},billed,,B-7781`,
      )
    }
    const res = await csv('/api/v1/finance/cycle-acks', finance, ack.join('\r\n') + '\r\n')
    expect(res.status).toBe(200)
    const result = await res.json()
    expect(result).toMatchObject({
      rows: 5,
      billed: 4,
      rejected: 1,
      unchanged: 0,
      exceptionIds: [expect.any(Number)],
    })
    const after: Line[] = (await get(`/api/v1/finance/cycle-exports/${exportId}`)).lineList
    expect(after.filter((l) => l.status === 'billed')).toHaveLength(4)
    expect(after.find((l) => l.id === rejected?.id)).toMatchObject({
      status: 'rejected',
      rejectReason: 'Account closed, final bill issued',
    })
    const exceptions = await listExceptions(db.sql, { kind: 'cycle_line_rejected', limit: 10 })
    expect(exceptions).toHaveLength(1)
    expect(exceptions[0]).toMatchObject({
      id: result.exceptionIds[0],
      status: 'open',
      amount_cents: rejected?.amountCents,
      evidence: {
        reference: rejected?.reference,
        accountNumber: home.accountNumber,
        cycle: A,
        reason: 'Account closed, final bill issued',
      },
    })
    // the same file again changes nothing and raises nothing new
    const again = await (await csv('/api/v1/finance/cycle-acks', finance, ack.join('\n'))).json()
    expect(again).toMatchObject({ billed: 0, rejected: 0, unchanged: 5 })
    expect(await listExceptions(db.sql, { kind: 'cycle_line_rejected', limit: 10 })).toHaveLength(1)
    const summary = (await get(`/api/v1/finance/cycle-exports?billingDate=${today}`)).exports.find(
      (x: { id: number }) => x.id === exportId,
    )
    expect(summary.lines).toEqual({ exported: 0, billed: 4, rejected: 1, requeued: 0 })
  })

  it('refuses a bad acknowledgement file whole, naming each bad line', async () => {
    const billed = lines.find((l) => l.chargeCode === 'PKC')
    const bad = [
      'reference,status,reason,bill_id',
      `${lines[0]?.reference},billed,,B-7781`,
      'CL-999999-1,billed,,B-1',
      `${billed?.reference},rejected,"changed its mind",`,
      'nonsense,maybe,,',
    ].join('\n')
    const res = await csv('/api/v1/finance/cycle-acks', finance, bad)
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.details.errors).toEqual([
      expect.objectContaining({ line: 3, field: 'reference' }),
      expect.objectContaining({ line: 4, field: 'status' }),
      expect.objectContaining({ line: 5, field: 'reference' }),
      expect.objectContaining({ line: 5, field: 'status' }),
    ])
    expect(
      (await csv('/api/v1/finance/cycle-acks', finance, 'reference,outcome\nCL-1-1,billed\n'))
        .status,
    ).toBe(400)
    expect((await csv('/api/v1/finance/cycle-acks', finance, '')).status).toBe(400)
    const after: Line[] = (await get(`/api/v1/finance/cycle-exports/${exportId}`)).lineList
    expect(after.find((l) => l.id === billed?.id)?.status).toBe('billed')
  })

  it('never carries a line again, except a rejected one put back, once, as its next attempt', async () => {
    const rejected = lines.find((l) => l.chargeCode === 'PKP')
    const next = monthsOn(1)
    expect((await setDates(next.slice(0, 7), [{ cycle: A, billingDate: next }])).status).toBe(200)
    // requeue: only a rejected line; the exception resolves with the note
    const billedLine = lines.find((l) => l.chargeCode === 'PKC')
    expect(
      (await post(`/api/v1/finance/cycle-lines/${billedLine?.id}/requeue`, finance, {})).status,
    ).toBe(409)
    const requeued = await post(`/api/v1/finance/cycle-lines/${rejected?.id}/requeue`, finance, {
      note: 'Moved to the new account',
    })
    expect(requeued.status).toBe(200)
    expect(await requeued.json()).toMatchObject({
      line: { status: 'requeued' },
      exceptionId: expect.any(Number),
    })
    const [exception] = await listExceptions(db.sql, { kind: 'cycle_line_rejected', limit: 10 })
    expect(exception).toMatchObject({
      status: 'resolved',
      resolution_note: expect.stringContaining('Moved to the new account'),
    })
    expect(
      (await post(`/api/v1/finance/cycle-lines/${rejected?.id}/requeue`, finance, {})).status,
    ).toBe(200)

    const later = await (await runExport(A, next)).json()
    const carried: Line[] = (await get(`/api/v1/finance/cycle-exports/${later.id}`)).lineList
    // the session started after the first export, and the permit's posting again as attempt 2
    expect(carried.map((l) => l.chargeCode).sort()).toEqual(['PKP', 'PKS'])
    const again = carried.find((l) => l.chargeCode === 'PKP')
    expect(again).toMatchObject({
      entryId: rejected?.entryId,
      postingId: rejected?.postingId,
      attempt: 2,
      reference: `${rejected?.reference}-2`,
    })
    expect(
      carried.filter((l) =>
        lines.some(
          (o) => o.entryId === l.entryId && o.postingId === l.postingId && l.chargeCode !== 'PKP',
        ),
      ),
    ).toEqual([])

    // the month after: nothing left to carry
    const after = monthsOn(2)
    expect((await setDates(after.slice(0, 7), [{ cycle: A, billingDate: after }])).status).toBe(200)
    expect(await (await runExport(A, after)).json()).toMatchObject({
      status: 'done',
      lineCount: 0,
      totalCents: 0,
    })
    // every posting of the account was carried exactly once, attempts aside
    const once = await db.sql<{ carriedOnce: boolean }[]>`
      select bool_and(n = 1) as "carriedOnce" from (
        select count(*) filter (where status <> 'requeued') as n from finance.cycle_export_line
         where utility_account_id = ${home.accountId} group by entry_id, posting_id) x`
    expect(once).toEqual([{ carriedOnce: true }])
    // an exported date stays put
    const moved = await setDates(next.slice(0, 7), [
      { cycle: A, billingDate: `${next.slice(0, 8)}15` },
    ])
    expect(moved.status).toBe(409)
  })

  it('shows an export that failed as failed, with the reason, and runs it again when asked', async () => {
    const day = monthsOn(4).slice(0, 8) + '12'
    expect((await setDates(day.slice(0, 7), [{ cycle: 16, billingDate: day }])).status).toBe(200)
    const account = await makeUtilityAccount(db.sql, {
      billCycle: 16,
      holder: { customerId: bob.customerId!, relationship: 'linked' },
    })
    await startSession(bob, account.id)
    // the database refuses the lines, as a full disk or a lost connection would
    await db.sql`
      create function public.refuse_lines() returns trigger language plpgsql as $$
      begin raise exception 'no space left on device'; end $$`
    await db.sql.unsafe(`
      create trigger refuse_lines before insert on finance.cycle_export_line
      for each statement execute function public.refuse_lines()`)
    try {
      await expect(exportCycle(db.sql, 16, day)).rejects.toThrow('no space left on device')
    } finally {
      await db.sql.unsafe('drop trigger refuse_lines on finance.cycle_export_line')
    }
    const failed = await get(`/api/v1/finance/cycle-exports?cycle=16&billingDate=${day}`)
    expect(failed.exports).toEqual([
      expect.objectContaining({
        status: 'failed',
        lineCount: 0,
        failure: expect.stringContaining('no space'),
      }),
    ])
    expect(
      (
        await t.request(`/api/v1/finance/cycle-exports/${failed.exports[0].id}/file`, {
          as: finance,
        })
      ).status,
    ).toBe(409)
    const again = await runExport(16, day)
    expect(again.status).toBe(201)
    expect(await again.json()).toMatchObject({
      id: failed.exports[0].id,
      status: 'done',
      lineCount: 1,
      failure: null,
    })
  })

  it('exports only on a billing date of the cycle', async () => {
    const wrong = await runExport(5, '2019-02-30')
    expect(wrong.status).toBe(400)
    const notScheduled = await runExport(A, monthsOn(1).slice(0, 8) + '20')
    expect(notScheduled.status).toBe(400)
    expect((await notScheduled.json()).error.message).toContain(`Cycle ${A} does not bill on`)
  })

  it('runs every cycle due on a day from the job, each once, and lists their progress', async () => {
    const day = monthsOn(3).slice(0, 8) + '10'
    expect(
      (
        await setDates(day.slice(0, 7), [
          { cycle: 1, billingDate: day },
          { cycle: B, billingDate: day },
          { cycle: 20, billingDate: day },
        ])
      ).status,
    ).toBe(200)
    const deps = { sql: db.sql, config: db.config, log: createLogger({ test: true }) }
    await cycleExport.run(deps, { billingDate: day }, { id: 'test' })
    await cycleExport.run(deps, { billingDate: day }, { id: 'test-again' })
    // the three set there, and any cycle whose default date it is
    const calendar = await get(`/api/v1/finance/cycle-calendar?year=${day.slice(0, 4)}`)
    const due = calendar.dates
      .filter((d: { billingDate: string }) => d.billingDate === day)
      .map((d: { cycle: number }) => d.cycle)
    expect(due).toEqual(expect.arrayContaining([1, B, 20]))
    const listed = await get(`/api/v1/finance/cycle-exports?billingDate=${day}`)
    expect(
      listed.exports.map((x: { cycle: number; status: string }) => [x.cycle, x.status]),
    ).toEqual(due.map((c: number) => [c, 'done']))
    expect(listed.summary).toMatchObject({ running: 0, done: due.length, failed: 0 })
    // cycle 9's session went in today's export already
    expect(listed.exports.find((x: { cycle: number }) => x.cycle === B).lineCount).toBe(0)
  })

  it('runs the cycles due on a date on demand, as the job does', async () => {
    const day = monthsOn(5).slice(0, 8) + '14'
    expect((await setDates(day.slice(0, 7), [{ cycle: 2, billingDate: day }])).status).toBe(200)
    const res = await post('/api/v1/finance/cycle-exports/due', finance, { billingDate: day })
    expect(res.status).toBe(200)
    const ran = await res.json()
    expect(ran.exports.map((x: { cycle: number }) => x.cycle)).toContain(2)
    expect(ran.summary).toMatchObject({ running: 0, failed: 0, done: ran.exports.length })
    expect(
      (await post('/api/v1/finance/cycle-exports/due', alice, { billingDate: day })).status,
    ).toBe(403)
  })
})

describe('who may see and run bill-cycle exports', () => {
  it('answers a driver 403 and the public 401', async () => {
    expect((await t.request('/api/v1/finance/cycle-exports', { as: alice })).status).toBe(403)
    expect((await t.request('/api/v1/finance/cycle-calendar', { as: alice })).status).toBe(403)
    expect((await runExport(A, today, alice)).status).toBe(403)
    expect((await csv('/api/v1/finance/cycle-acks', alice, 'reference,status\n')).status).toBe(403)
    expect((await post('/api/v1/finance/cycle-lines/1/requeue', alice, {})).status).toBe(403)
    expect((await t.request('/api/v1/finance/cycle-exports')).status).toBe(401)
  })
})
