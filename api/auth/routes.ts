import { setCookie, deleteCookie } from 'hono/cookie'
import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'
import { z } from 'zod'
import { router, IdParam } from '../http/route.ts'
import type { AppEnv } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { inTransaction } from '../../db/connect.ts'
import { signIn, signOut, SESSION_COOKIE } from './sessions.ts'
import { registerDriver, createStaffUser, listUsers, type User } from './users.ts'
import { deviceById, registerDevice, revokeDevice, listDevices, type Device } from './devices.ts'
import { writeAudit } from './audit.ts'
import {
  SignInBody,
  RegisterBody,
  Me,
  StaffUserBody,
  UserView,
  DeviceBody,
  DeviceView,
  NewDeviceView,
} from './schemas.ts'

export const auth = router('/auth', 'Sign-in')

auth.route(
  {
    method: 'post',
    path: '/sign-in',
    summary: 'Sign in with email and password; sets the session cookie',
    access: ['public'],
    body: SignInBody,
    responses: {
      200: { description: 'Signed in', schema: Me },
      401: { description: 'Wrong email or password' },
      429: { description: 'Too many attempts' },
    },
  },
  async (c, { body }) => c.json(await openSession(c, body.email, body.password)),
)

auth.route(
  {
    method: 'post',
    path: '/register',
    summary: 'Create a driver account (and its customer record) and sign in',
    access: ['public'],
    body: RegisterBody,
    responses: {
      201: { description: 'Registered and signed in', schema: Me },
      409: { description: 'Email already registered' },
    },
  },
  async (c, { body }) => {
    await registerDriver(c.get('deps').sql, {
      email: body.email,
      name: body.name,
      password: body.password,
      phone: body.phone,
    })
    return c.json(await openSession(c, body.email, body.password), 201)
  },
)

auth.route(
  {
    method: 'post',
    path: '/sign-out',
    summary: 'End the current session',
    access: ['signed_in'],
    responses: { 204: { description: 'Signed out' } },
  },
  async (c, { principal }) => {
    if (principal?.kind === 'user') {
      await signOut(c.get('deps').sql, principal.sessionHash)
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  },
)

auth.route(
  {
    method: 'get',
    path: '/me',
    summary: 'Who is signed in, with the CSRF token for writes',
    access: ['signed_in'],
    responses: { 200: { description: 'The signed-in user', schema: Me } },
  },
  (c, { principal }) => {
    if (principal?.kind !== 'user') {
      throw new AppError('forbidden', 'Devices have no user')
    }
    return c.json({
      user: {
        id: principal.userId,
        email: principal.email,
        displayName: principal.displayName,
        role: principal.role,
        customerId: principal.customerId,
      },
      csrfToken: principal.csrfToken,
      timeZone: c.get('deps').config.CITY_TIME_ZONE,
    } satisfies Me)
  },
)

export const users = router('/users', 'Administration')

users.route(
  {
    method: 'get',
    path: '/',
    summary: 'List users',
    access: ['admin'],
    responses: { 200: { description: 'Users', schema: z.object({ users: z.array(UserView) }) } },
  },
  async (c) => c.json({ users: (await listUsers(c.get('deps').sql)).map(userView) }),
)

users.route(
  {
    method: 'post',
    path: '/',
    summary: 'Create a staff user',
    access: ['admin'],
    body: StaffUserBody,
    responses: { 201: { description: 'Created', schema: UserView }, 409: { description: 'Email taken' } },
  },
  async (c, { body, principal }) => {
    const user = await inTransaction(c.get('deps').sql, async (tx) => {
      const created = await createStaffUser(tx, body)
      await writeAudit(tx, principal, {
        action: 'user.create',
        entity: 'user',
        entityId: created.id,
        after: userView(created),
      }, c.get('requestId'))
      return created
    })
    return c.json(userView(user), 201)
  },
)

export const devices = router('/devices', 'Administration')

devices.route(
  {
    method: 'get',
    path: '/',
    summary: 'List kiosks and handhelds',
    access: ['admin'],
    responses: { 200: { description: 'Devices', schema: z.object({ devices: z.array(DeviceView) }) } },
  },
  async (c) => c.json({ devices: (await listDevices(c.get('deps').sql)).map(deviceView) }),
)

devices.route(
  {
    method: 'post',
    path: '/',
    summary: 'Register a device; the token is shown only in this reply',
    access: ['admin'],
    body: DeviceBody,
    responses: { 201: { description: 'Registered', schema: NewDeviceView } },
  },
  async (c, { body, principal }) => {
    const result = await inTransaction(c.get('deps').sql, async (tx) => {
      const made = await registerDevice(tx, {
        ...body,
        createdBy: principal?.kind === 'user' ? principal.userId : null,
      })
      await writeAudit(tx, principal, {
        action: 'device.register',
        entity: 'device',
        entityId: made.device.id,
        after: deviceView(made.device),
      }, c.get('requestId'))
      return made
    })
    return c.json({ device: deviceView(result.device), token: result.token }, 201)
  },
)

devices.route(
  {
    method: 'post',
    path: '/:id/revoke',
    summary: 'Revoke a device token at once',
    access: ['admin'],
    params: IdParam,
    responses: { 200: { description: 'Revoked', schema: DeviceView }, 404: { description: 'No such device' } },
  },
  async (c, { params, principal }) => {
    const device = await inTransaction(c.get('deps').sql, async (tx) => {
      const revoked = await revokeDevice(tx, params.id)
      await writeAudit(tx, principal, {
        action: 'device.revoke',
        entity: 'device',
        entityId: revoked.id,
        after: deviceView(revoked),
      }, c.get('requestId'))
      return revoked
    })
    return c.json(deviceView(device))
  },
)

devices.route(
  {
    method: 'get',
    path: '/me',
    summary: 'The calling device (kiosks, handhelds and gates check their token with this)',
    description: 'With the facility or zone a kiosk or gate stands at, which it sells for first.',
    access: ['kiosk', 'handheld', 'gate', 'ivr'],
    responses: {
      200: {
        description: 'This device',
        schema: z.object({
          id: z.number(),
          kind: z.string(),
          name: z.string(),
          facility: z.string().nullable(),
          cardReader: z.boolean().describe('A kiosk with a Stripe Terminal reader takes cards on it'),
        }),
      },
    },
  },
  async (c, { principal }) => {
    if (principal?.kind !== 'device') {
      throw new AppError('forbidden', 'Only devices have a device identity')
    }
    const device = await deviceById(c.get('deps').sql, principal.deviceId)
    return c.json({
      id: device.id,
      kind: device.kind,
      name: device.name,
      facility: device.facility,
      cardReader: device.stripe_reader_id !== null,
    })
  },
)

function userView(u: User): z.infer<typeof UserView> {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: u.role,
    customerId: u.customer_id,
    createdAt: u.created_at.toISOString(),
    disabledAt: u.disabled_at?.toISOString() ?? null,
  }
}

function deviceView(d: Device): z.infer<typeof DeviceView> {
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    location: d.location,
    facility: d.facility,
    stripeReader: d.stripe_reader_id,
    createdAt: d.created_at.toISOString(),
    lastSeenAt: d.last_seen_at?.toISOString() ?? null,
    revokedAt: d.revoked_at?.toISOString() ?? null,
  }
}

/** Signs in and sets the session cookie; the reply carries the CSRF token for later writes. */
async function openSession(c: Context<AppEnv>, email: string, password: string): Promise<Me> {
  const { sql, config } = c.get('deps')
  const session = await signIn(sql, {
    email,
    password,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
    ttlHours: config.SESSION_TTL_HOURS,
  })
  setCookie(c, SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    expires: session.expiresAt,
  })
  return { user: session.user, csrfToken: session.csrfToken, timeZone: config.CITY_TIME_ZONE }
}

export function clientIp(c: Context<AppEnv>): string {
  if (c.get('deps').config.TRUST_PROXY) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) {
      return forwarded
    }
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') {
    return true
  }
  return c.get('deps').config.TRUST_PROXY && c.req.header('x-forwarded-proto') === 'https'
}
