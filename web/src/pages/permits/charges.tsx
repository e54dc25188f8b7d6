import { formatCents } from '../../lib/format.ts'
import type { Permit } from '../../lib/types.ts'
import { Panel } from '../../components/panel/panel.tsx'
import { TableScroller, tableStyles } from '../../components/table/table.tsx'
import { chargeKindText, chargeMethodText, chargeStatusText, termText } from './permits.ts'
import styles from './permits.module.css'

/** Every charge on the permit and every refund: what it paid for, how, and how it went. */
export function Charges({ permit }: { permit: Permit }) {
  return (
    <Panel title="Charges" description="What this permit has cost, and anything given back.">
      {permit.charges.length === 0 ? (
        <p class={styles.empty}>Nothing has been charged yet.</p>
      ) : (
        <TableScroller label="Table of charges">
          <table class={tableStyles.table}>
            <caption class="visually-hidden">Charges on permit {permit.number}</caption>
            <thead>
              <tr>
                <th scope="col">Charge</th>
                <th scope="col">Paid with</th>
                <th scope="col">Status</th>
                <th scope="col" class={tableStyles.num}>
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {permit.charges.map((c, i) => (
                <tr key={i}>
                  <th scope="row">
                    {chargeKindText(c.kind)}
                    <span class={styles.sub}>{termText(c.termStartsOn, c.termEndsOn)}</span>
                  </th>
                  <td>{chargeMethodText(c.method, permit.utilityAccount)}</td>
                  <td>
                    {chargeStatusText(c)}
                    {c.failure && c.status !== 'paid' && (
                      <span class={styles.sub}>{c.failure}</span>
                    )}
                  </td>
                  <td class={`${tableStyles.num} ${c.kind === 'refund' ? tableStyles.credit : ''}`}>
                    {formatCents(c.kind === 'refund' ? -c.amountCents : c.amountCents)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </Panel>
  )
}
