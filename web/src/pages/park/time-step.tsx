import type { RefObject } from 'preact'
import type { ParkingFacility, ParkingQuote } from '../../lib/types.ts'
import type { LiveQuote } from '../../lib/use-live-quote.ts'
import { facilityTitle, formatDuration } from '../../lib/parking.ts'
import { Button } from '../../components/button/button.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { DurationPicker } from '../../components/duration-picker/duration-picker.tsx'
import { QuoteSummary } from '../../components/quote-summary/quote-summary.tsx'
import styles from './park-page.module.css'

interface Props {
  heading: RefObject<HTMLHeadingElement | null>
  facility: ParkingFacility
  /** The tariff's increment; null while the tariff loads. */
  increment: number | null
  max: number
  detailError: string | null
  minutes: number
  onMinutes: (minutes: number) => void
  quote: LiveQuote<ParkingQuote>
  onBack: () => void
  onDone: () => void
}

/** How long: common lengths and a stepper within the limit, priced live as they change. */
export function TimeStep(props: Props) {
  const { heading, facility, increment, max, quote } = props
  const limit = facility.maximumStayMinutes
  const hint =
    limit === null
      ? `${facilityTitle(facility)} has no time limit; online you can pay for up to ${formatDuration(max)} at a time.`
      : `${facilityTitle(facility)} has a time limit of ${formatDuration(limit)}.`
  return (
    <>
      <h2 id="park-step-heading" ref={heading} tabIndex={-1} class={styles.stepHeading}>
        How long will you park?
      </h2>
      {props.detailError && (
        <Alert tone="error" title="This zone's prices could not be loaded">
          {props.detailError}
        </Alert>
      )}
      {increment === null && !props.detailError && <Loading label="Loading prices…" />}
      {increment !== null && (
        <div class={styles.timeLayout}>
          <DurationPicker
            legend="Time to pay for"
            minutes={props.minutes}
            onMinutes={props.onMinutes}
            step={increment}
            max={max}
            hint={hint}
          />
          <QuoteSummary
            title="Price"
            quote={quote.data}
            error={quote.error}
            pending={quote.pending}
            timeZone={facility.timeZone}
          />
        </div>
      )}
      <div class={styles.actions}>
        <Button onClick={props.onDone} disabled={!quote.data || quote.error !== null}>
          Continue to payment
        </Button>
        <Button variant="quiet" onClick={props.onBack}>
          Back
        </Button>
      </div>
    </>
  )
}
