import { serve, type ServerType } from '@hono/node-server'
import { createApp, type AppOptions } from './app.ts'
import type { Deps } from './http/context.ts'

export interface ApiServer {
  port: number
  close: () => Promise<void>
}

export function startApi(
  deps: Deps,
  options: AppOptions & { port?: number } = {},
): Promise<ApiServer> {
  const app = createApp(deps, { ...options, serveApps: options.serveApps ?? true })
  return new Promise((resolve, reject) => {
    let server: ServerType
    try {
      server = serve(
        { fetch: app.fetch, port: options.port ?? deps.config.PORT, hostname: deps.config.HOST },
        (info) => {
          resolve({
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done())
                // keep-alive sockets would hold close() open for minutes
                if ('closeAllConnections' in server) {
                  server.closeAllConnections()
                }
              }),
          })
        },
      )
      server.once('error', reject)
    } catch (err) {
      reject(err)
    }
  })
}
