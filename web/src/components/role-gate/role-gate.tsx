import type { ComponentType } from 'preact'
import { useEffect } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession, homeOf } from '../../lib/use-session.ts'
import type { Role } from '../../lib/types.ts'
import { Loading } from '../loading/loading.tsx'
import { Page } from '../page/page.tsx'
import { ButtonLink } from '../button/button.tsx'

interface RoleGateProps {
  /** Read by the Router that holds this gate. */
  path: string
  roles: readonly Role[]
  page: ComponentType
}

/**
 * A page for some roles only. Signed-out visitors go to sign-in and come back afterwards; the
 * server checks every call again, so this only spares people pages they cannot use.
 */
export function RoleGate({ roles, page: Inner }: RoleGateProps) {
  const { state, user } = useSession()
  const { url, route } = useLocation()

  useEffect(() => {
    if (state.status === 'signed_out') {
      route(`/sign-in?next=${encodeURIComponent(url)}`, true)
    }
  }, [state.status, url, route])

  if (state.status !== 'signed_in' || !user) {
    return <Loading />
  }
  if (!roles.includes(user.role)) {
    return (
      <Page title="Not available to your account" width="narrow">
        <p>This page is for other roles. Your own start page has what you can do.</p>
        <ButtonLink href={homeOf(user)}>Go to my start page</ButtonLink>
      </Page>
    )
  }
  return <Inner />
}
