import type { Db } from '../../db/connect.ts'

export interface PermitNotice {
  /** Names the event once: a job re-run writes nothing new. */
  dedupeKey: string
  kind: string
  customerId: number
  subject: string
  body: string
  data?: Record<string, unknown>
}

/** Queues an email to the customer in the notification outbox, when the record has an address. */
export async function notifyCustomer(sql: Db, notice: PermitNotice): Promise<boolean> {
  const rows = await sql`
    insert into app.notification (dedupe_key, kind, channel, recipient, customer_id, subject, body, data)
    select ${notice.dedupeKey}, ${notice.kind}, 'email', coalesce(u.email, c.email), c.id,
           ${notice.subject}, ${notice.body}, ${sql.json((notice.data ?? {}) as never)}
      from cis.customer c
      left join app.user_account u on u.customer_id = c.id and u.disabled_at is null
     where c.id = ${notice.customerId} and coalesce(u.email, c.email) is not null
    on conflict (dedupe_key) do nothing
    returning 1`
  return rows.length > 0
}
