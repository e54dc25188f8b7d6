import { z, type ZodType } from 'zod'
import { registry, type RegisteredRoute } from './route.ts'

type Json = Record<string, unknown>

function schemaOf(schema: ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json
  delete json.$schema
  return json
}

// '/customers/:id/statement' -> '/customers/{id}/statement'
const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}')

function parameters(route: RegisteredRoute): Json[] {
  const out: Json[] = []
  for (const [where, schema] of [
    ['path', route.spec.params],
    ['query', route.spec.query],
  ] as const) {
    if (!schema) {
      continue
    }
    const json = schemaOf(schema, 'input') as { properties?: Record<string, Json>; required?: string[] }
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        schema: property,
      })
    }
  }
  if (route.spec.idempotency) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: route.spec.idempotency !== 'optional',
      description: 'A unique id per attempt; a retry with the same key replays the first reply',
      schema: { type: 'string', pattern: '^[\\w.:-]{8,200}$' },
    })
  }
  return out
}

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details', 'requestId'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {},
        requestId: { type: 'string' },
      },
    },
  },
}

/** OpenAPI 3.1, generated from the zod schemas each route declares. */
export function openApiDocument(): Json {
  const paths: Record<string, Record<string, Json>> = {}
  for (const route of registry) {
    const { spec } = route
    const path = toOpenApiPath(route.fullPath)
    const responses: Record<string, Json> = {}
    for (const [status, response] of Object.entries(spec.responses)) {
      const content: Record<string, Json> = {}
      if (response.schema) {
        content['application/json'] = { schema: schemaOf(response.schema, 'output') }
      }
      for (const type of response.alsoAs ?? []) {
        content[type] = { schema: { type: 'string' } }
      }
      responses[status] = {
        description: response.description,
        ...(Object.keys(content).length ? { content } : {}),
      }
    }
    responses['default'] = {
      description: 'Error',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    }
    const operation: Json = {
      tags: [route.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      operationId: `${spec.method}${route.fullPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      'x-access': spec.access,
      parameters: parameters(route),
      responses,
      security: spec.access.includes('public') ? [] : [{ session: [] }, { device: [] }],
    }
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schemaOf(spec.body, 'input') } },
      }
    } else if (spec.rawBody) {
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(spec.rawBody.map((t) => [t, { schema: { type: 'string' } }])),
      }
    }
    paths[path] ??= {}
    paths[path][spec.method] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Curbline API',
      version: '1.0.0',
      description:
        "A city's parking operations and enforcement platform sharing the utility customer record. " +
        'Writes made with a session cookie need the X-CSRF-Token header from GET /api/v1/auth/me.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'curbline_session' },
        device: { type: 'http', scheme: 'bearer', description: 'Kiosk and handheld device tokens' },
      },
    },
  }
}
