// @vitest-environment node
import { PGlite } from '@electric-sql/pglite'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectServerError, memoryConnectionStore, sqlConnectionStore, type ConnectedEvent, type ConnectionStore } from '../../src/server/index.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, PROVIDERS, makeServer } from './helpers.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('completion is recorded on the server', () => {
  it('a completed session read by its owner is saved once, whatever the number of reads, and onConnected fires once', async () => {
    const onConnected = vi.fn<(event: ConnectedEvent) => void>()
    const { call, connect, server } = makeServer({ onConnected })
    const { sessionId, authConfigId, read } = await connect('alice')
    expect(read.json).toMatchObject({ status: 'completed', authConfig: { id: authConfigId } })
    for (let i = 0; i < 5; i++) expect((await call('alice', 'GET', `/setup-sessions/${sessionId}`)).json.status).toBe('completed')
    await Promise.all(Array.from({ length: 5 }, () => call('alice', 'GET', `/setup-sessions/${sessionId}`)))
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected.mock.calls[0]?.[0]).toMatchObject({ userId: 'alice', providerId: 'slack', authConfigId, session: { id: sessionId, status: 'completed' } })
    expect((await server.listConnections('alice')).map(connection => connection.id)).toEqual([authConfigId])
  })

  it('exactly once across app servers sharing one database (PGlite), reads racing', async () => {
    const db = new PGlite()
    const sim = createMetorialSimulation({ apiKey: API_KEY, providers: PROVIDERS, publicBaseUrl: 'http://metorial.test' })
    const events: string[] = []
    const servers = [1, 2, 3].map(n =>
      makeServer({ store: sqlConnectionStore({ query: (text, params) => db.query(text, params) }), onConnected: event => void events.push(`server${n}:${event.authConfigId}`) }, sim),
    )
    const created = await servers[0]!.call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    const authConfigId = sim.complete(created.json.id)
    const reads = await Promise.all(servers.flatMap(server => [1, 2, 3, 4].map(() => server.call('alice', 'GET', `/setup-sessions/${created.json.id}`))))
    expect(reads.every(read => read.status === 200 && read.json.status === 'completed')).toBe(true)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatch(new RegExp(`:${authConfigId}$`))
    expect((await db.query('SELECT count(*)::int AS n FROM provider_connections')).rows).toEqual([{ n: 1 }])
    await db.close()
  })

  it('pending, failed and expired sessions save nothing; another user reading the session gets 404 and saves nothing', async () => {
    const onConnected = vi.fn()
    // Reads alone, here: a list's sync would rightly record Alice's completed session (lifecycle.test.ts).
    const { call, sim, server } = makeServer({ onConnected, syncIntervalMs: false })
    const pending = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    const failed = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    sim.fail(failed.id)
    const expired = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    sim.expire(expired.id)
    for (const session of [pending, failed, expired]) await call('alice', 'GET', `/setup-sessions/${session.id}`)
    const completed = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    sim.complete(completed.id)
    expect((await call('bob', 'GET', `/setup-sessions/${completed.id}`)).status).toBe(404)
    expect(await server.listConnections('alice')).toEqual([])
    expect(await server.listConnections('bob')).toEqual([])
    expect(onConnected).not.toHaveBeenCalled()
  })

  it('an onConnected that throws is logged; the connection is saved and the answer unchanged', async () => {
    const { connect, logs, server } = makeServer({
      onConnected: () => {
        throw new Error('audit sink down')
      },
    })
    const { read, authConfigId } = await connect('alice')
    expect(read.status).toBe(200)
    expect((await server.listConnections('alice'))[0]?.id).toBe(authConfigId)
    expect(logs.error.join()).toMatch(/onConnected threw.*audit sink down/)
  })

  it('a store that fails answers a retryable 503 without internals, and logs the cause', async () => {
    const broken: ConnectionStore = {
      insert: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
      list: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
      find: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
      markRemoved: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
    }
    const { call, sim, logs } = makeServer({ store: broken })
    const created = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    sim.complete(created.id)
    for (const answer of [await call('alice', 'GET', `/setup-sessions/${created.id}`), await call('alice', 'GET', '/connections'), await call('alice', 'DELETE', '/connections/pac_x')]) {
      expect(answer).toMatchObject({ status: 503, json: { code: 'store_unavailable' } })
      expect(answer.json.message).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/)
    }
    expect(logs.error.join()).toMatch(/ECONNREFUSED/)
  })
})

describe('lists and removals read the store', () => {
  it('a list makes no upstream request, and holds token / API-key connections Metorial never lists', async () => {
    // With the sync off; within the sync interval the same holds (lifecycle.test.ts).
    const { call, connect, upstream } = makeServer({ syncIntervalMs: false })
    const slack = await connect('alice', 'slack')
    const exa = await connect('alice', 'exa')
    const before = upstream()
    const list = await call('alice', 'GET', '/connections')
    expect(upstream() - before).toBe(0)
    // Two connections made in the same millisecond may list in either order.
    const items = list.json.items.map((item: { id: string; providerId: string }) => [item.providerId, item.id])
    expect(items).toHaveLength(2)
    expect(items).toEqual(expect.arrayContaining([['slack', slack.authConfigId], ['exa', exa.authConfigId]]))
  })

  it('a user who connects after 3,000 other users’ connections sees theirs, in one store query', async () => {
    const { call, connect, upstream } = makeServer({ syncIntervalMs: false })
    for (let i = 0; i < 3000; i++) await connect(`user-${i}`, i % 2 ? 'slack' : 'github')
    const mine = await connect('newcomer', 'github')
    const before = upstream()
    const list = await call('newcomer', 'GET', '/connections')
    expect(list.json.items).toEqual([expect.objectContaining({ id: mine.authConfigId, providerId: 'github', status: 'active' })])
    expect(upstream() - before).toBe(0)
  }, 60_000)

  it('remove archives upstream (one request); a repeated remove is 204 with none; a later read of the session does not bring it back', async () => {
    const onConnected = vi.fn()
    const { call, connect, sim, upstream, server } = makeServer({ onConnected })
    const { sessionId, authConfigId } = await connect('alice')
    let before = upstream()
    expect((await call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
    expect(upstream() - before).toBe(1)
    expect(sim.listAuthConfigs().find(config => config.id === authConfigId)?.status).toBe('archived')
    before = upstream()
    expect((await call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
    expect(upstream() - before).toBe(0)
    await call('alice', 'GET', `/setup-sessions/${sessionId}`)
    expect(await server.listConnections('alice')).toEqual([])
    expect(onConnected).toHaveBeenCalledTimes(1)
  })

  it('a connection already archived elsewhere (Metorial answers 4xx) is removed: 204, not a 502 that can never succeed', async () => {
    const { call, connect, sim, server } = makeServer()
    const { authConfigId } = await connect('alice')
    sim.failNext('delete-auth-config', { status: 400, body: { status: 400, code: 'invalid_state', message: 'already archived' } })
    sim.failNext('get-auth-config', { status: 200, body: { id: authConfigId, status: 'archived', provider_id: 'slack' } })
    expect((await call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
    expect(await server.listConnections('alice')).toEqual([])
  })

  it('a connection linked to an identity credential answers 409 with a clear message and stays listed', async () => {
    const { call, connect, sim, server } = makeServer()
    const { authConfigId } = await connect('alice')
    sim.linkToIdentity(authConfigId as string)
    const answer = await call('alice', 'DELETE', `/connections/${authConfigId}`)
    expect(answer).toMatchObject({ status: 409, json: { code: 'connection_in_use', message: 'This connection is in use elsewhere in the app and cannot be removed here.' } })
    expect((await server.listConnections('alice')).map(item => item.id)).toEqual([authConfigId])
  })

  it('another user’s connection answers 404, like a missing one, and is left alone', async () => {
    const { call, connect, sim, upstream } = makeServer()
    const { authConfigId } = await connect('alice')
    const before = upstream()
    const foreign = await call('bob', 'DELETE', `/connections/${authConfigId}`)
    const missing = await call('bob', 'DELETE', '/connections/pac_missing')
    expect(foreign).toMatchObject({ status: 404, json: missing.json })
    expect(upstream() - before).toBe(0)
    expect(sim.listAuthConfigs().find(config => config.id === authConfigId)?.status).toBe('active')
  })
})

describe('listConnections and removeConnection, for the app’s own server code', () => {
  it('listConnections gives what withProviderSession takes: providerAuthConfigId beside the deployment', async () => {
    const { connect, server } = makeServer()
    const { authConfigId } = await connect('alice', 'slack', { providerDeploymentId: 'pde_slack' })
    const connections = await server.listConnections('alice')
    expect(connections).toEqual([
      { id: authConfigId, providerAuthConfigId: authConfigId, providerId: 'slack', providerDeploymentId: 'pde_slack', status: 'active', name: 'Slack account', createdAt: expect.any(String) },
    ])
    const providers = connections.map(connection => ({ providerDeploymentId: connection.providerDeploymentId, providerAuthConfigId: connection.providerAuthConfigId }))
    expect(providers).toEqual([{ providerDeploymentId: 'pde_slack', providerAuthConfigId: authConfigId }])
  })

  it('removeConnection removes, reports a repeat, and throws 404 for another user’s', async () => {
    const { connect, server } = makeServer()
    const { authConfigId } = await connect('alice')
    await expect(server.removeConnection('bob', authConfigId as string)).rejects.toMatchObject({ status: 404, code: 'not_found' })
    await expect(server.removeConnection('bob', authConfigId as string)).rejects.toBeInstanceOf(ConnectServerError)
    expect(await server.removeConnection('alice', authConfigId as string)).toBe('removed')
    expect(await server.removeConnection('alice', authConfigId as string)).toBe('already_removed')
    await expect(server.listConnections('')).rejects.toThrow(/user id/)
  })
})

describe('Metorial’s real behaviour', () => {
  it('sends type auth_only by default, so a provider with a configuration schema completes', async () => {
    const { connect, sim } = makeServer()
    const { read } = await connect('alice', 'notion')
    expect(read.json.status).toBe('completed')
    expect(sim.requests.find(request => request.method === 'POST')?.body).toMatchObject({ type: 'auth_only' })
  })

  it('sessionType is overridable: auto stays pending after Allow for that provider, as Metorial does', async () => {
    const { connect, server } = makeServer({ sessionType: 'auto' })
    const { read, authConfigId } = await connect('alice', 'notion')
    expect(authConfigId).toBeNull()
    expect(read.json.status).toBe('pending')
    expect(await server.listConnections('alice')).toEqual([])
  })

  it('providerAuthCredentialsId is resolved on the server (BYO OAuth); the browser cannot choose it', async () => {
    let acme = ''
    const resolve = vi.fn((providerId: string, request: Request) => (providerId === 'jira' && request.headers.get('x-user') === 'acme-admin' ? acme : null))
    const { call, sim, server } = makeServer({ providerAuthCredentialsId: resolve })
    acme = (await server.createAuthCredentials({ providerId: 'jira', clientId: 'acme', clientSecret: 'acme-secret' })).id
    const created = await call('acme-admin', 'POST', '/setup-sessions', { providerId: 'jira', providerAuthCredentialsId: 'par_evil', provider_auth_credentials_id: 'par_evil' })
    expect(created.status).toBe(201)
    expect(resolve).toHaveBeenCalledWith('jira', expect.any(Request))
    expect(sim.getSession(created.json.id)?.credentials).toMatchObject({ object: 'provider.auth_credentials', id: acme })
    const other = await call('someone', 'POST', '/setup-sessions', { providerId: 'slack', providerAuthCredentialsId: 'par_evil' })
    expect(sim.getSession(other.json.id)?.credentials).toBeNull()
  })

  it('the default version header is one every platform version accepts', async () => {
    const { connect, sim } = makeServer()
    await connect('alice')
    expect(new Set(sim.requests.map(request => request.version))).toEqual(new Set(['mt_2026_01_01_magnetar']))
  })
})

describe('the store option', () => {
  it('omitted in production: a clear error at creation', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(() => makeServer({ store: undefined })).toThrow(/needs `store` in production.*sqlConnectionStore/)
  })

  it('omitted elsewhere: memory, with one warning per process', async () => {
    vi.stubEnv('NODE_ENV', 'development')
    vi.resetModules()
    const { createConnectServer } = await import('../../src/server/index.js')
    const warn = vi.fn()
    const make = () => createConnectServer({ apiKey: API_KEY, getUserId: () => 'alice', logger: { warn, error() {} } })
    make()
    make()
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]?.[0]).toMatch(/kept in memory and lost on restart/)
    expect(memoryConnectionStore).toBeTypeOf('function')
  })
})
