import { useState } from 'preact/hooks'
import type { Vehicle } from '../../../lib/types.ts'
import { useApi } from '../../../lib/use-api.ts'
import { messageOf } from '../../../lib/api.ts'
import { Panel, SubPanel } from '../../../components/panel/panel.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import { VehicleList } from '../../../components/vehicle-list/vehicle-list.tsx'
import { AddVehicleForm } from '../add-vehicle-form/add-vehicle-form.tsx'
import styles from './vehicles.module.css'

interface Props {
  customerId: number
  vehicles: Vehicle[]
  defaultState: string
  onChanged: () => void
}

export function Vehicles({ customerId, vehicles, defaultState, onChanged }: Props) {
  const api = useApi()
  const [removing, setRemoving] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const remove = async (v: Vehicle) => {
    setRemoving(v.id)
    setError(null)
    setNotice(null)
    try {
      await api.del(`/customers/${customerId}/vehicles/${v.id}`)
      setNotice(`${v.platePrinted} (${v.state}) was removed.`)
      onChanged()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setRemoving(null)
    }
  }

  return (
    <Panel
      title="Vehicles for parking"
      description="The vehicles you park in the city. Permits and parking sessions are matched to these plates."
    >
      {error && <Alert tone="error" title={error} />}
      {notice && <Alert tone="success" title={notice} />}
      {vehicles.length === 0 ? (
        <p class={styles.empty}>No vehicles on file yet.</p>
      ) : (
        <VehicleList
          vehicles={vehicles}
          label="Your vehicles"
          action={(v) => (
            <Button
              variant="quiet"
              size="small"
              busy={removing === v.id}
              aria-label={`Remove ${v.platePrinted} (${v.state})`}
              onClick={() => void remove(v)}
            >
              Remove
            </Button>
          )}
        />
      )}
      <SubPanel title="Add a vehicle">
        <AddVehicleForm
          customerId={customerId}
          defaultState={defaultState}
          onAdded={(v) => {
            setNotice(null)
            setError(null)
            onChanged()
            return `${v.platePrinted} (${v.state}) was added.`
          }}
        />
      </SubPanel>
    </Panel>
  )
}
