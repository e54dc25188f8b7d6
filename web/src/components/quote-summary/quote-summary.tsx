import { useId } from 'preact/hooks'
import type { QuoteLine } from '../../lib/types.ts'
import type { ApiError } from '../../lib/api.ts'
import { formatCents } from '../../lib/format.ts'
import { formatLocalTime, quoteLineLabel, quoteLineNote } from '../../lib/parking.ts'
import { Alert } from '../alert/alert.tsx'
import styles from './quote-summary.module.css'

export interface QuoteFacts {
  lines: QuoteLine[]
  totalCents: number
  /** When the time bought runs out. */
  end: string
  /** Set when the plate already has time running here: this adds to it. */
  extending?: { session: string; paidUntil: string } | null
}

interface Props {
  title: string
  quote: QuoteFacts | null
  error: ApiError | null
  pending: boolean
  /** The facility's time zone: the end time is the one on its signs. */
  timeZone: string
  /** Says what the end is, e.g. "Parking until" or "New end". */
  endLabel?: string
}

/**
 * A live price, itemised as the tariff engine worked it out, with the end time in the
 * facility's zone. The total and end are announced politely as they change.
 */
export function QuoteSummary({
  title,
  quote,
  error,
  pending,
  timeZone,
  endLabel = 'Parking until',
}: Props) {
  const id = useId()
  const end = quote ? formatLocalTime(quote.end, timeZone) : null
  return (
    <section class={styles.quote} aria-labelledby={id} aria-busy={pending || undefined}>
      <h3 id={id} class={styles.title}>
        {title}
      </h3>
      {error && (
        <Alert tone="error" title="This stay cannot be priced">
          {error.message}
        </Alert>
      )}
      {!quote && !error && <p class={styles.waiting}>Working out the price…</p>}
      {quote?.extending && (
        <p class={styles.extending}>
          This plate already has time here until{' '}
          <strong>{formatLocalTime(quote.extending.paidUntil, timeZone)}</strong>: paying adds to
          it, at the later hours’ rate.
        </p>
      )}
      {quote && (
        <div class={pending ? `${styles.body} ${styles.stale}` : styles.body}>
          <table class={styles.lines}>
            <caption class="visually-hidden">{title}, line by line</caption>
            <tbody>
              {quote.lines.map((line, i) => {
                const note = quoteLineNote(line)
                return (
                  <tr key={i}>
                    <th scope="row">
                      {quoteLineLabel(line)}
                      {note && <span class={styles.note}>{note}</span>}
                    </th>
                    <td>{formatCents(line.cents)}</td>
                  </tr>
                )
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                <td>{formatCents(quote.totalCents)}</td>
              </tr>
            </tfoot>
          </table>
          <p class={styles.end}>
            {endLabel} <strong>{end}</strong>
          </p>
        </div>
      )}
      <p class="visually-hidden" aria-live="polite">
        {quote && !pending ? `${title}: ${formatCents(quote.totalCents)}. ${endLabel} ${end}.` : ''}
      </p>
    </section>
  )
}
