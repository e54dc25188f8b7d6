import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { useTitle } from '../../lib/use-title.ts'
import styles from './page.module.css'

interface PageProps {
  title: string
  /** A small line above the heading: the section of the site, or who the page is for. */
  eyebrow?: string
  lede?: ComponentChildren
  width?: 'wide' | 'narrow'
  children: ComponentChildren
}

let firstPage = true

/** A page's heading and body. After in-app navigation, focus moves to the heading. */
export function Page({ title, eyebrow, lede, width = 'wide', children }: PageProps) {
  useTitle(title)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (firstPage) {
      firstPage = false
      return
    }
    heading.current?.focus()
  }, [])
  return (
    <div class={width === 'narrow' ? `${styles.page} ${styles.narrow}` : styles.page}>
      <header class={styles.header}>
        {eyebrow && <p class={styles.eyebrow}>{eyebrow}</p>}
        <h1 ref={heading} tabIndex={-1} class={styles.title}>
          {title}
        </h1>
        {lede && <p class={styles.lede}>{lede}</p>}
      </header>
      {children}
    </div>
  )
}
