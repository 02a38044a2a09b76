// @vitest-environment node
// Hardening: blank users, polluting metadata, throwing loggers, endless upstream bodies, Retry-After,
// non-http session URLs and request targets that try to pick the origin.
import { connect } from 'node:net'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createConnectHandler, toNodeHandler } from '../../src/server/index.js'
import { API_KEY, APP, makeHandler, startSimulation } from './helpers.js'

let env: Awaited<ReturnType<typeof startSimulation>>
beforeEach(async () => {
  env = await startSimulation()
})
afterEach(() => env.close())

/** A handler whose calls to Metorial all go to `upstream`. */
function withUpstream(upstream: (request: Request) => Response | Promise<Response>, options: Partial<Parameters<typeof createConnectHandler>[0]> = {}) {
  const handler = createConnectHandler({
    apiKey: API_KEY,
    getUserId: () => 'alice',
    logger: { warn() {}, error() {} },
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => upstream(new Request(input, init))) as typeof fetch,
    ...options,
  })
  return (path: string, init?: RequestInit) => handler(new Request(`${APP}/api/connect${path}`, init))
}

describe('hardening', () => {
  it('a blank or whitespace user id is 401, not a shared user', async () => {
    for (const blank of ['   ', '\t', '\u00a0']) {
      const { call } = makeHandler(env.url, { getUserId: () => blank })
      expect((await call(null, 'GET', '/connections')).status).toBe(401)
      expect((await call(null, 'POST', '/setup-sessions', { providerId: 'slack' })).status).toBe(401)
    }
    expect(env.sim.requests).toHaveLength(0)
  })

  it('metadata with __proto__ / constructor keys is refused and pollutes nothing', async () => {
    const { call } = makeHandler(env.url)
    const raw = '{"providerId":"slack","metadata":{"__proto__":{"polluted":true,"connect_user_id":"bob"}}}'
    expect(await call('alice', 'POST', '/setup-sessions', raw)).toMatchObject({ status: 400, json: { code: 'invalid_metadata' } })
    const nested = '{"providerId":"slack","metadata":{"a":[{"constructor":{"prototype":{"x":1}}}]}}'
    expect(await call('alice', 'POST', '/setup-sessions', nested)).toMatchObject({ status: 400, json: { code: 'invalid_metadata' } })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(env.sim.requests.filter(request => request.method === 'POST')).toHaveLength(0)
  })

  it('a logger that throws never turns an answer into a throw', async () => {
    const handler = createConnectHandler({
      apiKey: 'metorial_sk_wrong_key_123456',
      baseUrl: env.url,
      getUserId: () => 'alice',
      logger: {
        warn: () => {
          throw new Error('log sink down')
        },
        error: () => {
          throw new Error('log sink down')
        },
      },
    })
    const answer = await handler(new Request(`${APP}/api/connect/setup-sessions/pas_1`))
    expect(answer.status).toBe(502)
    expect((await answer.json()).code).toBe('upstream_auth')
  })

  it('the timeout also covers an upstream body that never ends', async () => {
    const request = withUpstream(
      () => new Response(new ReadableStream({ start: controller => controller.enqueue(new TextEncoder().encode('{"items":')) }), { status: 200 }),
      { timeoutMs: 100 },
    )
    const started = Date.now()
    const answer = await request('/setup-sessions/pas_1')
    expect(answer.status).toBe(504)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('Retry-After is passed on only as whole seconds, and retry waits stay within maxRetryDelayMs', async () => {
    let calls = 0
    const garbage = withUpstream(() => ((calls += 1), new Response('{}', { status: 429, headers: { 'retry-after': 'soon <b>' } })), {
      maxRetries: 6,
      maxRetryDelayMs: 20,
    })
    const started = Date.now()
    const answer = await garbage('/setup-sessions/pas_1')
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBeNull()
    expect(calls).toBe(7)
    expect(Date.now() - started).toBeLessThan(1000) // backoff without Retry-After was 250·2^n ms: ~16 s here
    const date = withUpstream(() => new Response('{}', { status: 429, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } }))
    expect(Number((await date('/setup-sessions/pas_1')).headers.get('retry-after'))).toBeGreaterThan(50)
  })

  it('a remove whose DELETE meets a 404 is an error that keeps the connection (nothing was revoked)', async () => {
    // A concurrent remove meets an archived config (4xx, then a read that says archived), never a 404.
    const { call } = makeHandler(env.url)
    const session = (await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).json
    const config = env.sim.complete(session.id)
    await call('alice', 'GET', `/setup-sessions/${session.id}`)
    env.sim.failNext('delete-auth-config', { status: 404 })
    expect((await call('alice', 'DELETE', `/connections/${config}`)).status).toBe(502)
    expect((await call('alice', 'GET', '/connections')).json.items).toEqual([expect.objectContaining({ id: config })])
    expect((await call('bob', 'DELETE', `/connections/${config}`)).status).toBe(404)
  })

  it('a session whose url is not http(s) is refused as an invalid upstream answer', async () => {
    const { call } = makeHandler(env.url)
    env.sim.failNext('create-session', { status: 200, body: { id: 'pas_1', status: 'pending', url: 'javascript:alert(1)', metadata: { connect_user_id: 'alice' } } })
    expect(await call('alice', 'POST', '/setup-sessions', { providerId: 'slack' })).toMatchObject({ status: 502, json: { code: 'upstream_invalid_response' } })
  })

  it('answers carry nosniff', async () => {
    const { call } = makeHandler(env.url)
    expect((await call('alice', 'GET', '/connections')).headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('the simulation does not take Object.prototype names for providers', async () => {
    const { call } = makeHandler(env.url)
    for (const providerId of ['constructor', '__proto__', 'toString']) {
      expect((await call('alice', 'POST', '/setup-sessions', { providerId })).json.code).toBe('provider_not_found')
    }
  })
})

describe('toNodeHandler request target', () => {
  async function rawRequest(target: string): Promise<string> {
    const server = createServer(toNodeHandler(async request => Response.json({ url: request.url })))
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    try {
      return await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n`))
        let data = ''
        socket.on('data', chunk => (data += chunk))
        socket.on('end', () => resolve(JSON.parse(data.slice(data.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '')).url))
        socket.on('error', reject)
      })
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }

  it('a //host path or an absolute-form target cannot change the origin (the default redirect origin)', async () => {
    // Without trustProxy not even Host counts: the origin is the address the connection came in on.
    expect(new URL(await rawRequest('//evil.example/api/connect/connections')).origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(new URL(await rawRequest('http://evil.example/api/connect/connections')).origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('an Express-parsed body over the limit still gets 413 from the handler', async () => {
    const handler = createConnectHandler({ apiKey: API_KEY, baseUrl: env.url, getUserId: () => 'alice', maxBodyBytes: 100 })
    const server = createServer((req, res) => {
      let raw = ''
      req.on('data', chunk => (raw += chunk))
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(raw) })
        req.headers['content-length'] = undefined
        void toNodeHandler(handler, { maxBodyBytes: 100_000 })(req, res)
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const response = await fetch(`${base}/api/connect/setup-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: 'slack', metadata: { blob: 'x'.repeat(500) } }),
      })
      expect(response.status).toBe(413)
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })
})
