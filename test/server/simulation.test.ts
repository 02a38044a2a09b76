// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createMetorialSimulation } from '../../src/simulation/index.js'

const KEY = 'metorial_sk_sim_test_key'
const BASE = 'http://sim.test/metorial'

function setup(options: Parameters<typeof createMetorialSimulation>[0] = {}) {
  const sim = createMetorialSimulation({ apiKey: KEY, basePath: '/metorial', providers: { slack: { name: 'Slack', icon: '💬' } }, ...options })
  async function api(method: string, path: string, body?: unknown, key = KEY) {
    const response = await sim.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
    // Any field of the simulation's answer, each read asserted by the test.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, json: (await response.json()) as Record<string, any> }
  }
  async function consent(url: string, init?: RequestInit) {
    return sim.handle(new Request(url, init))
  }
  return { sim, api, consent }
}

describe('Metorial simulation', () => {
  it('requires the Bearer key', async () => {
    const { api } = setup()
    expect(await api('GET', '/provider-auth-configs', undefined, 'metorial_sk_other')).toMatchObject({ status: 401, json: { code: 'unauthorized' } })
  })

  it('creates sessions in Metorial’s wire format', async () => {
    const { api } = setup()
    const { status, json } = await api('POST', '/provider-setup-sessions', { provider_id: 'slack', metadata: { a: 1 } })
    expect(status).toBe(200)
    expect(json).toMatchObject({ object: 'provider.setup_session', status: 'pending', provider_id: 'slack', auth_config: null, metadata: { a: 1 } })
    expect(json.id).toMatch(/^pas_/)
    expect(json.url).toMatch(new RegExp(`^${BASE}/consent/${json.id}\\?client_secret=pas_secret_`))
    expect(Date.parse(json.expires_at) - Date.parse(json.created_at)).toBe(30 * 60 * 1000)
  })

  it('computes expired on read, from the clock, the lifetime control or a metadata hint', async () => {
    let clock = 1_000_000
    const { sim, api } = setup({ now: () => clock, lifetimeMs: 60_000 })
    const first = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    clock += 59_999
    expect((await api('GET', `/provider-setup-sessions/${first.id}`)).json.status).toBe('pending')
    clock += 1
    expect((await api('GET', `/provider-setup-sessions/${first.id}`)).json.status).toBe('expired')
    sim.setLifetime(10)
    const short = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    expect(Date.parse(short.expires_at) - clock).toBe(10)
    const hinted = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack', metadata: { simulation_lifetime_ms: 5 } })).json
    expect(Date.parse(hinted.expires_at) - clock).toBe(5)
  })

  it('Allow creates the auth config with the session’s metadata and redirects with no parameters added', async () => {
    const { api, consent } = setup()
    const session = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack', metadata: { connect_user_id: 'u1' }, redirect_url: 'https://app.test/cb?connect_state=z' })).json
    const page = await consent(session.url)
    const html = await page.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Connect your Slack account')
    expect(html).toContain('If you do nothing, this request expires')
    const secret = new URL(session.url).searchParams.get('client_secret') as string
    const answer = await consent(`${BASE}/consent/${session.id}`, { method: 'POST', body: new URLSearchParams({ client_secret: secret, decision: 'allow' }) })
    expect(answer.status).toBe(303)
    expect(answer.headers.get('location')).toBe('https://app.test/cb?connect_state=z')
    const read = (await api('GET', `/provider-setup-sessions/${session.id}`)).json
    expect(read.status).toBe('completed')
    expect(read.auth_config).toMatchObject({ object: 'provider.auth_config', status: 'active', provider_id: 'slack', metadata: { connect_user_id: 'u1' } })
    expect(read.auth_config.id).toMatch(/^pac_/)
    const again = await consent(session.url)
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('already connected')
  })

  it('Allow without a redirect URL says the window can be closed; Deny marks the session failed', async () => {
    const { api, consent } = setup()
    const one = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    const form = (id: string, url: string, decision: string) =>
      consent(`${BASE}/consent/${id}`, { method: 'POST', body: new URLSearchParams({ client_secret: new URL(url).searchParams.get('client_secret') as string, decision }) })
    expect(await (await form(one.id, one.url, 'allow')).text()).toContain('You can close this window')
    const two = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    await form(two.id, two.url, 'deny')
    expect((await api('GET', `/provider-setup-sessions/${two.id}`)).json).toMatchObject({ status: 'failed', auth_config: null })
  })

  it('refuses a wrong client secret (403) and shows expired sessions clearly (410)', async () => {
    const { sim, api, consent } = setup()
    const session = (await api('POST', '/provider-setup-sessions', { provider_id: 'slack' })).json
    expect((await consent(`${BASE}/consent/${session.id}?client_secret=pas_secret_wrong`)).status).toBe(403)
    sim.expire(session.id)
    const expired = await consent(session.url)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('expired')
  })

  it('without a `providers` option, names each provider as its catalogue does (else by its id): the consent page and the auth config Allow makes', async () => {
    const { api, consent } = setup({ providers: undefined })
    const named = async (providerId: string) => {
      const session = (await api('POST', '/provider-setup-sessions', { provider_id: providerId })).json
      const html = await (await consent(session.url)).text()
      const secret = new URL(session.url).searchParams.get('client_secret') as string
      await consent(`${BASE}/consent/${session.id}`, { method: 'POST', body: new URLSearchParams({ client_secret: secret, decision: 'allow' }) })
      const read = (await api('GET', `/provider-setup-sessions/${session.id}`)).json
      return { heading: /<h1>([^<]*)<\/h1>/.exec(html)?.[1], account: read.auth_config.name as string }
    }
    expect(await named('google-calendar')).toEqual({ heading: 'Connect your Google Calendar account', account: 'Google Calendar account' })
    expect(await named('github')).toEqual({ heading: 'Connect your GitHub account', account: 'GitHub account' })
    expect(await named('acme-crm')).toEqual({ heading: 'Connect your acme-crm account', account: 'acme-crm account' })
  })

  it('fails creates for providers without OAuth credentials (unless BYO credentials are named), and 404s unknown providers', async () => {
    const { api } = setup({ providers: { jira: { name: 'Jira', oauthCredentials: false } } })
    expect((await api('POST', '/provider-setup-sessions', { provider_id: 'jira' })).json.code).toBe('missing_auth_credentials')
    const app = (await api('POST', '/provider-auth-credentials', { provider_id: 'jira', config: { client_id: 'tenant', client_secret: 'tenant-secret', scopes: [] } })).json
    const byo = await api('POST', '/provider-setup-sessions', { provider_id: 'jira', provider_auth_credentials_id: app.id })
    expect(byo.json).toMatchObject({ status: 'pending', credentials: { object: 'provider.auth_credentials', id: app.id } })
    // Credentials Metorial does not have are refused, as an unknown provider is.
    expect((await api('POST', '/provider-setup-sessions', { provider_id: 'jira', provider_auth_credentials_id: 'par_unknown' })).status).toBe(404)
    expect((await api('POST', '/provider-setup-sessions', { provider_id: 'nope' })).status).toBe(404)
  })
})
