/*
  The kiosk's service worker: keeps the pay station's own files (its page, script, styles and
  icons) so that a kiosk restarted while the network is down still opens and sells from its
  cached tariff. The API is never cached here: the app itself decides what to do offline, and
  queues its sales. The page is asked for afresh whenever the network answers, so an update
  reaches the kiosk at its next start; the hashed assets never change, so they come from the cache.
*/

import { offlineShell, type ServiceWorkerScope } from '../../web/src/lib/offline-shell.ts'

const worker = self as unknown as ServiceWorkerScope
const CACHE = 'curbline-kiosk-v1'
const BASE = new URL('./', worker.location.href).pathname
const shell = offlineShell(CACHE, BASE)

worker.addEventListener('install', (event) => {
  event.waitUntil(shell.keepShell(BASE).then(() => worker.skipWaiting()))
})

worker.addEventListener('activate', (event) => {
  // only the kiosk's own older caches: the handheld's share this origin
  event.waitUntil(shell.dropOlder('curbline-kiosk-').then(() => worker.clients.claim()))
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
    event.respondWith(shell.pageFirstFromNetwork(request))
  } else {
    event.respondWith(shell.fileFromCache(request))
  }
})
