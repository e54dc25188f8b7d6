import type { Db } from '../../db/connect.ts'
import { inTransaction } from '../../db/connect.ts'
import { AppError, notFound } from '../http/errors.ts'
import type { Principal } from '../http/context.ts'
import { writeAudit } from '../auth/audit.ts'
import { checkPlate } from './plates.ts'
import type { VehicleView } from './schemas.ts'

interface VehicleRow {
  id: number
  customer_id: number
  plate: string
  state: string
  plate_printed: string
  make: string | null
  model: string | null
  colour: string | null
  added_at: Date
  removed_at: Date | null
}

export interface NewVehicle {
  plate: string
  state: string
  make?: string | null
  model?: string | null
  colour?: string | null
}

/** Who made a change, for the audit log; drivers' changes to their own record are not audited. */
export interface ChangedBy {
  principal: Principal | null
  requestId?: string | null
}

export async function listVehicles(
  sql: Db,
  customerId: number,
  options: { includeRemoved?: boolean } = {},
): Promise<VehicleView[]> {
  const rows = await sql<VehicleRow[]>`
    select id, customer_id, plate, state, plate_printed, make, model, colour, added_at, removed_at
      from cis.vehicle
     where customer_id = ${customerId}
       ${options.includeRemoved ? sql`` : sql`and removed_at is null`}
     order by removed_at is not null, added_at, id`
  return rows.map(vehicleView)
}

/** A customer's vehicles; an unknown customer is a 404 rather than an empty list. */
export async function vehiclesOfCustomer(
  sql: Db,
  customerId: number,
  options: { includeRemoved?: boolean } = {},
): Promise<VehicleView[]> {
  const [customer] = await sql`select 1 from cis.customer where id = ${customerId}`
  if (!customer) {
    throw notFound('Customer')
  }
  return listVehicles(sql, customerId, options)
}

/**
 * Adds a vehicle to a customer. A plate belongs to at most one active vehicle, whoever holds it:
 * a plate already active anywhere is a conflict that says whose side it is on, but never who.
 */
export async function addVehicle(
  sql: Db,
  customerId: number,
  input: NewVehicle,
  by: ChangedBy,
): Promise<VehicleView> {
  const checked = checkPlate(input.plate, input.state)
  if (!checked.ok) {
    throw new AppError('invalid', checked.message, [
      { field: `body.${checked.field}`, message: checked.message },
    ])
  }
  return inTransaction(sql, async (tx) => {
    const [customer] = await tx`select 1 from cis.customer where id = ${customerId}`
    if (!customer) {
      throw notFound('Customer')
    }
    const [holder]: [{ customer_id: number }?] = await tx`
      select customer_id from cis.vehicle
       where plate = ${checked.plate} and state = ${checked.state} and removed_at is null`
    if (holder) {
      throw plateTaken(checked.plate, checked.state, holder.customer_id === customerId)
    }
    const [row]: [VehicleRow?] = await tx`
      insert into cis.vehicle (customer_id, plate, state, plate_printed, make, model, colour)
      values (${customerId}, ${checked.plate}, ${checked.state}, ${checked.printed},
              ${blankToNull(input.make)}, ${blankToNull(input.model)}, ${blankToNull(input.colour)})
      on conflict (plate, state) where removed_at is null do nothing
      returning id, customer_id, plate, state, plate_printed, make, model, colour, added_at,
                removed_at`
    if (!row) {
      // someone registered the same plate between our check and our insert
      throw plateTaken(checked.plate, checked.state, false)
    }
    const vehicle = vehicleView(row)
    if (isStaff(by.principal)) {
      await writeAudit(
        tx,
        by.principal,
        { action: 'vehicle.add', entity: 'vehicle', entityId: vehicle.id, after: vehicle },
        by.requestId ?? null,
      )
    }
    return vehicle
  })
}

/** Takes a vehicle off the customer's record; the row stays, with removed_at, for history. */
export async function removeVehicle(
  sql: Db,
  customerId: number,
  vehicleId: number,
  by: ChangedBy,
): Promise<void> {
  await inTransaction(sql, async (tx) => {
    const [before]: [VehicleRow?] = await tx`
      select id, customer_id, plate, state, plate_printed, make, model, colour, added_at, removed_at
        from cis.vehicle
       where id = ${vehicleId} and customer_id = ${customerId}
       for update`
    if (!before) {
      throw notFound('Vehicle')
    }
    if (before.removed_at) {
      return
    }
    const [after]: [VehicleRow?] = await tx`
      update cis.vehicle set removed_at = now() where id = ${vehicleId}
      returning id, customer_id, plate, state, plate_printed, make, model, colour, added_at,
                removed_at`
    if (after && isStaff(by.principal)) {
      await writeAudit(
        tx,
        by.principal,
        {
          action: 'vehicle.remove',
          entity: 'vehicle',
          entityId: vehicleId,
          before: vehicleView(before),
          after: vehicleView(after),
        },
        by.requestId ?? null,
      )
    }
  })
}

function plateTaken(plate: string, state: string, sameCustomer: boolean): AppError {
  const message = sameCustomer
    ? `Plate ${plate} (${state}) is already one of this customer's vehicles`
    : `Plate ${plate} (${state}) is registered to another customer's vehicle. If the car is ` +
      'yours, contact customer service to have it moved to your account'
  return new AppError('conflict', message, { field: 'plate', plate, state })
}

export function isStaff(principal: Principal | null): boolean {
  return principal?.kind === 'user' && principal.role !== 'driver'
}

function blankToNull(value: string | null | undefined): string | null {
  return value ? value : null
}

function vehicleView(r: VehicleRow): VehicleView {
  return {
    id: r.id,
    customerId: r.customer_id,
    plate: r.plate,
    state: r.state,
    platePrinted: r.plate_printed,
    make: r.make,
    model: r.model,
    colour: r.colour,
    addedAt: r.added_at.toISOString(),
    removedAt: r.removed_at?.toISOString() ?? null,
  }
}
