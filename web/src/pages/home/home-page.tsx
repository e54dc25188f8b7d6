import { useEffect } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { useSession, homeOf } from '../../lib/use-session.ts'
import { Loading } from '../../components/loading/loading.tsx'
import { Page } from '../../components/page/page.tsx'
import { ButtonLink } from '../../components/button/button.tsx'
import { MyParking } from './my-parking/my-parking.tsx'
import styles from './home-page.module.css'

/**
 * The front door: a driver's home (pay for parking, what is running now); everyone else is sent
 * on, to sign-in or to their role's start page.
 */
export function HomePage() {
  const { state, user } = useSession()
  const { route } = useLocation()
  const driver = user?.role === 'driver'
  useEffect(() => {
    if (state.status === 'signed_out') {
      route('/sign-in', true)
    } else if (user && !driver) {
      route(homeOf(user), true)
    }
  }, [state.status, user, driver, route])
  if (!user || !driver) {
    return <Loading />
  }
  return (
    <Page
      title="Home"
      eyebrow={user.displayName}
      lede="Pay for parking, and see what is running now."
    >
      <div class={styles.layout}>
        <section class={styles.park} aria-labelledby="home-park">
          <h2 id="home-park">Parked somewhere?</h2>
          <p>Pay by the zone or lot number on the signs, on your utility bill.</p>
          <ButtonLink href="/park">Pay for parking</ButtonLink>
        </section>
        <MyParking />
        <nav class={styles.links} aria-label="More for drivers">
          <a href="/permits">Permits: residential, garage and visitor passes</a>
          <a href="/account">My account: statement, utility accounts and vehicles</a>
          <a href="/parking">Parking map: where to park and what it costs</a>
        </nav>
      </div>
    </Page>
  )
}
