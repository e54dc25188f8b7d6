import { describe, it, expect } from 'vitest'
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startApi, type ApiServer } from '../../api/server.ts'
import type { TestDatabase } from './db.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasBrowser = existsSync(CHROMIUM)
const requireBrowser = process.env.REQUIRE_BROWSER === '1'
// Without these flags Chromium tries to reach the internet at start and stalls.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Says loudly when browser tests are skipped, and fails the file under REQUIRE_BROWSER=1. */
export function checkBrowserAvailable(): void {
  if (!hasBrowser) {
    console.warn(
      [
        '',
        '**********************************************************************',
        `  BROWSER TESTS ${requireBrowser ? 'FAIL' : 'SKIPPED'}: no Chromium at ${CHROMIUM}.`,
        '  Install it with `apt-get install -y chromium` or set CHROMIUM_PATH.',
        '  REQUIRE_BROWSER=1 (as in .ci/run) turns this into a failure.',
        '**********************************************************************',
        '',
      ].join('\n'),
    )
  }
  describe('browser availability', () => {
    it('has Chromium when REQUIRE_BROWSER=1 asks for the browser tests', () => {
      if (requireBrowser) {
        expect(hasBrowser, `REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`).toBe(true)
      }
    })
  })
}

export interface BrowserSession {
  base: string
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>
  /** Signs in through the sign-in page; the caller waits for the page it lands on. */
  signIn: (page: Page, who: { email: string; password: string }) => Promise<void>
  close: () => Promise<void>
}

/** The real server with the built apps on a free port, and headless Chromium to drive it. */
export async function openBrowserSession(
  db: TestDatabase,
  /** What the server runs with beyond the test's database, e.g. Stripe's test keys. */
  config: Partial<TestDatabase['config']> = {},
): Promise<BrowserSession> {
  // no map tiles: tests reach nothing outside this machine, and the map draws on a blank ground
  const server: ApiServer = await startApi(
    { sql: db.sql, config: { ...db.config, PORT: 0, HOST: '127.0.0.1', MAP_TILE_URL: '', ...config } },
    { serveApps: true, port: 0 },
  )
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const base = `http://127.0.0.1:${server.port}`
  return {
    base,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport })
      const page = await context.newPage()
      page.setDefaultTimeout(10_000)
      return page
    },
    async signIn(page, who) {
      await page.goto(`${base}/sign-in`)
      await page.getByLabel('Email address').fill(who.email)
      await page.getByLabel('Password').fill(who.password)
      await page.getByRole('button', { name: 'Sign in' }).click()
    },
    async close() {
      await browser.close()
      await server.close()
    },
  }
}
