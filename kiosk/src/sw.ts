/*
  The kiosk's service worker: keeps the pay station's own files (its page, script, styles and
  icons) so that a kiosk restarted while the network is down still opens and sells from its
  cached tariff. The API is never cached here: the app itself decides what to do offline, and
  queues its sales. The page is asked for afresh whenever the network answers, so an update
  reaches the kiosk at its next start; the hashed assets never change, so they come from the cache.
*/

interface WaitUntilEvent extends Event {
  waitUntil(work: Promise<unknown>): void
}

interface FetchRequestEvent extends WaitUntilEvent {
  request: Request
  respondWith(response: Promise<Response>): void
}

interface Worker {
  addEventListener(type: 'install' | 'activate', listener: (event: WaitUntilEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchRequestEvent) => void): void
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  location: Location
}

const worker = self as unknown as Worker
const CACHE = 'curbline-kiosk-v1'
const BASE = new URL('./', worker.location.href).pathname
const SHELL = BASE

/** The files the page names (its script, styles and icon), read from the page itself. */
function filesOf(html: string): string[] {
  const found = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
  return found.filter((url) => url.startsWith(BASE))
}

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      const page = await fetch(SHELL, { cache: 'no-cache' })
      if (page.ok) {
        const html = await page.clone().text()
        await cache.put(SHELL, page)
        await cache.addAll(filesOf(html))
      }
      await worker.skipWaiting()
    })(),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) {
          await caches.delete(name)
        }
      }
      await worker.clients.claim()
    })(),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (
    request.method !== 'GET' ||
    url.origin !== worker.location.origin ||
    !url.pathname.startsWith(BASE)
  ) {
    return
  }
  if (request.mode === 'navigate') {
    event.respondWith(pageFirstFromNetwork(request))
  } else {
    event.respondWith(fileFromCache(request))
  }
})

async function pageFirstFromNetwork(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  try {
    const fresh = await fetch(request)
    if (fresh.ok) {
      await cache.put(SHELL, fresh.clone())
    }
    return fresh
  } catch {
    // the kiosk is offline: its page (whatever the query, e.g. ?token=) is the one it had
    const kept = await cache.match(SHELL)
    if (kept) {
      return kept
    }
    throw new Error('the kiosk page is not cached yet')
  }
}

async function fileFromCache(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  const kept = await cache.match(request)
  if (kept) {
    return kept
  }
  const fresh = await fetch(request)
  if (fresh.ok) {
    await cache.put(request, fresh.clone())
  }
  return fresh
}
