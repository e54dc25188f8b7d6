import autocannon from 'autocannon'
import { randomUUID } from 'node:crypto'

/*
  The load generator of bench:parking, run as a second process so that the server under test does
  not share its event loop with the client. It reads one scenario from argv as JSON, runs it with
  autocannon, and prints one JSON line of results.
*/

interface Scenario {
  url: string
  kind: 'rights' | 'bare-lookup' | 'start' | 'bare-insert'
  token: string
  plates: number
  seconds: number
  connections: number
  /** A fixed request rate (requests per second) instead of as fast as it goes. */
  rate?: number
  /** Which round this is, so that no two rounds sell to the same plate. */
  round: number
}

const scenario = JSON.parse(process.argv[2] ?? '{}') as Scenario

// The bench's own plates: BN000001 … BN<plates>; sales use plates no vehicle has.
const plate = (n: number) => `BN${String(n).padStart(6, '0')}`
const randomPlate = () => plate(1 + Math.floor(Math.random() * scenario.plates))
let sold = 0
const salePlate = () => `S${scenario.round.toString(36)}${(++sold).toString(36).padStart(6, '0')}`.toUpperCase()

function request(): autocannon.Request {
  const headers: Record<string, string> = { authorization: `Bearer ${scenario.token}` }
  switch (scenario.kind) {
    case 'rights':
      return { method: 'GET', path: `/api/v1/rights?plate=${randomPlate()}`, headers }
    case 'bare-lookup':
      return { method: 'GET', path: `/api/v1/bench/bare-lookup?plate=${randomPlate()}`, headers }
    case 'start':
    case 'bare-insert': {
      const saleId = randomUUID()
      const body = JSON.stringify({
        facility: 'BENCH',
        plate: salePlate(),
        state: 'NC',
        minutes: 60,
        payment: { method: 'cash', amountCents: 200, saleId },
      })
      return {
        method: 'POST',
        path: scenario.kind === 'start' ? '/api/v1/sessions' : '/api/v1/bench/bare-insert',
        headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': saleId },
        body,
      }
    }
  }
}

const result = await autocannon({
  url: scenario.url,
  connections: scenario.connections,
  duration: scenario.seconds,
  ...(scenario.rate ? { overallRate: scenario.rate } : {}),
  requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }],
})

console.log(
  JSON.stringify({
    kind: scenario.kind,
    requests: result.requests.total,
    rps: result.requests.total / scenario.seconds,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }),
)
