import type { Context } from 'hono'
import { router } from '../http/route.ts'
import { notFound } from '../http/errors.ts'
import type { AppEnv } from '../http/context.ts'
import { normalisePlate } from '../customers/plates.ts'
import { requireStripe } from '../payments/stripe.ts'
import { photoBytes, readPhoto, storePhoto } from './photos.ts'
import { balanceOf, citationByNumber, CITATION, type Citation } from './citations.ts'
import { payCitationByCard, payCitationOnBill } from './citation-payments.ts'
import { fileAppeal } from './appeals.ts'
import { citationView } from './views.ts'
import {
  AppealBody,
  CitationList,
  CitationNumberParams,
  CitationPaymentBody,
  CitationPaymentView,
  CitationView,
  LookupQuery,
  PhotoParams,
} from './schemas.ts'

/*
  The driver's side of a citation: the notice's number and plate are the key to see it, pay it
  and appeal it without signing in; a signed-in driver also sees the citations of their cars.
*/
export const citations = router('/citations', 'Citations')

async function publicCitation(c: Context<AppEnv>, number: string, plate: string): Promise<Citation> {
  const citation = await citationByNumber(c.get('deps').sql, number).catch(() => null)
  if (!citation || citation.plate !== normalisePlate(plate)) {
    throw notFound('Citation with that number and plate')
  }
  return citation
}

citations.route(
  {
    method: 'get',
    path: '/mine',
    summary: 'My citations: those issued to my vehicles',
    access: ['driver'],
    responses: { 200: { description: 'Newest first', schema: CitationList } },
  },
  async (c, { principal }) => {
    const { sql } = c.get('deps')
    const customerId = principal?.kind === 'user' ? principal.customerId : null
    const rows = await sql<Citation[]>`
      select ${CITATION(sql)} from enforcement.citation where customer_id = ${customerId} order by issued_at desc limit 200`
    return c.json({
      citations: await Promise.all(
        rows.map(async (r) => ({
          number: r.number,
          plate: r.plate_printed,
          state: r.state,
          violation: r.violation_code,
          status: r.status,
          balanceCents: await balanceOf(sql, r.id),
          issuedAt: r.issued_at.toISOString(),
          dueOn: r.due_on,
          facility: null,
          lat: r.lat,
          lon: r.lon,
          paidButTicketed: r.paid_but_ticketed !== null,
        })),
      ),
    })
  },
)

citations.route(
  {
    method: 'get',
    path: '/:number',
    summary: 'A citation by its number and plate (the notice), to pay or appeal without signing in',
    access: ['public'],
    params: CitationNumberParams,
    query: LookupQuery,
    responses: { 200: { description: 'The citation', schema: CitationView }, 404: { description: 'No citation with that number and plate' } },
  },
  async (c, { params, query }) => c.json(await citationView(c.get('deps').sql, await publicCitation(c, params.number, query.plate))),
)

citations.route(
  {
    method: 'get',
    path: '/:number/photos/:photoId',
    summary: 'A photo of a citation (number and plate as the key)',
    access: ['public'],
    params: PhotoParams,
    query: LookupQuery,
    responses: { 200: { description: 'The image' }, 404: { description: 'Not found' } },
  },
  async (c, { params, query }) => {
    const { sql, config } = c.get('deps')
    const citation = await publicCitation(c, params.number, query.plate)
    const [linked] = await sql`
      select 1 from enforcement.citation_photo where citation_id = ${citation.id} and photo_id = ${params.photoId}
      union all
      select 1 from enforcement.appeal_photo ap join enforcement.appeal a on a.id = ap.appeal_id
       where a.citation_id = ${citation.id} and ap.photo_id = ${params.photoId}`
    const photo = linked ? await readPhoto(sql, config, params.photoId) : null
    if (!photo) {
      throw notFound('Photo')
    }
    return c.body(new Uint8Array(photo.bytes), 200, { 'content-type': photo.contentType, 'cache-control': 'private, max-age=3600' })
  },
)

citations.route(
  {
    method: 'post',
    path: '/:number/payment',
    summary: 'Pay a citation: by card (anyone with the notice), or on my utility bill (signed in)',
    description: 'What is owed, all at once. Needs an Idempotency-Key.',
    access: ['public'],
    params: CitationNumberParams,
    body: CitationPaymentBody,
    idempotency: 'required',
    responses: {
      200: { description: 'Paid (utility bill), or the card payment to confirm', schema: CitationPaymentView },
      409: { description: 'Paid already, voided or dismissed' },
      503: { description: 'Card payment is switched off' },
    },
  },
  async (c, { params, body, principal }) => {
    const { sql, config } = c.get('deps')
    const citation = await publicCitation(c, params.number, body.plate)
    if (body.payment.method === 'utility_account') {
      const paid = await payCitationOnBill(sql, {
        number: citation.number,
        principal,
        utilityAccountId: body.payment.utilityAccountId,
        now: new Date(),
      })
      return c.json({ citation: await citationView(sql, paid), payment: null })
    }
    const started = await payCitationByCard(sql, requireStripe(config), {
      number: citation.number,
      principal,
      key: c.req.header('idempotency-key') ?? '',
      channel: 'web',
    })
    return c.json({
      citation: await citationView(sql, citation),
      payment: {
        id: started.payment.public_id,
        clientSecret: started.clientSecret,
        publishableKey: config.STRIPE_PUBLISHABLE_KEY ?? null,
        amountCents: started.amountCents,
      },
    })
  },
)

citations.route(
  {
    method: 'post',
    path: '/:number/appeals',
    summary: 'Appeal a citation: the reason and evidence (photos); a supervisor decides',
    access: ['public'],
    params: CitationNumberParams,
    body: AppealBody,
    idempotency: 'optional',
    responses: { 201: { description: 'Filed', schema: CitationView }, 409: { description: 'An appeal is waiting already, or the citation ended' } },
  },
  async (c, { params, body, principal }) => {
    const { sql, config } = c.get('deps')
    const citation = await publicCitation(c, params.number, body.plate)
    const photoIds: number[] = []
    for (const [i, p] of body.photos.entries()) {
      photoIds.push(await storePhoto(sql, config, photoBytes(p, `body.photos.${i}`)))
    }
    const email = body.email ?? (principal?.kind === 'user' ? principal.email : null)
    await fileAppeal(sql, { citation, reason: body.reason, email, photoIds, principal })
    return c.json(await citationView(sql, citation), 201)
  },
)

