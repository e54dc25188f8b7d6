import type { Db } from '../../db/connect.ts'
import type { Principal } from '../http/context.ts'

export interface AuditEvent {
  action: string
  entity: string
  entityId?: string | number | null
  before?: unknown
  after?: unknown
}

/** Who did what to which record, with before and after; written in the caller's transaction. */
export async function writeAudit(
  sql: Db,
  actor: Principal | null,
  event: AuditEvent,
  requestId: string | null = null,
): Promise<void> {
  await sql`
    insert into app.audit_log
      (actor_user_id, actor_device_id, action, entity, entity_id, before, after, request_id)
    values (
      ${actor?.kind === 'user' ? actor.userId : null},
      ${actor?.kind === 'device' ? actor.deviceId : null},
      ${event.action}, ${event.entity},
      ${event.entityId == null ? null : String(event.entityId)},
      ${event.before === undefined ? null : sql.json(event.before as never)},
      ${event.after === undefined ? null : sql.json(event.after as never)},
      ${requestId}
    )`
}
