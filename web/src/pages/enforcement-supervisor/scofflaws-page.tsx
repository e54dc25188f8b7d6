import { useEffect, useRef, useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import { useForm } from '../../lib/use-form.ts'
import type { Immobilisation, Scofflaw } from '../../lib/enforcement.ts'
import { formatDate } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Alert, FormAlert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { Button } from '../../components/button/button.tsx'
import { RadioGroup, TextField } from '../../components/field/field.tsx'
import { PlateChip } from '../../components/plate-chip/plate-chip.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import { EnforcementNav } from './enforcement-nav/enforcement-nav.tsx'
import styles from './enforcement.module.css'

const KINDS = [
  { value: 'boot', label: 'Boot', hint: 'A wheel lock where the vehicle stands.' },
  { value: 'tow', label: 'Tow', hint: 'Taken to the city impound lot.' },
] as const

/**
 * Plates with three or more citations past due (boot-eligible), most first; booting or towing
 * one, and releasing it once the plate owes nothing past due (the API names what still is).
 */
export function ScofflawsPage() {
  const api = useApi()
  const { user } = useSession()
  const list = useResource<{ plates: Scofflaw[] }>('/enforcement/scofflaws')
  const [acting, setActing] = useState<Scofflaw | null>(null)
  const [releasing, setReleasing] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [notice, setNotice] = useState<{ text: string } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (notice) {
      noticeRef.current?.focus()
    }
  }, [notice])
  // the API lets ambassadors and supervisors place boots; supervisors and admins release them
  const canPlace = user?.role === 'supervisor'

  const release = async (s: Scofflaw) => {
    if (!s.immobilisationId) {
      return
    }
    setReleasing(s.plate)
    setProblem(null)
    setNotice(null)
    try {
      const done = await api.post<Immobilisation>(
        `/enforcement/immobilisations/${s.immobilisationId}/release`,
      )
      setNotice({ text: `The ${done.kind} on ${s.plate} is released.` })
      list.reload()
    } catch (err) {
      setProblem(
        `${s.plate} cannot be released: ${err instanceof Error ? err.message : 'the server refused'}`,
      )
    } finally {
      setReleasing(null)
    }
  }

  const plates = list.data?.plates ?? []
  return (
    <Page
      title="Scofflaws"
      eyebrow="Enforcement"
      lede="Plates with three or more citations past due may be booted or towed. A boot is released once nothing is past due."
    >
      <EnforcementNav />
      {notice && (
        <div ref={noticeRef} tabIndex={-1} class={styles.notice}>
          <Alert tone="success" title={notice.text} />
        </div>
      )}
      {problem && <Alert tone="error" title={problem} />}
      {list.error && (
        <Alert tone="error" title="The scofflaw list could not be loaded">
          {list.error.message}
        </Alert>
      )}
      {!list.data && list.loading && <Loading />}
      {list.data && plates.length === 0 && <p>No plate is on the list.</p>}
      {plates.length > 0 && (
        <TableScroller label="Scofflaw plates">
          <table class={t.table}>
            <thead>
              <tr>
                <th scope="col">Plate</th>
                <th scope="col" class={t.num}>
                  Past due
                </th>
                <th scope="col">Listed</th>
                <th scope="col">Now</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {plates.map((s) => (
                <tr key={`${s.plate}-${s.state}`}>
                  <th scope="row">
                    <PlateChip printed={s.plate} state={s.state} />
                  </th>
                  <td class={t.num}>{s.citations}</td>
                  <td class={t.nowrap}>{formatDate(s.listedAt)}</td>
                  <td>
                    {s.immobilised === 'boot'
                      ? 'Booted'
                      : s.immobilised === 'tow'
                        ? 'Towed'
                        : 'Not immobilised'}
                  </td>
                  <td>
                    <span class={styles.buttons}>
                      <a href={`/supervisor/citations?plate=${encodeURIComponent(s.plate)}`}>
                        Citations
                      </a>
                      {s.immobilisationId ? (
                        <Button
                          size="small"
                          variant="secondary"
                          busy={releasing === s.plate}
                          onClick={() => void release(s)}
                        >
                          Release {s.plate}
                        </Button>
                      ) : (
                        canPlace && (
                          <Button size="small" variant="secondary" onClick={() => setActing(s)}>
                            Boot or tow {s.plate}…
                          </Button>
                        )
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      {acting && (
        <ImmobiliseForm
          key={acting.plate}
          plate={acting}
          onCancel={() => setActing(null)}
          onDone={(made) => {
            setActing(null)
            setNotice({
              text: `${made.plate} is ${made.kind === 'boot' ? 'booted' : 'to be towed'}.`,
            })
            list.reload()
          }}
        />
      )}
    </Page>
  )
}

function ImmobiliseForm({
  plate,
  onCancel,
  onDone,
}: {
  plate: Scofflaw
  onCancel: () => void
  onDone: (made: Immobilisation) => void
}) {
  const api = useApi()
  const form = useForm()
  const [kind, setKind] = useState<'boot' | 'tow'>('boot')
  const [location, setLocation] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  const submit = async (e: Event) => {
    e.preventDefault()
    await form.submit(async () => {
      const made = await api.post<Immobilisation>('/enforcement/immobilisations', {
        kind,
        plate: plate.plate,
        state: plate.state,
        ...(location.trim() ? { location: location.trim() } : {}),
      })
      onDone(made)
    })
  }

  return (
    <form
      class={styles.voidForm}
      aria-label={`Boot or tow ${plate.plate}`}
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h3 ref={heading} tabIndex={-1}>
        Boot or tow {plate.plate}
      </h3>
      <FormAlert
        error={form.error}
        fieldErrors={form.fieldErrors}
        labels={{ location: 'Where', kind: 'Boot or tow' }}
      />
      <RadioGroup
        name="kind"
        legend="What is done"
        value={kind}
        onValue={setKind}
        choices={KINDS}
      />
      <TextField
        label="Where"
        name="location"
        maxLength={200}
        hint="The block and side of the street, so the release crew finds it."
        value={location}
        onValue={setLocation}
        error={form.fieldErrors.location}
      />
      <div class={styles.buttons}>
        <Button type="submit" busy={form.busy}>
          {kind === 'boot' ? 'Record the boot' : 'Order the tow'}
        </Button>
        <Button variant="quiet" onClick={onCancel} disabled={form.busy}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
