/*
  What both service workers (the kiosk's and the handheld's) do the same way: keep an app's page
  and the files it names, answer the page from the network while there is one (keeping it for
  later) and from the cache without, and answer hashed files from the cache. Types for the bits
  of the service-worker scope they use, since the app's TypeScript does not compile them as one.
*/

export interface WaitUntilEvent extends Event {
  waitUntil(work: Promise<unknown>): void
}

export interface FetchRequestEvent extends WaitUntilEvent {
  request: Request
  respondWith(response: Promise<Response>): void
}

export interface ServiceWorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (event: WaitUntilEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchRequestEvent) => void): void
  addEventListener(type: 'message', listener: (event: WaitUntilEvent & { data: unknown }) => void): void
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  location: Location
}

export interface OfflineShell {
  /** Keeps the page and every file it names (under `prefix`), and these extra files. */
  keepShell(prefix: string, extra?: string[]): Promise<void>
  /** Deletes this app's older caches (their names start with `family`). */
  dropOlder(family: string): Promise<void>
  pageFirstFromNetwork(request: Request): Promise<Response>
  fileFromCache(request: Request): Promise<Response>
}

/** The files a page names (its script, styles and icons), read from the page itself. */
export function filesOf(html: string, prefix: string): string[] {
  const found = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
  return found.filter((url) => url.startsWith(prefix) && !url.startsWith('//'))
}

export function offlineShell(cacheName: string, shell: string): OfflineShell {
  return {
    async keepShell(prefix, extra = []) {
      const cache = await caches.open(cacheName)
      const page = await fetch(shell, { cache: 'no-cache' })
      if (page.ok) {
        const html = await page.clone().text()
        await cache.put(shell, page)
        await cache.addAll([...filesOf(html, prefix), ...extra])
      }
    },
    async dropOlder(family) {
      for (const name of await caches.keys()) {
        if (name.startsWith(family) && name !== cacheName) {
          await caches.delete(name)
        }
      }
    },
    async pageFirstFromNetwork(request) {
      const cache = await caches.open(cacheName)
      try {
        const fresh = await fetch(request)
        if (fresh.ok) {
          await cache.put(shell, fresh.clone())
        }
        return fresh
      } catch {
        // offline: the app's page (whatever the query, e.g. a kiosk's ?token=) is the one it had
        const kept = await cache.match(shell)
        if (kept) {
          return kept
        }
        throw new Error(`${shell} is not kept yet`)
      }
    },
    async fileFromCache(request) {
      const cache = await caches.open(cacheName)
      const kept = await cache.match(request)
      if (kept) {
        return kept
      }
      const fresh = await fetch(request)
      if (fresh.ok) {
        await cache.put(request, fresh.clone())
      }
      return fresh
    },
  }
}
