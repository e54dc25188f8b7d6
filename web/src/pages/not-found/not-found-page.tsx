import { Page } from '../../components/page/page.tsx'
import { ButtonLink } from '../../components/button/button.tsx'

export function NotFoundPage() {
  return (
    <Page title="Page not found" width="narrow">
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <ButtonLink href="/">Go to the start page</ButtonLink>
    </Page>
  )
}
