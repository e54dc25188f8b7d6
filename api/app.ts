import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { bodyLimit } from 'hono/body-limit'
import { randomUUID } from 'node:crypto'
import type { AppEnv, Deps } from './http/context.ts'
import { AppError, errorResponse } from './http/errors.ts'
import { authenticate } from './http/auth.ts'
import { log } from './http/log.ts'
import { API_BASE, type Router } from './http/route.ts'
import { docsApp } from './http/docs.ts'
import { staticApps } from './http/static.ts'
import { health } from './http/health.ts'
import { auth, users, devices } from './auth/routes.ts'
import { customers } from './customers/routes.ts'
import { cis } from './cis/routes.ts'
import { ledger } from './ledger/routes.ts'
import { facilities, quotes } from './facilities/routes.ts'
import { curbs } from './facilities/curbs-routes.ts'
import { sessions, gates, rights } from './sessions/routes.ts'
import { payments } from './payments/routes.ts'
import { enforcement } from './enforcement/routes.ts'
import { citations } from './enforcement/citation-routes.ts'
import { OCR_ASSETS_BASE, ocrAssets } from './enforcement/ocr/assets-route.ts'
import { DOCUMENT_MAX_BYTES, permitsRouter, permitTypesRouter, permitZonesRouter } from './permits/routes.ts'
import { reconciliation } from './finance/reconciliation-routes.ts'
import { billCycles } from './finance/cycle-routes.ts'
import { finance } from './finance/routes.ts'

/** Every resource's sub-app; each is mounted at /api/v1 + its prefix. */
const ROUTERS: Router[] = [
  health, auth, users, devices, customers, cis, ledger, facilities, quotes, curbs, sessions, gates,
  rights, payments, permitZonesRouter, permitTypesRouter, permitsRouter, enforcement, citations, reconciliation, finance,
  billCycles,
]

export interface AppOptions {
  /** Serve the built web and kiosk apps (npm start); the API alone otherwise. */
  serveApps?: boolean
  /** Routes a caller adds behind the API's middleware: bench:parking's baselines. */
  extraRoutes?: (app: Hono<AppEnv>) => void
}

/** Builds the whole HTTP app around its dependencies. Listening is server.ts's business. */
export function createApp(deps: Deps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id')
    const requestId = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID()
    const started = performance.now()
    c.set('requestId', requestId)
    c.set('log', log.child({ requestId }))
    c.set('deps', deps)
    c.set('principal', null)
    c.header('X-Request-Id', requestId)
    await next()
    if (c.req.path.startsWith('/api/')) {
      c.get('log').info('request', {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      })
    }
  })
  app.use('*', secureHeaders({ crossOriginEmbedderPolicy: false }))
  app.use(`${API_BASE}/*`, async (c, next) => {
    // CIS feed files are large; everything else is a small JSON document.
    const max = c.req.path.startsWith(`${API_BASE}/cis/imports`)
      ? 512 * 1024 * 1024
      : /^\/api\/v1\/finance\/(cycle-acks|cis-payments)$/.test(c.req.path)
        ? 64 * 1024 * 1024 // CIS acknowledgement and payment files
      : /^\/api\/v1\/permits\/[^/]+\/documents$/.test(c.req.path)
        ? DOCUMENT_MAX_BYTES + 1024
        : /^\/api\/v1\/(enforcement\/(reads|citations)|citations\/[^/]+\/appeals)$/.test(c.req.path)
          ? 48 * 1024 * 1024 // photos, base64
          : 1024 * 1024
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new AppError('payload_too_large', `The request body is larger than ${max} bytes`)
      },
    })(c, next)
  })
  app.use(`${API_BASE}/*`, authenticate())

  for (const r of ROUTERS) {
    app.route(API_BASE + r.prefix, r.app)
  }
  options.extraRoutes?.(app)
  // the handheld's offline plate reader loads tesseract.js from here, never from a CDN
  app.route(OCR_ASSETS_BASE, ocrAssets())
  app.route('/api', docsApp())
  app.all('/api/*', () => {
    throw new AppError('not_found', 'There is no such API endpoint')
  })
  if (options.serveApps) {
    app.route('/', staticApps())
  }

  app.onError((err, c) => errorResponse(c, err))
  app.notFound((c) => errorResponse(c, new AppError('not_found', 'Not found')))
  return app
}
