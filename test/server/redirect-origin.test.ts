// @vitest-environment node
// The redirect origin policy: an origin no request header can pick unless the app says its proxy
// sets them, the developer's log message on a refusal, and a production start that requires the allow-list.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createConnectServer, memoryConnectionStore, toNodeHandler, type ConnectServerOptions } from '../../src/server/index.js'
import { API_KEY, makeServer } from './helpers.js'

const NEXT_URL = 'http://localhost:3000/api/connect'
const create = (redirectUrl: string, headers: Record<string, string>, options: Partial<ConnectServerOptions> = {}, base = NEXT_URL) =>
  makeServer(options).call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl }, headers, base)

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('by default no header chooses the redirect origin', () => {
  it.each([
    ['Host', 'http://evil.example/phish', { host: 'evil.example' }],
    ['X-Forwarded-Host', 'https://evil.example/phish', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }],
    ['Origin + Host', 'https://evil.example/phish', { host: 'evil.example', origin: 'https://evil.example' }],
    ['Forwarded + Origin', 'https://evil.example/phish', { 'x-forwarded-host': 'evil.example', origin: 'https://evil.example', host: 'evil.example' }],
  ])('%s naming evil.example is refused', async (_name, redirectUrl, headers) => {
    const answer = await create(redirectUrl, headers)
    expect(answer).toMatchObject({ status: 400, json: { code: 'redirect_url_not_allowed' } })
  })

  it('the origin of request.url works, and on loopback its other names too (next dev browsed at 127.0.0.1)', async () => {
    for (const url of ['http://localhost:3000/cb', 'http://127.0.0.1:3000/cb', 'http://[::1]:3000/cb']) {
      expect((await create(url, { host: 'evil.example' })).status).toBe(201)
    }
    expect((await create('http://localhost:4000/cb', {})).json.code).toBe('redirect_url_not_allowed')
    expect((await create('https://app.example.com/cb', {}, {}, 'https://app.example.com/api/connect')).status).toBe(201)
    expect((await create('https://localhost/cb', {}, {}, 'https://app.example.com/api/connect')).json.code).toBe('redirect_url_not_allowed')
  })

  it('trustProxy: true takes the forwarded host (the Next.js behind-a-proxy case)', async () => {
    const headers = { host: 'localhost:3000', 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' }
    expect((await create('https://app.example.com/cb', headers, { trustProxy: true })).status).toBe(201)
    expect((await create('https://app.example.com/cb', headers)).json.code).toBe('redirect_url_not_allowed')
  })

  it('the browser is not told the allowed origins; the developer log is', async () => {
    const app = makeServer({ allowedRedirectOrigins: ['https://app.example.com', 'http://localhost:3000'] })
    const answer = await app.call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl: 'https://evil.example/cb' })
    expect(answer.json.code).toBe('redirect_url_not_allowed')
    expect(answer.json.message).not.toContain('app.example.com')
    expect(answer.json.message).not.toContain('localhost')
    expect(app.logs.warn.join('\n')).toContain('https://app.example.com, http://localhost:3000')
  })

  it('allowedRedirectOrigins is normalised, and a value that is not an origin fails at startup', async () => {
    expect((await create('https://app.example.com/cb', {}, { allowedRedirectOrigins: ['https://APP.example.com/'] })).status).toBe(201)
    expect(() => makeServer({ allowedRedirectOrigins: ['app.example.com'] })).toThrow(/not an http\(s\) origin/)
  })
})

describe('through toNodeHandler, on a real socket', () => {
  async function serve(nodeOptions: { trustProxy?: boolean }, options: Partial<ConnectServerOptions> = {}) {
    const { server } = makeServer(options)
    const http = createServer(toNodeHandler(server.handler, nodeOptions))
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
    const port = (http.address() as AddressInfo).port
    const post = async (redirectUrl: string, headers: Record<string, string>) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/connect/setup-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': 'alice', ...headers },
        body: JSON.stringify({ providerId: 'slack', redirectUrl }),
      })
      return { status: response.status, json: await response.json() }
    }
    return { port, post, close: () => new Promise(resolve => (http.closeAllConnections(), http.close(resolve))) }
  }

  it('trustProxy: false reads neither X-Forwarded-Host nor Host', async () => {
    const app = await serve({ trustProxy: false })
    try {
      expect((await app.post('https://evil.example/phish', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' })).json.code).toBe('redirect_url_not_allowed')
      expect((await app.post('http://evil.example/phish', { host: 'evil.example' })).json.code).toBe('redirect_url_not_allowed')
      expect((await app.post(`http://localhost:${app.port}/cb`, {})).status).toBe(201)
    } finally {
      await app.close()
    }
  })

  it('trustProxy on both: the proxy-named origin is accepted', async () => {
    const app = await serve({ trustProxy: true }, { trustProxy: true })
    try {
      expect((await app.post('https://app.example.com/cb', { 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' })).status).toBe(201)
    } finally {
      await app.close()
    }
  })
})

describe('in production', () => {
  const base = { apiKey: API_KEY, getUserId: () => 'alice', store: memoryConnectionStore() }

  it('createConnectServer without allowedRedirectOrigins throws a clear error at startup', () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(() => createConnectServer(base)).toThrow(/needs `allowedRedirectOrigins` in production/)
    expect(() => createConnectServer({ ...base, trustProxy: true })).toThrow(/allowedRedirectOrigins/)
    expect(createConnectServer({ ...base, allowedRedirectOrigins: ['https://app.example.com'] }).handler).toBeTypeOf('function')
  })
})
