/** A ?next= path to return to after sign-in: only this app's own paths, never another site. */
export function safeNext(next: string | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return null
  }
  if (next.startsWith('/sign-in') || next.startsWith('/register')) {
    return null
  }
  return next
}
