import { useState } from 'preact/hooks'
import { useApi } from '../../../lib/use-api.ts'
import { messageOf } from '../../../lib/api.ts'
import { Button } from '../../../components/button/button.tsx'
import styles from './csv-button.module.css'

interface Props {
  /** The API path (under /api/v1) that answers text/csv when asked. */
  path: string
  filename: string
  /** The button's words; "Download CSV" unless the page holds several downloads. */
  children?: string
}

/** Downloads what a list shows as a spreadsheet: the same path asked for with Accept: text/csv. */
export function CsvButton({ path, filename, children = 'Download CSV' }: Props) {
  const api = useApi()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const download = async () => {
    setBusy(true)
    setError(null)
    try {
      await api.download(path, 'text/csv', filename)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span class={styles.wrap}>
      <Button variant="secondary" size="small" busy={busy} onClick={() => void download()}>
        {children}
      </Button>
      {error && (
        <span class={styles.error} role="alert">
          The CSV could not be downloaded: {error}
        </span>
      )}
    </span>
  )
}
