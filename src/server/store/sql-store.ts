import type { ConnectionStore, StoredConnection } from './connection-store.js'

/** Any client with `query(text, params) -> { rows }`: node-postgres (`Pool`, `Client`), PGlite, Neon's `Pool`. */
export type SqlQuery = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>

export interface SqlConnectionStoreOptions {
  /** Runs one parameterised statement, e.g. `(text, params) => pool.query(text, params)`. Required. */
  query: SqlQuery
  /** The table's name (letters, digits, `_`, optionally `schema.table`). Defaults to `'provider_connections'`. */
  table?: string
  /**
   * Run `connectionStoreSchema(table)` once before the first statement (`IF NOT EXISTS`, safe on
   * every start). Turn it off when your migrations create the table. Defaults to `true`.
   */
  createTable?: boolean
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/
export const DEFAULT_CONNECTIONS_TABLE = 'provider_connections'

function checkTable(table: string): string {
  if (!TABLE_NAME.test(table)) throw new TypeError(`sqlConnectionStore: \`table\` must be a plain SQL name such as "provider_connections", not ${JSON.stringify(table)}.`)
  return table
}

/** PostgreSQL cuts identifiers at 63 bytes: a longer index name would silently become another name. */
const MAX_IDENTIFIER = 63

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable suffix that keeps shortened names apart. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash.toString(16).padStart(8, '0')
}

/** `<table>_user_idx`, or for a long table name its head, a hash of the whole name and `_user_idx`. */
export function userIndexName(table: string): string {
  const base = table.replace('.', '_')
  const name = `${base}_user_idx`
  if (name.length <= MAX_IDENTIFIER) return name
  const suffix = `_${shortHash(base)}_user_idx`
  return `${base.slice(0, MAX_IDENTIFIER - suffix.length)}${suffix}`
}

/**
 * The statements that create the store's table and its index, for your migrations. The primary
 * key (the auth config id) and the unique session id make a repeated insert a no-op; the partial
 * index serves one user's list without reading anyone else's rows. The `ALTER` adds the `api`
 * column to a table made by an earlier version (rows without it are read by their id's prefix).
 */
export function connectionStoreSchema(table: string = DEFAULT_CONNECTIONS_TABLE): string[] {
  checkTable(table)
  const index = userIndexName(table)
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  provider_id text NOT NULL,
  provider_deployment_id text,
  session_id text UNIQUE,
  name text,
  created_at timestamptz NOT NULL,
  removed_at timestamptz,
  api text
)`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (user_id, created_at, id) WHERE removed_at IS NULL`,
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS api text`,
  ]
}

const COLUMNS = 'id, user_id, provider_id, provider_deployment_id, session_id, name, created_at, removed_at, api'

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value)
}

function time(value: unknown): string | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(String(value))
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString()
}

function toConnection(row: unknown): StoredConnection {
  const r = row as Record<string, unknown>
  return {
    id: String(r.id),
    userId: String(r.user_id),
    providerId: String(r.provider_id),
    providerDeploymentId: text(r.provider_deployment_id),
    sessionId: text(r.session_id),
    name: text(r.name),
    createdAt: time(r.created_at) ?? '',
    removedAt: time(r.removed_at),
    ...(r.api === 'setup-sessions' || r.api === 'oauth-sessions' ? { api: r.api } : {}),
  }
}

/**
 * A `ConnectionStore` in PostgreSQL (or PGlite) through your own client. Inserts are
 * `ON CONFLICT DO NOTHING RETURNING`, so any number of app servers record a connection exactly once.
 */
export function sqlConnectionStore(options: SqlConnectionStoreOptions): ConnectionStore {
  if (typeof options?.query !== 'function') {
    throw new TypeError('sqlConnectionStore needs `query(text, params)`, e.g. { query: (text, params) => pool.query(text, params) }.')
  }
  const table = checkTable(options.table ?? DEFAULT_CONNECTIONS_TABLE)
  let ready: Promise<void> | null = options.createTable === false ? Promise.resolve() : null

  async function createTable(): Promise<void> {
    for (const statement of connectionStoreSchema(table)) {
      try {
        await options.query(statement, [])
      } catch (error) {
        // Two servers starting at once can both run CREATE … IF NOT EXISTS; the loser's error
        // means the winner created it, which a second run confirms.
        await options.query(statement, []).catch(() => Promise.reject(error))
      }
    }
  }

  async function query(statement: string, params: unknown[]): Promise<unknown[]> {
    if (!ready) {
      ready = createTable()
      // A failed setup (database down) is tried again by the next call, not remembered forever.
      ready.catch(() => {
        ready = null
      })
    }
    await ready
    return (await options.query(statement, params)).rows
  }

  return {
    async insert(c) {
      const rows = await query(
        `INSERT INTO ${table} (id, user_id, provider_id, provider_deployment_id, session_id, name, created_at, removed_at, api)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
        [c.id, c.userId, c.providerId, c.providerDeploymentId, c.sessionId, c.name, c.createdAt, c.removedAt, c.api ?? null],
      )
      return rows.length === 1
    },
    async list(userId) {
      const rows = await query(`SELECT ${COLUMNS} FROM ${table} WHERE user_id = $1 AND removed_at IS NULL ORDER BY created_at, id`, [userId])
      return rows.map(toConnection)
    },
    async find(userId, id) {
      const rows = await query(`SELECT ${COLUMNS} FROM ${table} WHERE id = $1 AND user_id = $2`, [id, userId])
      return rows[0] === undefined ? null : toConnection(rows[0])
    },
    async markRemoved(userId, id, removedAt) {
      await query(`UPDATE ${table} SET removed_at = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL`, [id, userId, removedAt])
    },
  }
}
