// What the handheld sends: plate checks, warnings and citations, each with its own clientId, the
// time it was made and the GPS point, so the server records it once and as of then however late
// it arrives. A job is sent at once when the server answers; when it does not, it waits in the
// durable store (store.ts) and is sent, oldest first, when the network is back.
import type { Citation, PlateCheck, Warned } from '../../lib/enforcement.ts'
import { allJobs, deleteJob, putJob } from './store.ts'
import type { Region } from './photo.ts'

export type JobStatus = 'queued' | 'sending' | 'sent' | 'failed'

interface JobBase {
  clientId: string
  /** Whose job: only the ambassador who made it sends it. */
  userId: number
  createdAt: string
  status: JobStatus
  attempts: number
  failure: string | null
  sentAt: string | null
}

export interface ReadBody {
  image?: string
  region?: Region
  plate?: string
  state?: string
  lat?: number
  lon?: number
  at: string
  facility?: string
}

export interface ReadJob extends JobBase {
  kind: 'read'
  body: ReadBody
  /** Plates the phone read itself while offline, best first (when the browser reader is here). */
  local: { plate: string; state: string | null; score: number; reasons?: string[] }[]
  result: PlateCheck | null
}

export interface WarningBody {
  read?: string
  plate: string
  state: string
  violation: string
  note?: string
  lat?: number
  lon?: number
  at: string
}

export interface WarningJob extends JobBase {
  kind: 'warning'
  /** The queued check it follows, when that check has no server id yet. */
  readClientId: string | null
  body: WarningBody
  result: Warned | null
}

export interface CitationBody {
  read?: string
  plate: string
  state: string
  vehicle: { make?: string; model?: string; colour?: string }
  violation: string
  location?: string
  photos: string[]
  lat?: number
  lon?: number
  at: string
  facility?: string
}

export interface CitationJob extends JobBase {
  kind: 'citation'
  readClientId: string | null
  /** Numbered offline on a handheld device (H<device>-<n>); null: the server numbers it. */
  number: string | null
  body: CitationBody
  /** The number, fine and notice address once the server has it. */
  result: Pick<Citation, 'number' | 'fineCents' | 'payUrl' | 'plate'> | null
}

export type Job = ReadJob | WarningJob | CitationJob

export type Outcome<T> =
  | { kind: 'done'; value: T }
  /** No answer (offline, timed out, a proxy's error page): keep it and try again. */
  | { kind: 'unreachable'; message: string }
  /** The sign-in has ended: nothing is sent until the ambassador signs in again. */
  | { kind: 'signed_out' }
  /** Curbline answered no (4xx), or failed itself (5xx): the message is the API's. */
  | { kind: 'refused'; status: number; message: string; fields: Record<string, string> }

export interface Credentials {
  csrfToken: string | null
  /** The handheld device's token, for citations it numbered offline. */
  deviceToken: string | null
}

const TIMEOUT_MS = 45_000
export const NO_ANSWER = 'No answer from Curbline'

/** POSTs JSON as the ambassador (cookie and CSRF token) or as the device (bearer token). */
export async function post<T>(
  path: string,
  body: unknown,
  auth: Credentials,
  asDevice = false,
): Promise<Outcome<T>> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/json',
  }
  if (asDevice && auth.deviceToken) {
    headers.authorization = `Bearer ${auth.deviceToken}`
  } else if (auth.csrfToken) {
    headers['x-csrf-token'] = auth.csrfToken
  }
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS)
  let res: Response
  try {
    res = await fetch(`/api/v1${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      credentials: asDevice ? 'omit' : 'same-origin',
      signal: abort.signal,
    })
  } catch {
    return { kind: 'unreachable', message: NO_ANSWER }
  } finally {
    clearTimeout(timer)
  }
  if (res.ok) {
    return { kind: 'done', value: (await res.json()) as T }
  }
  const error = await errorOf(res)
  if (!error) {
    // not Curbline's own error shape: a proxy or the network answered
    return { kind: 'unreachable', message: `The network answered ${res.status}` }
  }
  if (res.status === 401 && !asDevice) {
    return { kind: 'signed_out' }
  }
  return { kind: 'refused', status: res.status, ...error }
}

async function errorOf(
  res: Response,
): Promise<{ message: string; fields: Record<string, string> } | null> {
  const fields: Record<string, string> = {}
  try {
    const body = (await res.json()) as { error?: { message?: string; details?: unknown } }
    if (!body.error) {
      return null
    }
    if (Array.isArray(body.error.details)) {
      for (const d of body.error.details as { field?: unknown; message?: unknown }[]) {
        if (typeof d.field === 'string' && typeof d.message === 'string') {
          fields[d.field.split('.').pop() ?? d.field] ??= d.message
        }
      }
    }
    return { message: body.error.message ?? `The server answered ${res.status}`, fields }
  } catch {
    return null
  }
}

/** The server id of the check a job follows: its own, or its queued check's once sent. */
function readIdOf(job: WarningJob | CitationJob, jobs: Job[]): string | undefined {
  if (job.body.read) {
    return job.body.read
  }
  const read = jobs.find((j): j is ReadJob => j.kind === 'read' && j.clientId === job.readClientId)
  return read?.result?.id
}

/** Sends one job; the caller stores what became of it. */
export async function sendJob(job: Job, jobs: Job[], auth: Credentials): Promise<Outcome<Job>> {
  switch (job.kind) {
    case 'read': {
      const out = await post<PlateCheck>(
        '/enforcement/reads',
        { clientId: job.clientId, ...job.body },
        auth,
      )
      return out.kind === 'done' ? { kind: 'done', value: { ...job, result: out.value } } : out
    }
    case 'warning': {
      const read = readIdOf(job, jobs)
      const out = await post<Warned>(
        '/enforcement/warnings',
        { clientId: job.clientId, ...job.body, read },
        auth,
      )
      return out.kind === 'done' ? { kind: 'done', value: { ...job, result: out.value } } : out
    }
    case 'citation': {
      const read = readIdOf(job, jobs)
      const asDevice = job.number !== null
      const body = {
        clientId: job.clientId,
        ...job.body,
        read,
        ...(job.number ? { number: job.number } : {}),
      }
      const out = await post<Citation>('/enforcement/citations', body, auth, asDevice)
      if (out.kind !== 'done') {
        return out
      }
      const { number, fineCents, payUrl, plate } = out.value
      return { kind: 'done', value: { ...job, result: { number, fineCents, payUrl, plate } } }
    }
  }
}

/** A sent job keeps what the day's list needs; its photos go, the server has them. */
export function lighten(job: Job): Job {
  if (job.kind === 'read') {
    const { image: _image, ...body } = job.body
    return { ...job, body }
  }
  if (job.kind === 'citation') {
    return { ...job, body: { ...job.body, photos: [] } }
  }
  return job
}

type Listener = () => void
const listeners = new Set<Listener>()

export function onJobsChange(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export async function saveJob(job: Job): Promise<void> {
  await putJob(job.status === 'sent' ? lighten(job) : job)
  for (const listener of listeners) {
    listener()
  }
}

export async function removeJob(clientId: string): Promise<void> {
  await deleteJob(clientId)
  for (const listener of listeners) {
    listener()
  }
}

/** Every job kept, oldest first; sent ones from before today are forgotten on the way. */
export async function readJobs(now = new Date()): Promise<Job[]> {
  const jobs = await allJobs<Job>()
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
  const kept: Job[] = []
  for (const job of jobs) {
    if (job.status === 'sent' && (job.sentAt ?? job.createdAt) < today) {
      await deleteJob(job.clientId)
    } else {
      kept.push(job)
    }
  }
  return kept.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}
