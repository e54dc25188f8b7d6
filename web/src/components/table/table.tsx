import type { ComponentChildren } from 'preact'
import styles from './table.module.css'

export { styles as tableStyles }

/**
 * Wide tables scroll sideways on a phone. The scroller is a focusable, named region so keyboard
 * users can scroll it too.
 */
export function TableScroller({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class={styles.scroller} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}
