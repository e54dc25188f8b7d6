import { useState } from 'preact/hooks'
import { useResource } from '../../../lib/use-api.ts'
import { useCardsTaken } from '../../../lib/use-cards.ts'
import { usePurchase } from '../../../lib/use-purchase.ts'
import { useForm } from '../../../lib/use-form.ts'
import { formatCents } from '../../../lib/format.ts'
import { Panel } from '../../../components/panel/panel.tsx'
import { Button } from '../../../components/button/button.tsx'
import { FormAlert } from '../../../components/alert/alert.tsx'
import { CardPayment } from '../../../components/card-payment/card-payment.tsx'
import styles from './parking-balance.module.css'

interface Owed {
  utilityAccountId: number | null
  accountEnding: string | null
  owedCents: number
}

interface Started {
  payment: { id: string; amountCents: number }
  clientSecret: string
  publishableKey: string | null
}

/**
 * Parking billed to my accounts, paid by card now rather than with the next bill: one line per
 * utility account (or my own record) that owes parking. Shown only where cards are taken.
 */
export function ParkingBalance({ onPaid }: { onPaid: () => void }) {
  const cards = useCardsTaken()
  const owed = useResource<{ owed: Owed[] }>(cards ? '/payments/parking-balance' : null)
  const purchase = usePurchase()
  const form = useForm()
  const [paying, setPaying] = useState<{ line: Owed; started: Started } | null>(null)

  if (!cards || !owed.data || owed.data.owed.length === 0) {
    return null
  }
  const start = async (line: Owed) => {
    await form.submit(async () => {
      const { data } = await purchase.pay<Started>(
        '/payments/parking-balance',
        line.utilityAccountId === null ? {} : { utilityAccountId: line.utilityAccountId },
      )
      purchase.done()
      setPaying({ line, started: data })
    })
  }
  const label = (line: Owed) =>
    line.accountEnding ? `Utility account ending ${line.accountEnding}` : 'Parking on my own record'

  return (
    <Panel
      title="Pay parking by card"
      description="Parking billed to your accounts, paid now instead of with the next bill."
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} success={form.success} labels={{}} />
      <ul class={styles.list}>
        {owed.data.owed.map((line) => (
          <li key={line.utilityAccountId ?? 'own'} class={styles.line}>
            <span>
              <strong>{label(line)}</strong>
              <span class={styles.amount}>{formatCents(line.owedCents)} owed for parking</span>
            </span>
            {paying?.line === line ? null : (
              <Button
                size="small"
                busy={form.busy}
                disabled={paying !== null}
                onClick={() => void start(line)}
              >
                Pay {formatCents(line.owedCents)} by card
              </Button>
            )}
          </li>
        ))}
      </ul>
      {paying && paying.started.publishableKey && (
        <CardPayment
          paymentId={paying.started.payment.id}
          clientSecret={paying.started.clientSecret}
          publishableKey={paying.started.publishableKey}
          amountCents={paying.started.payment.amountCents}
          onPaid={() => {
            setPaying(null)
            owed.reload()
            onPaid()
          }}
        />
      )}
    </Panel>
  )
}
