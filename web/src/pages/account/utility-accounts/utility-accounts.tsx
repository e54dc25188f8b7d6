import { useState } from 'preact/hooks'
import type { UtilityAccount } from '../../../lib/types.ts'
import { useApi } from '../../../lib/use-api.ts'
import { messageOf } from '../../../lib/api.ts'
import { formatCents, formatDate, titleCase } from '../../../lib/format.ts'
import { fundLabel } from '../../../lib/funds.ts'
import { Panel, SubPanel } from '../../../components/panel/panel.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import { LinkAccountForm } from '../link-account-form/link-account-form.tsx'
import styles from './utility-accounts.module.css'

const RELATIONSHIP: Record<string, string> = {
  primary: 'Account holder',
  co_holder: 'Co-holder',
  linked: 'Linked online',
}

interface Props {
  customerId: number
  accounts: UtilityAccount[]
  onChanged: () => void
}

export function UtilityAccounts({ customerId, accounts, onChanged }: Props) {
  return (
    <Panel
      title="Utility accounts"
      description="The city services billed to your home or business. Their charges appear on your statement beside parking."
    >
      {accounts.length === 0 ? (
        <p class={styles.empty}>No utility accounts are linked to your sign-in yet.</p>
      ) : (
        <ul class={styles.list} aria-label="Linked utility accounts">
          {accounts.map((a) => (
            <AccountCard key={a.id} customerId={customerId} account={a} onChanged={onChanged} />
          ))}
        </ul>
      )}
      <SubPanel title="Link a utility account">
        <LinkAccountForm customerId={customerId} onLinked={onChanged} />
      </SubPanel>
    </Panel>
  )
}

interface CardProps {
  customerId: number
  account: UtilityAccount
  onChanged: () => void
}

function AccountCard({ customerId, account: a, onChanged }: CardProps) {
  const api = useApi()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const headingId = `ua-${a.id}`

  const unlink = async () => {
    setBusy(true)
    setError(null)
    try {
      await api.del(`/customers/${customerId}/utility-accounts/${a.id}`)
      onChanged()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
      setConfirming(false)
    }
  }

  return (
    <li class={styles.card} aria-labelledby={headingId}>
      <div class={styles.cardHead}>
        <h3 id={headingId} class={styles.number}>
          <span class="visually-hidden">Utility account </span>
          {a.accountNumber}
        </h3>
        <span class={`${styles.status} ${a.status === 'active' ? styles.active : ''}`}>
          {titleCase(a.status)}
        </span>
      </div>
      <p class={styles.address}>
        {a.premise.address}
        <br />
        {a.premise.city}, {a.premise.state} {a.premise.zip}
      </p>
      <dl class={styles.facts}>
        <div>
          <dt>Bill cycle</dt>
          <dd>{a.billCycle}</dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd>{RELATIONSHIP[a.relationship] ?? titleCase(a.relationship)}</dd>
        </div>
        <div>
          <dt>Last bill</dt>
          <dd>
            {a.lastBill
              ? `${formatCents(a.lastBill.amount)} on ${formatDate(a.lastBill.billDate)}`
              : 'No bills yet'}
          </dd>
        </div>
      </dl>
      {a.services.length > 0 && (
        <ul class={styles.services} aria-label={`Services on account ${a.accountNumber}`}>
          {a.services.map((s) => (
            <li key={s}>{fundLabel(s)}</li>
          ))}
        </ul>
      )}
      {error && <Alert tone="error" title={error} />}
      {a.relationship === 'linked' && (
        <div class={styles.actions}>
          {confirming ? (
            <>
              <span>Unlink this account from your sign-in?</span>
              <Button variant="danger" size="small" busy={busy} onClick={() => void unlink()}>
                Yes, unlink {a.accountNumber}
              </Button>
              <Button variant="quiet" size="small" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
            </>
          ) : (
            <Button variant="quiet" size="small" onClick={() => setConfirming(true)}>
              Unlink <span class="visually-hidden">account {a.accountNumber}</span>
            </Button>
          )}
        </div>
      )}
    </li>
  )
}
