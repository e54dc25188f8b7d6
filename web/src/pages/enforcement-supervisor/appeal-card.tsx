import { useState } from 'preact/hooks'
import { useResource } from '../../lib/use-api.ts'
import { usePurchase } from '../../lib/use-purchase.ts'
import { useForm } from '../../lib/use-form.ts'
import type { Appeal, StaffCitation } from '../../lib/enforcement.ts'
import { cityTimeZone, photoUrl, postingLabel, verdictTitle } from '../../lib/enforcement.ts'
import { formatCents, formatDateTime, parseDollars, titleCase } from '../../lib/format.ts'
import { Button } from '../../components/button/button.tsx'
import { FormAlert } from '../../components/alert/alert.tsx'
import { RadioGroup, TextAreaField, TextField } from '../../components/field/field.tsx'
import { CitationStatus } from '../../components/citation-status/citation-status.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import styles from './enforcement.module.css'

type Decision = 'uphold' | 'reduce' | 'dismiss'

const DECISIONS = [
  { value: 'uphold', label: 'Uphold', hint: 'The citation stands; the driver still owes it.' },
  {
    value: 'reduce',
    label: 'Reduce',
    hint: 'The driver owes less: late fees go first, then the fine.',
  },
  {
    value: 'dismiss',
    label: 'Dismiss',
    hint: 'The driver owes nothing; anything paid is returned.',
  },
] as const

const LABELS = { decision: 'Decision', reducedToCents: 'Reduce to', letter: 'Letter to the driver' }

interface Read {
  id?: string
  at?: string
  verdict?: string
  message?: string | null
  facility?: string | null
  photo?: number | null
}

interface Session {
  id?: string
  facility?: string
  startsAt?: string
  endsAt?: string | null
  channel?: string
}

interface Right {
  kind?: string
  facility?: string
  permit?: string
  pass?: string
  startsAt?: string
  endsAt?: string | null
  channel?: string
}

const list = <T,>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : [])
const when = (iso: string | null | undefined) =>
  iso ? formatDateTime(iso, cityTimeZone()) : 'no end'

/** One appeal: the driver's reason, the records gathered on filing, the photos, the decision. */
export function AppealCard({
  appeal,
  onDecided,
}: {
  appeal: Appeal
  onDecided: (message: string) => void
}) {
  const citation = useResource<StaffCitation>(
    `/enforcement/citations/${encodeURIComponent(appeal.citation)}`,
  )
  const c = citation.data
  const ev = appeal.evidence
  const reads = list<Read>(ev.reads)
  const sessions = list<Session>(ev.sessionsThatDay)
  const rights = list<Right>((ev.rightsAtIssue as { rights?: unknown } | undefined)?.rights)
  const postings = list<{ kind: string; amountCents: number; at: string }>(ev.postings)
  const shown = new Set([...(c?.photos ?? []), ...appeal.photos])
  const titleId = `appeal-${appeal.id}`

  return (
    <article class={styles.card} aria-labelledby={titleId}>
      <h2 id={titleId}>
        Appeal of {appeal.citation}{' '}
        <span class={styles.sub}>
          Plate {appeal.plate}, filed {formatDateTime(appeal.filedAt, cityTimeZone())}
        </span>
      </h2>
      {c && (
        <Facts layout="grid">
          <Fact term="Violation">
            {c.violation.code}: {c.violation.description}
          </Fact>
          <Fact term="Issued">
            {formatDateTime(c.issuedAt, cityTimeZone())} by {c.ambassador ?? 'a handheld'}
          </Fact>
          <Fact term="Where">
            {c.facility
              ? `${c.facility.code} · ${c.facility.name}`
              : (c.location ?? 'Not recorded')}
          </Fact>
          <Fact term="Fine · owed now">
            {formatCents(appeal.fineCents)} · <strong>{formatCents(appeal.balanceCents)}</strong>{' '}
            <CitationStatus status={c.status} />
          </Fact>
        </Facts>
      )}
      <h3>The driver says</h3>
      <p class={styles.reason}>{appeal.reason}</p>
      <div class={styles.evidence}>
        <section aria-label="Plate checks around the time">
          <h4>Plate checks around the time</h4>
          {reads.length === 0 ? (
            <p class={styles.none}>None recorded from four hours before to an hour after.</p>
          ) : (
            <ul>
              {reads.map((r, i) => (
                <li key={r.id ?? i}>
                  {when(r.at)}: <strong>{verdictTitle(r.verdict ?? 'unknown')}</strong>
                  {r.facility ? ` at ${r.facility}` : ''}
                  {r.message ? ` (${r.message})` : ''}
                  {r.photo && !shown.has(r.photo) ? ' · photo kept' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Rights the plate held when cited">
          <h4>Rights the plate held when cited</h4>
          {rights.length === 0 ? (
            <p class={styles.none}>No paid session, permit or visitor pass covered it.</p>
          ) : (
            <ul>
              {rights.map((r, i) => (
                <li key={i}>
                  {titleCase(r.kind ?? 'right')} {r.permit ?? r.pass ?? ''}
                  {r.facility ? ` at ${r.facility}` : ''}: {when(r.startsAt)} to {when(r.endsAt)}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Sessions that day">
          <h4>Parking sessions that day</h4>
          {sessions.length === 0 ? (
            <p class={styles.none}>No parking was paid for this plate that day.</p>
          ) : (
            <ul>
              {sessions.map((s, i) => (
                <li key={s.id ?? i}>
                  {s.facility}: {when(s.startsAt)} to {when(s.endsAt)}
                  {s.channel ? ` (${s.channel})` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Postings">
          <h4>Charges and payments on the citation</h4>
          <ul>
            {postings.map((p, i) => (
              <li key={i}>
                {when(p.at)}: {postingLabel(p.kind)} {formatCents(Number(p.amountCents))}
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Photos">
          <h4>Photos</h4>
          {shown.size === 0 ? (
            <p class={styles.none}>No photos: none with the citation, none with the appeal.</p>
          ) : (
            <ul class={styles.photos}>
              {[...shown].map((id) => (
                <li key={id}>
                  <a href={photoUrl(appeal.citation, appeal.plate, id)}>
                    <img
                      src={photoUrl(appeal.citation, appeal.plate, id)}
                      alt={
                        appeal.photos.includes(id)
                          ? `Photo ${id} sent with the appeal`
                          : `Photo ${id} taken by the ambassador`
                      }
                      loading="lazy"
                    />
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {appeal.status === 'pending' ? (
        <DecisionForm appeal={appeal} onDecided={onDecided} />
      ) : (
        <>
          <h3>Decision: {titleCase(appeal.status)}</h3>
          {appeal.reducedToCents !== null && (
            <p>Reduced to {formatCents(appeal.reducedToCents)}.</p>
          )}
          {appeal.letter && <p class={styles.reason}>{appeal.letter}</p>}
        </>
      )}
    </article>
  )
}

function DecisionForm({
  appeal,
  onDecided,
}: {
  appeal: Appeal
  onDecided: (message: string) => void
}) {
  const send = usePurchase()
  const form = useForm()
  const [decision, setDecision] = useState<Decision>('uphold')
  const [amount, setAmount] = useState('')
  const [letter, setLetter] = useState('')

  const submit = async (e: Event) => {
    e.preventDefault()
    const reducedTo = decision === 'reduce' ? parseDollars(amount) : null
    const errors: Record<string, string> = {}
    if (decision === 'reduce' && reducedTo === null) {
      errors.reducedToCents = 'An amount in dollars, e.g. 20.00'
    }
    if (letter.trim().length < 10) {
      errors.letter = 'The letter tells the driver why, in a sentence or more'
    }
    if (Object.keys(errors).length > 0) {
      form.fail('Check the decision', errors)
      return
    }
    await form.submit(async () => {
      await send.pay<Appeal>(`/enforcement/appeals/${appeal.id}/decision`, {
        decision,
        ...(decision === 'reduce' && reducedTo !== null ? { reducedToCents: reducedTo } : {}),
        letter: letter.trim(),
      })
      send.done()
      onDecided(
        decision === 'uphold'
          ? `Appeal of ${appeal.citation} upheld. The letter goes to the driver.`
          : decision === 'reduce'
            ? `Citation ${appeal.citation} reduced to ${formatCents(reducedTo ?? 0)}. The letter goes to the driver.`
            : `Citation ${appeal.citation} dismissed. Anything paid is returned; the letter goes to the driver.`,
      )
    })
  }

  return (
    <form
      aria-label={`Decide the appeal of ${appeal.citation}`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} labels={LABELS} />
      <RadioGroup
        name={`decision-${appeal.id}`}
        legend="Decision"
        value={decision}
        onValue={setDecision}
        choices={DECISIONS}
        error={form.fieldErrors.decision}
      />
      {decision === 'reduce' && (
        <TextField
          label="Reduce to"
          name="reducedTo"
          inputMode="decimal"
          prefix="$"
          chars={8}
          required
          hint={`What the driver owes in all; now ${formatCents(appeal.balanceCents)}.`}
          value={amount}
          onValue={setAmount}
          error={form.fieldErrors.reducedToCents}
        />
      )}
      <TextAreaField
        label="Letter to the driver"
        name="letter"
        required
        rows={5}
        maxLength={4000}
        hint="Sent to the email given with the appeal, or the owner’s. Say what was decided and why."
        value={letter}
        onValue={setLetter}
        error={form.fieldErrors.letter}
      />
      <Button type="submit" busy={form.busy}>
        Send the decision
      </Button>
    </form>
  )
}
