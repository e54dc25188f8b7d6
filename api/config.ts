import { z } from 'zod'

// The one place that reads the environment. Every variable is listed in README.md.
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  DATA_DIR: z.string().default('.data'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  CITY_TIME_ZONE: z.string().default('America/New_York'),
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  LEDGER_ROLLUP_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
  // how long a waitlist offer of a permit space stays open
  PERMIT_OFFER_BUSINESS_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  // enforcement: minutes after paid time ends before a car is cited
  ENFORCEMENT_GRACE_MINUTES: z.coerce.number().int().min(0).max(60).default(5),
  // digital chalking: a car moved to another block face (or only to another zone) starts afresh
  CHALK_RELOCATION: z.enum(['block_face', 'zone']).default('block_face'),
  // a session or permit covering a citation that arrives afterwards: dismiss it, or flag it for review
  PAID_BUT_TICKETED: z.enum(['dismiss', 'flag']).default('dismiss'),
  CITATION_DUE_DAYS: z.coerce.number().int().min(1).max(120).default(21),
  // where citation and read photos are kept; relative paths are under DATA_DIR
  PHOTO_DIR: z.string().default('photos'),
  MAP_TILE_URL: z.string().default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  // a kiosk or gate collection over or short by more than this becomes a finance exception
  FINANCE_CASH_TOLERANCE_CENTS: z.coerce.number().int().min(0).max(1_000_000).default(500),
})

export type Config = z.infer<typeof Env>

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Curbline cannot start: bad environment\n${lines.join('\n')}`)
  }
  return parsed.data
}

let cached: Config | undefined

export function config(): Config {
  cached ??= readConfig()
  return cached
}
