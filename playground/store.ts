import { sqlConnectionStore, type ConnectionStore } from '../src/server/index.js'

export interface PlaygroundDatabase {
  store: ConnectionStore
  /** Which database holds the connections, for the start-up line. */
  description: string
  close(): Promise<void>
}

/**
 * The playground's connection store: PostgreSQL through `pg` when a URL is given, else PGlite (an
 * embedded PostgreSQL) in `dataDir`, or in memory without one. All three go through the same
 * `sqlConnectionStore` a host app uses.
 */
export async function openPlaygroundStore(options: { dataDir?: string; databaseUrl?: string }): Promise<PlaygroundDatabase> {
  if (options.databaseUrl) {
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: options.databaseUrl })
    return {
      store: sqlConnectionStore({ query: (text, params) => pool.query(text, params) }),
      description: 'PostgreSQL (DATABASE_URL)',
      close: () => pool.end(),
    }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const db = options.dataDir ? new PGlite(options.dataDir) : new PGlite()
  await db.waitReady
  return {
    store: sqlConnectionStore({ query: (text, params) => db.query(text, params) }),
    description: options.dataDir ? `PGlite in ${options.dataDir}` : 'PGlite in memory',
    close: () => db.close(),
  }
}
