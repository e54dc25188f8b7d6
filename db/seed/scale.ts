import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { readConfig } from '../../api/config.ts'
import { importCisFile } from '../../api/cis/import.ts'
import { connect } from '../connect.ts'
import { openDatabase } from '../database.ts'
import { migrate } from '../migrate.ts'
import { billCsv, customerCsv, generateCity } from './city.ts'

// npm run seed:scale -- --customers 122000 [--months 6] [--out DIR] [--no-import]
// Writes city-scale CIS feed files and imports them through the importer, timing each step.
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    customers: { type: 'string', default: '122000' },
    months: { type: 'string', default: '6' },
    out: { type: 'string' },
    seed: { type: 'string', default: '2026' },
    'no-import': { type: 'boolean', default: false },
  },
})
const customers = Number(values.customers)
const months = Number(values.months)
if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(months) || months < 1) {
  console.error('usage: npm run seed:scale -- --customers N [--months M] [--out DIR] [--no-import]')
  process.exit(2)
}
const out = path.resolve(values.out ?? path.join(tmpdir(), `curbline-scale-${customers}`))
await mkdir(out, { recursive: true })

const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1)

async function writeFile(file: string, chunks: Iterable<string>): Promise<number> {
  const stream = createWriteStream(file)
  for (const chunk of chunks) {
    if (!stream.write(chunk)) {
      await once(stream, 'drain')
    }
  }
  stream.end()
  await once(stream, 'finish')
  return (await stat(file)).size
}

let t = performance.now()
const city = generateCity({ customers, seed: Number(values.seed) })
const customersFile = path.join(out, 'customers.csv')
const billsFile = path.join(out, 'bills.csv')
const customerBytes = await writeFile(customersFile, customerCsv(city))
const billBytes = await writeFile(billsFile, billCsv(city, { months, seed: Number(values.seed) }))
console.log(
  `generated ${city.customers.length} customers, ${city.accounts.length} accounts, ${months} months ` +
    `in ${seconds(t)} s: ${customersFile} (${mb(customerBytes)}), ${billsFile} (${mb(billBytes)})`,
)

if (!values['no-import']) {
  const config = readConfig()
  const db = await openDatabase(config)
  const sql = connect(db.url, { max: 2, applicationName: 'curbline-seed-scale' })
  try {
    await migrate(sql)
    const total = performance.now()
    for (const file of [customersFile, billsFile]) {
      t = performance.now()
      const record = await importCisFile(sql, createReadStream(file, { highWaterMark: 1 << 20 }), {
        fileName: path.basename(file),
        timeZone: config.CITY_TIME_ZONE,
        log: (line) => console.log(`  ${line}`),
      })
      const counts = JSON.stringify(record.counts)
      console.log(`imported ${file} in ${seconds(t)} s: ${record.rowsTotal} rows, ${counts}`)
    }
    console.log(`import total: ${seconds(total)} s`)
  } finally {
    await sql.end()
    await db.stop()
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
