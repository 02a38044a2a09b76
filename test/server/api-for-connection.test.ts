// @vitest-environment node
// The API for a connection: it is removed (and exported) through the API that made it, whichever
// handler is asked; a 404 from Metorial for a connection the store holds is not a success.
import { PGlite } from '@electric-sql/pglite'
import { afterAll, describe, expect, it } from 'vitest'
import { memoryConnectionStore, sqlConnectionStore, type ConnectionStore } from '../../src/server/index.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer } from './helpers.js'

let db: PGlite | undefined
afterAll(() => db?.close())

/** The documented migration: two handlers, one per API, over one store. */
function migration(store: ConnectionStore = memoryConnectionStore()) {
  const sim = createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' } }, serverDeployments: { svd_slack: 'slack' }, publicBaseUrl: 'http://metorial.test' })
  const current = makeServer({ store }, sim)
  const legacy = makeServer({ api: 'oauth-sessions', store }, sim)
  async function legacyConnection(user = 'alice'): Promise<string> {
    const created = await legacy.call(user, 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    sim.oauthSessions.complete(created.json.id)
    await legacy.call(user, 'GET', `/setup-sessions/${created.json.id}`)
    return created.json.id as string
  }
  const configStatus = (id: string) => sim.listAuthConfigs().find(config => config.id === id)?.status
  return { sim, current, legacy, legacyConnection, configStatus }
}

describe('removal goes to the API that made the connection', () => {
  it('a soas_ connection removed through the setup-sessions handler revokes the OAuth session', async () => {
    const { sim, current, legacyConnection } = migration()
    const id = await legacyConnection()
    expect((await current.call('alice', 'DELETE', `/connections/${id}`)).status).toBe(204)
    expect(sim.oauthSessions.get(id)).toBeUndefined()
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/provider-oauth/sessions/${id}` })
    await expect(current.server.exportConnection('alice', id)).rejects.toMatchObject({ status: 404 })
  })

  it('a pac_ connection removed through the legacy handler archives the auth config', async () => {
    const { current, legacy, configStatus } = migration()
    const { authConfigId } = await current.connect('alice', 'github')
    expect((await legacy.call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
    expect(configStatus(authConfigId as string)).toBe('archived')
  })

  it('removeConnection and exportConnection route the same way', async () => {
    const { sim, current, legacy, legacyConnection, configStatus } = migration()
    const soas = await legacyConnection()
    // No official client can export a legacy OAuth session: refused by what the connection is, whichever handler is asked.
    const requestsBefore = sim.requests.length
    for (const server of [current.server, legacy.server]) {
      await expect(server.exportConnection('alice', soas)).rejects.toMatchObject({ status: 400, code: 'unsupported_for_legacy_connections' })
    }
    expect(sim.requests.length).toBe(requestsBefore)
    expect(await current.server.removeConnection('alice', soas)).toBe('removed')
    expect(sim.oauthSessions.get(soas)).toBeUndefined()
    const { authConfigId } = await current.connect('alice', 'github')
    await legacy.server.exportConnection('alice', authConfigId as string)
    expect(sim.requests.at(-1)?.path).toBe('/provider-auth-config-exports')
    expect(await legacy.server.removeConnection('alice', authConfigId as string)).toBe('removed')
    expect(configStatus(authConfigId as string)).toBe('archived')
  })

  it('a 404 from Metorial for a held connection is an error and keeps the row (both APIs)', async () => {
    const { sim, current, legacy, legacyConnection } = migration()
    const { authConfigId } = await current.connect('alice', 'github')
    sim.failNext('delete-auth-config', { status: 404 })
    expect(await current.call('alice', 'DELETE', `/connections/${authConfigId}`)).toMatchObject({ status: 502, json: { code: 'upstream_error' } })
    expect(current.logs.error.join('\n')).toMatch(/404.*stays recorded/)
    const soas = await legacyConnection()
    // Gone from Metorial behind the store's back (another project's key, a manual delete).
    await sim.handle(new Request(`http://metorial.test/provider-oauth/sessions/${soas}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } }))
    await expect(legacy.server.removeConnection('alice', soas)).rejects.toMatchObject({ status: 502 })
    const listed = (await current.call('alice', 'GET', '/connections')).json.items.map((item: { id: string }) => item.id)
    expect(listed).toEqual(expect.arrayContaining([authConfigId, soas]))
    // Asked again once Metorial answers, the removal happens.
    expect((await current.call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
  })
})

describe('the store records the API', () => {
  it('each completed connection carries api; the SQL table gains the column and old rows stay readable', { timeout: 60_000 }, async () => {
    db = new PGlite()
    await db.waitReady
    await db.query('CREATE SCHEMA routing')
    await db.query('SET search_path TO routing, public')
    // A table as earlier versions made it: no api column, one legacy and one current row.
    await db.query(`CREATE TABLE provider_connections (id text PRIMARY KEY, user_id text NOT NULL, provider_id text NOT NULL, provider_deployment_id text,
      session_id text UNIQUE, name text, created_at timestamptz NOT NULL, removed_at timestamptz)`)
    const pg = db
    const store = sqlConnectionStore({ query: (text, params) => pg.query(text, params) })
    const { sim, current, legacy, legacyConnection, configStatus } = migration(store)
    const oldLegacy = await legacyConnection()
    const { authConfigId: oldCurrent } = await current.connect('alice', 'github')
    // Make them old rows: no api recorded.
    await db.query('UPDATE provider_connections SET api = NULL')
    expect((await store.find('alice', oldLegacy))?.api).toBeUndefined()
    expect((await legacy.call('alice', 'DELETE', `/connections/${oldCurrent}`)).status).toBe(204)
    expect(configStatus(oldCurrent as string)).toBe('archived')
    expect((await current.call('alice', 'DELETE', `/connections/${oldLegacy}`)).status).toBe(204)
    expect(sim.oauthSessions.get(oldLegacy)).toBeUndefined()
    const fresh = await legacyConnection()
    expect((await store.find('alice', fresh))?.api).toBe('oauth-sessions')
    const { authConfigId } = await current.connect('alice', 'slack')
    expect((await store.find('alice', authConfigId as string))?.api).toBe('setup-sessions')
  })
})
