import { randomUUID } from 'node:crypto'
import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import type { Caller } from '../../support/app.ts'
import { cardTestApp } from '../../stripe/harness.ts'
import { makeZone, metered, monday, paidSession } from './fixtures.ts'
import { makeResident, residentialSetup, ZONE_LAT } from '../permits/fixtures.ts'
import { accountBalance } from '../../../api/ledger/balances.ts'
import { receivable } from '../../../api/ledger/post.ts'
import { escalate, paidButTicketed } from '../../../api/enforcement/escalation.ts'
import { CITATION_FINES, CITATION_LATE_FEES, UNKNOWN_OWNERS } from '../../../api/enforcement/citations.ts'

const db = await testDatabase({ max: 10 })
const { t, stripe, deliver, intentOf } = cardTestApp(db)
const zone = await makeZone(db.sql, 'C-METER', metered())
const ambassador = await t.userWithRole('ambassador')
const supervisor = await t.userWithRole('supervisor')
const NY = 'America/New_York'
// a 1x1 PNG: the smallest photo there is
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

let n = 0
const plate = (p = 'CIT') => `${p}${String(++n).padStart(3, '0')}`
const post = (path: string, as: Caller | undefined, json: object) =>
  t.request(path, { method: 'POST', ...(as ? { as } : {}), json, headers: { 'idempotency-key': randomUUID() } })

async function cite(p: string, extra: object = {}) {
  const res = await post('/api/v1/enforcement/citations', ambassador, {
    plate: p,
    state: 'NC',
    violation: 'NO-PAY',
    facility: 'C-METER',
    at: monday('11:00').toISOString(),
    photos: [PNG],
    vehicle: { make: 'Honda', colour: 'Blue' },
    ...extra,
  })
  expect(res.status).toBe(201)
  return res.json()
}

const lookup = async (number: string, p: string) => (await t.request(`/api/v1/citations/${number}?plate=${p}`)).json()

describe('citations', () => {
  it('posts the fine to the owner’s account when the plate is a known customer’s car, and shows it on their statement', async () => {
    const driver = await t.userWithRole('driver')
    const p = plate('OWN')
    await db.sql`insert into cis.vehicle (customer_id, plate, state, plate_printed) values (${driver.customerId!}, ${p}, 'NC', ${p})`
    const revenue = await accountBalance(db.sql, CITATION_FINES)
    const citation = await cite(p)
    expect(citation).toMatchObject({ status: 'open', fineCents: 4000, balanceCents: 4000, customer: { id: driver.customerId }, photos: [expect.any(Number)] })
    expect(citation.number).toMatch(/^C26\d{6}$/)
    expect(await accountBalance(db.sql, receivable.ofCustomer('parking', driver.customerId!))).toBe(4000)
    expect(await accountBalance(db.sql, CITATION_FINES)).toBe(revenue - 4000)
    const statement = await (await t.request(`/api/v1/customers/${driver.customerId}/statement`, { as: driver })).json()
    expect(statement.lines.map((l: { description: string }) => l.description)).toContain(`Citation ${citation.number}: No payment for parking (${p})`)
    const mine = await (await t.request('/api/v1/citations/mine', { as: driver })).json()
    expect(mine.citations.map((c: { number: string }) => c.number)).toEqual([citation.number])
    // the notice: number and plate, no sign-in
    expect(await lookup(citation.number, p)).toMatchObject({ number: citation.number, balanceCents: 4000, payUrl: expect.stringContaining(citation.number) })
    expect((await t.request(`/api/v1/citations/${citation.number}?plate=WRONG1`)).status).toBe(404)
    const photo = await t.request(`/api/v1/citations/${citation.number}/photos/${citation.photos[0]}?plate=${p}`)
    expect(photo.headers.get('content-type')).toBe('image/png')
  })

  it('numbers an offline handheld’s citations from its block, once however often they are sent', async () => {
    const handheld = await t.device('handheld')
    const clientId = randomUUID()
    const body = { clientId, number: `H${handheld.deviceId}-17`, plate: plate(), state: 'NC', violation: 'EXPIRED', facility: 'C-METER', at: monday('09:15').toISOString() }
    const [a, b] = await Promise.all([post('/api/v1/enforcement/citations', handheld, body), post('/api/v1/enforcement/citations', handheld, body)])
    expect([a.status, b.status].sort()).toEqual([200, 201])
    expect((await a.json()).number).toBe(`H${handheld.deviceId}-17`)
    const wrongBlock = await post('/api/v1/enforcement/citations', handheld, { ...body, clientId: randomUUID(), number: 'H999999-1' })
    expect(wrongBlock.status).toBe(400)
  })

  it('adds each late fee once, however often escalation runs, and lists a plate with three past due', async () => {
    const p = plate('ESC')
    const citations = [await cite(p), await cite(p), await cite(p)]
    const dueOn = citations[0].dueOn
    const later = new Date(Date.parse(`${dueOn}T12:00:00-05:00`) + 2 * 86_400_000)
    const fees = await accountBalance(db.sql, CITATION_LATE_FEES)
    const [first, second] = await Promise.all([escalate(db.sql, later, NY), escalate(db.sql, later, NY)])
    const third = await escalate(db.sql, later, NY)
    expect(third.lateFees).toBe(0)
    // the first step (on the due date) is due, the second (30 days after) is not
    for (const c of citations) {
      expect(await lookup(c.number, p)).toMatchObject({ status: 'past_due', balanceCents: 6500 })
    }
    const added = first.lateFees + second.lateFees
    expect(await accountBalance(db.sql, CITATION_LATE_FEES)).toBe(fees - added * 2500)
    const listed = await (await t.request('/api/v1/enforcement/scofflaws', { as: supervisor })).json()
    expect(listed.plates).toContainEqual(expect.objectContaining({ plate: p, citations: 3 }))
    const read = await (await t.request('/api/v1/enforcement/reads', { method: 'POST', as: ambassador, json: { plate: p, state: 'NC', facility: 'C-METER' } })).json()
    expect(read.verdict).toMatchObject({ scofflaw: true, unpaidCitations: 3 })

    // booted; released only once nothing is past due
    const boot = await post('/api/v1/enforcement/immobilisations', ambassador, { kind: 'boot', plate: p, state: 'NC', location: 'Fayetteville St' })
    expect(boot.status).toBe(201)
    const { id } = await boot.json()
    const early = await post(`/api/v1/enforcement/immobilisations/${id}/release`, supervisor, {})
    expect(early.status).toBe(409)
    expect((await early.json()).error.details.citations).toHaveLength(3)
    const driver = await t.userWithRole('driver')
    const account = await makeResident(db.sql, { customerId: driver.customerId!, lat: null, lon: 0 })
    for (const c of citations) {
      const paid = await post(`/api/v1/citations/${c.number}/payment`, driver, { plate: p, payment: { method: 'utility_account', utilityAccountId: account.accountId } })
      expect((await paid.json()).citation).toMatchObject({ status: 'paid', balanceCents: 0 })
    }
    expect(await accountBalance(db.sql, receivable.ofUtilityAccount('parking', account.accountId))).toBe(3 * 6500)
    expect((await post(`/api/v1/enforcement/immobilisations/${id}/release`, supervisor, {})).status).toBe(200)
    const cleared = await escalate(db.sql, later, NY)
    expect(cleared.cleared).toBeGreaterThanOrEqual(1)
  })

  it('voids an unpaid citation with its reason, reversing the fine exactly', async () => {
    const p = plate()
    const fines = await accountBalance(db.sql, CITATION_FINES)
    const unknown = await accountBalance(db.sql, UNKNOWN_OWNERS)
    const citation = await cite(p)
    expect(await accountBalance(db.sql, UNKNOWN_OWNERS)).toBe(unknown + 4000)
    expect((await post(`/api/v1/enforcement/citations/${citation.number}/void`, ambassador, { reason: 'Wrong plate' })).status).toBe(403)
    const voided = await post(`/api/v1/enforcement/citations/${citation.number}/void`, supervisor, { reason: 'Wrong plate' })
    expect(await voided.json()).toMatchObject({ status: 'voided', voidReason: 'Wrong plate', balanceCents: 0 })
    expect(await accountBalance(db.sql, CITATION_FINES)).toBe(fines)
    expect(await accountBalance(db.sql, UNKNOWN_OWNERS)).toBe(unknown)
    const [audit] = await db.sql`select after from app.audit_log where action = 'citation.void' order by id desc limit 1`
    expect(audit!.after).toMatchObject({ reason: 'Wrong plate' })
  })

  it('takes appeals with the evidence attached; a reduction and a dismissal post to the ledger and return overpayment', async () => {
    const p = plate('APL')
    await paidSession(db.sql, zone.id, p, monday('10:00'), monday('10:50'))
    const reduced = await cite(p)
    const dismissed = await cite(p)
    const filed = await post(`/api/v1/citations/${reduced.number}/appeals`, undefined, { plate: p, reason: 'I paid until 10:50 and came back at 11:02.', email: 'driver@example.net', photos: [PNG] })
    expect(filed.status).toBe(201)
    expect((await post(`/api/v1/citations/${reduced.number}/appeals`, undefined, { plate: p, reason: 'Again, the same reason.' })).status).toBe(409)
    const queue = await (await t.request('/api/v1/enforcement/appeals', { as: supervisor })).json()
    const appeal = queue.appeals.find((a: { citation: string }) => a.citation === reduced.number)
    expect(appeal.evidence.sessionsThatDay).toHaveLength(1)
    expect(appeal.photos).toHaveLength(1)
    const fines = await accountBalance(db.sql, CITATION_FINES)
    const decided = await post(`/api/v1/enforcement/appeals/${appeal.id}/decision`, supervisor, { decision: 'reduce', reducedToCents: 1500, letter: 'You returned shortly after your time ran out; the fine is reduced.' })
    expect(await decided.json()).toMatchObject({ status: 'reduced', balanceCents: 1500 })
    expect(await accountBalance(db.sql, CITATION_FINES)).toBe(fines + 2500)
    const [letter] = await db.sql`select recipient, body from app.notification where kind = 'appeal_decided' order by id desc limit 1`
    expect(letter).toMatchObject({ recipient: 'driver@example.net', body: expect.stringContaining('reduced') })

    // paid on the bill, then dismissed on appeal: the whole payment comes back to the bill
    const driver = await t.userWithRole('driver')
    const account = await makeResident(db.sql, { customerId: driver.customerId!, lat: null, lon: 0 })
    await post(`/api/v1/citations/${dismissed.number}/payment`, driver, { plate: p, payment: { method: 'utility_account', utilityAccountId: account.accountId } })
    const bill = receivable.ofUtilityAccount('parking', account.accountId)
    expect(await accountBalance(db.sql, bill)).toBe(4000)
    await post(`/api/v1/citations/${dismissed.number}/appeals`, undefined, { plate: p, reason: 'The meter was broken that morning.' })
    const second = (await (await t.request('/api/v1/enforcement/appeals', { as: supervisor })).json()).appeals.find((a: { citation: string }) => a.citation === dismissed.number)
    await post(`/api/v1/enforcement/appeals/${second.id}/decision`, supervisor, { decision: 'dismiss', letter: 'The meter was reported broken; dismissed.' })
    expect(await lookup(dismissed.number, p)).toMatchObject({ status: 'dismissed', balanceCents: 0 })
    expect(await accountBalance(db.sql, bill)).toBe(0)
  })

  it('dismisses a citation when paid time covering it arrives afterwards, with the fine reversed', async () => {
    const p = plate('PBT')
    const fines = await accountBalance(db.sql, CITATION_FINES)
    const citation = await cite(p)
    expect(await paidButTicketed(db.sql, null, { now: new Date(), policy: 'dismiss' })).toBe(0)
    // the kiosk that sold the time was offline: its sale arrives now
    await paidSession(db.sql, zone.id, p, monday('10:30'), monday('11:30'))
    expect(await paidButTicketed(db.sql, null, { now: new Date(), policy: 'dismiss' })).toBe(1)
    expect(await lookup(citation.number, p)).toMatchObject({ status: 'dismissed', paidButTicketed: true, balanceCents: 0 })
    expect(await accountBalance(db.sql, CITATION_FINES)).toBe(fines)
    expect(await paidButTicketed(db.sql, null, { now: new Date(), policy: 'dismiss' })).toBe(0)
  })

  it('takes one of two card payments made for one citation at the same moment, and refunds the other', async () => {
    const p = plate('RACE')
    const citation = await cite(p)
    const [a, b] = await Promise.all([
      post(`/api/v1/citations/${citation.number}/payment`, undefined, { plate: p, payment: { method: 'card' } }),
      post(`/api/v1/citations/${citation.number}/payment`, undefined, { plate: p, payment: { method: 'card' } }),
    ])
    const [pa, pb] = [await a.json(), await b.json()]
    const [ia, ib] = [await intentOf(pa.payment.id), await intentOf(pb.payment.id)]
    await Promise.all([deliver('payment_intent.succeeded', stripe.pay(ia)), deliver('payment_intent.succeeded', stripe.pay(ib))])
    const after = await lookup(citation.number, p)
    expect(after).toMatchObject({ status: 'paid', balanceCents: 0 })
    const refunds = [...stripe.refunds.values()].filter((r) => r.payment_intent === ia || r.payment_intent === ib)
    expect(refunds.map((r) => r.amount)).toEqual([4000])
    // both sides of the ledger agree: the receivable is settled once, clearing holds one fine
    expect(await accountBalance(db.sql, UNKNOWN_OWNERS)).toBeGreaterThanOrEqual(0)
    const [{ sum }] = (await db.sql`
      select coalesce(sum(amount_cents), 0)::int as sum from enforcement.citation_posting
       where citation_id = (select id from enforcement.citation where number = ${citation.number}) and kind in ('payment', 'refund')`) as unknown as [{ sum: number }]
    expect(sum).toBe(-4000)
    // once paid, another card payment is refused before anything is charged
    const late = await post(`/api/v1/citations/${citation.number}/payment`, undefined, { plate: p, payment: { method: 'card' } })
    expect(late.status).toBe(409)
  })

  it('refuses a permit while the customer has citations past due, naming them with a pay link', async () => {
    await residentialSetup(db.sql)
    const driver = await t.userWithRole('driver')
    const home = await makeResident(db.sql, { customerId: driver.customerId!, lat: ZONE_LAT + 0.004, lon: -78.635 })
    const p = plate('PDU')
    await db.sql`insert into cis.vehicle (customer_id, plate, state, plate_printed) values (${driver.customerId!}, ${p}, 'NC', ${p})`
    const citation = await cite(p)
    await escalate(db.sql, new Date(Date.parse(`${citation.dueOn}T12:00:00-05:00`) + 86_400_000), NY)
    const applied = await (await post('/api/v1/permits', driver, { type: 'RES-Z', vehicles: [{ plate: p, state: 'NC' }] })).json()
    const refused = await post(`/api/v1/permits/${applied.id}/payment`, driver, { payment: { method: 'utility_account', utilityAccountId: home.accountId } })
    expect(refused.status).toBe(409)
    const body = await refused.json()
    expect(body.error.message).toContain(citation.number)
    expect(body.error.details.citations[0]).toMatchObject({ number: citation.number, pay: expect.stringContaining(`/citations/${citation.number}`) })
    await post(`/api/v1/citations/${citation.number}/payment`, driver, { plate: p, payment: { method: 'utility_account', utilityAccountId: home.accountId } })
    expect((await post(`/api/v1/permits/${applied.id}/payment`, driver, { payment: { method: 'utility_account', utilityAccountId: home.accountId } })).status).toBe(200)
  })
})

