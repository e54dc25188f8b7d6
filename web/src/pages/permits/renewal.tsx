import { useEffect, useState } from 'preact/hooks'
import type { Permit, UtilityAccount } from '../../lib/types.ts'
import { messageOf } from '../../lib/api.ts'
import { useApi } from '../../lib/use-api.ts'
import { formatCents, formatDate } from '../../lib/format.ts'
import { Panel, SubPanel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { choiceStyles as c } from '../../components/choice/choice.tsx'
import { PayPermit } from './pay-permit.tsx'
import { termText } from './permits.ts'
import styles from './permits.module.css'

interface Props {
  permit: Permit
  accounts: UtilityAccount[]
  onChanged: (permit: Permit | null, message: string) => void
}

/** Renewal: automatic renewal on or off, the next term and its price, and renewing now. */
export function Renewal({ permit, accounts, onChanged }: Props) {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // the box follows the click at once; a refused change puts it back
  const [on, setOn] = useState(permit.autoRenew)
  useEffect(() => setOn(permit.autoRenew), [permit.autoRenew])
  const renewal = permit.renewal
  const renewedTo = permit.charges.some((c) => c.kind === 'renewal' && c.status === 'paid')
  const noSavedCard = permit.autoRenew && permit.payMethod === 'card' && !permit.savedCard

  const toggle = async (wanted: boolean) => {
    setOn(wanted)
    setBusy(true)
    setError(null)
    try {
      const next = await api.patch<Permit>(`/permits/${encodeURIComponent(permit.id)}`, {
        autoRenew: wanted,
      })
      onChanged(
        next,
        wanted
          ? 'Automatic renewal is on: the permit renews five days before it ends.'
          : 'Automatic renewal is off: renew the permit yourself before it ends.',
      )
    } catch (err) {
      setOn(!wanted)
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Panel title="Renewal">
      {error && <Alert tone="error" title={error} />}
      <label class={styles.check}>
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          aria-busy={busy || undefined}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
        <span>
          <span class={c.optionName}>Renew automatically</span>
          <span class={c.optionDetail}>
            Five days before the permit ends it renews for the next term,{' '}
            {permit.payMethod === 'card'
              ? 'charged to the card you paid with'
              : `on your utility bill${permit.utilityAccount ? ` (account ${permit.utilityAccount.number})` : ''}`}
            . You get a reminder 30 and 7 days before.
          </span>
        </span>
      </label>
      {noSavedCard && (
        <Alert tone="warning" title="No card is saved for renewals">
          This permit was paid by card without automatic renewal, so no card was kept: renew it here
          when the renewal opens.
        </Alert>
      )}
      {renewal ? (
        <dl class={styles.summary}>
          <div>
            <dt>Next term</dt>
            <dd>{termText(renewal.startsOn, renewal.endsOn)}</dd>
          </div>
          <div>
            <dt>Price</dt>
            <dd>{formatCents(renewal.priceCents)}</dd>
          </div>
          <div>
            <dt>Renewal opens</dt>
            <dd>{renewal.open ? 'Open now' : formatDate(renewal.opensOn)}</dd>
          </div>
        </dl>
      ) : (
        renewedTo &&
        permit.endsOn && (
          <p class={styles.note}>
            Renewed: the permit is paid through {formatDate(permit.endsOn)}.
          </p>
        )
      )}
      {renewal?.open && (
        <SubPanel title="Renew now">
          <PayPermit
            permit={permit}
            path={`/permits/${permit.id}/renewal`}
            amountCents={renewal.priceCents}
            what="the next term"
            accounts={accounts}
            onPaid={onChanged}
          />
        </SubPanel>
      )}
    </Panel>
  )
}
