import type { Db } from '../../db/connect.ts'
import { inTransaction } from '../../db/connect.ts'
import { AppError } from '../http/errors.ts'
import type { Role } from '../http/context.ts'
import { hashPassword } from './passwords.ts'

export interface User {
  id: number
  email: string
  display_name: string
  role: Role
  customer_id: number | null
  created_at: Date
  disabled_at: Date | null
}

export interface NewStaffUser {
  email: string
  displayName: string
  role: Exclude<Role, 'driver'>
  password: string
}

export async function createStaffUser(sql: Db, input: NewStaffUser): Promise<User> {
  const hash = await hashPassword(input.password)
  const [user]: [User?] = await sql`
    insert into app.user_account (email, display_name, role, password_hash)
    values (${input.email}, ${input.displayName}, ${input.role}, ${hash})
    on conflict do nothing
    returning id, email, display_name, role, customer_id, created_at, disabled_at`
  if (!user) {
    throw new AppError('conflict', 'A user with that email already exists', { field: 'email' })
  }
  return user
}

export interface NewDriver {
  email: string
  name: string
  password: string
  phone?: string | null
  /** An existing customer record (the demo city links drivers to CIS customers). */
  customerId?: number
}

/** A driver is a person with a customer record; signing up online creates one. */
export async function registerDriver(sql: Db, input: NewDriver): Promise<User> {
  const hash = await hashPassword(input.password)
  return inTransaction(sql, async (tx) => {
    const [taken] = await tx`
      select 1 from app.user_account where lower(email) = lower(${input.email})`
    if (taken) {
      throw new AppError('conflict', 'An account with that email already exists; sign in instead', {
        field: 'email',
      })
    }
    let customerId = input.customerId
    if (customerId === undefined) {
      const [customer]: [{ id: number }?] = await tx`
        insert into cis.customer (name, email, phone)
        values (${input.name}, ${input.email}, ${input.phone ?? null})
        returning id`
      if (!customer) {
        throw new Error('customer insert returned nothing')
      }
      customerId = customer.id
    }
    const [user]: [User?] = await tx`
      insert into app.user_account (email, display_name, role, password_hash, customer_id)
      values (${input.email}, ${input.name}, 'driver', ${hash}, ${customerId})
      returning id, email, display_name, role, customer_id, created_at, disabled_at`
    if (!user) {
      throw new Error('user insert returned nothing')
    }
    return user
  })
}

export async function listUsers(sql: Db): Promise<User[]> {
  return sql<User[]>`
    select id, email, display_name, role, customer_id, created_at, disabled_at
      from app.user_account order by role, lower(email)`
}
