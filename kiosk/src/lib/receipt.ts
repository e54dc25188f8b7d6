import type { SessionView } from '../../../api/sessions/schemas.ts'
import type { Sale } from './sales.ts'

/** What the receipt screen shows: the server's session, or a sale saved to send later. */
export type Receipt =
  | {
      kind: 'paid'
      session: SessionView
      extended: boolean
      amountCents: number
      changeCents: number
    }
  | { kind: 'saved'; sale: Sale; changeCents: number }
