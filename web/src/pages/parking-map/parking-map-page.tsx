import { useEffect, useState } from 'preact/hooks'
import { useResource } from '../../lib/use-api.ts'
import type { FacilityListing } from '../../lib/types.ts'
import {
  KIND_LABEL,
  facilitySubtitle,
  facilityTitle,
  limitText,
  occupancyText,
  priceNow,
} from '../../lib/parking.ts'
import { Page } from '../../components/page/page.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { ButtonLink } from '../../components/button/button.tsx'
import { FacilityMap } from '../../components/facility-map/facility-map.tsx'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import styles from './parking-map-page.module.css'

/** Where the city sells parking: the map, and the same facilities as a table. */
export function ParkingMapPage() {
  const list = useResource<FacilityListing>('/facilities')
  // the table's occupancy is live: read again every minute, without redrawing the map
  const live = useResource<FacilityListing>('/facilities')
  const reloadLive = live.reload
  useEffect(() => {
    const timer = setInterval(reloadLive, 60_000)
    return () => clearInterval(timer)
  }, [reloadLive])
  const parkedNow = new Map((live.data ?? list.data)?.facilities.map((f) => [f.code, f]) ?? [])
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <Page
      title="Parking map"
      eyebrow="Public parking"
      lede="Garages, lots and on-street zones downtown, and the Airport, with what an hour costs from now."
    >
      <div class={styles.pay}>
        <p>
          Parked in a zone or lot? Pay by its number on the signs, and add time later from your
          phone.
        </p>
        <ButtonLink href="/park">Pay for parking</ButtonLink>
      </div>
      {list.error && (
        <Alert tone="error" title="The parking map could not be loaded">
          {list.error.message}
        </Alert>
      )}
      {!list.data && list.loading && <Loading />}
      {list.data && (
        <div class={styles.layout}>
          <FacilityMap
            facilities={list.data.facilities}
            tileUrl={list.data.map.tileUrl}
            label="Map of parking facilities and zones"
            selected={selected}
          />
          <TableScroller label="Facilities and zones">
            <table class={tableStyles.table}>
              <caption class={styles.caption}>Facilities and zones</caption>
              <thead>
                <tr>
                  <th scope="col">Zone or facility</th>
                  <th scope="col">Kind</th>
                  <th scope="col">An hour from now</th>
                  <th scope="col">Time limit</th>
                  <th scope="col">Spaces now</th>
                </tr>
              </thead>
              <tbody>
                {list.data.facilities.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">
                      <button type="button" class={styles.link} onClick={() => setSelected(f.code)}>
                        {facilityTitle(f)}
                      </button>
                      <span class={styles.sub}>{facilitySubtitle(f)}</span>
                    </th>
                    <td>{KIND_LABEL[f.kind] ?? f.kind}</td>
                    <td>{priceNow(f)}</td>
                    <td>{limitText(f.maximumStayMinutes)}</td>
                    <td>{occupancyText(parkedNow.get(f.code) ?? f)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </div>
      )}
    </Page>
  )
}
