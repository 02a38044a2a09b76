// @vitest-environment node
// The SQL store against a real PostgreSQL server (CI installs Debian's `postgresql`). Never skipped:
// without PostgreSQL this fails with an install hint.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlConnectionStore, type ConnectionStore } from '../../src/server/index.js'
import { startPlayground } from '../../playground/start.js'
import { makeServer } from './helpers.js'
import { startTestPostgres, type TestPostgres } from './postgres-server.js'
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
  created.push(table)
  return table
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
