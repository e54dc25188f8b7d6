import { useEffect } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession, homeOf } from '../../lib/use-session.ts'
import { Loading } from '../../components/loading/loading.tsx'

/** The front door sends people on: to sign-in, or to their role's start page. */
export function HomePage() {
  const { state, user } = useSession()
  const { route } = useLocation()
  useEffect(() => {
    if (state.status === 'signed_out') {
      route('/sign-in', true)
    } else if (user) {
      route(homeOf(user), true)
    }
  }, [state.status, user, route])
  return <Loading />
}
