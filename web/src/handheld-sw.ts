/*
  The handheld's service worker (scope /handheld): keeps the app's page and files so the
  ambassador's phone opens it without a signal, and the few API answers the handheld needs to
  start offline (who is signed in, the zones for the map, the violation codes, today's route),
  each asked for afresh whenever the network answers. Checks and citations are never cached
  here: the app queues them itself (pages/handheld/queue.ts). The plate reader's files under
  /api/ocr/ are kept too, for reading plates offline. What it shares with the kiosk's worker
  is lib/offline-shell.ts.
*/

import { offlineShell, type ServiceWorkerScope, type WaitUntilEvent } from './lib/offline-shell.ts'

const worker = self as unknown as ServiceWorkerScope
const CACHE = 'curbline-handheld-v1'
const SHELL = '/handheld'
/** API answers the handheld starts from: network first, the last good one offline. */
const API_KEPT = [
  '/api/v1/auth/me',
  '/api/v1/facilities',
  '/api/v1/enforcement/violations',
  '/api/v1/enforcement/reads?mine=true',
  '/api/v1/payments/options',
]

/** Where the API serves the browser plate reader's files (web/src/lib/ocr/protocol.ts). */
const OCR = '/api/ocr/'

const shell = offlineShell(CACHE, SHELL)

worker.addEventListener('install', (event) => {
  event.waitUntil(
    shell
      .keepShell('/', ['/handheld.webmanifest', '/icons/handheld-192.png', '/icons/handheld-512.png'])
      .then(() => worker.skipWaiting()),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(shell.dropOlder('curbline-handheld-').then(() => worker.clients.claim()))
})

// The page lists what it loaded before the worker was running (its lazily loaded chunks).
worker.addEventListener('message', (event) => {
  const data = event.data as { type?: unknown; urls?: unknown } | null
  if (data?.type !== 'keep' || !Array.isArray(data.urls)) {
    return
  }
  const urls = data.urls.filter(
    (u): u is string => typeof u === 'string' && new URL(u).origin === worker.location.origin,
  )
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      // the page asked these before the worker ran, so nothing kept them: ask once more now
      for (const key of API_KEPT) {
        const fresh = await fetch(key, { credentials: 'same-origin' }).catch(() => null)
        if (fresh?.ok) {
          await cache.put(key, fresh)
        }
      }
      for (const url of urls) {
        const path = new URL(url).pathname
        if (
          path === SHELL ||
          path.startsWith('/assets/') ||
          path.startsWith('/icons/') ||
          path.startsWith(OCR)
        ) {
          if (!(await cache.match(path))) {
            await cache.add(path).catch(() => undefined)
          }
        }
      }
    })(),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (url.origin !== worker.location.origin) {
    return
  }
  if (request.method === 'POST' && url.pathname === '/api/v1/auth/sign-out') {
    // signing out forgets who was signed in, so the phone does not start as them offline
    event.waitUntil(forgetApi())
    return
  }
  if (request.method !== 'GET') {
    return
  }
  if (request.mode === 'navigate') {
    event.respondWith(shell.pageFirstFromNetwork(request))
    return
  }
  const kept = url.pathname + url.search
  if (API_KEPT.includes(kept)) {
    event.respondWith(apiFirstFromNetwork(request, kept))
    return
  }
  if (url.pathname.startsWith(OCR)) {
    // the plate reader's files (tesseract's worker, core and model) are versioned: kept as they are
    event.respondWith(shell.fileFromCache(request))
    return
  }
  if (url.pathname.startsWith('/api/')) {
    return
  }
  event.respondWith(
    url.pathname.startsWith('/assets/') ? shell.fileFromCache(request) : fileFreshened(request, event),
  )
})

async function apiFirstFromNetwork(request: Request, key: string): Promise<Response> {
  const cache = await caches.open(CACHE)
  try {
    const fresh = await fetch(request)
    if (fresh.ok) {
      await cache.put(key, fresh.clone())
    } else if (fresh.status === 401 || fresh.status === 403) {
      await cache.delete(key)
    }
    return fresh
  } catch {
    const kept = await cache.match(key)
    if (kept) {
      return kept
    }
    throw new Error('offline, and no answer kept for ' + key)
  }
}

/** Hashed build files never change: from the cache, else the network (and kept). */
/** Other files (icons, the manifest, the reader's data): the kept copy now, refreshed behind. */
async function fileFreshened(request: Request, event: WaitUntilEvent): Promise<Response> {
  const cache = await caches.open(CACHE)
  const kept = await cache.match(request)
  const refresh = fetch(request).then(async (fresh) => {
    if (fresh.ok) {
      await cache.put(request, fresh.clone())
    }
    return fresh
  })
  if (kept) {
    event.waitUntil(refresh.catch(() => undefined))
    return kept
  }
  return refresh
}

async function forgetApi(): Promise<void> {
  const cache = await caches.open(CACHE)
  for (const key of API_KEPT) {
    await cache.delete(key)
  }
}

export {}
