import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useForm } from '../../lib/use-form.ts'
import type { Violation } from '../../lib/enforcement.ts'
import { formatCents, parseDollars } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'
import { CheckField, FieldRow, TextField } from '../../components/field/field.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import styles from './admin-violations-page.module.css'

/** A late fee after the due date, in words: "$25.00 on the due date", "$50.00 30 days after". */
export function lateFeeText(fee: { daysAfterDue: number; cents: number }): string {
  return fee.daysAfterDue === 0
    ? `${formatCents(fee.cents)} on the due date`
    : `${formatCents(fee.cents)} ${fee.daysAfterDue} day${fee.daysAfterDue === 1 ? '' : 's'} after`
}

/**
 * The violation codes ambassadors cite: each one's fine, late-fee schedule, whether a first
 * offence may be a warning, and whether it is in use. A change applies to new citations only.
 */
export function AdminViolationsPage() {
  const list = useResource<{ violations: Violation[] }>('/enforcement/violations')
  const [editing, setEditing] = useState<Violation | 'new' | null>(null)
  const [notice, setNotice] = useState<{ text: string } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  const codes = list.data?.violations ?? []

  return (
    <Page
      title="Violation codes"
      eyebrow="Administration"
      lede="What ambassadors cite, the fine and the late fees added after the due date. Changes apply to citations issued from now on; those already issued keep their own."
    >
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      {list.error && (
        <Alert tone="error" title="The violation codes could not be loaded">
          {list.error.message}
        </Alert>
      )}
      {!list.data && list.loading && <Loading />}
      {list.data && (
        <Panel
          title="Codes"
          actions={
            <Button variant="secondary" size="small" onClick={() => setEditing('new')}>
              Add a code
            </Button>
          }
        >
          <TableScroller label="Violation codes">
            <table class={t.table}>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Description</th>
                  <th scope="col" class={t.num}>
                    Fine
                  </th>
                  <th scope="col">Late fees</th>
                  <th scope="col">Warning first</th>
                  <th scope="col">In use</th>
                  <th scope="col">
                    <span class="visually-hidden">Edit</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {codes.map((v) => (
                  <tr key={v.code} class={v.active ? undefined : t.muted}>
                    <th scope="row" class={`${t.mono} ${t.nowrap}`}>
                      {v.code}
                    </th>
                    <td>{v.description}</td>
                    <td class={t.num}>{formatCents(v.fineCents)}</td>
                    <td>
                      {v.lateFees.length === 0 ? 'None' : v.lateFees.map(lateFeeText).join('; ')}
                    </td>
                    <td>{v.warningFirst ? 'Yes' : 'No'}</td>
                    <td>{v.active ? 'Yes' : 'Retired'}</td>
                    <td>
                      <Button
                        variant="quiet"
                        size="small"
                        aria-label={`Edit ${v.code}`}
                        onClick={() => setEditing(v)}
                      >
                        Edit
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroller>
        </Panel>
      )}
      {editing && (
        <ViolationForm
          key={editing === 'new' ? 'new' : editing.code}
          violation={editing === 'new' ? null : editing}
          taken={codes.map((v) => v.code)}
          onCancel={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null)
            setNotice({
              text: `${saved.code} ${created ? 'added' : 'saved'}: ${saved.description}, ${formatCents(saved.fineCents)}.`,
            })
            list.reload()
          }}
        />
      )}
    </Page>
  )
}

interface FeeDraft {
  key: number
  days: string
  amount: string
}

const LABELS = {
  code: 'Code',
  description: 'Description',
  fineCents: 'Fine',
  lateFees: 'Late fees',
  warningFirst: 'Warning first',
  active: 'In use',
}

function ViolationForm({
  violation,
  taken,
  onCancel,
  onSaved,
}: {
  violation: Violation | null
  taken: string[]
  onCancel: () => void
  onSaved: (v: Violation, created: boolean) => void
}) {
  const api = useApi()
  const form = useForm()
  const [code, setCode] = useState(violation?.code ?? '')
  const [description, setDescription] = useState(violation?.description ?? '')
  const [fine, setFine] = useState(violation ? (violation.fineCents / 100).toFixed(2) : '')
  const [fees, setFees] = useState<FeeDraft[]>(
    (violation?.lateFees ?? []).map((f, i) => ({
      key: i,
      days: String(f.daysAfterDue),
      amount: (f.cents / 100).toFixed(2),
    })),
  )
  const [warningFirst, setWarningFirst] = useState(violation?.warningFirst ?? false)
  const [active, setActive] = useState(violation?.active ?? true)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  const submit = async (e: Event) => {
    e.preventDefault()
    const errors: Record<string, string> = {}
    const wanted = code.trim().toUpperCase()
    if (!violation) {
      if (!/^[A-Z0-9][A-Z0-9-]{0,11}$/.test(wanted)) {
        errors.code = 'Letters, digits and dashes, up to 12, e.g. NO-PAY'
      } else if (taken.includes(wanted)) {
        errors.code = `${wanted} exists already: edit it in the list`
      }
    }
    if (!description.trim()) {
      errors.description = 'Required: what the driver did, as the notice says it'
    }
    const fineCents = parseDollars(fine)
    if (fineCents === null || fineCents <= 0) {
      errors.fineCents = 'An amount in dollars, e.g. 40.00'
    }
    const lateFees: { daysAfterDue: number; cents: number }[] = []
    for (const f of fees) {
      const days = /^\d{1,4}$/.test(f.days.trim()) ? Number(f.days.trim()) : null
      const cents = parseDollars(f.amount)
      if (days === null || cents === null || cents <= 0) {
        errors[`fee-${f.key}`] = 'Days after the due date (0 or more) and an amount in dollars'
        errors.lateFees = 'Each late fee needs its days and amount'
      } else {
        lateFees.push({ daysAfterDue: days, cents })
      }
    }
    if (Object.keys(errors).length > 0 || fineCents === null) {
      form.fail('Check the code', errors)
      return
    }
    await form.submit(async () => {
      const saved = await api.put<Violation>(
        `/enforcement/violations/${encodeURIComponent(violation?.code ?? wanted)}`,
        {
          description: description.trim(),
          fineCents,
          lateFees,
          warningFirst,
          active,
        },
      )
      onSaved(saved, violation === null)
    })
  }

  return (
    <form
      class={styles.form}
      aria-label={violation ? `Edit ${violation.code}` : 'Add a violation code'}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h2 ref={heading} tabIndex={-1}>
        {violation ? `Edit ${violation.code}` : 'Add a violation code'}
      </h2>
      <FormAlert
        error={form.error}
        fieldErrors={Object.fromEntries(
          Object.entries(form.fieldErrors).filter(([k]) => !k.startsWith('fee-')),
        )}
        labels={LABELS}
      />
      {!violation && (
        <TextField
          label="Code"
          name="code"
          required
          autoCapitalize="characters"
          autoComplete="off"
          maxLength={12}
          chars={12}
          hint="What ambassadors choose and notices print, e.g. NO-PAY"
          value={code}
          onValue={setCode}
          error={form.fieldErrors.code}
        />
      )}
      <TextField
        label="Description"
        name="description"
        required
        maxLength={200}
        value={description}
        onValue={setDescription}
        error={form.fieldErrors.description}
      />
      <TextField
        label="Fine"
        name="fine"
        required
        inputMode="decimal"
        prefix="$"
        chars={8}
        value={fine}
        onValue={setFine}
        error={form.fieldErrors.fineCents}
      />
      <fieldset class={styles.fees}>
        <legend class={styles.legend}>Late fees</legend>
        <p class={styles.hint}>
          Each is added once, when that many days have passed since the due date (0: on the due date
          itself).
        </p>
        {fees.length === 0 && <p class={styles.hint}>No late fees.</p>}
        {fees.map((f, i) => (
          <div key={f.key} class={styles.fee} role="group" aria-label={`Late fee ${i + 1}`}>
            <FieldRow>
              <TextField
                label="Days after the due date"
                name={`fee-days-${f.key}`}
                required
                inputMode="numeric"
                chars={5}
                value={f.days}
                onValue={(v) =>
                  setFees((l) => l.map((x) => (x.key === f.key ? { ...x, days: v } : x)))
                }
                error={form.fieldErrors[`fee-${f.key}`]}
              />
              <TextField
                label="Amount"
                name={`fee-amount-${f.key}`}
                required
                inputMode="decimal"
                prefix="$"
                chars={8}
                value={f.amount}
                onValue={(v) =>
                  setFees((l) => l.map((x) => (x.key === f.key ? { ...x, amount: v } : x)))
                }
              />
            </FieldRow>
            <Button
              variant="quiet"
              size="small"
              onClick={() => setFees((l) => l.filter((x) => x.key !== f.key))}
            >
              Remove late fee {i + 1}
            </Button>
          </div>
        ))}
        {fees.length < 10 && (
          <Button
            variant="secondary"
            size="small"
            onClick={() =>
              setFees((l) => [
                ...l,
                {
                  key: Math.max(-1, ...l.map((x) => x.key)) + 1,
                  days: l.length === 0 ? '0' : '30',
                  amount: '',
                },
              ])
            }
          >
            Add a late fee
          </Button>
        )}
      </fieldset>
      <CheckField
        label="A first offence may be a warning"
        name="warningFirst"
        hint="The first time in 12 months a plate is found doing this, the ambassador may warn instead of citing."
        checked={warningFirst}
        onChange={setWarningFirst}
      />
      <CheckField
        label="In use"
        name="active"
        hint="A retired code cannot be cited; citations already issued keep it."
        checked={active}
        onChange={setActive}
      />
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          {violation ? 'Save changes' : 'Add the code'}
        </Button>
        <Button variant="quiet" onClick={onCancel} disabled={form.busy}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
