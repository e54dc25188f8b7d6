import { createContext } from 'preact'
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { ApiError, apiFetch, apiJson } from './api.ts'
import { safeNext } from './safe-next.ts'
import type { Me, SessionUser } from './types.ts'
import { setCityTimeZone } from './enforcement.ts'

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; notice: string | null }
  | { status: 'signed_in'; user: SessionUser; csrfToken: string }

export interface RegisterInput {
  email: string
  name: string
  password: string
  phone?: string
}

export interface Session {
  state: SessionState
  user: SessionUser | null
  csrfToken: string | null
  signIn: (email: string, password: string) => Promise<SessionUser>
  register: (input: RegisterInput) => Promise<SessionUser>
  signOut: () => Promise<void>
  /** The API said 401 mid-visit: the session ended elsewhere or timed out. */
  expired: () => void
}

export const SessionContext = createContext<Session | null>(null)

export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) {
    throw new Error('useSession is used outside the app shell')
  }
  return session
}

/** The state behind SessionContext; only the app shell calls this. */
export function useSessionState(): Session {
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const signedIn = useCallback((me: Me) => {
    setCityTimeZone(me.timeZone)
    setState({ status: 'signed_in', user: me.user, csrfToken: me.csrfToken })
  }, [])

  useEffect(() => {
    const abort = new AbortController()
    apiJson<Me>('/auth/me', { signal: abort.signal })
      .then((me) => signedIn(me))
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') {
          return
        }
        const notice =
          err instanceof ApiError && err.status !== 401
            ? 'Curbline could not check your sign-in.'
            : null
        setState({ status: 'signed_out', notice })
      })
    return () => abort.abort()
  }, [])

  const signIn = useCallback(async (email: string, password: string) => {
    const me = await apiJson<Me>('/auth/sign-in', { method: 'POST', body: { email, password } })
    signedIn(me)
    return me.user
  }, [])

  const register = useCallback(async (input: RegisterInput) => {
    const me = await apiJson<Me>('/auth/register', { method: 'POST', body: input })
    signedIn(me)
    return me.user
  }, [])

  const csrfToken = state.status === 'signed_in' ? state.csrfToken : null
  const signOut = useCallback(async () => {
    try {
      await apiFetch('/auth/sign-out', { method: 'POST', csrfToken })
    } catch (err) {
      // Already signed out on the server is as good as signing out now.
      if (!(err instanceof ApiError && err.status === 401)) {
        throw err
      }
    }
    setState({ status: 'signed_out', notice: 'You have signed out.' })
  }, [csrfToken])

  const expired = useCallback(() => {
    setState({ status: 'signed_out', notice: 'Your session has ended. Sign in again to continue.' })
  }, [])

  return useMemo(
    () => ({
      state,
      user: state.status === 'signed_in' ? state.user : null,
      csrfToken,
      signIn,
      register,
      signOut,
      expired,
    }),
    [state, csrfToken, signIn, register, signOut, expired],
  )
}

/** Where each role starts after signing in: an ambassador on the handheld. */
export function homeOf(user: SessionUser): string {
  if (user.role === 'ambassador') {
    return '/handheld'
  }
  return user.role === 'driver' ? '/' : `/${user.role}`
}

/**
 * Pages for signed-out people (sign-in, register) send a signed-in user on: to the safe ?next=
 * path they came for, or their home. Returns that ?next= path for links between the two pages.
 */
export function useLeaveWhenSignedIn(): string | null {
  const session = useSession()
  const { query, route } = useLocation()
  const next = safeNext(query.next)
  useEffect(() => {
    if (session.user) {
      route(next ?? homeOf(session.user), true)
    }
  }, [session.user, next, route])
  return next
}
