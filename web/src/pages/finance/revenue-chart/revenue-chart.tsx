import { useEffect, useRef } from 'preact/hooks'
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'
import { formatCents } from '../../../lib/format.ts'
import { TableScroller, tableStyles as t } from '../../../components/table/table.tsx'
import styles from './revenue-chart.module.css'

// Only what a stacked bar chart needs, so the bundle carries no other chart types.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

/** Colours told apart by people with the common colour-vision deficiencies (Okabe and Ito). */
const PALETTE = [
  '#005ea2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#0f1f38',
  '#f0e442',
  '#999999',
]

export interface Series {
  name: string
  /** Cents per category, in the categories' order. */
  values: number[]
}

interface Props {
  /** Names the chart and its table of figures. */
  title: string
  /** What each bar is: days, or facilities. */
  categoryLabel: string
  categories: string[]
  series: Series[]
  /** One sentence for screen readers: what the chart shows at a glance. */
  summary: string
  horizontal?: boolean
}

/** Revenue as stacked bars, with the same figures as a table for anyone who cannot see it. */
export function RevenueChart({
  title,
  categoryLabel,
  categories,
  series,
  summary,
  horizontal = false,
}: Props) {
  const canvas = useRef<HTMLCanvasElement>(null)

  useEffect(() => {
    if (!canvas.current) {
      return
    }
    const config: ChartConfiguration<'bar', number[], string> = {
      type: 'bar',
      data: {
        labels: categories,
        datasets: series.map((s, i) => ({
          label: s.name,
          data: s.values.map((cents) => cents / 100),
          backgroundColor: PALETTE[i % PALETTE.length],
          borderWidth: 0,
          maxBarThickness: 56,
        })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, ticks: horizontal ? { callback: money } : {} },
          y: { stacked: true, ticks: horizontal ? {} : { callback: money } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label ?? ''}: ${formatCents(Math.round((item.parsed[horizontal ? 'x' : 'y'] ?? 0) * 100))}`,
            },
          },
        },
      },
    }
    const chart = new Chart(canvas.current, config)
    return () => chart.destroy()
  }, [categories, series, horizontal])

  const totals = categories.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0))
  return (
    <figure class={styles.figure}>
      <figcaption class={styles.caption}>{title}</figcaption>
      <div
        class={horizontal || series.length > 4 ? `${styles.canvas} ${styles.tall}` : styles.canvas}
      >
        <canvas ref={canvas} role="img" aria-label={`${title}. ${summary}`} />
      </div>
      <details class={styles.details}>
        <summary>The figures as a table</summary>
        <TableScroller label={`${title}: figures`}>
          <table class={t.table}>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{categoryLabel}</th>
                {series.map((s) => (
                  <th key={s.name} scope="col" class={t.num}>
                    {s.name}
                  </th>
                ))}
                <th scope="col" class={t.num}>
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {categories.map((c, i) => (
                <tr key={c}>
                  <th scope="row" class={t.nowrap}>
                    {c}
                  </th>
                  {series.map((s) => (
                    <td key={s.name} class={t.num}>
                      {formatCents(s.values[i] ?? 0)}
                    </td>
                  ))}
                  <td class={t.num}>{formatCents(totals[i] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      </details>
    </figure>
  )
}

function money(value: string | number): string {
  const n = typeof value === 'number' ? value : Number(value)
  return n >= 1000 ? `$${(n / 1000).toLocaleString('en-US')}k` : `$${n.toLocaleString('en-US')}`
}

/**
 * Points summed into one series per key (facility, channel), over the given categories: the
 * largest `most` series by total, and the rest together as "Other", so the legend stays readable.
 */
export function seriesOf<P extends { cents: number }>(
  points: P[],
  categories: string[],
  categoryOf: (p: P) => string,
  seriesKey: (p: P) => string,
  most = 7,
): Series[] {
  const index = new Map(categories.map((c, i) => [c, i]))
  const byName = new Map<string, number[]>()
  for (const p of points) {
    const i = index.get(categoryOf(p))
    if (i === undefined) {
      continue
    }
    const name = seriesKey(p)
    let values = byName.get(name)
    if (!values) {
      values = categories.map(() => 0)
      byName.set(name, values)
    }
    values[i] = (values[i] ?? 0) + p.cents
  }
  const all = [...byName.entries()]
    .map(([name, values]) => ({ name, values }))
    .sort((a, b) => sum(b.values) - sum(a.values))
  if (all.length <= most) {
    return all
  }
  const rest = all.slice(most - 1)
  const other = categories.map((_, i) => rest.reduce((s, x) => s + (x.values[i] ?? 0), 0))
  return [...all.slice(0, most - 1), { name: `Other (${rest.length})`, values: other }]
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)
