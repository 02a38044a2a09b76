// @vitest-environment node
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectionStoreSchema, memoryConnectionStore, sqlConnectionStore } from '../../src/server/index.js'
import { reconnectsOnceAcrossServers, upgradesFromPreviousSchema } from './lifecycle-stores.js'
import { describeConnectionStore } from './store-contract.js'

// One database for the file (starting PGlite takes a second or two); each test gets its own schema.
const shared = new PGlite()
let schemas = 0
// Starting PGlite takes seconds, more on a busy machine: in a hook of its own, not inside a test's 20 s.
beforeAll(() => shared.waitReady, 120_000)
afterAll(() => shared.close())

/** A clean database: a fresh schema first on the search path, so unqualified names land there. */
async function pglite(): Promise<PGlite> {
  const schema = `t${++schemas}`
  await shared.query(`CREATE SCHEMA ${schema}`)
  await shared.query(`SET search_path TO ${schema}, public`)
  return shared
}

describeConnectionStore('memoryConnectionStore', async () => memoryConnectionStore())
describeConnectionStore('sqlConnectionStore on PGlite', async () => {
  const db = await pglite()
  return sqlConnectionStore({ query: (text, params) => db.query(text, params) })
})

describe('sqlConnectionStore', () => {
  it('creates its tables and indexes on first use, once, and under a chosen name', async () => {
    const db = await pglite()
    const statements: string[] = []
    const store = sqlConnectionStore({ table: 'app.connections', query: (text, params) => (statements.push(text), db.query(text, params)) })
    await db.query('CREATE SCHEMA IF NOT EXISTS app')
    await Promise.all([store.list('alice'), store.list('bob')])
    // Each of its four tables (connections, remembered sessions, last syncs, connect links) created by one statement, run once.
    expect(statements.filter(text => text.startsWith('CREATE TABLE'))).toEqual([
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS app\.connections \(/),
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS app\.connections_sessions \(/),
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS app\.connections_sync \(/),
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS app\.connections_links \(/),
    ])
    const tables = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'app' ORDER BY table_name")
    expect(tables.rows).toEqual([{ table_name: 'connections' }, { table_name: 'connections_links' }, { table_name: 'connections_sessions' }, { table_name: 'connections_sync' }])
  })

  it('exports its schema for migrations, and with createTable: false runs none of it', async () => {
    const db = await pglite()
    const [table, index] = connectionStoreSchema()
    expect(table).toMatch(/CREATE TABLE IF NOT EXISTS provider_connections \(\n  id text PRIMARY KEY,\n  user_id text NOT NULL,/)
    expect(table).toMatch(/session_id text UNIQUE/)
    expect(index).toBe('CREATE INDEX IF NOT EXISTS provider_connections_user_idx ON provider_connections (user_id, created_at, id) WHERE removed_at IS NULL')
    const store = sqlConnectionStore({ query: (text, params) => db.query(text, params), createTable: false })
    await expect(store.list('alice')).rejects.toThrow(/provider_connections/)
    for (const statement of connectionStoreSchema()) await db.query(statement)
    expect(await store.list('alice')).toEqual([])
  })

  it('refuses a table name that is not a plain SQL name, and a missing query', () => {
    expect(() => sqlConnectionStore({ query: async () => ({ rows: [] }), table: 'x; DROP TABLE users' })).toThrow(/plain SQL name/)
    expect(() => sqlConnectionStore({} as never)).toThrow(/query\(text, params\)/)
  })

  it('a failed table setup (database down) is tried again by the next call', async () => {
    const db = await pglite()
    await db.query('CREATE SCHEMA retry')
    let down = true
    const store = sqlConnectionStore({ table: 'retry.connections', query: (text, params) => (down ? Promise.reject(new Error('down')) : db.query(text, params)) })
    await expect(store.list('alice')).rejects.toThrow('down')
    down = false
    expect(await store.list('alice')).toEqual([])
  })

  it('one user’s list reads that user’s rows through the index, not the table', async () => {
    const db = await pglite()
    const store = sqlConnectionStore({ query: (text, params) => db.query(text, params) })
    await store.list('warm-up')
    await db.query(`INSERT INTO provider_connections (id, user_id, provider_id, created_at)
      SELECT 'pac_' || g, 'user-' || (g % 500), 'slack', now() FROM generate_series(1, 20000) g`)
    await db.query('ANALYZE provider_connections')
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      "EXPLAIN SELECT * FROM provider_connections WHERE user_id = 'user-7' AND removed_at IS NULL ORDER BY created_at, id",
    )
    expect(plan.rows.map(row => row['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using provider_connections_user_idx|Bitmap Index Scan on provider_connections_user_idx/)
    expect(await store.list('user-7')).toHaveLength(40)
  })

  it('a 63-character table name still gets its per-user index (a hash-shortened name), also under a schema', async () => {
    const db = await pglite()
    await db.query('CREATE SCHEMA IF NOT EXISTS longnames')
    const long = 'c'.repeat(63)
    const sibling = `${'c'.repeat(55)}_sibling`
    for (const table of [long, sibling, `longnames.${long}`]) {
      const store = sqlConnectionStore({ table, query: (text, params) => db.query(text, params) })
      expect(await store.list('alice')).toEqual([])
    }
    const indexes = await db.query<{ indexname: string; tablename: string }>(
      "SELECT indexname, tablename FROM pg_indexes WHERE indexdef LIKE '%(user_id, created_at, id)%' AND tablename LIKE 'ccc%'",
    )
    expect(indexes.rows.map(row => row.tablename).sort()).toEqual([long, long, sibling].sort())
    for (const row of indexes.rows) expect(row.indexname.length).toBeLessThanOrEqual(63)
    expect(new Set(indexes.rows.map(row => row.indexname)).size).toBe(3)
    expect(connectionStoreSchema(long)[1]).toMatch(/^CREATE INDEX IF NOT EXISTS c+_[0-9a-f]{8}_user_idx ON c{63} /)
  })
})

describe('sqlConnectionStore on PGlite, a connection’s life', () => {
  it('upgrades a database of the previous release’s schema in place on first use, from two stores at once', async () => {
    const db = await pglite()
    await upgradesFromPreviousSchema((text, params) => db.query(text, params), 'provider_connections')
  })

  it('reconnects in place exactly once with two servers over one database and five racing reads', async () => {
    const db = await pglite()
    await reconnectsOnceAcrossServers(() => sqlConnectionStore({ query: (text, params) => db.query(text, params) }))
  })
})
