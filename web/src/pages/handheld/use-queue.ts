import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { useSession } from '../../lib/use-session.ts'
import { readDevice } from './device.ts'
import {
  onJobsChange,
  readJobs,
  removeJob,
  saveJob,
  sendJob,
  type Credentials,
  type Job,
  type Outcome,
} from './queue.ts'

const RETRY_MS = 15_000
/** A job the server keeps failing on (its own trouble, 5xx) stops being retried by itself. */
const MAX_ATTEMPTS = 8

export interface Counts {
  queued: number
  sending: number
  sent: number
  failed: number
}

export interface Queue {
  /** This ambassador's jobs today, oldest first. */
  jobs: Job[]
  counts: Counts
  online: boolean
  syncing: boolean
  /**
   * Sends a job now; when the server cannot be reached it is kept and sent later ('queued').
   * A refusal is not kept: the caller shows it beside the form.
   */
  run: (job: Job) => Promise<Outcome<Job> | { kind: 'queued'; job: Job }>
  syncNow: () => void
  retry: (clientId: string) => void
  discard: (clientId: string) => void
}

/**
 * The handheld's outbox: every check, warning and citation goes through it. Sent at once when
 * the server answers; otherwise saved with its own time and place and sent, oldest first and one
 * at a time (across tabs too, where the browser has Web Locks), when the network is back.
 */
export function useQueue(): Queue {
  const { user, csrfToken, expired } = useSession()
  const userId = user?.id ?? 0
  const [all, setAll] = useState<Job[]>([])
  const [online, setOnline] = useState(typeof navigator === 'undefined' || navigator.onLine)
  const [syncing, setSyncing] = useState(false)
  const running = useRef(false)
  const auth = useRef<Credentials>({ csrfToken, deviceToken: null })
  auth.current = { csrfToken, deviceToken: readDevice()?.token ?? null }

  const refresh = useCallback(async () => {
    setAll(await readJobs())
  }, [])

  // a job left 'sending' when the page closed may or may not have arrived: its clientId makes a
  // second sending harmless, so it is queued again
  useEffect(() => {
    void (async () => {
      for (const job of await readJobs()) {
        if (job.status === 'sending') {
          await saveJob({ ...job, status: 'queued' })
        }
      }
      await refresh()
    })()
    return onJobsChange(() => void refresh())
  }, [refresh])

  useEffect(() => {
    const up = () => setOnline(true)
    const down = () => setOnline(false)
    window.addEventListener('online', up)
    window.addEventListener('offline', down)
    return () => {
      window.removeEventListener('online', up)
      window.removeEventListener('offline', down)
    }
  }, [])

  const sync = useCallback(async () => {
    if (running.current || !userId) {
      return
    }
    running.current = true
    setSyncing(true)
    try {
      await exclusively(async () => {
        for (;;) {
          const jobs = await readJobs()
          const next = jobs.find(
            (j) => j.status === 'queued' && j.userId === userId && !waitsForCheck(j, jobs),
          )
          if (!next) {
            return
          }
          await saveJob({ ...next, status: 'sending' })
          const out = await sendJob(next, jobs, auth.current)
          if (out.kind === 'done') {
            await saveJob({
              ...out.value,
              status: 'sent',
              failure: null,
              sentAt: new Date().toISOString(),
            })
            setOnline(true)
            continue
          }
          if (out.kind === 'signed_out') {
            await saveJob({ ...next, status: 'queued' })
            expired()
            return
          }
          const attempts = next.attempts + 1
          if (out.kind === 'unreachable') {
            await saveJob({ ...next, attempts, status: 'queued', failure: out.message })
            setOnline(false)
            return
          }
          // the server's own trouble (5xx) is tried again a few times; a refusal (4xx) is final
          if (out.status >= 500 && attempts < MAX_ATTEMPTS) {
            await saveJob({ ...next, attempts, status: 'queued', failure: out.message })
            return
          }
          await saveJob({ ...next, attempts, status: 'failed', failure: out.message })
        }
      })
    } finally {
      running.current = false
      setSyncing(false)
    }
  }, [userId, expired])

  const jobs = all.filter((j) => j.userId === userId)
  const waiting = jobs.some((j) => j.status === 'queued')

  useEffect(() => {
    if (!waiting || !online) {
      return
    }
    void sync()
    const timer = setInterval(() => void sync(), RETRY_MS)
    return () => clearInterval(timer)
  }, [waiting, online, sync])

  // offline, look for the network now and then: navigator.onLine says little about the server
  useEffect(() => {
    if (!waiting || online) {
      return
    }
    const timer = setInterval(() => void sync(), RETRY_MS)
    return () => clearInterval(timer)
  }, [waiting, online, sync])

  const run = useCallback(
    async (job: Job) => {
      const jobs = await readJobs()
      if (waitsForCheck(job, jobs)) {
        // its check is still on the phone: it goes after it, tied to it
        const queued: Job = { ...job, status: 'queued' }
        await saveJob(queued)
        return { kind: 'queued' as const, job: queued }
      }
      const out = await sendJob(job, jobs, auth.current)
      if (out.kind === 'done') {
        setOnline(true)
        await saveJob({ ...out.value, status: 'sent', sentAt: new Date().toISOString() })
        return out
      }
      if (out.kind === 'unreachable') {
        setOnline(false)
        const queued: Job = { ...job, status: 'queued', failure: out.message }
        await saveJob(queued)
        return { kind: 'queued' as const, job: queued }
      }
      if (out.kind === 'signed_out') {
        // kept: it goes out once the ambassador has signed in again
        const queued: Job = {
          ...job,
          status: 'queued',
          failure: 'Waiting for you to sign in again',
        }
        await saveJob(queued)
        expired()
        return { kind: 'queued' as const, job: queued }
      }
      return out
    },
    [expired],
  )

  const retry = useCallback(
    (clientId: string) => {
      const job = all.find((j) => j.clientId === clientId)
      if (job) {
        void saveJob({ ...job, status: 'queued', attempts: 0, failure: null }).then(() => sync())
      }
    },
    [all, sync],
  )

  const discard = useCallback((clientId: string) => void removeJob(clientId), [])

  const counts: Counts = { queued: 0, sending: 0, sent: 0, failed: 0 }
  for (const job of jobs) {
    counts[job.status] += 1
  }
  return {
    jobs,
    counts,
    online,
    syncing,
    run,
    syncNow: () => void sync(),
    retry,
    discard,
  }
}

/** A warning or citation whose check is still waiting goes after it, so it names the check. */
function waitsForCheck(job: Job, jobs: Job[]): boolean {
  if (job.kind === 'read' || !job.readClientId) {
    return false
  }
  return jobs.some(
    (j) => j.clientId === job.readClientId && (j.status === 'queued' || j.status === 'sending'),
  )
}

async function exclusively(fn: () => Promise<void>): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    await navigator.locks.request('curbline.handheld.queue', fn)
    return
  }
  await fn()
}
