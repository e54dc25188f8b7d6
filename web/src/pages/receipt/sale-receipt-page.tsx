import { useEffect } from 'preact/hooks'
import { useLocation, useRoute } from 'preact-iso'
import { useResource } from '../../lib/use-api.ts'
import type { ParkingSession } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Where the QR code of a receipt a kiosk printed while offline leads: the kiosk and its sale's
 * own id. Once the kiosk has sent the sale this goes on to the receipt; until then it says so.
 */
export function SaleReceiptPage() {
  const { params } = useRoute()
  const { route } = useLocation()
  const device = params.device ?? ''
  const sale = params.sale ?? ''
  const valid = /^\d{1,15}$/.test(device) && UUID.test(sale)
  const found = useResource<ParkingSession>(valid ? `/sessions/by-sale/${device}/${sale}` : null)

  useEffect(() => {
    if (found.data) {
      route(found.data.receiptUrl, true)
    }
  }, [found.data, route])

  const waiting = found.error?.status === 404
  return (
    <Page title="Parking receipt" eyebrow="Paid at a pay station">
      {!valid && (
        <Alert tone="error" title="This is not a receipt address">
          Check the address, or scan the code on your receipt again.
        </Alert>
      )}
      {valid && !found.error && <Loading label="Finding your receipt…" />}
      {waiting && (
        <Alert tone="info" title="Your receipt is on its way">
          <p>
            The pay station that sold it was offline. Your payment is saved there and reaches the
            city as soon as the pay station reconnects; your receipt appears here then.
          </p>
          <Button variant="secondary" size="small" onClick={found.reload}>
            Look again
          </Button>
        </Alert>
      )}
      {found.error && !waiting && (
        <Alert tone="error" title="Your receipt could not be loaded">
          <p>{found.error.message}</p>
          <Button variant="secondary" size="small" onClick={found.reload}>
            Try again
          </Button>
        </Alert>
      )}
    </Page>
  )
}
