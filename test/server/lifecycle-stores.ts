import { expect, vi } from 'vitest'
import { sqlConnectionStore, type ConnectionEvent, type SqlQuery } from '../../src/server/index.js'
import { makeServer } from './helpers.js'

/**
 * The store's schema as the previous release created it, copied here on purpose: the upgrade is
 * tested from this text, not from whatever `connectionStoreSchema` says today.
 */
export function previousReleaseSchema(table: string): string[] {
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
    `CREATE INDEX IF NOT EXISTS ${table.replace('.', '_')}_user_idx ON ${table} (user_id, created_at, id) WHERE removed_at IS NULL`,
    `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS api text`,
  ]
}

/**
 * A database of the previous release's schema, with rows in it, opened by the new store from two
 * servers at once: the rows read back, the new columns and tables work, and a second upgrade is a
 * no-op. Then a server over it finds an old connection revoked.
 */
export async function upgradesFromPreviousSchema(query: SqlQuery, table: string): Promise<void> {
  for (const statement of previousReleaseSchema(table)) await query(statement, [])
  await query(`INSERT INTO ${table} (id, user_id, provider_id, session_id, name, created_at, api) VALUES ('pac_old', 'alice', 'slack', 'pas_old', 'alice@slack', '2026-01-01T10:00:00Z', 'setup-sessions')`, [])
  await query(`INSERT INTO ${table} (id, user_id, provider_id, created_at) VALUES ('soas_old', 'alice', 'github', '2026-01-01T11:00:00Z')`, [])
  await query(`INSERT INTO ${table} (id, user_id, provider_id, created_at, removed_at) VALUES ('pac_gone', 'bob', 'slack', '2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z')`, [])

  const first = sqlConnectionStore({ query, table })
  const second = sqlConnectionStore({ query, table })
  const [alice, bob] = await Promise.all([first.list('alice'), second.list('bob')])
  expect(alice).toEqual([
    { id: 'pac_old', userId: 'alice', providerId: 'slack', providerDeploymentId: null, sessionId: 'pas_old', name: 'alice@slack', createdAt: '2026-01-01T10:00:00.000Z', removedAt: null, api: 'setup-sessions' },
    { id: 'soas_old', userId: 'alice', providerId: 'github', providerDeploymentId: null, sessionId: null, name: null, createdAt: '2026-01-01T11:00:00.000Z', removedAt: null },
  ])
  expect(bob).toEqual([])
  expect(await second.rename('alice', 'pac_old', 'Work Slack')).toMatchObject({ name: 'Work Slack' })
  await first.rememberSession({ id: 'pas_new', userId: 'alice', providerId: 'slack', api: 'setup-sessions', replacesConnectionId: 'pac_old', expiresAt: '2026-01-01T12:30:00.000Z' }, '2026-01-01T12:00:00.000Z')
  expect((await second.unfinishedSessions('alice')).map(session => session.id)).toEqual(['pas_new'])
  expect(await first.claimSync('alice', '2026-01-01T12:00:00.000Z', '2026-01-01T11:59:00.000Z')).toBe(true)
  // Upgrading an upgraded database changes nothing.
  const third = sqlConnectionStore({ query, table })
  expect((await third.list('alice')).map(item => [item.id, item.name])).toEqual([
    ['pac_old', 'Work Slack'],
    ['soas_old', null],
  ])

  // A server over the upgraded store: the old setup-sessions connection, unknown to this Metorial, shows revoked; the legacy one is left as it was.
  const events: ConnectionEvent[] = []
  const env = makeServer({ store: third, onConnectionEvent: event => void events.push(event) })
  expect((await env.server.listConnections('alice')).map(item => [item.id, item.status])).toEqual([
    ['pac_old', 'revoked'],
    ['soas_old', 'active'],
  ])
  expect(events.map(event => `${event.type} ${event.connection.id}`)).toEqual(['revoked pac_old'])
}

/**
 * Two app servers over one store: Alice reconnects an active account in place, and five reads of
 * the completed session race across both. One server ends the old connection, archives it at
 * Metorial and fires `reconnected`; `onConnected` fires once; the list has one row, the old label.
 */
export async function reconnectsOnceAcrossServers(makeStore: () => ReturnType<typeof sqlConnectionStore>): Promise<void> {
  const events: ConnectionEvent[] = []
  const onConnected = vi.fn()
  const options = { onConnected, onConnectionEvent: (event: ConnectionEvent) => void events.push(event) }
  const a = makeServer({ ...options, store: makeStore() })
  const b = makeServer({ ...options, store: makeStore() }, a.sim)
  const oldId = (await a.connect('alice', 'slack')).authConfigId as string
  expect((await b.call('alice', 'PATCH', `/connections/${oldId}`, { name: 'Team Slack' })).status).toBe(200)
  const created = await a.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', replacesConnectionId: oldId })
  expect(created.status).toBe(201)
  const newId = a.sim.complete(created.json.id) as string
  const deletesBefore = a.sim.requests.filter(request => request.method === 'DELETE').length
  const reads = await Promise.all([a, b, a, b, a].map(env => env.call('alice', 'GET', `/setup-sessions/${created.json.id}`)))
  expect(reads.map(read => read.json.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed'])
  expect(events.filter(event => event.type === 'reconnected')).toEqual([{ type: 'reconnected', userId: 'alice', connection: expect.objectContaining({ id: newId, name: 'Team Slack' }), previousConnectionId: oldId }])
  expect(events.map(event => event.type)).toEqual(['connected', 'renamed', 'reconnected'])
  expect(onConnected).toHaveBeenCalledTimes(2)
  expect(a.sim.requests.filter(request => request.method === 'DELETE').length - deletesBefore).toBe(1)
  expect(a.sim.listAuthConfigs().find(config => config.id === oldId)?.status).toBe('archived')
  for (const env of [a, b]) expect((await env.server.listConnections('alice')).map(item => [item.id, item.name, item.status])).toEqual([[newId, 'Team Slack', 'active']])
}
