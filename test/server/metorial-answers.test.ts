// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createConnectServer, memoryConnectionStore } from '../../src/server/index.js'
import { legacyAsSetupSession } from '../../src/server/metorial/oauth-sessions.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer } from './helpers.js'

/** How the server reads Metorial's answers, seen from the app: legacy sessions, revoked configs, error detail. */

function legacySimulation() {
  return createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' } }, serverDeployments: { svd_slack: 'slack' }, publicBaseUrl: 'http://metorial.test' })
}

describe("api: 'oauth-sessions' on the legacy API version", () => {
  it('sends the pulsar version on provider-oauth calls, and stores the deployment the session was made for', async () => {
    const sim = legacySimulation()
    const { call, server } = makeServer({ api: 'oauth-sessions' }, sim)
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    expect(created.status).toBe(201)
    sim.oauthSessions.complete(created.json.id)
    expect((await call('alice', 'GET', `/setup-sessions/${created.json.id}`)).json).toMatchObject({ status: 'completed', providerId: 'slack' })
    expect(sim.requests.map(request => request.version)).toEqual(['2025-01-01-pulsar', '2025-01-01-pulsar'])
    expect(await server.listConnections('alice')).toEqual([expect.objectContaining({ id: created.json.id, providerId: 'slack', providerDeploymentId: 'svd_slack' })])
  })

  it("reads the provider from the official legacy shape (connection.provider.id) when the session was not made by this library", () => {
    const official = {
      object: 'provider_oauth.session',
      id: 'soas_1',
      status: 'opened',
      url: 'https://metorial.test/consent/soas_1',
      connection: { object: 'provider_oauth.connection', id: 'soac_1', provider: { id: 'github', name: 'GitHub', url: 'https://github.com', image_url: 'x' } },
      metadata: {},
      instance_id: 'inst_1',
      completed_at: null,
      created_at: '2026-01-01T00:00:00.000Z',
    }
    expect(legacyAsSetupSession(official)).toMatchObject({ id: 'soas_1', status: 'pending', provider_id: 'github', provider_deployment_id: null })
  })

  it('BYO OAuth credentials with the legacy API fail at startup, saying why', () => {
    const start = () =>
      createConnectServer({ apiKey: API_KEY, getUserId: () => 'u', store: memoryConnectionStore(), api: 'oauth-sessions', providerAuthCredentialsId: () => 'par_acme' })
    expect(start).toThrow(TypeError)
    expect(start).toThrow(/providerAuthCredentialsId.*api: 'setup-sessions'/)
    expect(() => createConnectServer({ apiKey: API_KEY, getUserId: () => 'u', store: memoryConnectionStore(), providerAuthCredentialsId: () => 'par_acme' })).not.toThrow()
  })
})

describe('a session that completed with an auth config already archived or deleted', () => {
  for (const status of ['archived', 'deleted'] as const) {
    it(`${status}: the browser reads failed / connection_revoked in plain words; nothing is stored; onConnected never runs`, async () => {
      const onConnected = vi.fn()
      const { call, sim, server } = makeServer({ onConnected })
      const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
      sim.archiveAtCompletion(created.json.id, status)
      const authConfigId = sim.complete(created.json.id)
      expect(sim.getSession(created.json.id)).toMatchObject({ status: 'completed', auth_config: { id: authConfigId, status } })
      for (let read = 0; read < 2; read++) {
        const answer = await call('alice', 'GET', `/setup-sessions/${created.json.id}`)
        expect(answer.status).toBe(200)
        expect(answer.json).toMatchObject({ status: 'failed', authConfig: null, error: { code: 'connection_revoked', message: expect.stringContaining('Please connect again') } })
        expect(answer.json.error.message).not.toMatch(/metorial|auth.?config|archiv/i)
      }
      expect(await server.listConnections('alice')).toEqual([])
      expect(onConnected).not.toHaveBeenCalled()
    })
  }
})

describe("Metorial's error detail", () => {
  it('hint and errors[] reach the developer log, redacted; the end user gets the plain message', async () => {
    const { call, sim, logs } = makeServer()
    sim.failNext('create-session', {
      status: 400,
      body: {
        object: 'error',
        status: 400,
        code: 'invalid_data',
        message: 'Invalid data',
        hint: `Check the redirect_url; key ${API_KEY} was used`,
        errors: [{ code: 'invalid_url', field: 'redirect_url', message: 'https://x.test/cb?client_secret=pas_secret_abc is not allowed' }],
      },
    })
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(answer.json).toEqual({ code: 'setup_refused', message: 'The connection could not be started. Please contact the app’s support if this keeps happening.' })
    const logged = logs.all()
    expect(logged).toContain('Hint: Check the redirect_url')
    expect(logged).toContain('"field":"redirect_url"')
    expect(logged).not.toContain(API_KEY)
    expect(logged).not.toContain('pas_secret_abc')
  })
})
