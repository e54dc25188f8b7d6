import { useMemo } from 'preact/hooks'
import { create } from 'qrcode'
import styles from './qr-code.module.css'

interface Props {
  /** What the code encodes, e.g. the receipt's address. */
  value: string
  /** What a screen reader hears in place of the picture. */
  label: string
}

/** The quiet zone a scanner needs around the symbol, in modules. */
const MARGIN = 4

/**
 * A QR code drawn here as SVG from the qrcode package's module matrix: nothing from a CDN, sharp
 * at any size and on paper. Each row's runs of dark modules become one path.
 */
export function QrCode({ value, label }: Props) {
  const { size, path } = useMemo(() => {
    const { modules } = create(value, { errorCorrectionLevel: 'M' })
    const n = modules.size
    let d = ''
    for (let row = 0; row < n; row++) {
      let col = 0
      while (col < n) {
        if (!modules.get(row, col)) {
          col++
          continue
        }
        const start = col
        while (col < n && modules.get(row, col)) {
          col++
        }
        d += `M${start + MARGIN} ${row + MARGIN}h${col - start}v1h${start - col}z`
      }
    }
    return { size: n + 2 * MARGIN, path: d }
  }, [value])

  return (
    <svg
      class={styles.code}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
