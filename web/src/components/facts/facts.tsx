import type { ComponentChildren } from 'preact'
import styles from './facts.module.css'

/** Labelled facts, each a Fact: a few short ones in a row that wraps, or longer ones in a grid. */
export function Facts({
  layout = 'row',
  children,
}: {
  layout?: 'row' | 'grid'
  children: ComponentChildren
}) {
  const classes = layout === 'grid' ? `${styles.facts} ${styles.grid}` : styles.facts
  return <dl class={classes}>{children}</dl>
}

/** One fact: its small grey label, then its value. */
export function Fact({ term, children }: { term: ComponentChildren; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}
