import { useRef, useState } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import type { DeviceInfo } from '../../lib/use-device.ts'
import type { ConnectionState } from '../../lib/use-connection.ts'
import type { Sales } from '../../lib/use-sales.ts'
import type { Sale } from '../../lib/sales.ts'
import styles from './technician-menu.module.css'

interface Props {
  device: DeviceInfo
  verified: boolean
  connection: ConnectionState
  sales: Sales
  /** The zone's time zone, for the times shown. */
  timeZone?: string
  signOut: () => void
}

/**
 * Device details, the cash sales still to send and those the server refused, and "Sign out
 * device", behind a small button a customer is unlikely to need.
 */
export function TechnicianMenu({ device, verified, connection, sales, timeZone, signOut }: Props) {
  const { t, f } = useI18n()
  const dialog = useRef<HTMLDialogElement>(null)
  const [confirming, setConfirming] = useState(false)

  const open = () => {
    setConfirming(false)
    dialog.current?.showModal()
  }
  const close = () => dialog.current?.close()
  const saleLine = (s: Sale) =>
    `${s.plate} (${s.state}) · ${t.zoneLabel(s.facility)} · ${f.duration(s.minutes)} · ${f.money(s.amountCents)}`

  return (
    <>
      <button type="button" class={styles.open} onClick={open}>
        {t.techOpen}
      </button>
      <dialog ref={dialog} class={styles.dialog} aria-labelledby="tech-title">
        <h2 id="tech-title">{t.techTitle}</h2>
        <dl class={styles.facts}>
          <div>
            <dt>{t.techKiosk}</dt>
            <dd>{device.name}</dd>
          </div>
          <div>
            <dt>{t.techDevice}</dt>
            <dd>{device.id}</dd>
          </div>
          <div>
            <dt>{t.techZone}</dt>
            <dd>{device.facility ?? '—'}</dd>
          </div>
          <div>
            <dt>{t.techToken}</dt>
            <dd>{verified ? t.techTokenAccepted : t.techTokenUnchecked}</dd>
          </div>
          <div>
            <dt>{t.techConnection}</dt>
            <dd>
              {t.connection[connection.status]}
              {connection.checkedAt &&
                `, ${t.techCheckedAt(f.clockTime(connection.checkedAt, timeZone))}`}
            </dd>
          </div>
        </dl>

        <section class={styles.section} aria-labelledby="tech-queue">
          <h3 id="tech-queue">
            {t.techQueueTitle} ({sales.waiting.length})
          </h3>
          {sales.waiting.length === 0 ? (
            <p>{t.techQueueEmpty}</p>
          ) : (
            <>
              <ul class={styles.sales}>
                {sales.waiting.map((s) => (
                  <li key={s.saleId}>
                    <span>{saleLine(s)}</span>
                    <span class={styles.meta}>
                      {t.techSoldAt}: {f.dateTime(new Date(s.soldAt), s.timeZone)} · {t.techSaleId}:{' '}
                      {s.saleId}
                    </span>
                  </li>
                ))}
              </ul>
              <button
                type="button"
                class={styles.secondary}
                onClick={sales.syncNow}
                disabled={sales.syncing}
              >
                {sales.syncing ? t.techSending : t.techSendNow}
              </button>
            </>
          )}
        </section>

        <section class={styles.section} aria-labelledby="tech-failed">
          <h3 id="tech-failed">
            {t.techFailedTitle} ({sales.failed.length})
          </h3>
          {sales.failed.length === 0 ? (
            <p>{t.techFailedEmpty}</p>
          ) : (
            <>
              <p class={styles.meta}>{t.techFailedNote}</p>
              <ul class={styles.sales}>
                {sales.failed.map((s) => (
                  <li key={s.saleId}>
                    <span>{saleLine(s)}</span>
                    <span class={styles.meta}>
                      {t.techSoldAt}: {f.dateTime(new Date(s.soldAt), s.timeZone)} · {t.techSaleId}:{' '}
                      {s.saleId}
                    </span>
                    <span class={styles.reason}>
                      {t.techReason}:{' '}
                      {s.deviceId !== device.id
                        ? t.techOtherDevice(s.deviceId)
                        : `${s.failure?.status ?? ''} ${s.failure?.message ?? ''}`}
                    </span>
                    {s.deviceId === device.id && (
                      <button
                        type="button"
                        class={styles.secondary}
                        onClick={() => sales.retry(s.saleId)}
                      >
                        {t.techRetry}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        {confirming ? (
          <div class={styles.confirm} role="group" aria-label={t.techConfirmGroup}>
            <p>{t.techSignOutConfirm}</p>
            {sales.waiting.length > 0 && (
              <p class={styles.reason}>{t.techSignOutUnsent(sales.waiting.length)}</p>
            )}
            <div class={styles.actions}>
              <button type="button" class={styles.danger} onClick={signOut}>
                {t.techSignOutYes}
              </button>
              <button type="button" class={styles.secondary} onClick={() => setConfirming(false)}>
                {t.techKeep}
              </button>
            </div>
          </div>
        ) : (
          <div class={styles.actions}>
            <button type="button" class={styles.danger} onClick={() => setConfirming(true)}>
              {t.techSignOut}
            </button>
            <button type="button" class={styles.secondary} onClick={close}>
              {t.techClose}
            </button>
          </div>
        )}
      </dialog>
    </>
  )
}
