import { useEffect } from 'preact/hooks'
import { useResource } from '../../../lib/use-api.ts'
import type { FacilityListing } from '../../../lib/types.ts'
import type { RouteRead } from '../../../lib/enforcement.ts'
import {
  TONE_COLOUR,
  cityTime,
  noticePath,
  verdictTitle,
  verdictTone,
} from '../../../lib/enforcement.ts'
import { PointsMap, type MapPoint } from '../../../components/points-map/points-map.tsx'
import { Panel } from '../../../components/panel/panel.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import type { Job } from '../queue.ts'
import styles from './todays-route.module.css'

interface Props {
  /** Changes when something was sent, so the route is read again. */
  sent: number
  /** This phone's checks and citations the server does not have yet. */
  waiting: Job[]
}

/** Today's checks and citations on the map, with the ones still on the phone in grey. */
export function TodaysRoute({ sent, waiting }: Props) {
  const route = useResource<{ reads: RouteRead[] }>('/enforcement/reads?mine=true')
  const map = useResource<FacilityListing>('/facilities')
  const reload = route.reload
  useEffect(() => {
    if (sent > 0) {
      reload()
    }
  }, [sent, reload])

  const reads = route.data?.reads ?? []
  const points: MapPoint[] = [
    ...reads.flatMap((r): MapPoint[] =>
      r.lat !== null && r.lon !== null
        ? [
            {
              id: r.id,
              lat: r.lat,
              lon: r.lon,
              colour: TONE_COLOUR[verdictTone(r.verdict)],
              strong: r.citation !== null,
              lines: [
                `${r.plate ?? 'No plate'} · ${verdictTitle(r.verdict)}`,
                `${cityTime(new Date(r.readAt))}${r.facility ? ` · ${r.facility}` : ''}`,
                ...(r.citation ? [`Citation ${r.citation}`] : []),
              ],
            },
          ]
        : [],
    ),
    ...waiting.flatMap((j): MapPoint[] =>
      j.body.lat !== undefined && j.body.lon !== undefined
        ? [
            {
              id: j.clientId,
              lat: j.body.lat,
              lon: j.body.lon,
              colour: TONE_COLOUR.none,
              lines: [
                `${j.kind === 'read' ? 'Check' : j.kind === 'warning' ? 'Warning' : 'Citation'} waiting to be sent`,
              ],
            },
          ]
        : [],
    ),
  ]
  const cited = reads.filter((r) => r.citation !== null).length

  return (
    <Panel
      title="Today’s route"
      description={`${reads.length} check${reads.length === 1 ? '' : 's'} and ${cited} citation${cited === 1 ? '' : 's'} today${waiting.length > 0 ? `, ${waiting.length} more on this phone` : ''}.`}
    >
      {route.error && !route.data && (
        <Alert tone="info" title="Today’s route cannot be loaded now">
          {route.error.message}
        </Alert>
      )}
      {map.data && (
        <PointsMap
          points={points}
          facilities={map.data.facilities}
          tileUrl={map.data.map.tileUrl}
          label="Map of today’s checks and citations"
        />
      )}
      {reads.length > 0 && (
        <ol class={styles.list} aria-label="Today’s checks, newest first">
          {reads.slice(0, 30).map((r) => (
            <li key={r.id}>
              <span class={styles.time}>{cityTime(new Date(r.readAt))}</span>
              <span class={styles.plate}>{r.plate ?? '—'}</span>
              <span class={`${styles.verdict} ${styles[verdictTone(r.verdict)]}`}>
                {verdictTitle(r.verdict)}
              </span>
              {r.citation && r.plate && <a href={noticePath(r.citation, r.plate)}>{r.citation}</a>}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  )
}
