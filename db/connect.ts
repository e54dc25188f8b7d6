import postgres from 'postgres'

export type Sql = postgres.Sql
export type Tx = postgres.TransactionSql
/** Anything that runs queries: the pool or a transaction. Domain functions take this first. */
export type Db = Sql | Tx

export interface ConnectOptions {
  max?: number
  /** Shown in pg_stat_activity, so operators can tell API, workers and tests apart. */
  applicationName?: string
}

export function connect(url: string, options: ConnectOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // JIT compiles a plan for ~0.4 s when its estimated cost is high, which Curbline's queries (index
    // probes, a few thousand rows at most) never win back: a bill-cycle export spent two thirds of
    // its time compiling
    connection: { application_name: options.applicationName ?? 'curbline', jit: 'off' },
    types: {
      // bigint columns (cents, ids) come back as JS numbers: every amount Curbline handles is far
      // below 2^53, and a number that was not would fail loudly in toSafeNumber below.
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number | bigint) => x.toString(),
        parse: toSafeNumber,
      },
    },
  })
}

function toSafeNumber(text: string): number {
  const n = Number(text)
  if (!Number.isSafeInteger(n)) {
    throw new Error(`bigint ${text} is beyond the safe integer range`)
  }
  return n
}

/** Runs fn in a transaction, or in a savepoint when db already is one. */
export function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if ('savepoint' in db) {
    return db.savepoint((tx) => fn(tx)) as Promise<T>
  }
  return db.begin((tx) => fn(tx)) as Promise<T>
}
