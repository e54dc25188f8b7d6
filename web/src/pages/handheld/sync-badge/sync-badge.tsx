import type { Queue } from '../use-queue.ts'
import { cityTime } from '../../../lib/enforcement.ts'
import type { Job } from '../queue.ts'
import { Button } from '../../../components/button/button.tsx'
import styles from './sync-badge.module.css'

const KIND: Record<Job['kind'], string> = {
  read: 'Check',
  warning: 'Warning',
  citation: 'Citation',
}

function plateOf(job: Job): string {
  if (job.kind === 'read') {
    return job.result?.plate ?? job.body.plate ?? job.local[0]?.plate ?? 'plate not read yet'
  }
  return job.body.plate
}

/**
 * What the phone holds that the server does not have yet: queued, sending, sent today, refused.
 * The counts are a live region; the list opens to retry or discard what the server refused.
 */
export function SyncBadge({ queue }: { queue: Queue }) {
  const { counts, online, syncing } = queue
  const state =
    counts.failed > 0 ? 'problem' : counts.queued + counts.sending > 0 ? 'waiting' : 'clear'
  const open = queue.jobs.filter((j) => j.status !== 'sent')
  return (
    <div class={`${styles.badge} ${styles[state]}`}>
      <p class={styles.line} role="status" aria-label="Sync state">
        <span class={online ? styles.online : styles.offline}>{online ? 'Online' : 'Offline'}</span>
        <Sep />
        <span>{counts.queued} queued</span>
        <Sep />
        <span>{counts.sending} sending</span>
        <Sep />
        <span>{counts.sent} synced today</span>
        {counts.failed > 0 && (
          <>
            <Sep />
            <span class={styles.failed}>{counts.failed} refused</span>
          </>
        )}
      </p>
      {open.length > 0 && (
        <details class={styles.details}>
          <summary>Waiting on this phone ({open.length})</summary>
          <ul class={styles.list}>
            {open.map((job) => (
              <li key={job.clientId}>
                <span>
                  <strong>{KIND[job.kind]}</strong> {plateOf(job)} ·{' '}
                  {cityTime(new Date(job.createdAt))}
                  {job.kind === 'citation' && job.number && <> · number {job.number}</>}
                  {' · '}
                  {job.status === 'failed' ? 'refused' : job.status}
                </span>
                {job.failure && <span class={styles.failure}>{job.failure}</span>}
                {job.status === 'failed' && (
                  <span class={styles.actions}>
                    <Button
                      size="small"
                      variant="secondary"
                      onClick={() => queue.retry(job.clientId)}
                    >
                      Send again
                    </Button>
                    <Button
                      size="small"
                      variant="quiet"
                      onClick={() => queue.discard(job.clientId)}
                    >
                      Discard
                    </Button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {counts.queued > 0 && (
            <Button size="small" variant="secondary" busy={syncing} onClick={queue.syncNow}>
              Send now
            </Button>
          )}
        </details>
      )}
    </div>
  )
}

/** Read aloud as a pause between the counts; the gap on screen is the layout's. */
function Sep() {
  return <span class="visually-hidden">, </span>
}
