import { useEffect, useState } from 'preact/hooks'
import { useResource } from '../../lib/use-api.ts'
import type { FacilityListing } from '../../lib/types.ts'
import type { RouteRead } from '../../lib/enforcement.ts'
import { TONE_COLOUR, cityTime, verdictTitle, verdictTone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { PointsMap, type MapPoint } from '../../components/points-map/points-map.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { EnforcementNav } from './enforcement-nav/enforcement-nav.tsx'
import styles from './enforcement.module.css'

const REFRESH_MS = 30_000

/** Where each ambassador is: their latest plate check today, read again every 30 seconds. */
export function LiveMapPage() {
  const latest = useResource<{ reads: RouteRead[] }>('/enforcement/reads?latest=true')
  const map = useResource<FacilityListing>('/facilities')
  const [checkedAt, setCheckedAt] = useState<Date | null>(null)
  const reload = latest.reload
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  useEffect(() => {
    if (latest.data) {
      setCheckedAt(new Date())
    }
  }, [latest.data])

  const reads = latest.data?.reads ?? []
  const points: MapPoint[] = reads.flatMap((r) =>
    r.lat !== null && r.lon !== null
      ? [
          {
            id: r.id,
            lat: r.lat,
            lon: r.lon,
            colour: TONE_COLOUR[verdictTone(r.verdict)],
            strong: true,
            lines: [
              r.ambassador ?? 'Handheld',
              `${cityTime(new Date(r.readAt))} · ${r.plate ?? 'no plate'} · ${verdictTitle(r.verdict)}`,
              ...(r.facility ? [`At ${r.facility}`] : []),
            ],
          },
        ]
      : [],
  )

  return (
    <Page
      title="Ambassadors on the map"
      eyebrow="Enforcement"
      lede="Each ambassador’s latest plate check today. The map is read again every 30 seconds."
    >
      <EnforcementNav />
      {latest.error && (
        <Alert tone="error" title="The ambassadors’ positions could not be loaded">
          {latest.error.message}
        </Alert>
      )}
      {!latest.data && latest.loading && <Loading />}
      <p class={styles.refreshed} role="status">
        {checkedAt
          ? `Updated ${cityTime(checkedAt)}: ${reads.length} ambassador${reads.length === 1 ? '' : 's'} checked plates today.`
          : ''}
      </p>
      <div class={styles.stack}>
        {map.data && (
          <PointsMap
            points={points}
            facilities={map.data.facilities}
            tileUrl={map.data.map.tileUrl}
            label="Map of each ambassador’s latest check"
            follow={false}
          />
        )}
        {latest.data && reads.length === 0 && <p>No plate has been checked yet today.</p>}
        {reads.length > 0 && (
          <TableScroller label="Latest check by ambassador">
            <table class={t.table}>
              <caption>Latest check by ambassador, most recent first</caption>
              <thead>
                <tr>
                  <th scope="col">Ambassador</th>
                  <th scope="col">Last check</th>
                  <th scope="col">Plate</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Where</th>
                </tr>
              </thead>
              <tbody>
                {reads.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.ambassador ?? 'Handheld device'}</th>
                    <td class={t.nowrap}>{cityTime(new Date(r.readAt))}</td>
                    <td class={t.mono}>{r.plate ?? '—'}</td>
                    <td>
                      {verdictTitle(r.verdict)}
                      {r.citation && <span class={styles.sub}>Cited {r.citation}</span>}
                    </td>
                    <td>{r.facility ?? (r.lat !== null ? 'GPS only' : 'Not known')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        )}
      </div>
    </Page>
  )
}
