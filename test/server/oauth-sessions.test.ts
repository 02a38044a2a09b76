// @vitest-environment node
import { describe, expect, it, vi } from 'vitest'
import { createConnectServer, memoryConnectionStore } from '../../src/server/index.js'
import { createMetorialSimulation } from '../../src/simulation/index.js'
import { API_KEY, makeServer } from './helpers.js'

/** `api: 'oauth-sessions'`: Metorial's older OAuth sessions, behind the same browser contract. */

function legacyServer(onConnected = vi.fn()) {
  const sim = createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' } }, serverDeployments: { svd_slack: 'slack' }, publicBaseUrl: 'http://metorial.test' })
  return { ...makeServer({ api: 'oauth-sessions', onConnected }, sim), onConnected }
}

/** Loads the consent page (as the popup does), then presses a button. */
async function decide(sim: ReturnType<typeof createMetorialSimulation>, url: string, decision?: 'allow' | 'deny') {
  const page = new URL(url)
  const opened = await sim.handle(new Request(page))
  if (!decision) return opened
  const form = new FormData()
  form.set('client_secret', page.searchParams.get('client_secret') as string)
  form.set('decision', decision)
  return sim.handle(new Request(`${page.origin}${page.pathname}`, { method: 'POST', body: form }))
}

describe("createConnectServer({ api: 'oauth-sessions' })", () => {
  it('creates a legacy OAuth session for the server deployment, with redirect_uri and the owner in its metadata', async () => {
    const { call, sim } = legacyServer()
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack', redirectUrl: 'http://app.test/connect/callback' })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ id: expect.stringMatching(/^soas_/), status: 'pending', providerId: 'slack', authConfig: null })
    const sent = sim.requests.at(-1)
    expect(sent).toMatchObject({ method: 'POST', path: '/provider-oauth/sessions' })
    expect(sent?.body).toMatchObject({ server_deployment_id: 'svd_slack', redirect_uri: 'http://app.test/connect/callback' })
    expect(sent?.body).not.toHaveProperty('provider_id')
  })

  it('pending → opened (read as pending) when the consent page loads → completed: the soas_ id is stored and handed to onConnected, once', async () => {
    const { call, sim, onConnected, server } = legacyServer()
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    const id = created.json.id as string
    expect((await decide(sim, created.json.url)).status).toBe(200)
    expect(sim.oauthSessions.get(id)).toMatchObject({ status: 'opened' })
    expect((await call('alice', 'GET', `/setup-sessions/${id}`)).json).toMatchObject({ status: 'pending' })
    await decide(sim, created.json.url, 'allow')
    const read = await call('alice', 'GET', `/setup-sessions/${id}`)
    expect(read.json).toMatchObject({ status: 'completed', authConfig: { id, providerId: 'slack' } })
    await call('alice', 'GET', `/setup-sessions/${id}`)
    expect(onConnected).toHaveBeenCalledTimes(1)
    expect(onConnected).toHaveBeenCalledWith(expect.objectContaining({ userId: 'alice', providerId: 'slack', authConfigId: id }))
    expect(await server.listConnections('alice')).toEqual([expect.objectContaining({ id, providerId: 'slack' })])
  })

  it('deny: failed, nothing stored', async () => {
    const { call, sim, server } = legacyServer()
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    await decide(sim, created.json.url, 'deny')
    expect((await call('alice', 'GET', `/setup-sessions/${created.json.id}`)).json).toMatchObject({ status: 'failed', authConfig: null })
    expect(await server.listConnections('alice')).toEqual([])
  })

  it("another user's legacy session is 404, and its connection cannot be removed by them", async () => {
    const { call, sim } = legacyServer()
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    expect((await call('mallory', 'GET', `/setup-sessions/${created.json.id}`)).status).toBe(404)
    sim.oauthSessions.complete(created.json.id)
    await call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    expect((await call('mallory', 'DELETE', `/connections/${created.json.id}`)).status).toBe(404)
    expect((await call('alice', 'DELETE', `/connections/${created.json.id}`)).status).toBe(204)
    expect(sim.oauthSessions.get(created.json.id)).toBeUndefined()
    expect((await call('alice', 'GET', '/connections')).json.items).toEqual([])
  })

  it('without a providerDeploymentId: a clear 400', async () => {
    const { call } = legacyServer()
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(created.status).toBe(400)
    expect(created.json.message).toMatch(/providerDeploymentId/)
  })

  it('both APIs side by side: ids of both kinds coexist in one store', async () => {
    const sim = createMetorialSimulation({ apiKey: API_KEY, providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' } }, serverDeployments: { svd_slack: 'slack' }, publicBaseUrl: 'http://metorial.test' })
    const store = memoryConnectionStore()
    const current = makeServer({ store }, sim)
    const legacy = makeServer({ api: 'oauth-sessions', store }, sim)
    const modern = await current.connect('alice', 'github')
    const created = await legacy.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_slack' })
    sim.oauthSessions.complete(created.json.id)
    await legacy.call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    const listed = (await current.call('alice', 'GET', '/connections')).json.items.map((item: { id: string }) => item.id)
    expect(listed).toEqual(expect.arrayContaining([modern.authConfigId, created.json.id]))
    expect(listed).toHaveLength(2)
    expect(listed.some((id: string) => id.startsWith('pac_')) && listed.some((id: string) => id.startsWith('soas_'))).toBe(true)
  })

  it('refuses an unknown api', () => {
    expect(() => createConnectServer({ apiKey: API_KEY, getUserId: () => 'a', api: 'nope' as never })).toThrow(/'setup-sessions' or 'oauth-sessions'/)
  })
})
