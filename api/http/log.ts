import { config } from '../config.ts'

type Level = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export interface Logger {
  debug: (msg: string, fields?: Record<string, unknown>) => void
  info: (msg: string, fields?: Record<string, unknown>) => void
  warn: (msg: string, fields?: Record<string, unknown>) => void
  error: (msg: string, fields?: Record<string, unknown>) => void
  child: (fields: Record<string, unknown>) => Logger
}

/** Structured JSON lines on stdout, one per event, carrying the request id where there is one. */
export function createLogger(base: Record<string, unknown> = {}): Logger {
  const threshold = ORDER[config().LOG_LEVEL]
  const write = (level: Level) => (msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) {
      return
    }
    process.stdout.write(
      JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }) + '\n',
    )
  }
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...base, ...fields }),
  }
}

export const log = createLogger()
