// @vitest-environment node
// A connection's life after the connect, on the server: sync (batching, interval, failure, sharing),
// recovery of completions no page read, reconnect in place, rename, and the events of each change.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryConnectionStore, type ConnectionEvent, type ConnectionStore, type StoredConnection } from '../../src/server/index.js'
import { createMetorialSimulation, type MetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer, PROVIDERS } from './helpers.js'

const START = Date.parse('2026-03-01T09:00:00.000Z')
const MINUTE = 60_000

beforeEach(() => {
  // Only the clock: the sync's timing is read from Date.now, everything else runs as usual.
  vi.useFakeTimers({ toFake: ['Date'], now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms)
}

function simulation(): MetorialSimulation {
  return createMetorialSimulation({ apiKey: API_KEY, providers: PROVIDERS, publicBaseUrl: 'http://metorial.test' })
}

/** What Metorial's dashboard does to an auth config: archive it (its REST DELETE). */
async function archiveAtMetorial(sim: MetorialSimulation, id: string): Promise<void> {
  const answer = await sim.handle(new Request(`http://metorial.test/provider-auth-configs/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${API_KEY}` } }))
  expect(answer.status).toBe(200)
}

function row(id: string, userId = 'alice', overrides: Partial<StoredConnection> = {}): StoredConnection {
  return { id, userId, providerId: 'slack', providerDeploymentId: null, sessionId: null, name: null, createdAt: new Date(START).toISOString(), removedAt: null, api: 'setup-sessions', ...overrides }
}

/** A server whose events are collected, over a memory store the test can read. */
function lifecycleServer(options: Parameters<typeof makeServer>[0] = {}, sim = simulation()) {
  const events: ConnectionEvent[] = []
  const onConnected = vi.fn()
  const store = (options.store as ReturnType<typeof memoryConnectionStore> | undefined) ?? memoryConnectionStore()
  const env = makeServer({ store, onConnected, onConnectionEvent: event => void events.push(event), ...options }, sim)
  /** The Metorial requests made while `run` ran. */
  async function requestsDuring(run: () => Promise<unknown>) {
    const before = env.sim.requests.length
    await run()
    return env.sim.requests.slice(before)
  }
  return { ...env, store, events, onConnected, requestsDuring }
}

describe('sync: the list tells the truth about Metorial', () => {
  it('costs one request per 100 connections, none inside the interval, and one again after it', async () => {
    for (const count of [1, 150, 1000]) {
      const env = lifecycleServer()
      for (let i = 0; i < count; i++) await env.store.insert(row(env.sim.seedAuthConfig({ providerId: 'slack' })))
      const first = await env.requestsDuring(() => env.call('alice', 'GET', '/connections'))
      expect(first.map(request => `${request.method} ${request.path}`)).toEqual(Array.from({ length: Math.ceil(count / 100) }, () => 'GET /provider-auth-configs'))
      // Each request names at most 100 ids, each id once across them.
      const ids = first.flatMap(request => new URLSearchParams(request.query).getAll('id'))
      expect(Math.max(...first.map(request => new URLSearchParams(request.query).getAll('id').length))).toBeLessThanOrEqual(100)
      expect(new Set(ids).size).toBe(count)
      advance(MINUTE - 1)
      expect(await env.requestsDuring(() => env.call('alice', 'GET', '/connections'))).toEqual([])
      expect(await env.requestsDuring(() => env.server.listConnections('alice'))).toEqual([])
      advance(1)
      expect(await env.requestsDuring(() => env.server.listConnections('alice'))).toHaveLength(Math.ceil(count / 100))
    }
  }, 60_000)

  it('shows an account archived at Metorial as revoked within the interval, fires revoked once, and keeps token configs Metorial never lists', async () => {
    const env = lifecycleServer()
    const slack = await env.connect('alice', 'slack')
    advance(1)
    const exa = await env.connect('alice', 'exa')
    expect((await env.call('alice', 'GET', '/connections')).json.items.map((item: { status: string }) => item.status)).toEqual(['active', 'active'])
    await archiveAtMetorial(env.sim, slack.authConfigId as string)
    advance(MINUTE)
    const requests = await env.requestsDuring(async () => {
      const list = await env.call('alice', 'GET', '/connections')
      expect(list.status).toBe(200)
      expect(list.json.items).toEqual([
        expect.objectContaining({ id: slack.authConfigId, status: 'revoked', revokedAt: new Date(START + 1 + MINUTE).toISOString() }),
        expect.objectContaining({ id: exa.authConfigId, status: 'active' }),
      ])
      expect(list.json.items[1]).not.toHaveProperty('revokedAt')
    })
    // One list for both, then a read of the token config the list leaves out (it is ephemeral).
    expect(requests.map(request => `${request.method} ${request.path}`)).toEqual(['GET /provider-auth-configs', `GET /provider-auth-configs/${exa.authConfigId}`])
    expect(env.events.filter(event => event.type === 'revoked')).toEqual([{ type: 'revoked', userId: 'alice', connection: expect.objectContaining({ id: slack.authConfigId, status: 'revoked' }) }])
    advance(MINUTE)
    const later = await env.requestsDuring(() => env.server.listConnections('alice'))
    // A revoked connection is not checked again.
    expect(later.flatMap(request => new URLSearchParams(request.query).getAll('id'))).toEqual([exa.authConfigId])
    expect(later.map(request => request.path)).not.toContain(`/provider-auth-configs/${slack.authConfigId}`)
    expect(env.events.filter(event => event.type === 'revoked')).toHaveLength(1)
    // Removing it asks Metorial nothing: it is already archived there.
    expect(await env.requestsDuring(() => env.call('alice', 'DELETE', `/connections/${slack.authConfigId}`))).toEqual([])
    expect((await env.call('alice', 'GET', '/connections')).json.items.map((item: { id: string }) => item.id)).toEqual([exa.authConfigId])
  })

  it('marks revoked a connection Metorial does not know (404) or deleted, and leaves legacy connections unchecked', async () => {
    const env = lifecycleServer()
    await env.store.insert(row('pac_unknown'))
    await env.store.insert(row('soas_legacy', 'alice', { api: 'oauth-sessions' }))
    const requests = await env.requestsDuring(() => env.server.listConnections('alice'))
    expect(requests.map(request => `${request.method} ${request.path}`)).toEqual(['GET /provider-auth-configs', 'GET /provider-auth-configs/pac_unknown'])
    expect((await env.server.listConnections('alice')).map(item => [item.id, item.status])).toEqual([
      ['pac_unknown', 'revoked'],
      ['soas_legacy', 'active'],
    ])
  })

  it('a failing Metorial changes nothing: the list still answers 200 from the store, the failure is logged, and syncConnections throws', async () => {
    const env = lifecycleServer()
    const slack = await env.connect('alice', 'slack')
    await archiveAtMetorial(env.sim, slack.authConfigId as string)
    advance(MINUTE)
    env.sim.failNext('list-auth-configs', { status: 500 })
    const list = await env.call('alice', 'GET', '/connections')
    expect(list.status).toBe(200)
    expect(list.json.items).toEqual([expect.objectContaining({ id: slack.authConfigId, status: 'active' })])
    expect((await env.store.find('alice', slack.authConfigId as string))?.revokedAt ?? null).toBeNull()
    expect(env.logs.error.join('\n')).toMatch(/checking the user’s connections at Metorial failed/)
    expect(env.events).toEqual([expect.objectContaining({ type: 'connected' })])
    // A read failing after the list answered: still all or nothing.
    await env.store.insert(row('pac_unknown'))
    env.sim.failNext('get-auth-config', { status: 502 })
    await expect(env.server.syncConnections('alice')).rejects.toMatchObject({ status: 502, code: 'upstream_error' })
    expect((await env.store.list('alice')).map(item => item.revokedAt ?? null)).toEqual([null, null])
    // The next check finds the truth.
    // Both rows share one creation time (the clock is frozen), so their order is not the point.
    const byId = (pairs: Array<[string | null, string | undefined]>) => [...pairs].sort(([a], [b]) => String(a).localeCompare(String(b)))
    expect(byId((await env.server.syncConnections('alice')).map(item => [item.id, item.status]))).toEqual(
      byId([
        [slack.authConfigId, 'revoked'],
        ['pac_unknown', 'revoked'],
      ]),
    )
  })

  it('concurrent lists of one user share one sync, in one process and across servers over one store', async () => {
    const env = lifecycleServer()
    for (let i = 0; i < 3; i++) await env.store.insert(row(env.sim.seedAuthConfig({ providerId: 'slack' })))
    const other = lifecycleServer({ store: env.store }, env.sim)
    const requests = await env.requestsDuring(() =>
      Promise.all([...Array.from({ length: 5 }, () => env.call('alice', 'GET', '/connections')), ...Array.from({ length: 5 }, () => other.server.listConnections('alice'))]),
    )
    expect(requests).toHaveLength(1)
  })

  it('syncIntervalMs: false never syncs on a list; syncConnections(userId) still does', async () => {
    const env = lifecycleServer({ syncIntervalMs: false })
    const slack = await env.connect('alice', 'slack')
    await archiveAtMetorial(env.sim, slack.authConfigId as string)
    advance(10 * MINUTE)
    expect(await env.requestsDuring(() => env.call('alice', 'GET', '/connections'))).toEqual([])
    expect((await env.server.syncConnections('alice')).map(item => item.status)).toEqual(['revoked'])
  })

  it('refuses a syncIntervalMs that is not a number of milliseconds or false', () => {
    for (const syncIntervalMs of [-1, Number.NaN, '60000', true]) {
      expect(() => makeServer({ syncIntervalMs: syncIntervalMs as never })).toThrow(/syncIntervalMs/)
    }
  })
})

describe('no completion lost', () => {
  it('a session approved while no page read it is stored at the next list, with onConnected and connected once', async () => {
    const env = lifecycleServer()
    const created = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(await env.store.unfinishedSessions('alice')).toEqual([
      { id: created.json.id, userId: 'alice', providerId: 'slack', api: 'setup-sessions', replacesConnectionId: null, expiresAt: created.json.expiresAt },
    ])
    const authConfigId = env.sim.complete(created.json.id)
    const list = await env.call('alice', 'GET', '/connections')
    expect(list.json.items).toEqual([expect.objectContaining({ id: authConfigId, providerId: 'slack', status: 'active' })])
    expect(env.onConnected).toHaveBeenCalledTimes(1)
    expect(env.onConnected).toHaveBeenCalledWith(expect.objectContaining({ userId: 'alice', authConfigId }))
    expect(env.events).toEqual([{ type: 'connected', userId: 'alice', connection: expect.objectContaining({ id: authConfigId, status: 'active' }) }])
    expect(await env.store.unfinishedSessions(null)).toEqual([])
    // The page coming back later reads it: nothing more happens.
    expect((await env.call('alice', 'GET', `/setup-sessions/${created.json.id}`)).json.status).toBe('completed')
    advance(MINUTE)
    await env.server.listConnections('alice')
    expect(env.onConnected).toHaveBeenCalledTimes(1)
    expect(env.events).toHaveLength(1)
  })

  it('a page that reads the ended session forgets it; a pending one stays remembered and costs one read per sync', async () => {
    const env = lifecycleServer()
    const done = await env.connect('alice')
    expect(done.read.json.status).toBe('completed')
    const pending = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'github' })
    expect((await env.store.unfinishedSessions('alice')).map(item => item.id)).toEqual([pending.json.id])
    advance(MINUTE)
    const requests = await env.requestsDuring(() => env.server.listConnections('alice'))
    expect(requests.map(request => `${request.method} ${request.path}`)).toEqual([`GET /provider-setup-sessions/${pending.json.id}`, 'GET /provider-auth-configs'])
    expect((await env.store.unfinishedSessions('alice')).map(item => item.id)).toEqual([pending.json.id])
    env.sim.fail(pending.json.id)
    advance(MINUTE)
    await env.server.listConnections('alice')
    expect(await env.store.unfinishedSessions('alice')).toEqual([])
  })

  it('sessions past expiry are forgotten without a read, and remembering a session sweeps expired ones', async () => {
    const env = lifecycleServer()
    await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    await env.call('bob', 'POST', '/setup-sessions', { providerId: 'slack' })
    advance(31 * MINUTE)
    const requests = await env.requestsDuring(() => env.server.syncConnections('alice'))
    expect(requests).toEqual([])
    expect((await env.store.unfinishedSessions(null)).map(item => item.userId)).toEqual(['bob'])
    const carol = await env.call('carol', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect((await env.store.unfinishedSessions(null)).map(item => item.id)).toEqual([carol.json.id])
  })

  it('syncConnections() (a cron job) records every user’s unfinished completions with one read each, and checks every due user', async () => {
    const env = lifecycleServer({ syncIntervalMs: false })
    const alice = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    const bob = await env.call('bob', 'POST', '/setup-sessions', { providerId: 'github' })
    const stale = await env.call('carol', 'POST', '/setup-sessions', { providerId: 'slack' })
    const aliceConfig = env.sim.complete(alice.json.id)
    const bobConfig = env.sim.complete(bob.json.id)
    const dave = env.sim.seedAuthConfig({ providerId: 'slack' })
    await env.store.insert(row(dave, 'dave'))
    await archiveAtMetorial(env.sim, dave)
    env.sim.expire(stale.json.id)
    let changed: Awaited<ReturnType<typeof env.server.syncConnections>> = []
    const requests = await env.requestsDuring(async () => {
      changed = await env.server.syncConnections()
    })
    expect(requests.filter(request => request.path.startsWith('/provider-setup-sessions/')).map(request => request.path).sort()).toEqual(
      [`/provider-setup-sessions/${alice.json.id}`, `/provider-setup-sessions/${bob.json.id}`, `/provider-setup-sessions/${stale.json.id}`].sort(),
    )
    expect(changed.map(item => [item.id, item.status]).sort()).toEqual([
      [aliceConfig, 'active'],
      [bobConfig, 'active'],
      [dave, 'revoked'],
    ].sort())
    expect(await env.store.unfinishedSessions(null)).toEqual([])
    expect(env.events.map(event => `${event.type} ${event.userId}`).sort()).toEqual(['connected alice', 'connected bob', 'revoked dave'])
    // Right after, nothing is due and nothing is unfinished: no request at all.
    expect(await env.requestsDuring(() => env.server.syncConnections())).toEqual([])
    advance(MINUTE)
    expect((await env.requestsDuring(() => env.server.syncConnections())).map(request => request.path)).toEqual(['/provider-auth-configs', '/provider-auth-configs'])
  })
})

describe('reconnect in place', () => {
  it('a revoked account reconnected: one row, the old label, a new id; the old one ended, reconnected fired once', async () => {
    const env = lifecycleServer()
    const first = await env.connect('alice', 'slack')
    const oldId = first.authConfigId as string
    expect((await env.call('alice', 'PATCH', `/connections/${oldId}`, { name: 'Work Slack' })).status).toBe(200)
    await archiveAtMetorial(env.sim, oldId)
    advance(MINUTE)
    expect((await env.call('alice', 'GET', '/connections')).json.items).toEqual([expect.objectContaining({ id: oldId, status: 'revoked', name: 'Work Slack' })])
    const created = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', replacesConnectionId: oldId })
    expect(created.status).toBe(201)
    expect(await env.store.unfinishedSessions('alice')).toEqual([expect.objectContaining({ id: created.json.id, replacesConnectionId: oldId })])
    const newId = env.sim.complete(created.json.id) as string
    const requests = await env.requestsDuring(() => env.call('alice', 'GET', `/setup-sessions/${created.json.id}`))
    // Already archived at Metorial, so no DELETE; the new auth config takes the label there too.
    expect(requests.map(request => `${request.method} ${request.path}`)).toEqual([`GET /provider-setup-sessions/${created.json.id}`, `PATCH /provider-auth-configs/${newId}`])
    expect(env.sim.listAuthConfigs().find(config => config.id === newId)?.name).toBe('Work Slack')
    const list = (await env.call('alice', 'GET', '/connections')).json.items
    expect(list).toEqual([expect.objectContaining({ id: newId, status: 'active', name: 'Work Slack' })])
    expect(await env.store.find('alice', oldId)).toMatchObject({ replacedBy: newId, removedAt: expect.any(String) })
    expect(env.events.map(event => event.type)).toEqual(['connected', 'renamed', 'revoked', 'reconnected'])
    expect(env.events[3]).toEqual({ type: 'reconnected', userId: 'alice', connection: expect.objectContaining({ id: newId, name: 'Work Slack' }), previousConnectionId: oldId })
    expect(env.onConnected).toHaveBeenCalledTimes(2)
  })

  it('an active account reconnected is archived at Metorial by the one server that ended it; snake_case is accepted', async () => {
    const env = lifecycleServer()
    const oldId = (await env.connect('alice', 'slack')).authConfigId as string
    const created = await env.call('alice', 'POST', '/setup-sessions', { provider_id: 'slack', replaces_connection_id: oldId })
    const newId = env.sim.complete(created.json.id) as string
    await Promise.all(Array.from({ length: 5 }, () => env.call('alice', 'GET', `/setup-sessions/${created.json.id}`)))
    expect(env.sim.listAuthConfigs().find(config => config.id === oldId)?.status).toBe('archived')
    expect(env.sim.requests.filter(request => request.method === 'DELETE')).toHaveLength(1)
    expect((await env.server.listConnections('alice')).map(item => item.id)).toEqual([newId])
    expect(env.events.filter(event => event.type === 'reconnected')).toHaveLength(1)
  })

  it('the connection to replace must be the user’s and live: else 404 connection_not_found before anything is created; a malformed id is 400', async () => {
    const env = lifecycleServer()
    const bobs = (await env.connect('bob', 'slack')).authConfigId as string
    const alices = (await env.connect('alice', 'slack')).authConfigId as string
    await env.call('alice', 'DELETE', `/connections/${alices}`)
    for (const id of [bobs, alices, 'pac_unknown']) {
      const before = env.sim.requests.length
      expect(await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', replacesConnectionId: id })).toMatchObject({ status: 404, json: { code: 'connection_not_found' } })
      expect(env.sim.requests.length).toBe(before)
    }
    expect((await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', replacesConnectionId: 'not an id' })).json.code).toBe('invalid_replaces_connection_id')
  })

  it('a client cannot name the connection to replace through metadata', async () => {
    const env = lifecycleServer()
    const bobs = (await env.connect('bob', 'slack')).authConfigId as string
    const created = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', metadata: { connect_replaces_connection_id: bobs, plan: 'pro' } })
    expect(created.status).toBe(201)
    expect(env.sim.getSession(created.json.id)?.metadata).toEqual({ plan: 'pro', connect_user_id: 'alice' })
    env.sim.complete(created.json.id)
    await env.call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    expect((await env.server.listConnections('bob')).map(item => item.id)).toEqual([bobs])
  })

  it('a session for another provider does not replace the connection', async () => {
    const env = lifecycleServer()
    const oldId = (await env.connect('alice', 'slack')).authConfigId as string
    advance(1)
    const created = await env.call('alice', 'POST', '/setup-sessions', { providerId: 'github', replacesConnectionId: oldId })
    const newId = env.sim.complete(created.json.id)
    await env.call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    expect((await env.server.listConnections('alice')).map(item => item.id)).toEqual([oldId, newId])
    expect(env.events.map(event => event.type)).toEqual(['connected', 'connected'])
  })
})

describe('rename', () => {
  it('trims, updates Metorial and the store, answers the Connection, and fires renamed once', async () => {
    const env = lifecycleServer()
    const id = (await env.connect('alice', 'slack')).authConfigId as string
    const requests = await env.requestsDuring(async () => {
      const answer = await env.call('alice', 'PATCH', `/connections/${id}`, { name: '  Work Slack \u{1F4BC} ' })
      expect(answer).toMatchObject({ status: 200, json: { id, providerAuthConfigId: id, providerId: 'slack', status: 'active', name: 'Work Slack \u{1F4BC}' } })
    })
    expect(requests.map(request => [request.method, request.path, request.body])).toEqual([['PATCH', `/provider-auth-configs/${id}`, { name: 'Work Slack \u{1F4BC}' }]])
    expect(env.sim.listAuthConfigs().find(config => config.id === id)?.name).toBe('Work Slack \u{1F4BC}')
    expect((await env.server.listConnections('alice'))[0]?.name).toBe('Work Slack \u{1F4BC}')
    expect(env.events.filter(event => event.type === 'renamed')).toEqual([{ type: 'renamed', userId: 'alice', connection: expect.objectContaining({ id, name: 'Work Slack \u{1F4BC}' }) }])
  })

  it('refuses names that are empty, too long, not text, or hold control characters: 400 invalid_name, nothing sent to Metorial', async () => {
    const env = lifecycleServer()
    const id = (await env.connect('alice', 'slack')).authConfigId as string
    const before = env.sim.requests.length
    for (const body of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 'a\nb' }, { name: 'tab\there' }, { name: 'bell\u0007' }, { name: 'c1\u0085' }, { name: 42 }, {}, { title: 'x' }, ['x']]) {
      const answer = await env.call('alice', 'PATCH', `/connections/${id}`, body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.json.code).toBe('invalid_name')
      expect(answer.json.message).toEqual(expect.any(String))
    }
    // 100 characters (emoji count as one each) is the most.
    expect((await env.call('alice', 'PATCH', `/connections/${id}`, { name: '\u{1F600}'.repeat(100) })).status).toBe(200)
    expect(env.sim.requests.length).toBe(before + 1)
  })

  it('another user’s, an unknown, or a removed id is 404 connection_not_found; a malformed id 400; a non-JSON body 415', async () => {
    const env = lifecycleServer()
    const bobs = (await env.connect('bob', 'slack')).authConfigId as string
    const alices = (await env.connect('alice', 'slack')).authConfigId as string
    await env.call('alice', 'DELETE', `/connections/${alices}`)
    const before = env.sim.requests.length
    for (const id of [bobs, alices, 'pac_unknown']) {
      expect(await env.call('alice', 'PATCH', `/connections/${id}`, { name: 'Mine' })).toMatchObject({ status: 404, json: { code: 'connection_not_found' } })
    }
    expect((await env.call('alice', 'PATCH', '/connections/a%20b', { name: 'Mine' })).json.code).toBe('invalid_id')
    const form = await env.server.handler(new Request('http://app.test/api/connect/connections/' + bobs, { method: 'PATCH', headers: { 'x-user': 'bob', 'content-type': 'text/plain' }, body: '{"name":"x"}' }))
    expect(form.status).toBe(415)
    expect(env.sim.requests.length).toBe(before)
    expect((await env.server.listConnections('bob'))[0]?.name).not.toBe('Mine')
    expect(env.events.filter(event => event.type === 'renamed')).toEqual([])
  })

  it('is rate limited like other writes (action rename_connection), and a revoked connection is renamed in the store only', async () => {
    const actions: string[] = []
    const env = lifecycleServer({ rateLimit: ({ action }) => (actions.push(action), action === 'rename_connection' && actions.filter(item => item === action).length > 1 ? { allowed: false, retryAfterSeconds: 7 } : { allowed: true }) })
    const id = (await env.connect('alice', 'slack')).authConfigId as string
    await archiveAtMetorial(env.sim, id)
    advance(MINUTE)
    await env.server.listConnections('alice')
    const requests = await env.requestsDuring(async () => expect((await env.call('alice', 'PATCH', `/connections/${id}`, { name: 'Old Slack' })).json).toMatchObject({ status: 'revoked', name: 'Old Slack' }))
    expect(requests).toEqual([])
    const limited = await env.call('alice', 'PATCH', `/connections/${id}`, { name: 'Again' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(actions).toEqual(['create_session', 'rename_connection', 'rename_connection'])
  })
})

describe('onConnectionEvent', () => {
  it('tells each change once, and one that throws is logged without changing the answer', async () => {
    const env = lifecycleServer({
      onConnectionEvent: event => {
        seen.push(event.type)
        throw new Error(`sink down for ${event.type}`)
      },
    })
    const seen: string[] = []
    const id = (await env.connect('alice', 'slack')).authConfigId as string
    await env.call('alice', 'GET', `/setup-sessions/${(await env.store.find('alice', id))?.sessionId}`)
    expect((await env.call('alice', 'PATCH', `/connections/${id}`, { name: 'Mine' })).status).toBe(200)
    expect((await env.call('alice', 'DELETE', `/connections/${id}`)).status).toBe(204)
    expect((await env.call('alice', 'DELETE', `/connections/${id}`)).status).toBe(204)
    expect(await env.server.removeConnection('alice', id)).toBe('already_removed')
    expect(seen).toEqual(['connected', 'renamed', 'removed'])
    expect(env.logs.error.join('\n')).toMatch(/onConnectionEvent threw on a 'removed' event.*sink down for removed/)
  })
})

describe('a store written for the first four methods', () => {
  function todaysStore(): ConnectionStore {
    const full = memoryConnectionStore()
    return { insert: full.insert, list: full.list, find: full.find, markRemoved: async (userId, id, at) => void (await full.markRemoved(userId, id, at)) }
  }

  it('keeps connecting, listing and removing; warns once naming the methods to add; lifecycle routes answer 501', async () => {
    const env = makeServer({ store: todaysStore() })
    expect(env.logs.warn.join('\n')).toMatch(/none of the lifecycle methods.*add markRevoked, markReplaced, rename, claimSync, dueUsers, rememberSession, unfinishedSessions, forgetSession/)
    const { authConfigId } = await env.connect('alice', 'slack')
    const before = env.upstream()
    expect((await env.call('alice', 'GET', '/connections')).json.items).toEqual([expect.objectContaining({ id: authConfigId, status: 'active' })])
    expect(env.upstream()).toBe(before)
    expect(await env.call('alice', 'PATCH', `/connections/${authConfigId}`, { name: 'x' })).toMatchObject({ status: 501, json: { code: 'not_supported' } })
    expect(await env.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', replacesConnectionId: authConfigId })).toMatchObject({ status: 501, json: { code: 'not_supported' } })
    await expect(env.server.syncConnections('alice')).rejects.toThrow(/lifecycle methods \(markRevoked/)
    expect((await env.call('alice', 'DELETE', `/connections/${authConfigId}`)).status).toBe(204)
    expect(await env.server.listConnections('alice')).toEqual([])
  })

  it('fails at startup when syncIntervalMs is set over it, or when it has only some of the methods, naming what to add', () => {
    expect(() => makeServer({ store: todaysStore(), syncIntervalMs: 30_000 })).toThrow(/syncIntervalMs.*add markRevoked, markReplaced, rename, claimSync, dueUsers, rememberSession, unfinishedSessions, forgetSession/)
    const { rename: _rename, claimSync: _claim, ...partial } = memoryConnectionStore()
    expect(() => makeServer({ store: partial })).toThrow(/some of the lifecycle methods but not all: add rename, claimSync \(/)
  })
})
