import { createReadStream } from 'node:fs'
import path from 'node:path'
import { readConfig } from '../config.ts'
import { connect } from '../../db/connect.ts'
import { openDatabase } from '../../db/database.ts'
import { migrate } from '../../db/migrate.ts'
import { AppError } from '../http/errors.ts'
import { importCisFile } from './import.ts'
import type { RowError } from './formats.ts'

// npm run cis:import -- FILE...: imports CIS feed files in the order given (customers before the
// bills that refer to them), into DATABASE_URL or the embedded database.
const files = process.argv.slice(2).filter((a) => a !== '--')
if (files.length === 0) {
  console.error('usage: npm run cis:import -- FILE.csv [FILE.csv ...]')
  process.exit(2)
}

const config = readConfig()
const db = await openDatabase(config)
const sql = connect(db.url, { max: 2, applicationName: 'curbline-cis-import' })
let failed = 0
try {
  await migrate(sql)
  for (const file of files) {
    try {
      const record = await importCisFile(sql, createReadStream(file, { highWaterMark: 1 << 20 }), {
        fileName: path.basename(file),
        timeZone: config.CITY_TIME_ZONE,
        log: (line) => console.log(`  ${line}`),
      })
      console.log(
        `${file}: ${record.kind} import ${record.id} applied: ${record.rowsTotal} rows, ` +
          `${record.rowsApplied} applied, ${(record.durationMs / 1000).toFixed(1)} s`,
      )
      console.log(`  ${JSON.stringify(record.counts)}`)
    } catch (err) {
      failed++
      if (err instanceof AppError && err.code === 'invalid') {
        const details = err.details as { errorCount: number; errors: RowError[] }
        console.error(`${file}: rejected, nothing imported: ${details.errorCount} error(s)`)
        for (const e of details.errors) {
          console.error(`  line ${e.line}: ${e.field}: ${e.message}`)
        }
      } else {
        console.error(`${file}: ${(err as Error).message}`)
      }
    }
  }
} finally {
  await sql.end()
  await db.stop()
}
process.exit(failed > 0 ? 1 : 0)
