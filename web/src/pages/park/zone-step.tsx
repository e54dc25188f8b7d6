import { useMemo, useState } from 'preact/hooks'
import type { RefObject } from 'preact'
import type { ParkingFacility } from '../../lib/types.ts'
import {
  KIND_LABEL,
  facilitySubtitle,
  facilityTitle,
  limitText,
  priceNow,
} from '../../lib/parking.ts'
import { TextField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { FacilityMap } from '../../components/facility-map/facility-map.tsx'
import { findFacility, refusal } from './facilities.ts'
import styles from './park-page.module.css'

interface Props {
  heading: RefObject<HTMLHeadingElement | null>
  facilities: ParkingFacility[]
  tileUrl: string
  text: string
  onText: (text: string) => void
  onChosen: (code: string) => void
}

/** Where: the number on the signs, or a tap on the map, which fills the number in. */
export function ZoneStep({ heading, facilities, tileUrl, text, onText, onChosen }: Props) {
  const [error, setError] = useState<string | null>(null)
  // Gated garages and the Airport are paid at their exits; the map shows what is paid here.
  const payable = useMemo(() => facilities.filter((f) => !f.gated), [facilities])
  const match = findFacility(facilities, text)

  const choose = (event: Event) => {
    event.preventDefault()
    if (!text.trim()) {
      setError('Enter the zone number from the signs, or choose a zone on the map')
      return
    }
    if (!match) {
      setError(`There is no zone or lot “${text.trim()}”. Check the number on the signs.`)
      return
    }
    const why = refusal(match)
    if (why) {
      setError(why)
      return
    }
    setError(null)
    onChosen(match.code)
  }

  return (
    <>
      <h2 id="park-step-heading" ref={heading} tabIndex={-1} class={styles.stepHeading}>
        Where did you park?
      </h2>
      <div class={styles.zoneLayout}>
        <form onSubmit={choose} noValidate aria-label="Where did you park?" class={styles.zoneForm}>
          <FormAlert
            error={error ? 'Check the zone or lot number' : null}
            fieldErrors={error ? { zone: error } : {}}
            labels={{ zone: 'Zone or lot number' }}
          />
          <TextField
            label="Zone or lot number"
            name="zone"
            hint="On the signs and meters, e.g. 104 for a street zone or L-RIVER for a lot. Or choose it on the map."
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            required
            chars={10}
            maxLength={20}
            value={text}
            onValue={(value) => {
              onText(value)
              setError(null)
            }}
            error={error ?? undefined}
          />
          {match && !error && (
            <div class={styles.found} role="status">
              <p class={styles.foundTitle}>{facilityTitle(match)}</p>
              <p class={styles.foundSub}>
                {facilitySubtitle(match)} · {KIND_LABEL[match.kind] ?? match.kind}
              </p>
              <p class={styles.foundFacts}>
                {refusal(match) ??
                  `${priceNow(match)} · time limit ${limitText(match.maximumStayMinutes).toLowerCase()}`}
              </p>
            </div>
          )}
          <Button type="submit">Continue</Button>
        </form>
        <div class={styles.zoneMap}>
          <FacilityMap
            facilities={payable}
            tileUrl={tileUrl}
            label="Map of the zones and lots you can pay for here"
            selected={match && !match.gated ? match.code : null}
            onSelect={(code) => {
              onText(code)
              setError(null)
            }}
            size="compact"
          />
          <p class={styles.mapNote}>
            Garages and Airport lots have gates: take a ticket as you drive in and pay at the exit.
          </p>
        </div>
      </div>
    </>
  )
}
