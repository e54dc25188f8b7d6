import { useEffect, useMemo, useState } from 'preact/hooks'
import { quote, TariffError, type Tariff } from '../../../../../api/facilities/tariff.ts'
import { localTime, zonedInstant } from '../../../../../api/facilities/local-time.ts'
import { ApiError } from '../../../lib/api.ts'
import { useApi } from '../../../lib/use-api.ts'
import { formatCents } from '../../../lib/format.ts'
import { SelectField, TextField, FieldRow } from '../../../components/field/field.tsx'
import { tableStyles as t } from '../../../components/table/table.tsx'
import type { Facility } from '../facilities.ts'
import styles from './rates-editor.module.css'

interface Stay {
  label: string
  minutes: number
  lostTicket?: boolean
}

const STAYS: Stay[] = [
  { label: '15 minutes', minutes: 15 },
  { label: '30 minutes', minutes: 30 },
  { label: '1 hour', minutes: 60 },
  { label: '2 hours', minutes: 120 },
  { label: '4 hours', minutes: 240 },
  { label: '8 hours', minutes: 480 },
  { label: '24 hours', minutes: 1440 },
  { label: '3 days', minutes: 4320 },
]
const LOST_TICKET: Stay = { label: 'Lost ticket', minutes: 60, lostTicket: true }

export const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
]

type Cell = { cents: number } | { note: string } | null

const RULE_NOTE: Record<TariffError['code'], string> = {
  end_before_start: 'Ends before it starts',
  stay_too_long: 'Over the time limit',
  over_maximum_purchase: 'Over the purchase limit',
  no_lost_ticket_rate: 'No lost-ticket rate',
}

interface QuotePreviewProps {
  facility: Facility
  /** The rates as edited, or null while a field is wrong. */
  edited: Tariff | null
  /** Changes after every save, so the saved column asks the API again. */
  savedVersion: number
}

/**
 * What a few stays cost from a chosen day and time: under the saved rates as the API quotes them,
 * and under the edited rates as the same tariff engine prices them here, before anything is saved.
 */
export function QuotePreview({ facility, edited, savedVersion }: QuotePreviewProps) {
  const api = useApi()
  const [weekday, setWeekday] = useState('1')
  const [time, setTime] = useState('10:00')
  const tz = facility.timeZone
  const start = useMemo(() => startOf(tz, Number(weekday), time), [tz, weekday, time])
  const stays = facility.gated ? [...STAYS, LOST_TICKET] : STAYS
  const [saved, setSaved] = useState<Cell[]>([])

  useEffect(() => {
    if (!start) {
      setSaved([])
      return
    }
    let current = true
    setSaved([])
    void Promise.all(
      stays.map(async (s): Promise<Cell> => {
        try {
          const q = await api.post<{ totalCents: number }>('/quotes', {
            facility: facility.code,
            start: start.toISOString(),
            minutes: s.minutes,
            lostTicket: s.lostTicket,
          })
          return { cents: q.totalCents }
        } catch (err) {
          return { note: noteOfApiError(err) }
        }
      }),
    ).then((cells) => {
      if (current) {
        setSaved(cells)
      }
    })
    return () => {
      current = false
    }
  }, [api, facility.code, start?.getTime(), savedVersion, stays.length])

  const mine = useMemo(
    () =>
      stays.map((s): Cell => {
        if (!edited || !start) {
          return null
        }
        try {
          const end = new Date(start.getTime() + s.minutes * 60_000)
          return { cents: quote(edited, start, end, { lostTicket: s.lostTicket }).totalCents }
        } catch (err) {
          if (err instanceof TariffError) {
            return { note: RULE_NOTE[err.code] }
          }
          throw err
        }
      }),
    [edited, start?.getTime(), stays.length],
  )

  return (
    <div class={styles.preview}>
      <FieldRow>
        <SelectField
          label="Stays starting on"
          name="preview-day"
          required
          value={weekday}
          onValue={setWeekday}
        >
          {WEEKDAYS.map((d, i) => (
            <option key={d} value={String(i)}>
              {d}
            </option>
          ))}
        </SelectField>
        <TextField
          label="At"
          name="preview-time"
          value={time}
          onValue={setTime}
          chars={5}
          inputMode="numeric"
          required
          error={start ? undefined : 'A time of day as HH:MM'}
        />
      </FieldRow>
      <table class={`${t.table} ${styles.quotes}`} aria-label="Quote preview">
        <caption>
          {start
            ? `Stays starting ${startLabel(start, tz)} (${tz}).`
            : 'Enter a time to see quotes.'}{' '}
          {!edited && 'Fix the rates marked in the form to see quotes for your changes.'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Stay</th>
            <th scope="col" class={t.num}>
              Saved rates
            </th>
            <th scope="col" class={t.num}>
              With your changes
            </th>
          </tr>
        </thead>
        <tbody>
          {stays.map((s, i) => {
            const before = saved[i] ?? null
            const after = mine[i] ?? null
            const changed = before !== null && after !== null && text(before) !== text(after)
            return (
              <tr key={s.label}>
                <th scope="row">{s.label}</th>
                <td class={cellClass(before)}>{before ? text(before) : '…'}</td>
                <td class={changed ? `${cellClass(after)} ${styles.changed}` : cellClass(after)}>
                  {after ? text(after) : '—'}
                  {changed && <span class="visually-hidden"> (changed)</span>}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

// Amounts line up on the right; a note (a refusal) may wrap in the narrow column.
function cellClass(cell: Cell): string | undefined {
  return cell && 'note' in cell ? styles.note : t.num
}

function text(cell: NonNullable<Cell>): string {
  return 'cents' in cell ? (cell.cents === 0 ? 'Free' : formatCents(cell.cents)) : cell.note
}

function noteOfApiError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 409) {
      return 'Closed'
    }
    const [detail] = Array.isArray(err.details) ? (err.details as { rule?: string }[]) : []
    const rule = detail?.rule
    if (rule && rule in RULE_NOTE) {
      return RULE_NOTE[rule as TariffError['code']]
    }
    return err.message
  }
  return 'Could not be quoted'
}

/** The coming weekday at a local time in the facility's zone (today if it is that weekday). */
function startOf(timeZone: string, weekday: number, time: string): Date | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time.trim())
  if (!m) {
    return null
  }
  const today = localTime(Date.now(), timeZone)
  const ahead = (weekday - today.weekday + 7) % 7
  const [y, mo, d] = today.date.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, mo - 1, d + ahead)).toISOString().slice(0, 10)
  return new Date(zonedInstant(date, Number(m[1]) * 60 + Number(m[2]), timeZone))
}

function startLabel(start: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(start)
}
