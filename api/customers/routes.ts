import { z } from 'zod'
import { router, IdParam } from '../http/route.ts'
import { assertCustomerAccess } from '../http/auth.ts'
import { AppError } from '../http/errors.ts'
import { clientIp } from '../auth/routes.ts'
import { getCustomer, searchCustomers } from './customers.ts'
import { addVehicle, removeVehicle, vehiclesOfCustomer } from './vehicles.ts'
import { linkUtilityAccount, unlinkUtilityAccount } from './linking.ts'
import {
  CustomerPage,
  CustomerSearchQuery,
  CustomerView,
  LinkBody,
  UtilityAccountParams,
  UtilityAccountView,
  VehicleBody,
  VehicleListQuery,
  VehicleParams,
  VehicleView,
} from './schemas.ts'

export const customers = router('/customers', 'Customers')

customers.route(
  {
    method: 'get',
    path: '/',
    summary: 'Search customers by name, email, utility account number or plate',
    access: ['supervisor', 'finance', 'admin'],
    query: CustomerSearchQuery,
    responses: { 200: { description: 'A page of customers in name order', schema: CustomerPage } },
  },
  async (c, { query }) => c.json(await searchCustomers(c.get('deps').sql, query)),
)

customers.route(
  {
    method: 'get',
    path: '/:id',
    summary: 'A customer with their utility accounts, vehicles and balances',
    description: 'Drivers see only their own record; any other id answers 404.',
    access: ['driver', 'supervisor', 'finance', 'admin'],
    params: IdParam,
    responses: {
      200: { description: 'The customer', schema: CustomerView },
      404: { description: 'No such customer (or not yours)' },
    },
  },
  async (c, { params, principal }) => {
    assertCustomerAccess(principal, params.id)
    return c.json(await getCustomer(c.get('deps').sql, params.id))
  },
)

customers.route(
  {
    method: 'get',
    path: '/:id/vehicles',
    summary: "A customer's vehicles",
    access: ['driver', 'supervisor', 'finance', 'admin'],
    params: IdParam,
    query: VehicleListQuery,
    responses: {
      200: { description: 'Vehicles', schema: z.object({ vehicles: z.array(VehicleView) }) },
      404: { description: 'No such customer (or not yours)' },
    },
  },
  async (c, { params, query, principal }) => {
    assertCustomerAccess(principal, params.id)
    const vehicles = await vehiclesOfCustomer(c.get('deps').sql, params.id, {
      includeRemoved: query.includeRemoved,
    })
    return c.json({ vehicles })
  },
)

customers.route(
  {
    method: 'post',
    path: '/:id/vehicles',
    summary: 'Add a vehicle (plate and state) to a customer',
    access: ['driver', 'supervisor', 'admin'],
    params: IdParam,
    body: VehicleBody,
    responses: {
      201: { description: 'Added', schema: VehicleView },
      404: { description: 'No such customer (or not yours)' },
      409: { description: 'The plate is already active on a vehicle' },
    },
  },
  async (c, { params, body, principal }) => {
    assertCustomerAccess(principal, params.id)
    const vehicle = await addVehicle(c.get('deps').sql, params.id, body, {
      principal,
      requestId: c.get('requestId'),
    })
    return c.json(vehicle, 201)
  },
)

customers.route(
  {
    method: 'delete',
    path: '/:id/vehicles/:vehicleId',
    summary: "Remove a vehicle from a customer's record (its history is kept)",
    access: ['driver', 'supervisor', 'admin'],
    params: VehicleParams,
    responses: {
      204: { description: 'Removed' },
      404: { description: 'No such vehicle on this customer' },
    },
  },
  async (c, { params, principal }) => {
    assertCustomerAccess(principal, params.id)
    await removeVehicle(c.get('deps').sql, params.id, params.vehicleId, {
      principal,
      requestId: c.get('requestId'),
    })
    return c.body(null, 204)
  },
)

customers.route(
  {
    method: 'post',
    path: '/:id/utility-accounts',
    summary: 'Link a utility account by proving three facts from its latest bill',
    description:
      'Five unsuccessful tries for one account number within 15 minutes lock linking that ' +
      'account for 15 minutes, for everyone (423 with Retry-After).',
    access: ['driver'],
    params: IdParam,
    body: LinkBody,
    responses: {
      201: { description: 'Linked', schema: UtilityAccountView },
      200: { description: 'Already linked', schema: UtilityAccountView },
      400: { description: 'Those details do not match a utility account' },
      423: { description: 'Linking this account is locked for a while' },
    },
  },
  async (c, { params, body, principal }) => {
    assertCustomerAccess(principal, params.id)
    if (principal?.kind !== 'user') {
      throw new AppError('forbidden', 'Only a signed-in driver can link a utility account')
    }
    const linked = await linkUtilityAccount(c.get('deps').sql, {
      customerId: params.id,
      userId: principal.userId,
      ip: clientIp(c),
      ...body,
    })
    return c.json(linked.account, linked.created ? 201 : 200)
  },
)

customers.route(
  {
    method: 'delete',
    path: '/:id/utility-accounts/:accountId',
    summary: 'Unlink a utility account that was linked online',
    access: ['driver', 'supervisor', 'admin'],
    params: UtilityAccountParams,
    responses: {
      204: { description: 'Unlinked' },
      404: { description: 'The account is not linked to this customer' },
      409: { description: "A holder on the utility's records cannot unlink online" },
    },
  },
  async (c, { params, principal }) => {
    assertCustomerAccess(principal, params.id)
    await unlinkUtilityAccount(c.get('deps').sql, params.id, params.accountId, {
      principal,
      requestId: c.get('requestId'),
    })
    return c.body(null, 204)
  },
)
