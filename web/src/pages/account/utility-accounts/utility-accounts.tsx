import { useState } from 'preact/hooks'
import type { UtilityAccount } from '../../../lib/types.ts'
import { useApi } from '../../../lib/use-api.ts'
import { messageOf } from '../../../lib/api.ts'
import { Panel, SubPanel } from '../../../components/panel/panel.tsx'
import { Button } from '../../../components/button/button.tsx'
import { Alert } from '../../../components/alert/alert.tsx'
import {
  UtilityAccountCard,
  UtilityAccountList,
} from '../../../components/utility-account-card/utility-account-card.tsx'
import { LinkAccountForm } from '../link-account-form/link-account-form.tsx'
import styles from './utility-accounts.module.css'

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
        <UtilityAccountList label="Linked utility accounts">
          {accounts.map((a) => (
            <AccountCard key={a.id} customerId={customerId} account={a} onChanged={onChanged} />
          ))}
        </UtilityAccountList>
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

  const canUnlink = a.relationship === 'linked'
  return (
    <UtilityAccountCard account={a}>
      {(error || canUnlink) && (
        <>
          {error && <Alert tone="error" title={error} />}
          {canUnlink && (
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
        </>
      )}
    </UtilityAccountCard>
  )
}
