import { Hono } from 'hono'
import { serveStatic } from '@hono/node-server/serve-static'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { AppEnv } from './context.ts'
import { openApiDocument } from './openapi.ts'

const require = createRequire(import.meta.url)
// Swagger UI's files come from the swagger-ui-dist package: nothing loads from a CDN.
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'))

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Curbline API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="docs"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true })`

export function docsApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  let cached: string | undefined
  app.get('/openapi.json', (c) => {
    cached ??= JSON.stringify(openApiDocument())
    return c.body(cached, 200, { 'content-type': 'application/json' })
  })
  app.get('/docs', (c) => c.html(PAGE))
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript' }))
  app.use(
    '/docs/assets/*',
    serveStatic({
      root: SWAGGER_DIR,
      rewriteRequestPath: (p) => p.replace(/^\/api\/docs\/assets/, ''),
    }),
  )
  return app
}
