// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConnectHandler } from '../../src/server/index.js'
import { APP, makeHandler, startSimulation } from './helpers.js'

let env: Awaited<ReturnType<typeof startSimulation>>
beforeEach(async () => {
  env = await startSimulation()
})
afterEach(() => env.close())

describe('createConnectHandler against the simulation over HTTP', () => {
  it('creates a setup session in the contract shape, owned by the user', async () => {
    const { call } = makeHandler(env.url)
    const created = await call('alice', 'POST', '/setup-sessions', {
      providerId: 'slack',
      providerAuthMethodId: 'oauth',
      redirectUrl: `${APP}/connect/callback?connect_state=abc`,
      metadata: { team: 'blue' },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    expect(created.json).toMatchObject({ status: 'pending', providerId: 'slack', authConfig: null })
    expect(created.json.id).toMatch(/^pas_/)
    expect(created.json.url).toMatch(/\/consent\/pas_\w+\?client_secret=pas_secret_/)
    expect(Date.parse(created.json.expiresAt)).toBeGreaterThan(Date.now() + 29 * 60 * 1000)
    const wire = env.sim.getSession(created.json.id)
    expect(wire?.metadata).toEqual({ team: 'blue', connect_user_id: 'alice' })
    expect(wire?.redirect_url).toBe(`${APP}/connect/callback?connect_state=abc`)
    expect(env.sim.requests.at(-1)).toMatchObject({ method: 'POST', path: '/provider-setup-sessions', version: 'mt_2026_01_01_magnetar', authorized: true })
    expect(env.sim.requests.at(-1)?.body).toMatchObject({ provider_id: 'slack', type: 'auth_only' })
  })

  it('accepts snake_case bodies', async () => {
    const { call } = makeHandler(env.url)
    const created = await call('alice', 'POST', '/setup-sessions', { provider_id: 'github', redirect_url: `${APP}/cb` })
    expect(created.status).toBe(201)
    expect(env.sim.getSession(created.json.id)).toMatchObject({ provider_id: 'github', redirect_url: `${APP}/cb` })
  })

  it('client metadata cannot claim another owner', async () => {
    const { call } = makeHandler(env.url)
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', metadata: { connect_user_id: 'bob' } })
    expect(env.sim.getSession(created.json.id)?.metadata).toEqual({ connect_user_id: 'alice' })
    expect((await call('bob', 'GET', `/setup-sessions/${created.json.id}`)).status).toBe(404)
  })

  it('reads pending, then completed with the auth config, through the consent page', async () => {
    const { call } = makeHandler(env.url)
    const redirectUrl = `${APP}/cb?connect_state=s1`
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl })
    expect((await call('alice', 'GET', `/setup-sessions/${created.json.id}`)).json.status).toBe('pending')

    const page = await fetch(created.json.url)
    const html = await page.text()
    expect(page.status).toBe(200)
    expect(html).toContain('Connect your Slack account')
    expect(html).toMatch(/<button[^>]*value="allow"[^>]*>Allow<\/button>/)
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/)
    expect(html).toContain('expires')

    const secret = new URL(created.json.url).searchParams.get('client_secret') as string
    const allow = await fetch(new URL(`/consent/${created.json.id}`, env.url), {
      method: 'POST',
      body: new URLSearchParams({ client_secret: secret, decision: 'allow' }),
      redirect: 'manual',
    })
    expect(allow.status).toBe(303)
    expect(allow.headers.get('location')).toBe(redirectUrl)

    const read = await call('alice', 'GET', `/setup-sessions/${created.json.id}`)
    expect(read.json.status).toBe('completed')
    expect(read.json.authConfig).toMatchObject({ providerId: 'slack', status: 'active' })
    expect(read.json.authConfig.id).toMatch(/^pac_/)
    const list = await call('alice', 'GET', '/connections')
    expect(list.json.items).toEqual([expect.objectContaining({ id: read.json.authConfig.id, providerId: 'slack', status: 'active' })])
  })

  it('reports failed (Deny) and expired sessions', async () => {
    const { call } = makeHandler(env.url)
    const denied = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    env.sim.fail(denied.json.id)
    const failed = await call('alice', 'GET', `/setup-sessions/${denied.json.id}`)
    expect(failed.json).toMatchObject({ status: 'failed', authConfig: null, error: { code: 'setup_failed' } })

    const late = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    env.sim.expire(late.json.id)
    expect((await call('alice', 'GET', `/setup-sessions/${late.json.id}`)).json.status).toBe('expired')
  })


  it('serves under any mount path, or only under basePath when given', async () => {
    const { handler } = makeHandler(env.url)
    const nested = await handler(new Request(`${APP}/deep/mount/connections`, { headers: { 'x-user': 'alice' } }))
    expect(nested.status).toBe(200)
    const strict = makeHandler(env.url, { basePath: '/api/connect' })
    expect((await strict.handler(new Request(`${APP}/other/connections`, { headers: { 'x-user': 'alice' } }))).status).toBe(404)
    expect((await strict.call('alice', 'GET', '/connections')).status).toBe(200)
  })

  it('reads the route table the same way under any mount: a route name beats an id that spells one, trailing slashes do not count', async () => {
    const { call } = makeHandler(env.url)
    expect(await call('alice', 'GET', '/setup-sessions/connections')).toMatchObject({ status: 200, json: { items: [] } })
    expect(await call('alice', 'GET', '/connections/')).toMatchObject({ status: 200, json: { items: [] } })
    const strict = makeHandler(env.url, { basePath: '/api/connect/' })
    expect((await strict.call('alice', 'GET', '/connections/')).status).toBe(200)
    expect((await strict.call('alice', 'GET', '/x/connections')).status).toBe(404)
    expect((await strict.call('alice', 'GET', '/setup-sessions/pas_1/x')).status).toBe(404)
    expect((await strict.call('alice', 'PUT', '/providers')).headers.get('allow')).toBe('GET')
  })

  it('accepts redirect URLs on configured origins', async () => {
    const { call } = makeHandler(env.url, { allowedRedirectOrigins: ['https://app.example.com'] })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl: 'https://app.example.com/cb' })).status).toBe(201)
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl: `${APP}/cb` })).json.code).toBe('redirect_url_not_allowed')
  })

  it('uses defaultProviderAuthMethodId when the browser sends none', async () => {
    const { call } = makeHandler(env.url, { defaultProviderAuthMethodId: 'pam_slack_oauth' })
    const created = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(env.sim.requests.at(-1)?.body).toMatchObject({ provider_auth_method_id: 'pam_slack_oauth' })
    expect(env.sim.getSession(created.json.id)?.auth_method).toMatchObject({ object: 'provider.capabilities.auth_method', id: 'pam_slack_oauth', key: 'oauth' })
  })
})

describe('bad input', () => {
  it('needs an apiKey and getUserId, without echoing anything secret', () => {
    expect(() => createConnectHandler({ apiKey: '', getUserId: () => 'x' })).toThrow(/apiKey/)
    expect(() => createConnectHandler({ apiKey: 'metorial_sk_abc' } as never)).toThrow(/getUserId/)
  })

  it('answers 401 without a user, 404 on unknown paths, 405 with Allow on other methods', async () => {
    const { call } = makeHandler(env.url)
    expect(await call(null, 'GET', '/connections')).toMatchObject({ status: 401, json: { code: 'unauthenticated' } })
    expect(await call('alice', 'GET', '/nope')).toMatchObject({ status: 404, json: { code: 'not_found' } })
    expect((await call('alice', 'GET', '/setup-sessions/a/b')).status).toBe(404)
    const cases: Array<[string, string, string]> = [
      ['GET', '/setup-sessions', 'POST'],
      ['DELETE', '/setup-sessions/pas_1', 'GET'],
      ['POST', '/connections', 'GET'],
      ['GET', '/connections/pac_1', 'DELETE, PATCH'],
    ]
    for (const [method, path, allow] of cases) {
      const answer = await call('alice', method, path)
      expect(answer.status).toBe(405)
      expect(answer.headers.get('allow')).toBe(allow)
      expect(answer.json.code).toBe('method_not_allowed')
    }
  })

  it.each([
    [{}, 400, 'missing_provider_id', /providerId/],
    [{ providerId: 42 }, 400, 'invalid_provider_id', /providerId/],
    [{ providerId: 'sl ack' }, 400, 'invalid_provider_id', /letters, digits/],
    [{ providerId: 'x'.repeat(129) }, 400, 'invalid_provider_id', /128/],
    [[], 400, 'invalid_body', /JSON object/],
    [{ providerId: 'slack', providerAuthMethodId: '../x' }, 400, 'invalid_provider_auth_method_id', /providerAuthMethodId/],
    [{ providerId: 'slack', redirectUrl: 'javascript:alert(1)' }, 400, 'invalid_redirect_url', /http: or https:/],
    [{ providerId: 'slack', redirectUrl: '/relative' }, 400, 'invalid_redirect_url', /absolute/],
    [{ providerId: 'slack', redirectUrl: 'https://evil.example/cb' }, 400, 'redirect_url_not_allowed', /allowedRedirectOrigins/],
    [{ providerId: 'slack', metadata: 'x' }, 400, 'invalid_metadata', /metadata/],
  ])('create %j → %i %s', async (body, status, code, message) => {
    const { call } = makeHandler(env.url)
    const answer = await call('alice', 'POST', '/setup-sessions', body)
    expect(answer.status).toBe(status)
    expect(answer.json.code).toBe(code)
    expect(answer.json.message).toMatch(message)
  })

  it('refuses non-JSON bodies, wrong content types and oversized bodies', async () => {
    const { call } = makeHandler(env.url, { maxBodyBytes: 1024 })
    expect(await call('alice', 'POST', '/setup-sessions', '{not json')).toMatchObject({ status: 400, json: { code: 'invalid_json' } })
    expect(await call('alice', 'POST', '/setup-sessions', '')).toMatchObject({ status: 400, json: { code: 'invalid_json' } })
    expect(await call('alice', 'POST', '/setup-sessions', 'providerId=slack', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({
      status: 415,
      json: { code: 'unsupported_media_type' },
    })
    const big = { providerId: 'slack', metadata: { blob: 'x'.repeat(2000) } }
    expect(await call('alice', 'POST', '/setup-sessions', big)).toMatchObject({ status: 413, json: { code: 'body_too_large' } })
  })

  it('refuses providers allowProvider rejects with 403', async () => {
    const { call } = makeHandler(env.url, { allowProvider: target => target.providerId !== 'slack' })
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).toMatchObject({ status: 403, json: { code: 'provider_not_allowed' } })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'github' })).status).toBe(201)
  })

  it('refuses malformed ids in the path before calling Metorial', async () => {
    const { call } = makeHandler(env.url)
    const before = env.sim.requests.length
    for (const path of ['/setup-sessions/bad%20id', '/setup-sessions/%2e%2e%2fx', `/setup-sessions/${'a'.repeat(129)}`]) {
      expect(await call('alice', 'GET', path)).toMatchObject({ status: 400, json: { code: 'invalid_id' } })
    }
    expect(await call('alice', 'DELETE', '/connections/pac%2F1')).toMatchObject({ status: 400, json: { code: 'invalid_id' } })
    expect(env.sim.requests.length).toBe(before)
  })

  it('answers 500 (not a throw) when getUserId throws', async () => {
    const { call, logs } = makeHandler(env.url, {
      getUserId: () => {
        throw new Error('session store down')
      },
    })
    expect(await call('alice', 'GET', '/connections')).toMatchObject({ status: 500, json: { code: 'internal_error' } })
    expect(logs.error.join()).toContain('session store down')
  })
})
