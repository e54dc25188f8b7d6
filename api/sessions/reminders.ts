import type { Db } from '../../db/connect.ts'

/** How long before a paid session ends its driver is reminded. */
export const REMINDER_MINUTES = 10

/**
 * Writes the expiry reminder of every paid session ending in the next ten minutes into the
 * notification outbox: by email to the signed-in driver (or the address given at the kiosk) and
 * by text to a phone number given at purchase. The dedupe key names the session and its end, so
 * running this every minute writes each reminder once, and an extension earns a new one.
 */
export async function queueExpiryReminders(
  sql: Db,
  input: { now: Date; baseUrl: string },
): Promise<number> {
  const rows = await sql`
    insert into app.notification (dedupe_key, kind, channel, recipient, customer_id, subject, body, data)
    select format('session-expiring:%s:%s:%s', s.public_id, m.channel,
                  extract(epoch from s.ends_at)::bigint),
           'session_expiring', m.channel, m.recipient, s.customer_id,
           format('Parking at %s ends at %s', f.name, ends.local),
           format('Your parking for %s at %s (%s) ends at %s. Add time from your receipt: %s',
                  s.plate_printed, f.name, f.code, ends.local,
                  ${input.baseUrl} || '/receipt/' || s.public_id),
           jsonb_build_object('session', s.public_id, 'endsAt', s.ends_at, 'facility', f.code,
                              'plate', s.plate_printed)
      from parking.session s
      join parking.facility f on f.id = s.facility_id
      left join cis.customer c on c.id = s.customer_id
      cross join lateral (
        select trim(to_char(s.ends_at at time zone (f.tariff->>'timeZone'), 'FMHH12:MI AM')) as local
      ) ends
      cross join lateral (
        values ('email', coalesce(s.notify_email, c.email)), ('sms', s.notify_phone)
      ) m (channel, recipient)
     where s.status = 'active'
       and s.ends_at > ${input.now}
       and s.ends_at <= ${input.now}::timestamptz + make_interval(mins => ${REMINDER_MINUTES})
       and s.stopped_at is null
       and s.plate is not null
       and m.recipient is not null
    on conflict (dedupe_key) do nothing
    returning 1`
  return rows.length
}
