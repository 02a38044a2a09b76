// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createMetorialSimulation } from '../../src/simulation/index.js'

const KEY = 'metorial_sk_sim_behaviour'
const BASE = 'http://sim.test'

function setup() {
  const sim = createMetorialSimulation({
    apiKey: KEY,
    providers: {
      slack: { name: 'Slack' },
      notion: { name: 'Notion', configSchema: true },
      exa: { name: 'Exa', authMethod: 'api_key' },
    },
  })
  async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await sim.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    // Any field of the simulation's answer, each read asserted by the test.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, json: (await response.json()) as Record<string, any> }
  }
  async function decide(session: { id: string; url: string }, decision: 'allow' | 'deny') {
    return sim.handle(
      new Request(`${BASE}/consent/${session.id}`, {
        method: 'POST',
        body: new URLSearchParams({ client_secret: new URL(session.url).searchParams.get('client_secret') as string, decision }),
      }),
    )
  }
  return { sim, api, decide }
}

describe('the simulation behaves as Metorial does', () => {
  it('type auto becomes auth_and_config for a provider with a config schema: pending after Allow, though the browser was redirected', async () => {
    const { api, decide } = setup()
    const auto = (await api('POST', '/provider-setup-sessions', { provider_id: 'notion', redirect_url: 'https://app.test/cb?connect_state=a' })).json
    expect(auto.type).toBe('auth_and_config')
    const allowed = await decide(auto as { id: string; url: string }, 'allow')
    expect(allowed.status).toBe(303)
    expect(allowed.headers.get('location')).toBe('https://app.test/cb?connect_state=a')
    expect((await api('GET', `/provider-setup-sessions/${auto.id}`)).json).toMatchObject({ status: 'pending', auth_config: null })

    const authOnly = (await api('POST', '/provider-setup-sessions', { provider_id: 'notion', type: 'auth_only' })).json
    await decide(authOnly as { id: string; url: string }, 'allow')
    expect((await api('GET', `/provider-setup-sessions/${authOnly.id}`)).json).toMatchObject({ status: 'completed', type: 'auth_only' })
    expect((await api('POST', '/provider-setup-sessions', { provider_id: 'slack', type: 'everything' })).status).toBe(400)
  })

  it('Deny redirects to redirect_url too, with nothing added: a callback page cannot assume success', async () => {
    const { api, decide } = setup()
    const session = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack', redirect_url: 'https://app.test/cb?connect_state=d' })).json
    const denied = await decide(session as { id: string; url: string }, 'deny')
    expect(denied.status).toBe(303)
    expect(denied.headers.get('location')).toBe('https://app.test/cb?connect_state=d')
    expect((await api('GET', `/provider-setup-sessions/${session.id}`)).json.status).toBe('failed')
  })

  it('auth configs of non-OAuth setup sessions are ephemeral: readable by id, never listed', async () => {
    const { sim, api } = setup()
    const session = (await api('POST', '/provider-setup-sessions', { provider_id: 'exa' })).json
    const id = sim.complete(session.id) as string
    expect((await api('GET', `/provider-auth-configs/${id}`)).json).toMatchObject({ id, type: 'manual', status: 'active', auth_method: { key: 'api_key', type: 'token' } })
    expect((await api('GET', `/provider-setup-sessions/${session.id}`)).json.auth_config).toMatchObject({ id })
    expect((await api('GET', '/provider-auth-configs')).json.items).toEqual([])
  })

  it('DELETE archives; a second DELETE is a 4xx; one linked to an identity credential is refused', async () => {
    const { sim, api } = setup()
    const id = sim.seedAuthConfig({ providerId: 'slack' })
    expect((await api('DELETE', `/provider-auth-configs/${id}`)).json.status).toBe('archived')
    expect((await api('GET', `/provider-auth-configs/${id}`)).json.status).toBe('archived')
    const again = await api('DELETE', `/provider-auth-configs/${id}`)
    expect(again.status).toBeGreaterThanOrEqual(400)
    expect(again.status).toBeLessThan(500)
    const linked = sim.seedAuthConfig({ providerId: 'slack' })
    sim.linkToIdentity(linked)
    expect((await api('DELETE', `/provider-auth-configs/${linked}`)).json.code).toBe('provider_auth_config_identity_credential_archive_not_allowed')
  })

  it('lists 20 per page by default, at most 100, oldest first, and has no metadata filter', async () => {
    const { sim, api } = setup()
    const ids = Array.from({ length: 130 }, (_, i) => sim.seedAuthConfig({ providerId: 'slack', metadata: { connect_user_id: i % 2 ? 'a' : 'b' } }))
    const first = (await api('GET', '/provider-auth-configs?metadata[connect_user_id]=a')).json
    expect(first.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 20))
    expect(first.pagination.has_more_after).toBe(true)
    const big = (await api('GET', `/provider-auth-configs?limit=100&after=${ids[19]}`)).json
    expect(big.items).toHaveLength(100)
    expect((await api('GET', '/provider-auth-configs?limit=101')).status).toBe(400)
  })

  it('accepts the version headers every platform version accepts, refuses unknown ones', async () => {
    const { api } = setup()
    for (const version of ['magnetar', 'mt_2026_01_01_magnetar', '2026-01-01-magnetar']) {
      expect((await api('GET', '/provider-auth-configs', undefined, { 'metorial-version': version })).status).toBe(200)
    }
    expect((await api('GET', '/provider-auth-configs', undefined, { 'metorial-version': '1999-01-01' })).status).toBe(400)
  })
})

describe('setup session DELETE', () => {
  it('changes nothing, as in Metorial', async () => {
    const { api } = setup()
    const session = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    expect((await api('DELETE', `/provider-setup-sessions/${session.id}`)).json.status).toBe('pending')
    expect((await api('GET', `/provider-setup-sessions/${session.id}`)).json.status).toBe('pending')
  })
})
