// The handheld's durable queue: one IndexedDB object store of jobs keyed by their clientId (a
// photo is a few hundred kB, too much for localStorage's few MB). Where IndexedDB cannot open
// (some private modes), localStorage stands in.

const DB_NAME = 'curbline-handheld'
const STORE = 'jobs'
const FALLBACK_KEY = 'curbline.handheld.jobs'

export interface Keyed {
  clientId: string
}

let opening: Promise<IDBDatabase | null> | null = null

function database(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') {
      resolve(null)
      return
    }
    const request = indexedDB.open(DB_NAME, 1)
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'clientId' })
    }
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => resolve(null)
    request.onblocked = () => resolve(null)
  })
  return opening
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error ?? new Error('The handheld’s storage failed'))
  })
}

export async function allJobs<T extends Keyed>(): Promise<T[]> {
  const db = await database()
  if (!db) {
    return fallback<T>()
  }
  return done(db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<T[]>)
}

export async function putJob<T extends Keyed>(job: T): Promise<void> {
  const db = await database()
  if (!db) {
    writeFallback([...fallback<T>().filter((j) => j.clientId !== job.clientId), job])
    return
  }
  await done(db.transaction(STORE, 'readwrite').objectStore(STORE).put(job))
}

export async function deleteJob(clientId: string): Promise<void> {
  const db = await database()
  if (!db) {
    writeFallback(fallback<Keyed>().filter((j) => j.clientId !== clientId))
    return
  }
  await done(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(clientId))
}

function fallback<T>(): T[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(FALLBACK_KEY) ?? '[]')
    return Array.isArray(value) ? (value as T[]) : []
  } catch {
    return []
  }
}

function writeFallback(jobs: unknown[]): void {
  localStorage.setItem(FALLBACK_KEY, JSON.stringify(jobs))
}
