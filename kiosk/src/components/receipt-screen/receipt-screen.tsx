import { useEffect, useState } from 'preact/hooks'
import { toString as qrSvg } from 'qrcode'
import { useI18n } from '../../lib/i18n.ts'
import type { Receipt } from '../../lib/receipt.ts'
import { Step } from '../step/step.tsx'
import styles from './receipt-screen.module.css'

interface Props {
  receipt: Receipt
  onDone: () => void
}

/**
 * The receipt: paid until when, for which plate and zone, what was paid and given back, and a QR
 * code (drawn here, nothing fetched) to the web receipt. A sale saved offline has no receipt id
 * yet: its code names the kiosk and the sale, which the web receipt finds once the sale is sent.
 */
export function ReceiptScreen({ receipt, onDone }: Props) {
  const { t, f } = useI18n()
  const view =
    receipt.kind === 'paid'
      ? {
          endsAt: new Date(receipt.session.endsAt ?? receipt.session.startsAt),
          timeZone: receipt.session.facility.timeZone,
          zone: `${t.zoneLabel(receipt.session.facility.code)} · ${receipt.session.facility.name}`,
          plate: receipt.session.platePrinted || receipt.session.plate,
          state: receipt.session.state,
          amountCents: receipt.amountCents,
          reference: receipt.session.id.slice(0, 8).toUpperCase(),
          url: `${location.origin}/receipt/${receipt.session.id}`,
        }
      : {
          endsAt: new Date(receipt.sale.endsAt),
          timeZone: receipt.sale.timeZone,
          zone: `${t.zoneLabel(receipt.sale.facility)} · ${receipt.sale.facilityName}`,
          plate: receipt.sale.plate,
          state: receipt.sale.state,
          amountCents: receipt.sale.amountCents,
          reference: receipt.sale.saleId.slice(0, 8).toUpperCase(),
          // the web finds the session by the kiosk and the sale's own id once the sale is sent
          url: `${location.origin}/receipt/sale/${receipt.sale.deviceId}/${receipt.sale.saleId}`,
        }
  const [qr, setQr] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    qrSvg(view.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      .then((svg) => {
        if (live) {
          setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`)
        }
      })
      .catch(() => setQr(null))
    return () => {
      live = false
    }
  }, [view.url])

  return (
    <Step
      step={4}
      title={receipt.kind === 'paid' ? t.receiptTitle : t.receiptTitleOffline}
      action={
        <button type="button" class="btn btn-primary" onClick={onDone}>
          {t.done}
        </button>
      }
    >
      <div class={styles.layout}>
        <div class={styles.details}>
          <p class={styles.untilLabel}>{t.receiptUntil}</p>
          <p class={styles.until} data-testid="receipt-until">
            {f.time(view.endsAt, view.timeZone)}
            <span class={styles.day}>{f.day(view.endsAt, view.timeZone)}</span>
          </p>
          {receipt.kind === 'paid' && receipt.extended && (
            <p class={styles.note}>{t.receiptExtended}</p>
          )}
          <dl class={styles.facts}>
            <div>
              <dt>{t.receiptZone}</dt>
              <dd>{view.zone}</dd>
            </div>
            <div>
              <dt>{t.receiptPlate}</dt>
              <dd>
                <span class={styles.plate}>{view.plate}</span> ({view.state})
              </dd>
            </div>
            <div>
              <dt>{t.receiptPaid}</dt>
              <dd data-testid="receipt-paid">{f.money(view.amountCents)}</dd>
            </div>
            <div>
              <dt>{t.receiptChange}</dt>
              <dd>{f.money(receipt.changeCents)}</dd>
            </div>
            <div>
              <dt>{receipt.kind === 'paid' ? t.receiptNumber : t.receiptRef}</dt>
              <dd class={styles.plate}>{view.reference}</dd>
            </div>
          </dl>
        </div>
        <div class={styles.side}>
          <figure class={styles.qr}>
            {qr && <img src={qr} alt={t.receiptQr} width={240} height={240} data-url={view.url} />}
            <figcaption>{receipt.kind === 'paid' ? t.receiptScan : t.receiptScanLater}</figcaption>
          </figure>
          {receipt.kind === 'saved' && (
            <p class={styles.offline} role="status">
              {t.receiptOffline}
            </p>
          )}
        </div>
      </div>
    </Step>
  )
}
