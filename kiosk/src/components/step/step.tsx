import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { useI18n } from '../../lib/i18n.ts'
import styles from './step.module.css'

export type StepNumber = 1 | 2 | 3 | 4

interface Props {
  /** Where this screen is in the purchase; none on the start screen. */
  step?: StepNumber
  title: string
  lede?: ComponentChildren
  children: ComponentChildren
  onBack?: () => void
  onStartOver?: () => void
  /** The screen's main action, bottom right. */
  action?: ComponentChildren
}

/**
 * One screen of the purchase: where it is in the four steps, its heading (focused when it
 * appears, so a screen reader starts there), its content, and Back / Start over / the action.
 */
export function Step({ step, title, lede, children, onBack, onStartOver, action }: Props) {
  const { t } = useI18n()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus()
  }, [])
  const names = [t.stepPlate, t.stepTime, t.stepPay, t.stepReceipt]
  return (
    <section class={styles.step} aria-labelledby="step-title">
      <div class={styles.head}>
        <h1 id="step-title" class={styles.title} tabIndex={-1} ref={heading}>
          {title}
        </h1>
        {step !== undefined && (
          <ol class={styles.progress} aria-label={t.stepOf(step, 4, names[step - 1] ?? '')}>
            {names.map((name, i) => (
              <li
                key={name}
                class={i + 1 === step ? styles.current : i + 1 < step ? styles.done : ''}
                aria-current={i + 1 === step ? 'step' : undefined}
              >
                <span class={styles.number} aria-hidden="true">
                  {i + 1}
                </span>
                {name}
              </li>
            ))}
          </ol>
        )}
        {lede && <p class={styles.lede}>{lede}</p>}
      </div>
      <div class={styles.body}>{children}</div>
      {(onBack || onStartOver || action) && (
        <div class={styles.actions}>
          {onBack && (
            <button type="button" class="btn btn-secondary" onClick={onBack}>
              <span aria-hidden="true">←</span> {t.back}
            </button>
          )}
          {onStartOver && (
            <button type="button" class="btn btn-quiet" onClick={onStartOver}>
              {t.startOver}
            </button>
          )}
          <span class={styles.spacer} />
          {action}
        </div>
      )}
    </section>
  )
}
