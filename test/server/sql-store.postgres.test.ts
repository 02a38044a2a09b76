// @vitest-environment node
// The SQL store against a real PostgreSQL server (CI installs Debian's `postgresql`). Never skipped:
// without PostgreSQL this fails with an install hint.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlConnectionStore, type ConnectionStore } from '../../src/server/index.js'
import { startPlayground } from '../../playground/start.js'
import { makeServer } from './helpers.js'
import { siblingTableName } from '../../src/server/store/sql-store.js'
import { startTestPostgres, type TestPostgres } from './postgres-server.js'
import { reconnectsOnceAcrossServers, upgradesFromPreviousSchema } from './lifecycle-stores.js'
import { describeConnectionStore } from './store-contract.js'

let server: TestPostgres
let pool: pg.Pool
let tables = 0
const created: string[] = []

beforeAll(async () => {
  server = await startTestPostgres()
  pool = new pg.Pool({ connectionString: server.url, max: 8 })
}, 120_000)

afterAll(async () => {
  for (const table of created) await pool?.query(`DROP TABLE IF EXISTS ${table}`)
  await pool?.end()
  await server?.stop()
}, 60_000)

/** A store on a table of its own, so tests never see each other's rows (and a shared PG_TEST_URL stays clean). */
function freshTable(): string {
  const table = `rpc_test_${process.pid}_${++tables}`
  created.push(table, ...siblings(table))
  return table
}

/** The tables a store keeps beside its own (remembered sessions, last syncs, connect links), dropped with it. */
function siblings(table: string): string[] {
  return [siblingTableName(table, '_sessions'), siblingTableName(table, '_sync'), siblingTableName(table, '_links')]
}

function freshStore(): ConnectionStore {
  return sqlConnectionStore({ query: (text, params) => pool.query(text, params), table: freshTable() })
}

describeConnectionStore('sqlConnectionStore on PostgreSQL', async () => freshStore())

describe('sqlConnectionStore on PostgreSQL', () => {
  it('records a completion once when app servers on separate connections race, and fires one onConnected', async () => {
    const table = freshTable()
    const events: string[] = []
    const first = makeServer({ store: sqlConnectionStore({ query: (text, params) => pool.query(text, params), table }), onConnected: event => void events.push(event.authConfigId) })
    const servers = [first, ...[2, 3, 4].map(() => makeServer({ store: sqlConnectionStore({ query: (text, params) => pool.query(text, params), table }), onConnected: event => void events.push(event.authConfigId) }, first.sim))]
    const created = await first.call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    const authConfigId = first.sim.complete(created.json.id)
    await Promise.all(servers.flatMap(app => [1, 2, 3].map(() => app.call('alice', 'GET', `/setup-sessions/${created.json.id}`))))
    expect(events).toEqual([authConfigId])
    expect((await first.server.listConnections('alice')).map(connection => connection.id)).toEqual([authConfigId])
  })

  it('upgrades a table made by an earlier version (adds api, old rows stay readable), and a 63-character name keeps its per-user index', async () => {
    const table = freshTable()
    await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, user_id text NOT NULL, provider_id text NOT NULL, provider_deployment_id text,
      session_id text UNIQUE, name text, created_at timestamptz NOT NULL, removed_at timestamptz)`)
    await pool.query(`INSERT INTO ${table} (id, user_id, provider_id, created_at) VALUES ('soas_old', 'alice', 'slack', now())`)
    const store = sqlConnectionStore({ query: (text, params) => pool.query(text, params), table })
    expect(await store.find('alice', 'soas_old')).toMatchObject({ id: 'soas_old', providerId: 'slack' })
    expect((await store.find('alice', 'soas_old'))?.api).toBeUndefined()
    const long = `${table}_${'x'.repeat(63 - table.length - 1)}`
    created.push(long, ...siblings(long))
    expect(long).toHaveLength(63)
    await sqlConnectionStore({ query: (text, params) => pool.query(text, params), table: long }).list('alice')
    const { rows } = await pool.query("SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%(user_id, created_at, id)%'", [long])
    expect(rows).toHaveLength(1)
  })
})

describe('sqlConnectionStore on PostgreSQL, a connection’s life', () => {
  it('upgrades a database of the previous release’s schema in place on first use, from two stores at once', async () => {
    const table = freshTable()
    await upgradesFromPreviousSchema((text, params) => pool.query(text, params), table)
  })

  it('reconnects in place exactly once with two servers on separate connections and five racing reads', async () => {
    const table = freshTable()
    await reconnectsOnceAcrossServers(() => sqlConnectionStore({ query: (text, params) => pool.query(text, params), table }))
  })

  it('of app servers starting at once on the previous release’s table, every one upgrades it without an error', async () => {
    const table = freshTable()
    await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, user_id text NOT NULL, provider_id text NOT NULL, provider_deployment_id text,
      session_id text UNIQUE, name text, created_at timestamptz NOT NULL, removed_at timestamptz, api text)`)
    // Each on a client of its own, as separate processes would be.
    const clients = await Promise.all(Array.from({ length: 4 }, () => pool.connect()))
    try {
      const stores = clients.map(client => sqlConnectionStore({ query: (text, params) => client.query(text, params), table }))
      await Promise.all(stores.map(store => store.list('alice')))
      const claims = await Promise.all(stores.map(store => store.claimSync('alice', '2026-01-01T12:00:00.000Z', '2026-01-01T11:59:00.000Z')))
      expect(claims.filter(Boolean)).toHaveLength(1)
    } finally {
      for (const client of clients) client.release()
    }
    const { rows } = await pool.query("SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND column_name IN ('revoked_at', 'replaced_by') ORDER BY column_name", [table])
    expect(rows).toEqual([{ column_name: 'replaced_by' }, { column_name: 'revoked_at' }])
  })
})

describe('the playground with DATABASE_URL', () => {
  it('keeps connections in PostgreSQL', async () => {
    // A schema of its own (first on the search path), dropped afterwards: a shared PG_TEST_URL keeps nothing.
    const schema = `rpc_playground_${process.pid}`
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
    const url = new URL(server.url)
    url.searchParams.set('options', `-c search_path=${schema}`)
    const playground = await startPlayground({ port: 0, vite: false, databaseUrl: url.toString(), logger: { warn() {}, error() {} } })
    try {
      expect(playground.database).toBe('PostgreSQL (DATABASE_URL)')
      const id = await playground.seedConnection('alice', { providerId: 'slack', name: 'alice@slack' })
      const list = await (await fetch(`${playground.url}/api/connect/connections`, { headers: { cookie: 'demo_user=alice' } })).json()
      expect(list.items).toEqual([expect.objectContaining({ id, providerId: 'slack' })])
      expect((await pool.query(`SELECT user_id FROM ${schema}.provider_connections WHERE id = $1`, [id])).rows).toEqual([{ user_id: 'alice' }])
    } finally {
      await playground.close()
      await pool.query(`DROP SCHEMA ${schema} CASCADE`)
    }
  })
})
