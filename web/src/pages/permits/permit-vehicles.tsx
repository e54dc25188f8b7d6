import { useState } from 'preact/hooks'
import type { Permit, PermitType, Vehicle } from '../../lib/types.ts'
import { useApi } from '../../lib/use-api.ts'
import { messageOf } from '../../lib/api.ts'
import { formatDate, formatDateTime } from '../../lib/format.ts'
import { Panel, SubPanel } from '../../components/panel/panel.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import { vehicleListStyles as rows } from '../../components/vehicle-list/vehicle-list.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import { AddPermitVehicle } from './add-permit-vehicle.tsx'
import type { PermitVehicle } from './permits.ts'
import styles from './permits.module.css'

interface Props {
  permit: Permit
  type: PermitType | null
  /** My registered vehicles, offered for adding. */
  registered: Vehicle[]
  onChanged: (permit: Permit | null, message: string) => void
}

/** The plates on the permit now (remove, swap, add another or a rental), and their history. */
export function PermitVehicles({ permit, type, registered, onChanged }: Props) {
  const api = useApi()
  const [swapping, setSwapping] = useState<PermitVehicle | null>(null)
  const [removing, setRemoving] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const active = permit.status === 'active'
  const now = permit.vehicles.filter((v) => v.current)

  const remove = async (v: PermitVehicle) => {
    setBusy(true)
    setError(null)
    try {
      await api.del(`/permits/${permit.id}/vehicles/${v.id}`)
      onChanged(null, `${v.printed} (${v.state}) was taken off the permit.`)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
      setRemoving(null)
    }
  }

  return (
    <Panel
      title="Vehicles"
      description={
        type
          ? `Up to ${type.maxVehicles} vehicle${type.maxVehicles === 1 ? '' : 's'}, and one rental or loaner at a time for up to 14 days.`
          : undefined
      }
    >
      {error && <Alert tone="error" title={error} />}
      {now.length === 0 ? (
        <p class={styles.empty}>No vehicle is on the permit now.</p>
      ) : (
        <ul class={rows.list} aria-label="Vehicles on the permit now">
          {now.map((v) => (
            <li key={v.id} class={rows.item}>
              <PlateChip printed={v.printed} state={v.state} />
              <span class={rows.details}>
                {v.temporary && <span class={c.optionName}>Temporary</span>}
                <span class={styles.sub}>
                  {v.temporary && v.until
                    ? `Until ${formatDateTime(v.until, permit.timeZone)}`
                    : `Since ${formatDate(v.from)}`}
                </span>
              </span>
              {active && (
                <span class={styles.rowActions}>
                  {removing === v.id ? (
                    <>
                      <span class={styles.confirmText}>Take it off?</span>
                      <Button
                        variant="danger"
                        size="small"
                        busy={busy}
                        onClick={() => void remove(v)}
                      >
                        Yes, remove {v.printed}
                      </Button>
                      <Button variant="quiet" size="small" onClick={() => setRemoving(null)}>
                        Keep it
                      </Button>
                    </>
                  ) : (
                    <>
                      {!v.temporary && (
                        <Button
                          variant="secondary"
                          size="small"
                          aria-label={`Swap ${v.printed} (${v.state}) for another vehicle`}
                          onClick={() => setSwapping(v)}
                        >
                          Swap
                        </Button>
                      )}
                      <Button
                        variant="quiet"
                        size="small"
                        aria-label={`Remove ${v.printed} (${v.state})`}
                        onClick={() => setRemoving(v.id)}
                      >
                        Remove
                      </Button>
                    </>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {active && type && (
        <SubPanel
          title={swapping ? `Swap ${swapping.printed} for another vehicle` : 'Add a vehicle'}
        >
          <AddPermitVehicle
            // a fresh form after each change: the next vehicle starts from the defaults
            key={`${swapping?.id ?? 'add'}:${permit.vehicles.length}`}
            permit={permit}
            type={type}
            registered={registered}
            swapping={swapping}
            onCancelSwap={() => setSwapping(null)}
            onChanged={(next, message) => {
              setSwapping(null)
              onChanged(next, message)
            }}
          />
        </SubPanel>
      )}
    </Panel>
  )
}

/** Which plates were on the permit when: one row per stay, as an ambassador's check reads it. */
export function VehicleHistory({ permit }: { permit: Permit }) {
  const rows = [...permit.vehicles].sort((a, b) => a.from.localeCompare(b.from))
  return (
    <Panel
      title="Vehicle history"
      description="Which plates were on the permit when: a plate is permitted only while it is on."
    >
      <TableScroller label="Table of vehicle history">
        <table class={tableStyles.table}>
          <caption class="visually-hidden">Plates on permit {permit.number} over time</caption>
          <thead>
            <tr>
              <th scope="col">Plate</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((v) => (
              <tr key={v.id}>
                <th scope="row" class={tableStyles.nowrap}>
                  {v.printed} <span class={tableStyles.muted}>{v.state}</span>
                </th>
                <td class={tableStyles.nowrap}>{formatDateTime(v.from, permit.timeZone)}</td>
                <td class={tableStyles.nowrap}>{v.until ? formatDateTime(v.until, permit.timeZone) : '—'}</td>
                <td>{noteOf(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
    </Panel>
  )
}

function noteOf(v: PermitVehicle): string {
  const state = v.current
    ? 'on now'
    : Date.parse(v.from) > Date.now()
      ? 'from a later day'
      : 'ended'
  return v.temporary ? `Temporary, ${state}` : state.charAt(0).toUpperCase() + state.slice(1)
}
