import { describe, it, expect } from 'vitest'
import { testDatabase } from '../../support/db.ts'
import { testApp, type Caller } from '../../support/app.ts'

const db = await testDatabase()
const t = testApp(db)

type CustomerId = number | null | undefined

const addVehicle = (caller: Caller, customerId: CustomerId, json: unknown) =>
  t.request(`/api/v1/customers/${customerId}/vehicles`, { method: 'POST', as: caller, json })
const added = async (caller: Caller, customerId: CustomerId, json: unknown) => {
  const res = await addVehicle(caller, customerId, json)
  expect(res.status).toBe(201)
  return res.json()
}
const removeVehicle = (caller: Caller, customerId: CustomerId, vehicleId: number) =>
  t.request(`/api/v1/customers/${customerId}/vehicles/${vehicleId}`, {
    method: 'DELETE',
    as: caller,
  })
const vehiclesOf = async (caller: Caller, customerId: CustomerId, query = '') => {
  const res = await t.request(`/api/v1/customers/${customerId}/vehicles${query}`, { as: caller })
  expect(res.status).toBe(200)
  return (await res.json()).vehicles
}

describe('vehicles', () => {
  it('adds a vehicle with the plate normalised and the printed form kept', async () => {
    const driver = await t.userWithRole('driver')
    const res = await addVehicle(driver, driver.customerId, {
      plate: ' 4kx-7.29 ',
      state: 'ny',
      make: 'Subaru',
      model: 'Outback',
      colour: 'Green',
    })
    expect(res.status).toBe(201)
    const vehicle = await res.json()
    expect(vehicle).toMatchObject({
      customerId: driver.customerId,
      plate: '4KX729',
      state: 'NY',
      platePrinted: '4KX-7.29',
      make: 'Subaru',
      model: 'Outback',
      colour: 'Green',
      removedAt: null,
    })
    expect(await vehiclesOf(driver, driver.customerId)).toEqual([vehicle])
  })

  it('names the field when the plate or state is not valid', async () => {
    const driver = await t.userWithRole('driver')
    for (const [json, field] of [
      [{ plate: 'ABCDE12345', state: 'MA' }, 'body.plate'],
      [{ plate: '--', state: 'MA' }, 'body.plate'],
      [{ plate: 'ABC$12', state: 'MA' }, 'body.plate'],
      [{ plate: 'ABC123', state: 'ZZ' }, 'body.state'],
      [{ plate: 'ABC123' }, 'body.state'],
    ] as const) {
      const res = await addVehicle(driver, driver.customerId, json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      const fields = (await res.json()).error.details.map((d: { field: string }) => d.field)
      expect(fields).toContain(field)
    }
  })

  it('refuses a plate already active on another customer, without saying whose it is', async () => {
    const first = await t.userWithRole('driver', 'First Owner')
    const second = await t.userWithRole('driver', 'Second Claimant')
    await added(first, first.customerId, { plate: 'DUP 100', state: 'MA' })
    const res = await addVehicle(second, second.customerId, { plate: 'dup-100', state: 'ma' })
    expect(res.status).toBe(409)
    const body = await res.json()
    expect(body.error.code).toBe('conflict')
    expect(body.error.message).toMatch(/DUP100 \(MA\) is registered to another customer/)
    expect(JSON.stringify(body)).not.toMatch(/First Owner/)
  })

  it('refuses the same plate twice on one customer', async () => {
    const driver = await t.userWithRole('driver')
    await added(driver, driver.customerId, { plate: 'TWICE1', state: 'CT' })
    const res = await addVehicle(driver, driver.customerId, { plate: 'TWICE 1', state: 'CT' })
    expect(res.status).toBe(409)
    expect((await res.json()).error.message).toMatch(/already one of this customer's vehicles/)
  })

  it('allows the same plate number from a different state', async () => {
    const a = await t.userWithRole('driver')
    const b = await t.userWithRole('driver')
    await added(a, a.customerId, { plate: 'SAME1', state: 'MA' })
    await added(b, b.customerId, { plate: 'SAME1', state: 'ON' })
  })

  it('removes a vehicle but keeps its history, freeing the plate', async () => {
    const seller = await t.userWithRole('driver')
    const buyer = await t.userWithRole('driver')
    const vehicle = await added(seller, seller.customerId, { plate: 'SOLD1', state: 'RI' })
    expect((await removeVehicle(seller, seller.customerId, vehicle.id)).status).toBe(204)

    expect(await vehiclesOf(seller, seller.customerId)).toEqual([])
    expect(await vehiclesOf(seller, seller.customerId, '?includeRemoved=true')).toEqual([
      expect.objectContaining({ id: vehicle.id, removedAt: expect.any(String) }),
    ])
    await added(buyer, buyer.customerId, { plate: 'SOLD1', state: 'RI' })
  })

  it('answers 404 when removing a vehicle that belongs to another customer', async () => {
    const owner = await t.userWithRole('driver')
    const other = await t.userWithRole('driver')
    const vehicle = await added(owner, owner.customerId, { plate: 'MINE1', state: 'VT' })
    const res = await removeVehicle(other, other.customerId, vehicle.id)
    expect(res.status).toBe(404)
    const [row] = await db.sql`select removed_at from cis.vehicle where id = ${vehicle.id}`
    expect(row?.removed_at).toBeNull()
  })

  it("lets admins and supervisors change any customer's vehicles, audited", async () => {
    const driver = await t.userWithRole('driver')
    const admin = await t.userWithRole('admin')
    const supervisor = await t.userWithRole('supervisor')
    const vehicle = await added(admin, driver.customerId, { plate: 'STAFF1', state: 'ME' })
    expect((await removeVehicle(supervisor, driver.customerId, vehicle.id)).status).toBe(204)

    const audit = await db.sql<
      {
        action: string
        actor_user_id: number
        before: unknown
        after: { removedAt: string | null } | null
      }[]
    >`
      select action, actor_user_id, before, after from app.audit_log
       where entity = 'vehicle' and entity_id = ${String(vehicle.id)} order by id`
    expect(audit.map((a) => [a.action, a.actor_user_id])).toEqual([
      ['vehicle.add', admin.userId],
      ['vehicle.remove', supervisor.userId],
    ])
    expect(audit[0]?.after).toMatchObject({ plate: 'STAFF1', removedAt: null })
    expect(audit[1]?.before).toMatchObject({ plate: 'STAFF1', removedAt: null })
    expect(audit[1]?.after?.removedAt).toEqual(expect.any(String))
  })

  it('does not let finance staff change vehicles', async () => {
    const driver = await t.userWithRole('driver')
    const finance = await t.userWithRole('finance')
    const res = await addVehicle(finance, driver.customerId, { plate: 'FIN1', state: 'MA' })
    expect(res.status).toBe(403)
  })

  it('keeps one active vehicle per plate when several customers race for it', async () => {
    const drivers = await Promise.all([1, 2, 3, 4].map(() => t.userWithRole('driver')))
    const results = await Promise.all(
      drivers.map((d) => addVehicle(d, d.customerId, { plate: 'RACE1', state: 'MA' })),
    )
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409])
    const [count] = await db.sql`
      select count(*)::int as n from cis.vehicle where plate = 'RACE1' and removed_at is null`
    expect(count?.n).toBe(1)
  })
})
