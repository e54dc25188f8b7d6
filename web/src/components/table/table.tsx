import type { ComponentChildren } from 'preact'
import styles from './table.module.css'

export { styles as tableStyles }

/** A row's last cell: the link to edit what the row is, named for screen readers by `name`. */
export function EditCell({ href, name }: { href: string; name: string }) {
  return (
    <td class={styles.actions}>
      <a href={href} aria-label={`Edit ${name}`}>
        Edit
      </a>
    </td>
  )
}

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
