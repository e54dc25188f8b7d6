import { useEffect, useRef, useState } from 'preact/hooks'
import { useSession } from '../../lib/use-session.ts'
import { useApi, useResource } from '../../lib/use-api.ts'
import { ApiError, messageOf } from '../../lib/api.ts'
import type { PlateCheck, Violation } from '../../lib/enforcement.ts'
import { HOME_STATE, newClientId, noticePath } from '../../lib/enforcement.ts'
import { formatCents } from '../../lib/format.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Button } from '../../components/button/button.tsx'
import { PlateFields, TextField } from '../../components/field/field.tsx'
import { Camera } from './camera/camera.tsx'
import { VerdictCard } from './verdict-card/verdict-card.tsx'
import { PlateChoices, type Choice } from './plate-choices/plate-choices.tsx'
import { CiteForm, type CiteInput } from './cite-form/cite-form.tsx'
import { SyncBadge } from './sync-badge/sync-badge.tsx'
import { TodaysRoute } from './todays-route/todays-route.tsx'
import { ThisPhone } from './this-phone/this-phone.tsx'
import { useQueue } from './use-queue.ts'
import { usePosition, type PositionState } from './use-position.ts'
import { nextOfflineNumber, readDevice } from './device.ts'
import { readOnPhone } from './browser-reader.ts'
import { saveJob, type CitationJob, type ReadJob, type WarningJob } from './queue.ts'
import { shotFromFile, type Shot } from './photo.ts'
import { useHandheldShell } from './shell.ts'
import styles from './handheld-page.module.css'

type Current =
  | { kind: 'checked'; check: PlateCheck; photo: string | null }
  /** Saved on the phone: the verdict comes when it is sent. */
  | { kind: 'queued'; job: ReadJob; photo: string | null }

interface Outcome {
  tone: 'success' | 'info'
  title: string
  text?: string
  link?: { href: string; label: string }
}

const VIOLATIONS_KEY = 'curbline.handheld.violations'

/**
 * The ambassador's handheld: photograph a plate (or type it), see the verdict at once, confirm
 * or correct the plate with a tap, then warn or cite with the photo attached. Works offline:
 * what is made without a signal waits on the phone with its own time and GPS and is sent later.
 */
export function HandheldPage() {
  useHandheldShell()
  const { user } = useSession()
  const api = useApi()
  const queue = useQueue()
  const position = usePosition()
  const violations = useViolations()
  const [zone, setZone] = useState('')
  const [plate, setPlate] = useState('')
  const [state, setState] = useState(HOME_STATE)
  const [busy, setBusy] = useState<'photo' | 'typed' | 'choose' | 'warn' | null>(null)
  const [problem, setProblem] = useState<{ text: string; fields: Record<string, string> } | null>(
    null,
  )
  const [current, setCurrent] = useState<Current | null>(null)
  // a photo the server could not read stays, so the typed plate goes with it
  const [unread, setUnread] = useState<Shot | null>(null)
  const [citing, setCiting] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const outcomeRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (outcome) {
      outcomeRef.current?.focus()
    }
  }, [outcome])
  // a check saved offline and sent since: its verdict takes the card's place
  useEffect(() => {
    if (current?.kind !== 'queued') {
      return
    }
    const sent = queue.jobs.find((j) => j.clientId === current.job.clientId)
    if (sent?.kind === 'read' && sent.status === 'sent' && sent.result) {
      setCurrent({ kind: 'checked', check: sent.result, photo: current.photo })
    }
  }, [queue.jobs, current])

  const userId = user?.id ?? 0
  const where = () => ({
    ...(position.fix ? { lat: position.fix.lat, lon: position.fix.lon } : {}),
    ...(zone.trim() ? { facility: zone.trim().toUpperCase() } : {}),
  })
  const base = () => ({
    clientId: newClientId(),
    userId,
    createdAt: new Date().toISOString(),
    status: 'sending' as const,
    attempts: 0,
    failure: null,
    sentAt: null,
  })

  const reset = () => {
    setCurrent(null)
    setUnread(null)
    setCiting(false)
    setProblem(null)
    setOutcome(null)
    setPlate('')
  }

  const check = async (job: ReadJob, photo: Shot | null, how: 'photo' | 'typed') => {
    setBusy(how)
    setProblem(null)
    setOutcome(null)
    setCiting(false)
    try {
      const out = await queue.run(job)
      if (out.kind === 'done' && out.value.kind === 'read' && out.value.result) {
        setCurrent({ kind: 'checked', check: out.value.result, photo: photo?.dataUrl ?? null })
        setUnread(null)
        setPlate('')
        return
      }
      if (out.kind === 'queued') {
        const queued = out.job as ReadJob
        setCurrent({ kind: 'queued', job: queued, photo: photo?.dataUrl ?? null })
        setUnread(null)
        setPlate('')
        if (photo && !job.body.plate) {
          const local = await readOnPhone(photo.dataUrl, photo.region).catch(() => null)
          if (local && local.length > 0) {
            const read: ReadJob = { ...queued, local }
            await saveJob(read)
            setCurrent({ kind: 'queued', job: read, photo: photo.dataUrl })
          }
        }
        return
      }
      if (out.kind === 'refused') {
        setUnread(photo)
        setProblem({
          text:
            photo && !job.body.plate
              ? `The photo could not be read: ${out.message}. Type the plate below.`
              : out.message,
          fields: out.fields,
        })
      }
    } finally {
      setBusy(null)
    }
  }

  const checkPhoto = (shot: Shot) => {
    const at = new Date().toISOString()
    void check(
      {
        ...base(),
        kind: 'read',
        body: {
          image: shot.dataUrl,
          ...(shot.region ? { region: shot.region } : {}),
          at,
          ...where(),
        },
        local: [],
        result: null,
      },
      shot,
      'photo',
    )
  }

  const checkTyped = (typed: string, typedState: string, photo: Shot | null = unread) => {
    const at = new Date().toISOString()
    return check(
      {
        ...base(),
        kind: 'read',
        body: {
          ...(photo ? { image: photo.dataUrl } : {}),
          plate: typed,
          state: typedState,
          at,
          ...where(),
        },
        local: [],
        result: null,
      },
      photo,
      'typed',
    )
  }

  /** One tap on a candidate: confirm it or correct to it; the verdict is judged again. */
  const choose = async (chosen: string, chosenState: string) => {
    if (!current) {
      return
    }
    if (current.kind === 'queued') {
      const kept = queue.jobs.find((j) => j.clientId === current.job.clientId)
      if (kept && kept.status !== 'queued') {
        // it is on its way already: the plate becomes a check of its own
        const photo = current.photo
          ? { dataUrl: current.photo, width: 0, height: 0, region: null }
          : null
        await checkTyped(chosen, chosenState, photo)
        return
      }
      const job: ReadJob = {
        ...current.job,
        body: { ...current.job.body, plate: chosen, state: chosenState },
      }
      await saveJob(job)
      setCurrent({ ...current, job })
      return
    }
    setBusy('choose')
    setProblem(null)
    try {
      const check = await api.post<PlateCheck>(`/enforcement/reads/${current.check.id}/plate`, {
        plate: chosen,
        state: chosenState,
      })
      setCurrent({ ...current, check })
      setOutcome(null)
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) {
        // no signal: the corrected plate becomes a check of its own, sent later with the photo
        const photo = current.photo
          ? { dataUrl: current.photo, width: 0, height: 0, region: null }
          : null
        setBusy(null)
        await checkTyped(chosen, chosenState, photo)
        return
      }
      setProblem({ text: messageOf(err), fields: err instanceof ApiError ? err.fieldErrors() : {} })
    } finally {
      setBusy(null)
    }
  }

  const warn = async () => {
    if (current?.kind !== 'checked' || !current.check.plate || !current.check.verdict.violation) {
      return
    }
    setBusy('warn')
    const c = current.check
    const violation = current.check.verdict.violation
    const job: WarningJob = {
      ...base(),
      kind: 'warning',
      readClientId: null,
      body: {
        read: c.id,
        plate: c.plate ?? '',
        state: c.state ?? HOME_STATE,
        violation: violation.code,
        at: new Date().toISOString(),
        ...(position.fix ? { lat: position.fix.lat, lon: position.fix.lon } : {}),
      },
      result: null,
    }
    try {
      const out = await queue.run(job)
      if (out.kind === 'done') {
        setOutcome({
          tone: 'success',
          title: `Warning recorded for ${job.body.plate}`,
          text: `${violation.code}: ${violation.description}. It shows on later checks of this plate.`,
        })
      } else if (out.kind === 'queued') {
        setOutcome({
          tone: 'info',
          title: `Warning saved on this phone for ${job.body.plate}`,
          text: 'It is sent when the network is back.',
        })
      } else if (out.kind === 'refused') {
        setProblem({ text: out.message, fields: out.fields })
      }
    } finally {
      setBusy(null)
    }
  }

  const cite = async (input: CiteInput) => {
    if (!current) {
      return
    }
    const device = readDevice()
    const job: CitationJob = {
      ...base(),
      kind: 'citation',
      readClientId: current.kind === 'queued' ? current.job.clientId : null,
      number: !queue.online && device ? nextOfflineNumber(device) : null,
      body: {
        ...(current.kind === 'checked' ? { read: current.check.id } : {}),
        ...input,
        at: new Date().toISOString(),
        ...where(),
      },
      result: null,
    }
    const out = await queue.run(job)
    if (out.kind === 'done' && out.value.kind === 'citation' && out.value.result) {
      const r = out.value.result
      setCiting(false)
      setOutcome({
        tone: 'success',
        title: `Citation ${r.number} issued`,
        text: `${input.violation} · ${formatCents(r.fineCents)} · ${r.plate}. The owner can pay or appeal with the number and plate.`,
        link: { href: noticePath(r.number, input.plate), label: `Open notice ${r.number}` },
      })
      return
    }
    if (out.kind === 'queued') {
      let queued = out.job as CitationJob
      if (!queued.number && device) {
        queued = { ...queued, number: nextOfflineNumber(device) }
        await saveJob(queued)
      }
      setCiting(false)
      setOutcome({
        tone: 'info',
        title: queued.number
          ? `Citation ${queued.number} saved on this phone`
          : 'Citation saved on this phone',
        text: queued.number
          ? `Write ${queued.number} on the notice. It is sent when the network is back.`
          : 'It gets its number when it is sent, when the network is back; the owner is sent the notice.',
      })
      return
    }
    if (out.kind === 'refused') {
      throw new ApiError(
        out.status,
        'refused',
        out.message,
        Object.entries(out.fields).map(([field, message]) => ({ field, message })),
      )
    }
  }

  const onFile = async (file: File | null) => {
    if (!file) {
      return
    }
    try {
      checkPhoto(await shotFromFile(file))
    } catch {
      setProblem({ text: 'That file is not a photo this phone can read', fields: {} })
    }
  }

  const checked = current?.kind === 'checked' ? current.check : null
  const violation = checked?.verdict.violation ?? null
  const choices: Choice[] =
    current?.kind === 'checked'
      ? current.check.candidates.map((c) => ({
          plate: c.plate,
          state: c.state ?? null,
          reasons: c.reasons,
        }))
      : current?.kind === 'queued'
        ? current.job.local.map((c) => ({
            plate: c.plate,
            state: c.state,
            reasons: c.reasons ?? [],
          }))
        : []
  const currentPlate =
    current?.kind === 'checked'
      ? current.check.plate
        ? { plate: current.check.plate, state: current.check.state }
        : null
      : current?.kind === 'queued' && current.job.body.plate
        ? { plate: current.job.body.plate, state: current.job.body.state ?? null }
        : null

  return (
    <Page title="Check a plate" eyebrow="Handheld">
      <div class={styles.layout}>
        <div class={styles.top}>
          <SyncBadge queue={queue} />
          <GpsLine position={position} />
        </div>

        {!current && (
          <Panel title="Photograph the plate" description="Or choose a photo, or type the plate.">
            <Camera onShot={checkPhoto} busy={busy === 'photo'} />
            <label class={styles.file}>
              <span class={styles.fileLabel}>Photo of the plate</span>
              <span class={styles.fileHint}>
                Takes a photo with the phone’s camera app, or picks one.
              </span>
              <input
                type="file"
                accept="image/*"
                capture="environment"
                disabled={busy !== null}
                onChange={(e) => {
                  void onFile(e.currentTarget.files?.[0] ?? null)
                  e.currentTarget.value = ''
                }}
              />
            </label>
            {busy === 'photo' && (
              <p role="status" class={styles.reading}>
                Reading the plate…
              </p>
            )}
            {problem && <Alert tone="error" title={problem.text} />}
            {unread && (
              <img
                src={unread.dataUrl}
                alt="The photo that could not be read"
                class={styles.unread}
              />
            )}
            <form
              class={styles.type}
              aria-label="Type the plate"
              noValidate
              onSubmit={(e) => {
                e.preventDefault()
                if (!plate.trim()) {
                  setProblem({
                    text: 'Type the plate, or take a photo of it',
                    fields: { plate: 'Required' },
                  })
                  return
                }
                void checkTyped(plate.trim().toUpperCase(), state)
              }}
            >
              <PlateFields
                labels={{ plate: 'Plate', state: 'State' }}
                plateChars={9}
                required={false}
                plate={plate}
                state={state}
                onPlate={setPlate}
                onState={setState}
                plateError={problem?.fields.plate}
                stateError={problem?.fields.state}
              />
              <Button type="submit" variant="secondary" busy={busy === 'typed'}>
                Check typed plate
              </Button>
            </form>
            <TextField
              label="Zone or facility"
              name="zone"
              autoCapitalize="characters"
              autoComplete="off"
              maxLength={12}
              chars={8}
              hint="Only when GPS cannot tell where you are: the zone number on the signs, or the lot’s code."
              value={zone}
              onValue={setZone}
              error={problem?.fields.facility}
            />
          </Panel>
        )}

        {current && (
          <div class={styles.result}>
            {current.kind === 'checked' ? (
              <VerdictCard check={current.check} />
            ) : (
              <Queued job={current.job} />
            )}
            {problem && <Alert tone="error" title={problem.text} />}
            {outcome && (
              <div ref={outcomeRef} tabIndex={-1} class={styles.outcome}>
                <Alert tone={outcome.tone} title={outcome.title}>
                  {outcome.text && <p>{outcome.text}</p>}
                  {outcome.link && <a href={outcome.link.href}>{outcome.link.label}</a>}
                </Alert>
              </div>
            )}
            {!outcome && !citing && (
              <PlateChoices
                key={current.kind === 'checked' ? current.check.id : current.job.clientId}
                current={currentPlate}
                choices={choices}
                onChoose={choose}
                busy={busy !== null}
                error={problem?.fields.plate}
              />
            )}
            {!outcome && !citing && (
              <Actions
                current={current}
                online={queue.online}
                busy={busy}
                onWarn={() => void warn()}
                onCite={() => setCiting(true)}
              />
            )}
            {citing && !outcome && (
              <Panel title="Issue a citation">
                <CiteForm
                  plate={currentPlate?.plate ?? ''}
                  state={currentPlate?.state ?? HOME_STATE}
                  plateEditable={current.kind === 'queued' || !currentPlate}
                  suggested={violation?.code ?? null}
                  violations={violations}
                  photo={current.photo}
                  onCite={cite}
                  onCancel={() => setCiting(false)}
                />
              </Panel>
            )}
            <Button variant={outcome ? 'primary' : 'secondary'} onClick={reset}>
              Check the next plate
            </Button>
          </div>
        )}

        <TodaysRoute
          sent={queue.counts.sent}
          waiting={queue.jobs.filter((j) => j.status !== 'sent')}
        />
        <ThisPhone />
      </div>
    </Page>
  )
}

function Actions({
  current,
  online,
  busy,
  onWarn,
  onCite,
}: {
  current: Current
  online: boolean
  busy: string | null
  onWarn: () => void
  onCite: () => void
}) {
  const v = current.kind === 'checked' ? current.check.verdict : null
  const violation = v?.violation ?? null
  const plateKnown = current.kind === 'checked' ? current.check.plate !== null : true
  if (!plateKnown) {
    return null
  }
  const act = v?.verdict === 'violation' || v?.verdict === 'over_limit'
  return (
    <div class={styles.actions}>
      {violation?.warningEligible && online && (
        <Button
          variant="secondary"
          busy={busy === 'warn'}
          disabled={busy !== null}
          onClick={onWarn}
        >
          Warn ({violation.code})
        </Button>
      )}
      <Button variant={act ? 'primary' : 'quiet'} disabled={busy !== null} onClick={onCite}>
        {act && violation ? `Cite ${violation.code}` : 'Cite anyway'}
      </Button>
    </div>
  )
}

function Queued({ job }: { job: ReadJob }) {
  return (
    <section class={styles.queued} aria-labelledby="queued-title">
      <h2 id="queued-title" class={styles.queuedTitle}>
        Saved on this phone
      </h2>
      <p>
        No signal: the check is kept with its time{job.body.lat !== undefined ? ' and GPS' : ''},
        and the verdict comes when it is sent.
        {job.body.plate
          ? ` Plate ${job.body.plate}${job.body.state ? ` (${job.body.state})` : ''}.`
          : job.local.length > 0
            ? ' The phone read the plate below: tap the right one.'
            : ' Type the plate below so it can be cited now if it must be.'}
      </p>
    </section>
  )
}

function GpsLine({ position }: { position: PositionState }) {
  const text =
    position.status === 'on'
      ? `GPS on, within ${Math.round(position.fix.accuracy)} m`
      : position.status === 'waiting'
        ? 'Finding your position…'
        : position.status === 'denied'
          ? 'Location is off for Curbline: name the zone when you check'
          : 'No GPS fix: name the zone when you check'
  return <p class={styles.gps}>{text}</p>
}

/** Violation codes, kept on the phone for offline citations. */
function useViolations(): Violation[] {
  const list = useResource<{ violations: Violation[] }>('/enforcement/violations')
  useEffect(() => {
    if (list.data) {
      localStorage.setItem(VIOLATIONS_KEY, JSON.stringify(list.data.violations))
    }
  }, [list.data])
  if (list.data) {
    return list.data.violations
  }
  try {
    return JSON.parse(localStorage.getItem(VIOLATIONS_KEY) ?? '[]') as Violation[]
  } catch {
    return []
  }
}
