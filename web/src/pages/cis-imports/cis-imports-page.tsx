import { Fragment } from 'preact'
import { useState } from 'preact/hooks'
import { useApi, useResource } from '../../lib/use-api.ts'
import { useSession } from '../../lib/use-session.ts'
import { ApiError, messageOf } from '../../lib/api.ts'
import { formatDateTime, titleCase } from '../../lib/format.ts'
import type { CisImport, ImportRowError, RejectedImport } from '../../lib/types.ts'
import { Page } from '../../components/page/page.tsx'
import { Panel } from '../../components/panel/panel.tsx'
import { FileField } from '../../components/field/field.tsx'
import { Button } from '../../components/button/button.tsx'
import { Alert } from '../../components/alert/alert.tsx'
import { Loading } from '../../components/loading/loading.tsx'
import { TableScroller, tableStyles as t } from '../../components/table/table.tsx'
import styles from './cis-imports-page.module.css'

type Outcome =
  | { kind: 'applied'; record: CisImport }
  | { kind: 'rejected'; fileName: string; rejected: RejectedImport }
  | { kind: 'failed'; fileName: string; message: string }

/** Upload the utility's customers and bills files, and see what recent imports did. */
export function CisImportsPage() {
  const imports = useResource<{ imports: CisImport[] }>('/cis/imports?limit=25')
  return (
    <Page
      title="CIS imports"
      eyebrow="Customer Information System"
      lede="Load the utility’s customers and bills files. Each file is checked whole: if any row is wrong, nothing from it is applied."
    >
      <div class={styles.stack}>
        <Panel
          title="Import a file"
          description="A customers file adds and updates customers, premises and utility accounts; a bills file posts each new bill to the ledger. Import customers before the bills that refer to them."
        >
          <UploadForm onImported={imports.reload} />
        </Panel>
        <Panel title="Recent imports" description="Newest first, rejected files included.">
          {imports.error && (
            <Alert tone="error" title="The imports could not be loaded">
              <p>{imports.error.message}</p>
            </Alert>
          )}
          {!imports.data && imports.loading && <Loading label="Loading imports…" />}
          {imports.data && <ImportTable imports={imports.data.imports} />}
        </Panel>
      </div>
    </Page>
  )
}

function UploadForm({ onImported }: { onImported: () => void }) {
  const api = useApi()
  const [file, setFile] = useState<File | null>(null)
  const [fileError, setFileError] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  const onSubmit = async (event: Event) => {
    event.preventDefault()
    if (!file) {
      setFileError('Choose a CSV file to import')
      return
    }
    setFileError(undefined)
    setBusy(true)
    setOutcome(null)
    try {
      const text = await file.text()
      const record = await api.postRaw<CisImport>(
        `/cis/imports?fileName=${encodeURIComponent(file.name)}`,
        text,
        'text/csv',
      )
      setOutcome({ kind: 'applied', record })
    } catch (err) {
      const rejected = rejectedOf(err)
      setOutcome(
        rejected
          ? { kind: 'rejected', fileName: file.name, rejected }
          : { kind: 'failed', fileName: file.name, message: messageOf(err) },
      )
    } finally {
      setBusy(false)
      onImported()
    }
  }

  return (
    <>
      <form class={styles.form} onSubmit={onSubmit} noValidate aria-label="Import a CIS file">
        <FileField
          label="CSV file"
          name="file"
          accept=".csv,text/csv"
          required
          hint="A customers or bills file from the CIS. Its header row tells which it is."
          error={fileError}
          onFile={(f) => {
            setFile(f)
            setFileError(undefined)
          }}
        />
        <div class={styles.submit}>
          <Button type="submit" busy={busy}>
            Import file
          </Button>
        </div>
      </form>
      {outcome && <OutcomeView outcome={outcome} />}
    </>
  )
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'failed') {
    return (
      <Alert tone="error" title={`${outcome.fileName} could not be imported`}>
        <p>{outcome.message}</p>
      </Alert>
    )
  }
  if (outcome.kind === 'rejected') {
    const { rejected } = outcome
    const n = rejected.errorCount
    return (
      <div class={styles.result}>
        <Alert
          tone="error"
          title={`${outcome.fileName} was rejected: ${n} ${n === 1 ? 'error' : 'errors'}`}
        >
          <p>
            Nothing from this file was applied. Correct the lines below and import the whole file
            again.
          </p>
          {rejected.errors.length < n && (
            <p>The first {rejected.errors.length} errors are listed, in line order.</p>
          )}
        </Alert>
        <ErrorTable errors={rejected.errors} label={`Errors in ${outcome.fileName}`} />
      </div>
    )
  }
  const r = outcome.record
  const counts = Object.entries(r.counts)
  const unchanged = r.rowsApplied === 0 && r.rowsTotal > 0
  return (
    <Alert tone="success" title={`${r.fileName} was imported`}>
      <p>
        {r.kind ? `${titleCase(r.kind)} file: ` : ''}
        {r.rowsApplied} of {r.rowsTotal} {r.rowsTotal === 1 ? 'row' : 'rows'} applied
        {unchanged ? ' (nothing had changed since the last import)' : ''}.
      </p>
      {counts.length > 0 && (
        <dl class={styles.counts} aria-label="What the import changed">
          {counts.map(([key, value]) => (
            <div key={key}>
              <dt>{countLabel(key)}</dt>
              <dd>{value.toLocaleString('en-US')}</dd>
            </div>
          ))}
        </dl>
      )}
    </Alert>
  )
}

function ErrorTable({ errors, label }: { errors: ImportRowError[]; label: string }) {
  return (
    <TableScroller label={label}>
      <table class={t.table}>
        <caption class="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col" class={t.num}>
              Line
            </th>
            <th scope="col">Field</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${e.line}-${e.field}-${i}`}>
              <th scope="row" class={t.num}>
                {e.line}
              </th>
              <td class={t.mono}>{e.field ? breakable(e.field) : '—'}</td>
              <td class={styles.problem}>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}

function ImportTable({ imports }: { imports: CisImport[] }) {
  const { user } = useSession()
  if (imports.length === 0) {
    return <p class={t.muted}>No files have been imported yet.</p>
  }
  const who = (id: number | null) => {
    if (id === null) {
      return 'Command line'
    }
    return id === user?.id ? 'You' : `User ${id}`
  }
  return (
    <TableScroller label="Recent imports">
      <table class={t.table}>
        <caption class="visually-hidden">Recent CIS imports, newest first</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col" class={t.num}>
              Rows applied
            </th>
            <th scope="col" class={t.num}>
              Errors
            </th>
            <th scope="col">When</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {imports.map((r) => (
            <tr key={r.id}>
              <th scope="row" class={styles.fileName}>
                {r.fileName}
              </th>
              <td>{r.kind ? titleCase(r.kind) : '—'}</td>
              <td>
                <span class={`${styles.status} ${styles[r.status] ?? ''}`}>
                  {titleCase(r.status)}
                </span>
              </td>
              <td class={t.num}>
                {r.rowsApplied.toLocaleString('en-US')} of {r.rowsTotal.toLocaleString('en-US')}
              </td>
              <td class={t.num}>{r.errorCount.toLocaleString('en-US')}</td>
              <td class={t.nowrap}>{formatDateTime(r.createdAt)}</td>
              <td>{who(r.importedBy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  )
}

/** The 400 of a file with bad rows, told apart from other 400s by its details. */
function rejectedOf(err: unknown): RejectedImport | null {
  if (!(err instanceof ApiError) || err.code !== 'invalid') {
    return null
  }
  const d = err.details
  if (typeof d !== 'object' || d === null || !('errors' in d) || !Array.isArray(d.errors)) {
    return null
  }
  return d as RejectedImport
}

/** A column name that may wrap after its underscores on a narrow screen. */
function breakable(field: string) {
  return field.split('_').map((part, i) => (
    <Fragment key={i}>
      {i > 0 && (
        <>
          _<wbr />
        </>
      )}
      {part}
    </Fragment>
  ))
}

/** 'customersInserted' -> 'Customers inserted'. */
function countLabel(key: string): string {
  const words = key.replace(/([A-Z])/g, ' $1').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
