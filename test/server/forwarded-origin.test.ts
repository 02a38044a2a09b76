// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { makeServer } from './helpers.js'

// Inside a Next.js route handler `request.url` is always http://localhost:PORT/…, whatever host the app is browsed at.
const NEXT_URL = 'http://localhost:3000/api/connect'

async function create(redirectUrl: string, headers: Record<string, string>, options: Parameters<typeof makeServer>[0] = {}) {
  const { call } = makeServer(options)
  return call('alice', 'POST', '/setup-sessions', { providerId: 'slack', redirectUrl }, headers, NEXT_URL)
}

describe('with trustProxy, the allowed redirect origin follows the host the proxy names', () => {
  const trusted = { trustProxy: true }
  it('a Next.js request (url on localhost) from app.example.com behind a TLS proxy accepts that origin', async () => {
    const headers = { host: 'app.example.com', 'x-forwarded-proto': 'https', origin: 'https://app.example.com' }
    expect((await create('https://app.example.com/connect/callback?connect_state=s', headers, trusted)).status).toBe(201)
    const behindProxy = { host: 'localhost:3000', 'x-forwarded-host': 'app.example.com', 'x-forwarded-proto': 'https' }
    expect((await create('https://app.example.com/connect/callback', behindProxy, trusted)).status).toBe(201)
  })

  it('is no open redirect: other hosts are refused, and Origin cannot add a host', async () => {
    const headers = { host: 'app.example.com', 'x-forwarded-proto': 'https', origin: 'https://evil.example' }
    const evil = await create('https://evil.example/steal', headers, trusted)
    expect(evil).toMatchObject({ status: 400, json: { code: 'redirect_url_not_allowed' } })
    expect((await create('https://app.example.com.evil.example/cb', headers, trusted)).json.code).toBe('redirect_url_not_allowed')
    expect((await create('https://app.example.com/cb', { host: 'app.example.com@evil.example' }, trusted)).json.code).toBe('redirect_url_not_allowed')
  })

  it('Origin may pick the scheme for the same host (no X-Forwarded-Proto)', async () => {
    expect((await create('https://app.example.com/cb', { host: 'app.example.com', origin: 'https://app.example.com' }, trusted)).status).toBe(201)
    expect((await create('https://app.example.com/cb', { host: 'app.example.com' }, trusted)).json.code).toBe('redirect_url_not_allowed')
    expect((await create('http://app.example.com/cb', { host: 'app.example.com' }, trusted)).status).toBe(201)
  })

  it('allowedRedirectOrigins, set in production, wins over every header', async () => {
    const options = { allowedRedirectOrigins: ['https://app.example.com'], trustProxy: true }
    const spoofed = { host: 'evil.example', 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' }
    expect((await create('https://evil.example/cb', spoofed, options)).json.code).toBe('redirect_url_not_allowed')
    expect((await create('https://app.example.com/cb', spoofed, options)).status).toBe(201)
  })
})
