import type { Context } from 'hono'
import { router, IdParam } from '../http/route.ts'
import type { AppEnv } from '../http/context.ts'
import { AppError } from '../http/errors.ts'
import { writeAudit } from '../auth/audit.ts'
import { importCisFile, listImports, getImport, type CisImport } from './import.ts'
import { ImportList, ImportListQuery, ImportQuery, ImportView } from './schemas.ts'

export const cis = router('/cis', 'CIS feeds')

cis.route(
  {
    method: 'post',
    path: '/imports',
    summary: 'Import a CIS feed file (customers or bill charges, told by its header row)',
    description:
      'The whole file is checked before anything is written: a file with any bad row imports ' +
      'nothing and answers 400 with the first 100 errors as { line, field, message }. Importing ' +
      'the same file again changes nothing. Formats: api/cis/README.md.',
    access: ['finance', 'admin'],
    query: ImportQuery,
    rawBody: ['text/csv'],
    responses: {
      201: { description: 'Imported', schema: ImportView },
      400: { description: 'The file has errors; nothing was imported' },
      415: { description: 'The body is not text/csv' },
    },
  },
  async (c, { query, principal }) => {
    if (!/^text\/csv\b/i.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'Send the file as text/csv')
    }
    const fileName = query.fileName ?? c.req.header('x-file-name')?.trim() ?? 'upload.csv'
    const { sql, config } = c.get('deps')
    const record = await importCisFile(sql, bodyChunks(c), {
      fileName,
      importedBy: principal?.kind === 'user' ? principal.userId : null,
      timeZone: config.CITY_TIME_ZONE,
    })
    await writeAudit(sql, principal, {
      action: 'cis.import',
      entity: 'cis_import',
      entityId: record.id,
      after: { fileName: record.fileName, kind: record.kind, counts: record.counts },
    }, c.get('requestId'))
    return c.json(importView(record), 201)
  },
)

cis.route(
  {
    method: 'get',
    path: '/imports',
    summary: 'Recent CIS imports, newest first, rejected ones with their errors',
    access: ['finance', 'admin'],
    query: ImportListQuery,
    responses: { 200: { description: 'Imports', schema: ImportList } },
  },
  async (c, { query }) => {
    const imports = await listImports(c.get('deps').sql, query.limit)
    return c.json({ imports: imports.map(importView) })
  },
)

cis.route(
  {
    method: 'get',
    path: '/imports/:id',
    summary: 'One CIS import',
    access: ['finance', 'admin'],
    params: IdParam,
    responses: {
      200: { description: 'The import', schema: ImportView },
      404: { description: 'No such import' },
    },
  },
  async (c, { params }) => c.json(importView(await getImport(c.get('deps').sql, params.id))),
)

async function* bodyChunks(c: Context<AppEnv>): AsyncIterable<Uint8Array> {
  const body = c.req.raw.body
  if (!body) {
    return
  }
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        return
      }
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

function importView(r: CisImport): ImportView {
  return { ...r, createdAt: r.createdAt.toISOString() }
}
