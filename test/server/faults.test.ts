// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { API_KEY, makeHandler, startSimulation } from './helpers.js'

let env: Awaited<ReturnType<typeof startSimulation>>
beforeEach(async () => {
  env = await startSimulation()
})
afterEach(() => env.close())

async function aliceSession(call: ReturnType<typeof makeHandler>['call']): Promise<string> {
  return (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json.id
}

describe('Metorial failures come back as { code, message }', () => {
  it('a refused API key is the app’s problem: 502 upstream_auth, logged without the key', async () => {
    const { call, logs } = makeHandler(env.url, { apiKey: 'metorial_sk_wrong_key_123456' })
    const answer = await call('alice', 'GET', '/connections')
    expect(answer).toMatchObject({ status: 502, json: { code: 'upstream_auth' } })
    expect(logs.error.length).toBe(1)
    expect(logs.all()).not.toContain('metorial_sk_wrong_key_123456')
    expect(JSON.stringify(answer.json)).not.toContain('metorial_sk_wrong_key_123456')
  })

  it('429 with a long Retry-After goes back to the browser with it', async () => {
    const { call } = makeHandler(env.url)
    env.sim.failNext('list-auth-configs', { status: 429, headers: { 'retry-after': '30' } })
    const answer = await call('alice', 'GET', '/connections')
    expect(answer).toMatchObject({ status: 429, json: { code: 'rate_limited' } })
    expect(answer.headers.get('retry-after')).toBe('30')
  })

  it('a read answered 429 with a short Retry-After is retried, a bounded number of times', async () => {
    const { call } = makeHandler(env.url, { maxRetries: 2 })
    const id = await aliceSession(call)
    env.sim.failNext('get-session', { status: 429, headers: { 'retry-after': '0' } })
    env.sim.failNext('get-session', { status: 429, headers: { 'retry-after': '0' } })
    expect((await call('alice', 'GET', `/setup-sessions/${id}`)).status).toBe(200)
    for (let i = 0; i < 3; i++) env.sim.failNext('get-session', { status: 429, headers: { 'retry-after': '0' } })
    expect((await call('alice', 'GET', `/setup-sessions/${id}`)).status).toBe(429)
  })

  it('a create answered 429 is not retried (it is not idempotent)', async () => {
    const { call } = makeHandler(env.url)
    env.sim.failNext('create-session', { status: 429, headers: { 'retry-after': '0' } })
    expect((await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).status).toBe(429)
    expect(env.sim.requests.filter(request => request.path === '/provider-setup-sessions')).toHaveLength(1)
  })

  it('5xx → 502 upstream_error', async () => {
    const { call, logs } = makeHandler(env.url)
    env.sim.failNext('list-auth-configs', { status: 500 })
    expect(await call('alice', 'GET', '/connections')).toMatchObject({ status: 502, json: { code: 'upstream_error' } })
    expect(logs.warn.length).toBe(1)
  })

  it('a slow Metorial → 504 upstream_timeout', async () => {
    const { call } = makeHandler(env.url, { timeoutMs: 100 })
    const id = await aliceSession(call)
    env.sim.failNext('get-session', { delayMs: 1000, passThrough: true })
    const started = Date.now()
    expect(await call('alice', 'GET', `/setup-sessions/${id}`)).toMatchObject({ status: 504, json: { code: 'upstream_timeout' } })
    expect(Date.now() - started).toBeLessThan(900)
  })

  it('an unreachable Metorial → 502 upstream_unreachable', async () => {
    const { call } = makeHandler('http://127.0.0.1:1')
    expect(await call('alice', 'GET', '/connections')).toMatchObject({ status: 502, json: { code: 'upstream_unreachable' } })
  })

  it('a non-JSON answer → 502 upstream_invalid_response, on success and on error statuses', async () => {
    const { call } = makeHandler(env.url)
    env.sim.failNext('list-auth-configs', { status: 200, nonJson: true })
    expect(await call('alice', 'GET', '/connections')).toMatchObject({ status: 502, json: { code: 'upstream_invalid_response' } })
    env.sim.failNext('list-auth-configs', { status: 502, nonJson: true })
    expect(await call('alice', 'GET', '/connections')).toMatchObject({ status: 502, json: { code: 'upstream_error' } })
    env.sim.failNext('create-session', { status: 200, body: { id: 'pas_1' } })
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).toMatchObject({
      status: 502,
      json: { code: 'upstream_invalid_response' },
    })
  })

  it('missing_oauth_credentials → 422 with a message the developer can act on', async () => {
    const { call, logs } = makeHandler(env.url)
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'jira' })
    expect(answer).toMatchObject({ status: 422, json: { code: 'missing_oauth_credentials' } })
    expect(answer.json.message).toMatch(/OAuth credentials/)
    expect(logs.error.length).toBe(1)
  })

  it('an unknown provider → 400 provider_not_found', async () => {
    const { call } = makeHandler(env.url)
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'myspace' })).toMatchObject({ status: 400, json: { code: 'provider_not_found' } })
  })

  it('secrets in Metorial’s messages never reach logs or the browser', async () => {
    const { call, logs } = makeHandler(env.url)
    const leaky = `bad key ${API_KEY} for https://x/consent/pas_1?client_secret=pas_secret_abc123`
    env.sim.failNext('create-session', { status: 400, body: { code: 'invalid_data', message: leaky } })
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(answer.status).toBe(400)
    env.sim.failNext('list-auth-configs', { status: 500, body: { message: leaky } })
    await call('alice', 'GET', '/connections')
    const session = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    env.sim.failNext('get-session', { status: 500 })
    await call('alice', 'GET', `/setup-sessions/${session.id}`)
    const everything = `${logs.all()}\n${JSON.stringify(answer.json)}`
    expect(logs.warn.join()).toContain('bad key [redacted]')
    expect(everything).not.toContain(API_KEY)
    expect(everything).not.toContain('pas_secret_abc123')
    expect(logs.all()).not.toContain(new URL(session.url).searchParams.get('client_secret'))
  })
})
