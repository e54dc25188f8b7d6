/*
  Stripe.js, loaded from Stripe itself as PCI requires (the one script Curbline does not serve),
  only on the page that takes a card and only when cards are switched on. The types are the few
  calls the Payment Element needs.
*/

export interface StripeElement {
  mount: (target: HTMLElement) => void
  destroy: () => void
}

export interface StripeElements {
  create: (type: 'payment') => StripeElement
}

export interface ConfirmResult {
  error?: { message?: string }
  paymentIntent?: { status: string }
}

export interface StripeJs {
  elements: (options: { clientSecret: string }) => StripeElements
  confirmPayment: (options: {
    elements: StripeElements
    redirect: 'if_required'
    confirmParams: { return_url: string }
  }) => Promise<ConfirmResult>
}

const STRIPE_JS = 'https://js.stripe.com/v3/'
let loading: Promise<(key: string) => StripeJs> | null = null

export function loadStripe(publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = STRIPE_JS
    script.async = true
    script.onload = () => {
      const factory = (window as unknown as { Stripe?: (key: string) => StripeJs }).Stripe
      if (factory) {
        resolve(factory)
      } else {
        reject(new Error('Stripe.js loaded without Stripe'))
      }
    }
    script.onerror = () => {
      loading = null
      reject(new Error('The card form could not be loaded from Stripe'))
    }
    document.head.append(script)
  })
  return loading.then((factory) => factory(publishableKey))
}
