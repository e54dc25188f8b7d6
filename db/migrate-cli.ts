import { readConfig } from '../api/config.ts'
import { connect } from './connect.ts'
import { openDatabase } from './database.ts'
import { migrate } from './migrate.ts'

// npm run migrate: applies pending migrations to DATABASE_URL (or the embedded database).
const config = readConfig()
const db = await openDatabase(config)
const sql = connect(db.url, { max: 1, applicationName: 'curbline-migrate' })
try {
  const applied = await migrate(sql, (line) => console.log(line))
  console.log(applied === 0 ? 'database is up to date' : `applied ${applied} migration(s)`)
} finally {
  await sql.end()
  await db.stop()
}
