import type { ComponentChildren } from 'preact'
import type { Vehicle } from '../../lib/types.ts'
import { formatDate } from '../../lib/format.ts'
import styles from './vehicle-list.module.css'

/** The list's rows (list, item, details), for vehicles drawn another way, e.g. on a permit. */
export { styles as vehicleListStyles }

interface Props {
  vehicles: Vehicle[]
  label: string
  /** A control at the end of each row, e.g. a remove button. */
  action?: (vehicle: Vehicle) => ComponentChildren
}

/** Vehicles as plates with their description and when they were added. */
export function VehicleList({ vehicles, label, action }: Props) {
  return (
    <ul class={styles.list} aria-label={label}>
      {vehicles.map((v) => (
        <li key={v.id} class={styles.item}>
          <span class={styles.plate} aria-label={`Plate ${v.platePrinted}, ${v.state}`}>
            <span class={styles.plateState} aria-hidden="true">
              {v.state}
            </span>
            <span class={styles.plateText} aria-hidden="true">
              {v.platePrinted}
            </span>
          </span>
          <span class={styles.details}>
            <span class={styles.car}>{describe(v)}</span>
            <span class={styles.added}>Added {formatDate(v.addedAt)}</span>
          </span>
          {action?.(v)}
        </li>
      ))}
    </ul>
  )
}

function describe(v: Vehicle): string {
  const parts = [v.colour, v.make, v.model].filter((p): p is string => Boolean(p))
  return parts.length > 0 ? parts.join(' ') : 'No description'
}
