import { useEffect, useRef, useState } from 'preact/hooks'

/** How long before the reset the customer is asked whether they need more time. */
export const IDLE_WARNING_MS = 20_000

/**
 * Calls onIdle after timeoutMs without a touch or key; for the last 20 seconds it counts down
 * (warning: seconds left) so the screen can offer more time. A null timeout switches it off.
 */
export function useIdle(timeoutMs: number | null, onIdle: () => void): { warning: number | null } {
  const [warning, setWarning] = useState<number | null>(null)
  const deadline = useRef(0)
  const idle = useRef(onIdle)
  idle.current = onIdle

  useEffect(() => {
    setWarning(null)
    if (timeoutMs === null) {
      return
    }
    deadline.current = Date.now() + timeoutMs
    const touched = () => {
      deadline.current = Date.now() + timeoutMs
      setWarning(null)
    }
    const events = ['pointerdown', 'keydown', 'input'] as const
    for (const e of events) {
      window.addEventListener(e, touched, { capture: true, passive: true })
    }
    const timer = setInterval(() => {
      const left = deadline.current - Date.now()
      if (left <= 0) {
        setWarning(null)
        deadline.current = Date.now() + timeoutMs
        idle.current()
      } else if (left <= IDLE_WARNING_MS) {
        setWarning(Math.ceil(left / 1000))
      }
    }, 500)
    return () => {
      clearInterval(timer)
      for (const e of events) {
        window.removeEventListener(e, touched, { capture: true })
      }
    }
  }, [timeoutMs])

  return { warning }
}
