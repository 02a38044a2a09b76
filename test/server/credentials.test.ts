// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer } from './helpers.js'

/** Export, import and BYO OAuth apps: server only, owned through the store, never logged. */

const SECRET = 'xoxp-very-secret-token-123'

describe('exportConnection', () => {
  it("exports the user's own connection (an auth config export), and nobody else's", async () => {
    const { connect, server, logs } = makeServer()
    const { authConfigId } = await connect('alice', 'slack')
    const exported = await server.exportConnection('alice', authConfigId as string)
    expect(exported.connectionId).toBe(authConfigId)
    expect(exported.export).toMatchObject({ object: 'provider.auth_export', auth_config: { id: authConfigId }, value: { access_token: expect.any(String) } })
    await expect(server.exportConnection('mallory', authConfigId as string)).rejects.toMatchObject({ status: 404 })
    expect(logs.all()).not.toContain((exported.export.value as { access_token: string }).access_token)
  })

  it('refuses to export a legacy soas_ connection, plainly and before any call: no official client has a route for it', async () => {
    const sim = createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' } }, serverDeployments: { svd_slack: 'slack' }, publicBaseUrl: 'http://metorial.test' })
    const { call, server } = makeServer({ api: 'oauth-sessions' }, sim)
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    sim.oauthSessions.complete(created.json.id)
    await call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    const sent = sim.requests.length
    await expect(server.exportConnection('alice', created.json.id)).rejects.toMatchObject({ status: 400, code: 'unsupported_for_legacy_connections', message: expect.stringContaining("api: 'setup-sessions'") })
    expect(sim.requests).toHaveLength(sent)
    // Someone else's legacy connection is still a 404, not a hint that it exists.
    await expect(server.exportConnection('mallory', created.json.id)).rejects.toMatchObject({ status: 404 })
  })
})

describe('importConnection', () => {
  it('brings tokens in for the signed-in user; the same credentials twice make one connection; no secret in any log', async () => {
    const { server, sim, logs } = makeServer()
    const first = await server.importConnection('alice', { providerId: 'slack', credentials: { access_token: SECRET }, name: 'Imported Slack' })
    expect(first).toMatchObject({ id: expect.stringMatching(/^pac_/), created: true })
    const again = await server.importConnection('alice', { providerId: 'slack', credentials: { access_token: SECRET } })
    expect(again).toEqual({ id: first.id, created: false })
    const listed = await server.listConnections('alice')
    expect(listed).toEqual([expect.objectContaining({ id: first.id, providerId: 'slack', name: 'Imported Slack' })])
    expect(await server.listConnections('bob')).toEqual([])
    expect(sim.requests.filter(request => request.path === '/provider-auth-config-imports')).toHaveLength(1)
    expect(logs.all()).not.toContain(SECRET)
    // The imported connection is the user's: it can be removed by them, not by another user.
    await expect(server.removeConnection('bob', first.id)).rejects.toMatchObject({ status: 404 })
  })

  it('refuses input it cannot use, clearly', async () => {
    const { server } = makeServer()
    await expect(server.importConnection('alice', { credentials: { access_token: SECRET } })).rejects.toThrow(/providerId or a providerDeploymentId/)
    await expect(server.importConnection('alice', { providerId: 'slack', credentials: SECRET as never })).rejects.toThrow(/credentials/)
  })
})

describe('BYO OAuth apps', () => {
  it("registers a company's OAuth app, and a tenant routed through it sees that app on the consent page", async () => {
    const sim = createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' } }, publicBaseUrl: 'http://metorial.test' })
    const setup = makeServer({}, sim)
    const { id } = await setup.server.createAuthCredentials({ providerId: 'slack', clientId: 'acme-client', clientSecret: 'acme-secret', name: 'Acme' })
    expect(id).toMatch(/^par_/)
    expect(setup.logs.all()).not.toContain('acme-secret')
    const tenant = makeServer({ providerAuthCredentialsId: (_provider, request) => (new URL(request.url).searchParams.get('tenant') === 'acme' ? id : null) }, sim)
    const acme = await tenant.call('alice', 'POST', '/setup-sessions?tenant=acme', { providerId: 'slack' })
    const plain = await tenant.call('bob', 'POST', '/setup-sessions', { providerId: 'slack' })
    const page = async (url: string) => (await sim.handle(new Request(url))).text()
    expect(await page(acme.json.url)).toContain('<strong class="app">Acme</strong>')
    expect(await page(plain.json.url)).toContain('the default app')
    expect(await page(plain.json.url)).not.toContain('Acme')
  })
})
