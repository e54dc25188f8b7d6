import type { ComponentChildren } from 'preact'
import styles from './button.module.css'

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet'

interface ButtonProps {
  type?: 'button' | 'submit'
  onClick?: () => void
  disabled?: boolean
  'aria-label'?: string
  'aria-describedby'?: string
  variant?: ButtonVariant
  size?: 'normal' | 'small'
  /** Disables the button and shows progress while its action runs; the name stays the same. */
  busy?: boolean
  children: ComponentChildren
}

export function Button({
  type = 'button',
  variant = 'primary',
  size = 'normal',
  busy = false,
  disabled = false,
  onClick,
  children,
  ...aria
}: ButtonProps) {
  return (
    <button
      type={type}
      {...aria}
      class={classes(variant, size)}
      onClick={onClick}
      disabled={busy || disabled}
      aria-busy={busy || undefined}
    >
      {busy && <span class={styles.spinner} aria-hidden="true" />}
      {children}
    </button>
  )
}

interface LinkProps {
  href: string
  variant?: ButtonVariant
  size?: 'normal' | 'small'
  children: ComponentChildren
}

/** A link that looks like a button, for navigation that reads as an action. */
export function ButtonLink({ href, variant = 'primary', size = 'normal', children }: LinkProps) {
  return (
    <a href={href} class={classes(variant, size)}>
      {children}
    </a>
  )
}

function classes(variant: ButtonVariant, size: 'normal' | 'small'): string {
  return [styles.button, styles[variant], size === 'small' ? styles.small : ''].join(' ')
}
