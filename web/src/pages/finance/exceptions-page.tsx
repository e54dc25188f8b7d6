import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import { formatCents, formatDateTime, parseDollars } from '../../lib/format.ts'
import { cityTimeZone } from '../../lib/enforcement.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Fact, Facts } from '../../components/facts/facts.tsx'
import { StatusBadge } from '../../components/status-badge/status-badge.tsx'
import { CheckField, SelectField, TextAreaField, TextField } from '../../components/field/field.tsx'
import { FinanceNav } from './finance-nav/finance-nav.tsx'
import { CsvButton } from './csv-button/csv-button.tsx'
import { query } from './finance.ts'
import {
  EXCEPTION_KINDS,
  type ExceptionKind,
  type FinanceException,
  type FinanceUser,
} from './types.ts'
import styles from './finance.module.css'
import x from './exceptions-page.module.css'

const STATUSES = { open: 'Open', resolved: 'Resolved', all: 'All' } as const
type StatusFilter = keyof typeof STATUSES

/** The exceptions queue: what did not reconcile, each with its evidence, owner and resolution. */
export function ExceptionsPage() {
  const { query: q, route } = useLocation()
  const status: StatusFilter = q.status === 'resolved' || q.status === 'all' ? q.status : 'open'
  const kind = q.kind && q.kind in EXCEPTION_KINDS ? (q.kind as ExceptionKind) : ''
  const filter = query({ status: status === 'all' ? undefined : status, kind: kind || undefined })
  const list = useResource<{ exceptions: FinanceException[] }>(
    `/finance/exceptions${query({ status: status === 'all' ? undefined : status, kind: kind || undefined, limit: 500 })}`,
  )
  const users = useResource<{ users: FinanceUser[] }>('/finance/users')
  const setFilter = (next: { status?: StatusFilter; kind?: string }) =>
    route(
      `/finance/exceptions${query({ status: next.status ?? status, kind: (next.kind ?? kind) || undefined })}`,
      true,
    )
  const count = list.data?.exceptions.length ?? 0

  return (
    <Page
      title="Exceptions"
      eyebrow="Finance"
      lede="Everything that did not reconcile: payouts, cash counts, deposits, rejected bill-cycle lines and closes. Give each an owner, and resolve it with a note and, when money moves, the adjusting entry."
    >
      <FinanceNav />
      <Panel
        title={
          list.data
            ? `${count} ${STATUSES[status].toLowerCase()} ${count === 1 ? 'exception' : 'exceptions'}`
            : 'The queue'
        }
        description="Open first, newest first."
        actions={<CsvButton path={`/finance/exceptions${filter}`} filename="exceptions.csv" />}
      >
        <div class={styles.filters} role="group" aria-label="Filter the exceptions">
          <SelectField
            label="Status"
            name="status"
            value={status}
            onValue={(v) => setFilter({ status: v as StatusFilter })}
          >
            {Object.entries(STATUSES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Kind"
            name="kind"
            value={kind}
            onValue={(v) => setFilter({ kind: v })}
          >
            <option value="">Every kind</option>
            {Object.entries(EXCEPTION_KINDS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
        </div>
        {list.error && (
          <Alert tone="error" title={`The exceptions could not be loaded: ${list.error.message}`} />
        )}
        {!list.data && list.loading && <Loading label="Loading exceptions…" />}
        {list.data && count === 0 && <p class={styles.muted}>No exceptions match.</p>}
        {list.data && count > 0 && (
          <ol class={x.list}>
            {list.data.exceptions.map((e) => (
              <li key={e.id}>
                <ExceptionCard
                  exception={e}
                  users={users.data?.users ?? []}
                  onChange={list.reload}
                />
              </li>
            ))}
          </ol>
        )}
      </Panel>
    </Page>
  )
}

function ExceptionCard({
  exception: e,
  users,
  onChange,
}: {
  exception: FinanceException
  users: FinanceUser[]
  onChange: () => void
}) {
  const [resolving, setResolving] = useState(false)
  const headingId = `exception-${e.id}`
  return (
    <article
      class={e.status === 'open' ? x.card : `${x.card} ${x.resolved}`}
      aria-labelledby={headingId}
    >
      <div class={x.head}>
        <h2 id={headingId} class={x.title}>
          <span class={x.number}>#{e.id}</span> {EXCEPTION_KINDS[e.kind] ?? e.kind}
        </h2>
        <StatusBadge tone={e.status === 'open' ? 'late' : 'ended'}>
          {e.status === 'open' ? 'Open' : 'Resolved'}
        </StatusBadge>
      </div>
      <p class={x.summary}>{e.summary}</p>
      <Facts>
        {e.amountCents !== null && <Fact term="Amount">{formatCents(e.amountCents)}</Fact>}
        <Fact term="Raised">{formatDateTime(e.createdAt, cityTimeZone())}</Fact>
        <Fact term="Owner">{e.ownerName ?? 'Nobody yet'}</Fact>
        {e.resolvedAt && (
          <Fact term="Resolved">{formatDateTime(e.resolvedAt, cityTimeZone())}</Fact>
        )}
        {e.resolvedEntryId !== null && <Fact term="Adjusting entry">#{e.resolvedEntryId}</Fact>}
      </Facts>
      {e.resolutionNote && (
        <p class={x.note}>
          <strong>Resolution: </strong>
          {e.resolutionNote}
        </p>
      )}
      <details class={x.evidence} open={e.status === 'open'}>
        <summary>Evidence</summary>
        <Evidence value={e.evidence} />
      </details>
      {e.status === 'open' && (
        <div class={x.actions}>
          <AssignForm exception={e} users={users} onDone={onChange} />
          <div class={styles.buttons}>
            {e.kind === 'cycle_line_rejected' && typeof e.evidence.lineId === 'number' && (
              <RequeueLine exception={e} lineId={e.evidence.lineId} onDone={onChange} />
            )}
            {!resolving && (
              <Button variant="secondary" onClick={() => setResolving(true)}>
                Resolve<span class="visually-hidden"> exception {e.id}</span>
              </Button>
            )}
          </div>
        </div>
      )}
      {e.status === 'open' && resolving && (
        <ResolveForm exception={e} onCancel={() => setResolving(false)} onDone={onChange} />
      )}
    </article>
  )
}

/** A rejected bill-cycle line goes out again with its cycle's next export; that resolves it. */
function RequeueLine({
  exception: e,
  lineId,
  onDone,
}: {
  exception: FinanceException
  lineId: number
  onDone: () => void
}) {
  const api = useApi()
  const form = useForm()
  const requeue = () =>
    void form.submit(async () => {
      await api.post(`/finance/cycle-lines/${lineId}/requeue`, {
        note: `Put back for the next export from exception ${e.id}`,
      })
      onDone()
    })
  return (
    <>
      <FormAlert error={form.error} />
      <Button busy={form.busy} onClick={requeue}>
        Requeue for the next export<span class="visually-hidden"> (exception {e.id})</span>
      </Button>
    </>
  )
}

function AssignForm({
  exception: e,
  users,
  onDone,
}: {
  exception: FinanceException
  users: FinanceUser[]
  onDone: () => void
}) {
  const api = useApi()
  const form = useForm()
  const [owner, setOwner] = useState(e.ownerId === null ? '' : String(e.ownerId))
  const submit = (ev: Event) => {
    ev.preventDefault()
    void form.submit(async () => {
      await api.post(`/finance/exceptions/${e.id}/assign`, {
        ownerId: owner === '' ? null : Number(owner),
      })
      onDone()
    })
  }
  return (
    <form class={x.assign} onSubmit={submit} aria-label={`Owner of exception ${e.id}`}>
      <SelectField label="Owner" name="owner" value={owner} onValue={setOwner}>
        <option value="">Nobody</option>
        {users.map((u) => (
          <option key={u.id} value={String(u.id)}>
            {u.name}
          </option>
        ))}
      </SelectField>
      <Button
        type="submit"
        variant="secondary"
        busy={form.busy}
        disabled={owner === (e.ownerId === null ? '' : String(e.ownerId))}
      >
        Assign
      </Button>
      <FormAlert error={form.error} />
    </form>
  )
}

interface Line {
  account: string
  debit: string
  credit: string
}

const EMPTY_LINE: Line = { account: '', debit: '', credit: '' }

/** A line's amount in cents (debits positive), null when what is typed is not an amount. */
function lineCents(l: Line): number | null {
  const debit = l.debit.trim() === '' ? 0 : parseDollars(l.debit)
  const credit = l.credit.trim() === '' ? 0 : parseDollars(l.credit)
  if (debit === null || credit === null) {
    return null
  }
  return debit - credit
}

function ResolveForm({
  exception: e,
  onCancel,
  onDone,
}: {
  exception: FinanceException
  onCancel: () => void
  onDone: () => void
}) {
  const api = useApi()
  const form = useForm()
  const [note, setNote] = useState('')
  const [withEntry, setWithEntry] = useState(false)
  const [description, setDescription] = useState(`Adjustment for exception ${e.id}`)
  const [lines, setLines] = useState<Line[]>([{ ...EMPTY_LINE }, { ...EMPTY_LINE }])
  const amounts = lines.map(lineCents)
  const debits = amounts.reduce<number>((s, a) => s + (a !== null && a > 0 ? a : 0), 0)
  const credits = amounts.reduce<number>((s, a) => s + (a !== null && a < 0 ? -a : 0), 0)
  const unreadable = amounts.some((a) => a === null)
  const balanced = !unreadable && debits === credits && debits > 0

  const setLine = (i: number, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)))

  const submit = (ev: Event) => {
    ev.preventDefault()
    if (note.trim().length < 3) {
      form.fail('Write what was found and done', { note: 'At least 3 characters' })
      return
    }
    if (withEntry && !balanced) {
      form.fail('The adjusting entry must balance: debits equal credits, and more than zero')
      return
    }
    void form.submit(async () => {
      await api.post(`/finance/exceptions/${e.id}/resolve`, {
        note: note.trim(),
        entry: withEntry
          ? {
              description: description.trim(),
              lines: lines
                .map((l, i) => ({ account: l.account.trim(), amountCents: amounts[i] ?? 0 }))
                .filter((l) => l.amountCents !== 0),
            }
          : undefined,
      })
      onDone()
    })
  }

  return (
    <form class={x.resolve} onSubmit={submit} noValidate aria-label={`Resolve exception ${e.id}`}>
      <h3 class={x.resolveTitle}>Resolve exception {e.id}</h3>
      <FormAlert error={form.error} fieldErrors={form.fieldErrors} />
      <TextAreaField
        label="Resolution note"
        name="note"
        required
        maxLength={2000}
        hint="What you found and what you did; kept with the exception."
        value={note}
        onValue={setNote}
        error={form.fieldErrors.note}
      />
      <CheckField
        name="withEntry"
        label="Post an adjusting entry with it"
        hint="When the fix moves money: one balanced entry, posted with the resolution."
        checked={withEntry}
        onChange={setWithEntry}
      />
      {withEntry && (
        <fieldset class={x.entry}>
          <legend>Adjusting entry</legend>
          <TextField
            label="Description"
            name="description"
            required
            value={description}
            onValue={setDescription}
            maxLength={200}
          />
          <table class={x.lines}>
            <caption class="visually-hidden">Lines of the adjusting entry</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Debit</th>
                <th scope="col">Credit</th>
                <th scope="col">
                  <span class="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={i}>
                  <td>
                    <input
                      class={x.input}
                      aria-label={`Line ${i + 1} account`}
                      placeholder="e.g. expense:reconciliation"
                      value={l.account}
                      spellcheck={false}
                      autoCapitalize="off"
                      onInput={(ev) => setLine(i, { account: ev.currentTarget.value })}
                    />
                  </td>
                  <td>
                    <input
                      class={`${x.input} ${x.money}`}
                      aria-label={`Line ${i + 1} debit`}
                      inputMode="decimal"
                      value={l.debit}
                      aria-invalid={
                        l.debit.trim() !== '' && parseDollars(l.debit) === null ? true : undefined
                      }
                      onInput={(ev) =>
                        setLine(i, {
                          debit: ev.currentTarget.value,
                          credit: ev.currentTarget.value ? '' : l.credit,
                        })
                      }
                    />
                  </td>
                  <td>
                    <input
                      class={`${x.input} ${x.money}`}
                      aria-label={`Line ${i + 1} credit`}
                      inputMode="decimal"
                      value={l.credit}
                      aria-invalid={
                        l.credit.trim() !== '' && parseDollars(l.credit) === null ? true : undefined
                      }
                      onInput={(ev) =>
                        setLine(i, {
                          credit: ev.currentTarget.value,
                          debit: ev.currentTarget.value ? '' : l.debit,
                        })
                      }
                    />
                  </td>
                  <td>
                    <Button
                      variant="quiet"
                      size="small"
                      disabled={lines.length <= 2}
                      onClick={() => setLines((ls) => ls.filter((_, j) => j !== i))}
                    >
                      Remove<span class="visually-hidden"> line {i + 1}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Totals</th>
                <td class={x.money}>{formatCents(debits)}</td>
                <td class={x.money}>{formatCents(credits)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
          <p class={balanced ? styles.good : styles.bad} role="status" aria-live="polite">
            {unreadable
              ? 'An amount is not readable: write dollars and cents, e.g. 12.50.'
              : balanced
                ? `Balanced: ${formatCents(debits)} each side.`
                : debits === 0 && credits === 0
                  ? 'Enter the debits and credits.'
                  : `Out of balance by ${formatCents(Math.abs(debits - credits))} (${debits > credits ? 'more debits' : 'more credits'}).`}
          </p>
          <Button
            variant="secondary"
            size="small"
            disabled={lines.length >= 20}
            onClick={() => setLines((ls) => [...ls, { ...EMPTY_LINE }])}
          >
            Add a line
          </Button>
        </fieldset>
      )}
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          Resolve exception {e.id}
        </Button>
        <Button variant="secondary" onClick={onCancel} disabled={form.busy}>
          Cancel
        </Button>
      </div>
    </form>
  )
}

/** 'expectedCents' -> 'Expected', 'payout_id' -> 'Payout id', 'stripePayoutId' -> 'Stripe payout id'. */
function keyLabel(key: string): string {
  const words = key
    .replace(/_?cents$/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const isCents = (key: string) => /cents$/i.test(key)

/** Evidence as labelled facts: amounts in dollars, nested records indented, lists as lists. */
function Evidence({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value)
  if (entries.length === 0) {
    return <p class={styles.muted}>No evidence recorded.</p>
  }
  return (
    <dl class={x.facts}>
      {entries.map(([k, v]) => (
        <div key={k} class={x.fact}>
          <dt>{keyLabel(k)}</dt>
          <dd>
            <EvidenceValue name={k} value={v} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function EvidenceValue({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined || value === '') {
    return <span class={styles.muted}>none</span>
  }
  if (typeof value === 'number') {
    return <>{isCents(name) ? formatCents(value) : String(value)}</>
  }
  if (typeof value === 'boolean') {
    return <>{value ? 'Yes' : 'No'}</>
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    return <>{formatDateTime(value, cityTimeZone())}</>
  }
  if (typeof value === 'string' && /^po_[A-Za-z0-9]+$/.test(value)) {
    return (
      <a class={x.code} href={`/finance/payouts/${value}`}>
        {value}
      </a>
    )
  }
  if (typeof value === 'string') {
    return (
      <span
        class={/^[a-z]+_[A-Za-z0-9]+$|^[a-z_]+(:[A-Za-z0-9_-]+)+$/.test(value) ? x.code : undefined}
      >
        {value}
      </span>
    )
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return <span class={styles.muted}>none</span>
    }
    return (
      <ul class={x.evidenceList}>
        {value.map((item, i) => (
          <li key={i}>
            {typeof item === 'object' && item !== null ? (
              <Evidence value={item as Record<string, unknown>} />
            ) : (
              <EvidenceValue name={name} value={item} />
            )}
          </li>
        ))}
      </ul>
    )
  }
  return <Evidence value={value as Record<string, unknown>} />
}
