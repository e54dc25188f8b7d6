import type { ComponentChildren } from 'preact'
import styles from './facts.module.css'

/** A few short labelled facts in a row that wraps: each a Fact. */
export function Facts({ children }: { children: ComponentChildren }) {
  return <dl class={styles.facts}>{children}</dl>
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
