import type { ParkingSession } from '../../lib/types.ts'
import { formatCents } from '../../lib/format.ts'
import { formatLocalTime, paymentLabel, purchaseKindLabel } from '../../lib/parking.ts'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import styles from './receipt-page.module.css'

/** Every purchase on the receipt: what time it bought, how it was paid, and what it cost. */
export function Purchases({ view }: { view: ParkingSession }) {
  const tz = view.facility.timeZone
  const settled = view.purchases.filter((p) => p.status === 'settled')
  return (
    <TableScroller label="Purchases">
      <table class={`${tableStyles.table} ${styles.purchases}`}>
        <caption class="visually-hidden">Purchases on this receipt</caption>
        <thead>
          <tr>
            <th scope="col">Purchase</th>
            <th scope="col">Paid with</th>
            <th scope="col" class={styles.amount}>
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {view.purchases.map((p, i) => (
            <tr key={i}>
              <th scope="row">
                {purchaseKindLabel(p.kind)}
                <span class={styles.bought}>
                  {formatLocalTime(p.startsAt, tz)} to {formatLocalTime(p.endsAt, tz)}
                </span>
                <span class={styles.sub}>
                  Bought {formatLocalTime(p.at, tz, { withDate: true })}
                </span>
              </th>
              <td>
                {paymentLabel(p)}
                {p.soldOffline && (
                  <span class={styles.sub}>Sold while the pay station was offline</span>
                )}
                {p.status !== 'settled' && (
                  <span class={styles.sub}>
                    {p.status === 'pending' ? 'Payment pending' : 'Payment failed'}
                  </span>
                )}
              </td>
              <td class={styles.amount}>{formatCents(p.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total paid{settled.length > 1 ? ` (${settled.length} purchases)` : ''}
            </th>
            <td class={styles.amount}>{formatCents(view.totalCents)}</td>
          </tr>
        </tfoot>
      </table>
    </TableScroller>
  )
}
