import { useResource } from './use-api.ts'

/** Whether cards are taken here (a Stripe key is configured): the card option shows only then. */
export function useCardsTaken(): boolean {
  return useResource<{ card: boolean }>('/payments/options').data?.card === true
}
