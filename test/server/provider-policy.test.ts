// @vitest-environment node
// The provider policy: allowProvider sees everything that chooses what gets connected, and in legacy
// mode the provider is the one Metorial connects, never the browser's label.
import { describe, expect, it, vi } from 'vitest'
import type { ProviderTarget } from '../../src/server/index.js'
import { makeServer } from './helpers.js'

describe('allowProvider(target, request)', () => {
  it('receives provider, deployment and auth method (the server default filled in); a refusal creates nothing', async () => {
    const allowProvider = vi.fn((target: ProviderTarget) => target.providerDeploymentId !== 'pde_other_tenant')
    const { call, upstream } = makeServer({ allowProvider, defaultProviderAuthMethodId: 'pam_slack_oauth' })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).status).toBe(201)
    expect(allowProvider).toHaveBeenLastCalledWith({ providerId: 'slack', providerDeploymentId: null, providerAuthMethodId: 'pam_slack_oauth' }, expect.any(Request))
    const before = upstream()
    const refused = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'pde_other_tenant', providerAuthMethodId: 'pam_x' })
    expect(refused).toMatchObject({ status: 403, json: { code: 'provider_not_allowed' } })
    expect(allowProvider).toHaveBeenLastCalledWith({ providerId: 'slack', providerDeploymentId: 'pde_other_tenant', providerAuthMethodId: 'pam_x' }, expect.any(Request))
    expect(upstream()).toBe(before)
  })

  it('anything but true refuses', async () => {
    const { call } = makeServer({ allowProvider: (() => 'yes') as never })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).status).toBe(403)
  })
})

/** A legacy upstream answering in the official (pulsar) shape: the provider sits in `connection.provider`. */
function officialLegacyUpstream() {
  const sessions = new Map<string, Record<string, unknown>>()
  const calls: string[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input))
    const method = init?.method ?? 'GET'
    calls.push(`${method} ${url.pathname}`)
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
    if (method === 'POST' && url.pathname === '/provider-oauth/sessions') {
      const body = JSON.parse(String(init?.body)) as { metadata: Record<string, unknown> }
      const id = `soas_${sessions.size + 1}`
      // The deployment the browser named connects GitHub, whatever label it sent.
      const session = { object: 'provider_oauth.session', id, status: 'pending', url: `https://metorial.test/oauth/${id}?client_secret=soas_secret_abc`, metadata: body.metadata, connection: { id: 'svd_github', provider: { id: 'github' } }, instance_id: 'ins_1', completed_at: null, created_at: '2026-01-01T00:00:00.000Z' }
      sessions.set(id, session)
      return json(200, session)
    }
    const id = url.pathname.split('/').at(-1) as string
    const session = sessions.get(id)
    if (!session) return json(404, { code: 'not_found', message: 'not found' })
    if (method === 'DELETE') sessions.delete(id)
    return json(200, session)
  }) as typeof globalThis.fetch
  return { fetch, sessions, calls }
}

describe("legacy mode (api: 'oauth-sessions')", () => {
  it("allowProvider sees the provider of the deployment Metorial used, not the browser's label; a refusal discards the session", async () => {
    const legacy = officialLegacyUpstream()
    const allowProvider = vi.fn((target: ProviderTarget) => target.providerId === 'slack')
    const { call } = makeServer({ api: 'oauth-sessions', fetch: legacy.fetch, allowProvider })
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_github' })
    expect(answer).toMatchObject({ status: 403, json: { code: 'provider_not_allowed' } })
    expect(answer.json).not.toHaveProperty('url')
    expect(allowProvider).toHaveBeenLastCalledWith(expect.objectContaining({ providerId: 'github' }), expect.any(Request))
    expect(legacy.calls.at(-1)).toBe('DELETE /provider-oauth/sessions/soas_1')
    expect(legacy.sessions.size).toBe(0)
  })

  it('the store records the provider Metorial connected', async () => {
    const legacy = officialLegacyUpstream()
    const { call, server } = makeServer({ api: 'oauth-sessions', fetch: legacy.fetch })
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', providerDeploymentId: 'svd_github' })
    expect(created.json.providerId).toBe('github')
    Object.assign(legacy.sessions.get(created.json.id) as object, { status: 'completed', completed_at: '2026-01-01T00:01:00.000Z' })
    await call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    expect(await server.listConnections('alice')).toEqual([expect.objectContaining({ id: created.json.id, providerId: 'github' })])
  })
})

