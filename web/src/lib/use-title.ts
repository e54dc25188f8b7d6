import { useEffect } from 'preact/hooks'

/** Each page names itself in the tab title, which screen readers announce on navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Curbline`
  }, [title])
}
