/// <reference types="vite/client" />
import { useEffect } from 'preact/hooks'
import { keepReaderOnce, readerFiles } from './browser-reader.ts'

/** The service worker that keeps the handheld's files (built from web/src/handheld-sw.ts). */
export const HANDHELD_SW = '/handheld-sw.js'
export const HANDHELD_SCOPE = '/handheld'
/** The plate reader is run once per phone this long after the handheld opens, online. */
const KEEP_READER_AFTER_MS = 20_000

/**
 * Makes /handheld an installable app: its web manifest and icon in the page's head while it is
 * open, and the service worker that lets it start without a signal. The worker's scope is the
 * handheld alone; the rest of the site is not kept offline.
 */
export function useHandheldShell(): void {
  useEffect(() => {
    const added = [
      link('manifest', '/handheld.webmanifest'),
      link('apple-touch-icon', '/icons/handheld-180.png'),
    ]
    let timer: ReturnType<typeof setTimeout> | undefined
    if ('serviceWorker' in navigator && import.meta.env.PROD) {
      navigator.serviceWorker
        .register(HANDHELD_SW, { scope: HANDHELD_SCOPE })
        .then(async (registration) => {
          // the files this page loaded before the worker ran are kept too, and the plate reader's
          const worker = await activeWorker(registration)
          const urls = performance
            .getEntriesByType('resource')
            .map((e) => e.name)
            .filter((u) => u.startsWith(location.origin) && !u.includes('/api/'))
          const reader = (await readerFiles()).map((u) => new URL(u, location.origin).href)
          worker?.postMessage({ type: 'keep', urls: [...urls, ...reader] })
          if (navigator.onLine) {
            timer = setTimeout(() => void keepReaderOnce(), KEEP_READER_AFTER_MS)
          }
        })
        .catch((err: unknown) => {
          console.warn('the handheld could not keep its files for offline use', err)
        })
    }
    return () => {
      clearTimeout(timer)
      for (const el of added) {
        el.remove()
      }
    }
  }, [])
}

/** The registration's worker once it is active (a first install takes a moment). */
function activeWorker(registration: ServiceWorkerRegistration): Promise<ServiceWorker | null> {
  if (registration.active) {
    return Promise.resolve(registration.active)
  }
  const coming = registration.installing ?? registration.waiting
  if (!coming) {
    return Promise.resolve(null)
  }
  return new Promise((resolve) => {
    coming.addEventListener('statechange', () => {
      if (coming.state === 'activated') {
        resolve(coming)
      } else if (coming.state === 'redundant') {
        resolve(null)
      }
    })
  })
}

function link(rel: string, href: string): HTMLLinkElement {
  const el = document.createElement('link')
  el.rel = rel
  el.href = href
  document.head.append(el)
  return el
}
