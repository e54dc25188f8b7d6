import styles from './park-page.module.css'

export interface StepInfo<S extends string> {
  id: S
  title: string
  /** The choice made at this step, once made. */
  summary: string | null
}

interface Props<S extends string> {
  steps: StepInfo<S>[]
  current: S
  /** Whether the driver may go back to a step to change it. */
  reachable: (id: S) => boolean
  onChange: (id: S) => void
}

/** Where the driver is in the purchase, what they chose so far, and a way back to change it. */
export function StepList<S extends string>({ steps, current, reachable, onChange }: Props<S>) {
  return (
    <nav class={styles.progress} aria-label="Steps">
      <ol>
        {steps.map((s, i) => {
          const isCurrent = s.id === current
          const done = reachable(s.id)
          return (
            <li
              key={s.id}
              class={isCurrent ? styles.current : done ? styles.done : undefined}
              aria-current={isCurrent ? 'step' : undefined}
            >
              <span class={styles.number} aria-hidden="true">
                {done ? '✓' : i + 1}
              </span>
              <span class={styles.stepText}>
                <span class={styles.stepTitle}>
                  <span class="visually-hidden">Step {i + 1}: </span>
                  {s.title}
                  {done && <span class="visually-hidden"> (done)</span>}
                </span>
                {done && s.summary && <span class={styles.stepSummary}>{s.summary}</span>}
              </span>
              {done && (
                <button
                  type="button"
                  class={styles.change}
                  aria-label={`Change ${s.title.toLowerCase()}`}
                  onClick={() => onChange(s.id)}
                >
                  Change
                </button>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
