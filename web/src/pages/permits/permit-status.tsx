import type { ComponentChildren } from 'preact'
import type { Permit, PermitType, UtilityAccount } from '../../lib/types.ts'
import { formatCents, formatDate } from '../../lib/format.ts'
import { ButtonLink } from '../../components/button/button.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { StatusBadge } from './status-badge.tsx'
import { PayPermit } from './pay-permit.tsx'
import { Offer } from './offer.tsx'
import { ProofUpload } from './proof-upload.tsx'
import { placeName, termText, whereText } from './permits.ts'
import styles from './permits.module.css'

/** Applications not yet in force: their plates are the ones asked for. */
const WAITING = ['pending_review', 'waitlisted', 'awaiting_payment']

interface Props {
  permit: Permit
  type: PermitType | null
  accounts: UtilityAccount[]
  onChanged: (permit: Permit | null, message: string) => void
}

/** Where the permit stands, its facts, and the next thing to do: wait, send a proof, accept, pay. */
export function PermitStatus({ permit, type, accounts, onChanged }: Props) {
  const plates = permit.vehicles.filter((v) => v.current)
  return (
    <section class={styles.statusCard} aria-labelledby="permit-status">
      <div class={styles.statusHead}>
        <h2 id="permit-status" class={styles.statusTitle}>
          Status
        </h2>
        <StatusBadge status={permit.status} />
      </div>
      <div class={styles.statusLayout}>
        <dl class={styles.summary}>
          <div>
            <dt>Permit</dt>
            <dd>
              <strong>{permit.number}</strong>
              <span class={styles.sub}>{permit.type.name}</span>
            </dd>
          </div>
          <div>
            <dt>Valid</dt>
            <dd>
              {permit.startsOn && permit.endsOn
                ? termText(permit.startsOn, permit.endsOn)
                : 'From the day it is paid'}
            </dd>
          </div>
          {type && (
            <div>
              <dt>Where</dt>
              <dd>{whereText(type)}</dd>
            </div>
          )}
          {permit.address && (
            <div>
              <dt>Household</dt>
              <dd>{permit.address}</dd>
            </div>
          )}
          {permit.facility && (
            <div>
              <dt>Space at</dt>
              <dd>{placeName(permit.facility, type)}</dd>
            </div>
          )}
          {permit.utilityAccount && (
            <div>
              <dt>Utility account</dt>
              <dd>{permit.utilityAccount.number}</dd>
            </div>
          )}
          <div>
            <dt>Plates</dt>
            <dd class={styles.chips}>
              {plates.length > 0
                ? plates.map((v) => <PlateChip key={v.id} printed={v.printed} state={v.state} />)
                : permit.requestedVehicles.length > 0 && WAITING.includes(permit.status)
                  ? permit.requestedVehicles.map((v) => (
                      <PlateChip
                        key={`${v.plate}/${v.state}`}
                        printed={v.printed}
                        state={v.state}
                      />
                    ))
                  : 'None on it now'}
            </dd>
          </div>
        </dl>
        <div class={styles.next}>
          <h3 id="permit-next" class={styles.nextTitle}>
            {!WAITING.includes(permit.status) ? 'Where it stands' : 'What happens next'}
          </h3>
          <Next permit={permit} type={type} accounts={accounts} onChanged={onChanged} />
        </div>
      </div>
    </section>
  )
}

function Next({ permit, type, accounts, onChanged }: Props): ComponentChildren {
  switch (permit.status) {
    case 'pending_review':
      return (
        <>
          <p>
            City staff review your application and decide within 3 business days; the answer shows
            here.
            {permit.eligibility.needsProof
              ? ' The city’s record could not show that you live in the zone, so send a proof of residence.'
              : ''}
          </p>
          <ProofUpload permit={permit} onChanged={onChanged} />
        </>
      )
    case 'waitlisted':
      if (permit.waitlist?.status === 'offered') {
        return (
          <Offer permit={permit} place={placeName(permit.facility, type)} onChanged={onChanged} />
        )
      }
      return (
        <p>
          No space is free{permit.facility ? ` at ${placeName(permit.facility, type)}` : ''} now.{' '}
          {permit.waitlist?.position
            ? `You are number ${permit.waitlist.position} in line.`
            : 'You are in line.'}{' '}
          When a space comes free it is offered to you, and you have a few business days to accept
          it; you pay then.
        </p>
      )
    case 'awaiting_payment':
      return permit.firstTerm ? (
        <>
          <p>
            Pay for the first term, {termText(permit.firstTerm.startsOn, permit.firstTerm.endsOn)}:{' '}
            <strong>{formatCents(permit.firstTerm.priceCents)}</strong>. The permit starts as soon
            as it is paid.
          </p>
          <PayPermit
            permit={permit}
            path={`/permits/${permit.id}/payment`}
            amountCents={permit.firstTerm.priceCents}
            what="the first term"
            accounts={accounts}
            onPaid={onChanged}
          />
        </>
      ) : (
        <p>Waiting for payment.</p>
      )
    case 'active':
      return (
        <p>
          In force through <strong>{permit.endsOn ? formatDate(permit.endsOn) : '—'}</strong>.
          Ambassadors see the plates on it as permitted
          {type?.zone ? ` on the blocks of ${type.zone.name}` : ' where it is valid'}.
        </p>
      )
    case 'expired':
      return (
        <>
          <p>It ran out{permit.endsOn ? ` after ${formatDate(permit.endsOn)}` : ''}.</p>
          <ButtonLink
            variant="secondary"
            href={`/permits/apply?type=${encodeURIComponent(permit.type.code)}`}
          >
            Apply again
          </ButtonLink>
        </>
      )
    case 'revoked':
      return <p>The city revoked it{permit.revokedReason ? `: ${permit.revokedReason}` : '.'}</p>
    case 'rejected':
      return (
        <p>City staff did not approve it{permit.reviewNote ? `: ${permit.reviewNote}` : '.'}</p>
      )
    case 'cancelled':
      return (
        <p>
          It was cancelled{permit.reviewNote ? `: ${permit.reviewNote}` : '.'} Any refund shows
          under Charges.
        </p>
      )
    default:
      return null
  }
}
