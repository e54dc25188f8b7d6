import type { ComponentChildren } from 'preact'
import { useId } from 'preact/hooks'
import styles from './panel.module.css'

interface PanelProps {
  title: string
  /** A short line under the heading saying what the section is for. */
  description?: ComponentChildren
  /** Controls beside the heading, e.g. a download button. */
  actions?: ComponentChildren
  children: ComponentChildren
  level?: 2 | 3
}

/** A titled section of a page: a region landmark named by its heading. */
export function Panel({ title, description, actions, children, level = 2 }: PanelProps) {
  const id = useId()
  const Heading = level === 2 ? 'h2' : 'h3'
  return (
    <section class={styles.panel} aria-labelledby={id}>
      <div class={styles.head}>
        <div>
          <Heading id={id} class={styles.title}>
            {title}
          </Heading>
          {description && <p class={styles.description}>{description}</p>}
        </div>
        {actions && <div class={styles.actions}>{actions}</div>}
      </div>
      {children}
    </section>
  )
}

/** A quieter subsection inside a panel, e.g. the form under a list. */
export function SubPanel({ title, children }: { title: string; children: ComponentChildren }) {
  const id = useId()
  return (
    <div class={styles.sub} role="group" aria-labelledby={id}>
      <h3 id={id} class={styles.subTitle}>
        {title}
      </h3>
      {children}
    </div>
  )
}
