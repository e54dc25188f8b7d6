import type { Sql } from '../../db/connect.ts'
import type { Config } from '../config.ts'
import type { Logger } from './log.ts'

export type Role = 'driver' | 'ambassador' | 'supervisor' | 'finance' | 'admin'
export type DeviceKind = 'kiosk' | 'handheld' | 'gate' | 'ivr'

export interface UserPrincipal {
  kind: 'user'
  userId: number
  role: Role
  customerId: number | null
  displayName: string
  email: string
  csrfToken: string
  sessionHash: string
}

export interface DevicePrincipal {
  kind: 'device'
  deviceId: number
  deviceKind: DeviceKind
  name: string
}

export type Principal = UserPrincipal | DevicePrincipal

export interface Deps {
  sql: Sql
  config: Config
}

export interface AppEnv {
  Variables: {
    requestId: string
    log: Logger
    deps: Deps
    principal: Principal | null
  }
}
