import { Hono } from 'hono'
import { serveStatic } from '@hono/node-server/serve-static'
import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppEnv } from './context.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const WEB_DIST = path.join(ROOT, 'web/dist')
export const KIOSK_DIST = path.join(ROOT, 'kiosk/dist')

/** The built web app at / and the kiosk app at /kiosk, each falling back to its index.html. */
export function staticApps(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const page = (dir: string) => {
    const file = path.join(dir, 'index.html')
    if (!existsSync(file)) {
      return `<!doctype html><title>Curbline</title><p>This app has not been built: run <code>npm run build</code>.</p>`
    }
    return readFileSync(file, 'utf8')
  }
  const kioskPage = page(KIOSK_DIST)
  const webPage = page(WEB_DIST)
  const immutable = (p: string, c: { header: (k: string, v: string) => void }) => {
    if (p.includes('/assets/')) {
      c.header('Cache-Control', 'public, max-age=31536000, immutable')
    }
  }

  app.use(
    '/kiosk/*',
    serveStatic({ root: KIOSK_DIST, rewriteRequestPath: (p) => p.replace(/^\/kiosk/, ''), onFound: immutable }),
  )
  app.get('/kiosk', (c) => c.html(kioskPage))
  app.get('/kiosk/*', (c) => c.html(kioskPage))
  app.use('/*', serveStatic({ root: WEB_DIST, onFound: immutable }))
  app.get('/*', (c) => c.html(webPage))
  return app
}
