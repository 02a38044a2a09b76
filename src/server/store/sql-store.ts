import type { LifecycleStore, LinkStore, StoredConnection, StoredLink, UnfinishedSession } from './connection-store.js'

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

/** `name`, or for a name longer than PostgreSQL keeps, its head, a hash of the whole name and `suffix`. */
function fitName(name: string, base: string, suffix: string): string {
  if (name.length <= MAX_IDENTIFIER) return name
  const tail = `_${shortHash(base)}${suffix}`
  return `${base.slice(0, MAX_IDENTIFIER - tail.length)}${tail}`
}

/** `<table>_user_idx`, or for a long table name its head, a hash of the whole name and `_user_idx`. */
export function userIndexName(table: string): string {
  const base = table.replace('.', '_')
  return fitName(`${base}_user_idx`, base, '_user_idx')
}

/** An index name derived from the table's: `<table><suffix>`, shortened like `userIndexName`. */
function indexName(table: string, suffix: string): string {
  const base = table.replace('.', '_')
  return fitName(`${base}${suffix}`, base, suffix)
}

/** A table beside the store's, in its schema: `<table><suffix>`, shortened like the index names. */
export function siblingTableName(table: string, suffix: string): string {
  const dot = table.indexOf('.')
  const schema = dot === -1 ? '' : table.slice(0, dot + 1)
  const base = table.slice(dot + 1)
  return `${schema}${fitName(`${base}${suffix}`, base, suffix)}`
}

/**
 * The statements that create the store's tables and indexes, for your migrations; each is
 * idempotent (`IF NOT EXISTS`), so running them on every start, or on a database made by an earlier
 * version, upgrades it in place. The primary key (the auth config id) and the unique session id make
 * a repeated insert a no-op; the partial index serves one user's list without reading anyone else's
 * rows. The `ALTER`s add the columns later versions use to a table made by an earlier one (`api`:
 * rows without it are read by their id's prefix; `revoked_at`, `replaced_by`: null means active).
 * `<table>_sessions` remembers the setup sessions the server created until they end (each at most
 * its 30-minute lifetime), `<table>_sync` when each user's connections were last checked, and
 * `<table>_links` the connect links (their tokens' SHA-256 only, never a token).
 */
export function connectionStoreSchema(table: string = DEFAULT_CONNECTIONS_TABLE): string[] {
  checkTable(table)
  const index = userIndexName(table)
  const sessions = siblingTableName(table, '_sessions')
  const sync = siblingTableName(table, '_sync')
  const links = siblingTableName(table, '_links')
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
  api text,
  revoked_at timestamptz,
  replaced_by text
)`,
    `CREATE INDEX IF NOT EXISTS ${index} ON ${table} (user_id, created_at, id) WHERE removed_at IS NULL`,
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS api text`,
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS revoked_at timestamptz`,
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS replaced_by text`,
    `CREATE TABLE IF NOT EXISTS ${sessions} (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  provider_id text NOT NULL,
  api text NOT NULL,
  replaces_connection_id text,
  expires_at timestamptz NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${indexName(table, '_sessions_user_idx')} ON ${sessions} (user_id, expires_at)`,
    `CREATE INDEX IF NOT EXISTS ${indexName(table, '_sessions_expiry_idx')} ON ${sessions} (expires_at)`,
    `CREATE TABLE IF NOT EXISTS ${sync} (
  user_id text PRIMARY KEY,
  synced_at timestamptz NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${links} (
  id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id text NOT NULL,
  provider_id text NOT NULL,
  provider_deployment_id text,
  replaces_connection_id text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  session_id text,
  used_at timestamptz,
  revoked_at timestamptz
)`,
    `CREATE INDEX IF NOT EXISTS ${indexName(table, '_links_user_idx')} ON ${links} (user_id, expires_at)`,
  ]
}

const COLUMNS = 'id, user_id, provider_id, provider_deployment_id, session_id, name, created_at, removed_at, api, revoked_at, replaced_by'

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
    ...(r.revoked_at === null || r.revoked_at === undefined ? {} : { revokedAt: time(r.revoked_at) }),
    ...(r.replaced_by === null || r.replaced_by === undefined ? {} : { replacedBy: text(r.replaced_by) }),
  }
}

function toSession(row: unknown): UnfinishedSession {
  const r = row as Record<string, unknown>
  return {
    id: String(r.id),
    userId: String(r.user_id),
    providerId: String(r.provider_id),
    api: r.api === 'oauth-sessions' ? 'oauth-sessions' : 'setup-sessions',
    replacesConnectionId: text(r.replaces_connection_id),
    expiresAt: time(r.expires_at) ?? '',
  }
}

const LINK_COLUMNS = 'id, token_hash, user_id, provider_id, provider_deployment_id, replaces_connection_id, created_at, expires_at, session_id, used_at, revoked_at'

function toLink(row: unknown): StoredLink {
  const r = row as Record<string, unknown>
  return {
    id: String(r.id),
    tokenHash: String(r.token_hash),
    userId: String(r.user_id),
    providerId: String(r.provider_id),
    providerDeploymentId: text(r.provider_deployment_id),
    replacesConnectionId: text(r.replaces_connection_id),
    createdAt: time(r.created_at) ?? '',
    expiresAt: time(r.expires_at) ?? '',
    sessionId: text(r.session_id),
    usedAt: time(r.used_at),
    revokedAt: time(r.revoked_at),
  }
}

/**
 * A `ConnectionStore` in PostgreSQL (or PGlite) through your own client. Inserts are
 * `ON CONFLICT DO NOTHING RETURNING`, so any number of app servers record a connection exactly once.
 */
export function sqlConnectionStore(options: SqlConnectionStoreOptions): LifecycleStore & LinkStore {
  if (typeof options?.query !== 'function') {
    throw new TypeError('sqlConnectionStore needs `query(text, params)`, e.g. { query: (text, params) => pool.query(text, params) }.')
  }
  const table = checkTable(options.table ?? DEFAULT_CONNECTIONS_TABLE)
  const sessions = siblingTableName(table, '_sessions')
  const sync = siblingTableName(table, '_sync')
  const links = siblingTableName(table, '_links')
  let ready: Promise<void> | null = options.createTable === false ? Promise.resolve() : null

  async function createTable(): Promise<void> {
    for (const statement of connectionStoreSchema(table)) {
      try {
        await options.query(statement, [])
      } catch (error) {
        // Two servers starting (or upgrading) at once can both run CREATE … / ADD COLUMN … IF NOT
        // EXISTS; the loser's error means the winner made it, which a second run confirms.
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
      const rows = await query(`UPDATE ${table} SET removed_at = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL RETURNING id`, [id, userId, removedAt])
      return rows.length === 1
    },
    async markRevoked(userId, id, revokedAt) {
      const rows = await query(`UPDATE ${table} SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL AND revoked_at IS NULL RETURNING id`, [id, userId, revokedAt])
      return rows.length === 1
    },
    async markReplaced(userId, oldId, newId, at) {
      const rows = await query(`UPDATE ${table} SET removed_at = $4, replaced_by = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL RETURNING id`, [oldId, userId, newId, at])
      return rows.length === 1
    },
    async rename(userId, id, name) {
      const rows = await query(`UPDATE ${table} SET name = $3 WHERE id = $1 AND user_id = $2 AND removed_at IS NULL RETURNING ${COLUMNS}`, [id, userId, name])
      return rows[0] === undefined ? null : toConnection(rows[0])
    },
    async claimSync(userId, at, dueBefore) {
      // The upsert's WHERE is re-checked on the row another server just wrote, so one of them wins.
      const rows = await query(
        `INSERT INTO ${sync} AS s (user_id, synced_at) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET synced_at = EXCLUDED.synced_at WHERE s.synced_at <= $3 RETURNING user_id`,
        [userId, at, dueBefore],
      )
      return rows.length === 1
    },
    async dueUsers(dueBefore, limit) {
      const rows = await query(
        `SELECT DISTINCT c.user_id FROM ${table} c LEFT JOIN ${sync} s ON s.user_id = c.user_id
WHERE c.removed_at IS NULL AND c.revoked_at IS NULL AND (s.synced_at IS NULL OR s.synced_at <= $1) LIMIT $2`,
        [dueBefore, limit],
      )
      return rows.map(row => String((row as Record<string, unknown>).user_id))
    },
    async rememberSession(session, expiredBefore) {
      await query(`DELETE FROM ${sessions} WHERE expires_at < $1`, [expiredBefore])
      await query(
        `INSERT INTO ${sessions} (id, user_id, provider_id, api, replaces_connection_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [session.id, session.userId, session.providerId, session.api, session.replacesConnectionId, session.expiresAt],
      )
    },
    async unfinishedSessions(userId) {
      const columns = 'id, user_id, provider_id, api, replaces_connection_id, expires_at'
      const rows =
        userId === null
          ? await query(`SELECT ${columns} FROM ${sessions} ORDER BY expires_at, id`, [])
          : await query(`SELECT ${columns} FROM ${sessions} WHERE user_id = $1 ORDER BY expires_at, id`, [userId])
      return rows.map(toSession)
    },
    async forgetSession(id) {
      await query(`DELETE FROM ${sessions} WHERE id = $1`, [id])
    },
    async insertLink(link, expiredBefore) {
      await query(`DELETE FROM ${links} WHERE expires_at < $1`, [expiredBefore])
      await query(
        `INSERT INTO ${links} (${LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
        [link.id, link.tokenHash, link.userId, link.providerId, link.providerDeploymentId, link.replacesConnectionId, link.createdAt, link.expiresAt, link.sessionId, link.usedAt, link.revokedAt],
      )
    },
    async findLink(tokenHash) {
      const rows = await query(`SELECT ${LINK_COLUMNS} FROM ${links} WHERE token_hash = $1`, [tokenHash])
      return rows[0] === undefined ? null : toLink(rows[0])
    },
    async swapLinkSession(tokenHash, from, to) {
      const rows = await query(`UPDATE ${links} SET session_id = $3::text WHERE token_hash = $1 AND session_id IS NOT DISTINCT FROM $2::text RETURNING id`, [tokenHash, from, to])
      return rows.length === 1
    },
    async markLinkUsed(tokenHash, at) {
      const rows = await query(`UPDATE ${links} SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL RETURNING id`, [tokenHash, at])
      return rows.length === 1
    },
    async revokeLink(id, at) {
      const rows = await query(`UPDATE ${links} SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id, at])
      return rows.length === 1
    },
    async openLinks(userId, at) {
      const rows = await query(`SELECT ${LINK_COLUMNS} FROM ${links} WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at, id`, [userId, at])
      return rows.map(toLink)
    },
  }
}
