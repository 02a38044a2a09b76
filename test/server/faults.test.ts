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
  it('no end-user message names the vendor or quotes it', async () => {
    const { call } = makeHandler(env.url, { maxRetries: 0 })
    const id = await aliceSession(call)
    const answers = []
    for (const status of [400, 401, 403, 404, 409, 429, 500, 502, 503]) {
      env.sim.failNext('get-session', { status, body: { status, code: 'some_internal_code', message: 'Metorial internal detail xyz' } })
      answers.push(await call('alice', 'GET', `/setup-sessions/${id}`))
      env.sim.failNext('create-session', { status, body: { status, code: 'some_internal_code', message: 'Metorial internal detail xyz' } })
      answers.push(await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' }))
    }
    expect(answers.every(answer => answer.status >= 400)).toBe(true)
    for (const answer of answers) expect(answer.json.message).not.toMatch(/metorial|internal detail|some_internal_code/i)
  })

  it('a refused API key is the app’s problem: 502 upstream_auth, logged without the key', async () => {
    const { call, logs } = makeHandler(env.url, { apiKey: 'metorial_sk_wrong_key_123456' })
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(answer).toMatchObject({ status: 502, json: { code: 'upstream_auth' } })
    expect(answer.json.message).not.toMatch(/metorial|api key/i)
    expect(logs.error.length).toBe(1)
    expect(logs.error[0]).toMatch(/refused the server's API key/)
    expect(logs.all()).not.toContain('metorial_sk_wrong_key_123456')
    expect(JSON.stringify(answer.json)).not.toContain('metorial_sk_wrong_key_123456')
  })

  it('429 with a long Retry-After goes back to the browser with it', async () => {
    const { call } = makeHandler(env.url)
    const id = await aliceSession(call)
    env.sim.failNext('get-session', { status: 429, headers: { 'retry-after': '30' } })
    const answer = await call('alice', 'GET', `/setup-sessions/${id}`)
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
    const id = await aliceSession(call)
    env.sim.failNext('get-session', { status: 500 })
    expect(await call('alice', 'GET', `/setup-sessions/${id}`)).toMatchObject({ status: 502, json: { code: 'upstream_error' } })
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
    const { call, logs } = makeHandler('http://127.0.0.1:1')
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(answer).toMatchObject({ status: 502, json: { code: 'upstream_unreachable', message: 'The connection service could not be reached. Try again.' } })
    expect(logs.warn.join()).toMatch(/Metorial could not be reached/)
  })

  it('a non-JSON answer → 502 upstream_invalid_response, on success and on error statuses', async () => {
    const { call } = makeHandler(env.url)
    const id = await aliceSession(call)
    env.sim.failNext('get-session', { status: 200, nonJson: true })
    expect(await call('alice', 'GET', `/setup-sessions/${id}`)).toMatchObject({ status: 502, json: { code: 'upstream_invalid_response' } })
    env.sim.failNext('get-session', { status: 502, nonJson: true })
    expect(await call('alice', 'GET', `/setup-sessions/${id}`)).toMatchObject({ status: 502, json: { code: 'upstream_error' } })
    env.sim.failNext('create-session', { status: 200, body: { id: 'pas_1' } })
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).toMatchObject({
      status: 502,
      json: { code: 'upstream_invalid_response' },
    })
  })

  it('missing_auth_credentials and the older missing_oauth_credentials → 422: an end-user message, developer detail in the log', async () => {
    const { call, logs } = makeHandler(env.url)
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'jira' })
    expect(answer).toMatchObject({ status: 422, json: { code: 'missing_auth_credentials', message: 'Connecting this account is not set up in this app yet. Please contact the app’s support.' } })
    env.sim.failNext('create-session', { status: 400, body: { status: 400, code: 'missing_oauth_credentials', message: 'No default provider auth credentials found for oauth method' } })
    const older = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(older).toMatchObject({ status: 422, json: answer.json })
    expect(logs.error).toHaveLength(2)
    expect(logs.error[0]).toMatch(/no OAuth credentials for this provider \(missing_auth_credentials\).*providerAuthCredentialsId/)
    expect(logs.error[1]).toMatch(/missing_oauth_credentials/)
  })

  it('an unknown provider → 400 provider_not_found', async () => {
    const { call } = makeHandler(env.url)
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'myspace' })).toMatchObject({
      status: 400,
      json: { code: 'provider_not_found', message: 'This provider is not available.' },
    })
  })

  it('secrets in Metorial’s messages never reach logs or the browser', async () => {
    const { call, logs } = makeHandler(env.url)
    const leaky = `bad key ${API_KEY} for https://x/consent/pas_1?client_secret=pas_secret_abc123`
    env.sim.failNext('create-session', { status: 400, body: { code: 'invalid_data', message: leaky } })
    const answer = await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })
    expect(answer).toMatchObject({ status: 400, json: { code: 'setup_refused' } })
    const session = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    env.sim.failNext('get-session', { status: 500, body: { message: leaky } })
    await call('alice', 'GET', `/setup-sessions/${session.id}`)
    env.sim.failNext('get-session', { status: 500 })
    await call('alice', 'GET', `/setup-sessions/${session.id}`)
    const everything = `${logs.all()}\n${JSON.stringify(answer.json)}`
    expect(logs.warn.join()).toContain('bad key [redacted]')
    expect(everything).not.toContain(API_KEY)
    expect(everything).not.toContain('pas_secret_abc123')
    expect(logs.all()).not.toContain(new URL(session.url).searchParams.get('client_secret'))
  })
})
