/*
  Wall-clock time in a named time zone, from the Intl API alone, so the tariff engine runs the
  same in Node, the web app and the kiosk. Instants are epoch milliseconds.
*/

export interface LocalTime {
  /** ISO date of the local calendar day, e.g. '2026-03-08'. */
  date: string
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  /** Minutes since local midnight, 0 … 1439. */
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    })
    formatters.set(timeZone, f)
  }
  return f
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

/** True when the runtime knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone)
    return true
  } catch {
    return false
  }
}

export function localTime(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {}
  for (const p of formatter(timeZone).formatToParts(instant)) {
    parts[p.type] = p.value
  }
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

/** The zone's offset from UTC at an instant, in minutes (e.g. -240 for EDT). */
function offsetMinutes(instant: number, timeZone: string): number {
  const t = localTime(instant, timeZone)
  const [y, m, d] = t.date.split('-').map(Number) as [number, number, number]
  const asUtc = Date.UTC(y, m - 1, d, Math.floor(t.minute / 60), t.minute % 60)
  return Math.round((asUtc - (instant - (instant % 60_000))) / 60_000)
}

/**
 * The instant of a local date and minute of the day, as Temporal's 'compatible' rule has it: a
 * wall-clock time that a spring-forward skips moves on by the gap (02:30 becomes 03:30), and one
 * that a fall-back repeats is its first occurrence.
 */
export function zonedInstant(date: string, minute: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const naive = Date.UTC(y, m - 1, d, 0, minute)
  const day = 86_400_000
  const before = naive - offsetMinutes(naive - day, timeZone) * 60_000
  const after = naive - offsetMinutes(naive + day, timeZone) * 60_000
  const wall = localTime(naive, 'UTC')
  const matches = (instant: number) => {
    const t = localTime(instant, timeZone)
    return t.date === wall.date && t.minute === wall.minute
  }
  const found = [before, after].filter(matches).sort((a, b) => a - b)
  return found[0] ?? before
}
