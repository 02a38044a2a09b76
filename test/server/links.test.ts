// @vitest-environment node
// Connect links on the server: creation, the link's pages (GET creates nothing, POST makes one setup
// session, the return page records the completion), expiry, single use, revocation, hashed storage,
// the allow-list, logs, and waitForConnection. Metorial is the shipped simulation.
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConnectServerError, memoryConnectionStore, memoryRateLimit, sqlConnectionStore, type ConnectedEvent, type ConnectionEvent, type ConnectionStore } from '../../src/server/index.js'
import { createMetorialSimulation, type MetorialSimulation } from '../../src/simulation/index.js'
import { siblingTableName } from '../../src/server/store/sql-store.js'
import { API_KEY, makeServer, PROVIDERS } from './helpers.js'
import { startTestPostgres } from './postgres-server.js'

const PUBLIC_URL = 'http://app.test/api/connect'
const START = Date.parse('2026-03-01T09:00:00.000Z')
const HOUR = 3_600_000

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

function simulation(): MetorialSimulation {
  return createMetorialSimulation({ apiKey: API_KEY, providers: PROVIDERS, publicBaseUrl: 'http://metorial.test' })
}

/** A server with links on, its events and onConnected calls collected. */
function linkServer(options: Parameters<typeof makeServer>[0] = {}, sim = simulation()) {
  const connected: ConnectedEvent[] = []
  const events: ConnectionEvent[] = []
  const app = makeServer(
    { publicUrl: PUBLIC_URL, appName: 'Acme', onConnected: event => void connected.push(event), onConnectionEvent: event => void events.push(event), ...options },
    sim,
  )
  /** A browser's request to a link page: no cookie unless `user` is given (the test's cookie is `x-user`). */
  async function open(url: string, method: 'GET' | 'POST' = 'GET', user: string | null = null) {
    const headers: Record<string, string> = user ? { 'x-user': user } : {}
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded'
    const response = await app.server.handler(new Request(url, { method, headers, ...(method === 'POST' ? { body: '' } : {}) }))
    return { status: response.status, headers: response.headers, html: await response.text(), location: response.headers.get('location') }
  }
  return { ...app, connected, events, open }
}

type LinkServer = ReturnType<typeof linkServer>

/** What the consent page's Allow (or Deny) does: Metorial answers 303 back to the link's done page. */
async function decide(sim: MetorialSimulation, consentUrl: string, decision: 'allow' | 'deny'): Promise<string> {
  const url = new URL(consentUrl)
  const body = new URLSearchParams({ client_secret: url.searchParams.get('client_secret') ?? '', decision })
  const answer = await sim.handle(new Request(`${url.origin}${url.pathname}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
  expect(answer.status).toBe(303)
  return answer.headers.get('location') as string
}

/** Open, press, allow, come back: the whole of a user's visit. */
async function connectThrough(app: LinkServer, url: string, user: string | null = null) {
  expect((await app.open(url, 'GET', user)).status).toBe(200)
  const pressed = await app.open(url, 'POST', user)
  expect(pressed.status).toBe(303)
  const back = await decide(app.sim, pressed.location as string, 'allow')
  expect(back).toBe(`${url}/done`)
  return app.open(back, 'GET', user)
}

const tokenOf = (url: string) => url.slice(`${PUBLIC_URL}/links/`.length)

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), byte => byte.toString(16).padStart(2, '0')).join('')
}

describe('createConnectLink', () => {
  it('makes an unguessable link under publicUrl that lives 24 hours by default, and calls nobody', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    expect(link.id).toMatch(/^cl_[0-9a-f]{32}$/)
    expect(link.url).toMatch(/^http:\/\/app\.test\/api\/connect\/links\/[A-Za-z0-9_-]{43}$/)
    expect(link.expiresAt).toBe(new Date(START + 24 * HOUR).toISOString())
    const other = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack', expiresInMs: HOUR })
    expect(other.url).not.toBe(link.url)
    expect(other.expiresAt).toBe(new Date(START + HOUR).toISOString())
    expect(app.upstream()).toBe(0)
  })

  it('needs publicUrl and a store with the link methods, and refuses a lifetime over 7 days', async () => {
    const without = makeServer({})
    await expect(without.server.createConnectLink({ userId: 'alice', providerId: 'slack' })).rejects.toThrow(/needs the `publicUrl` option/)
    expect(() => makeServer({ publicUrl: 'app.test/connect' })).toThrow(/publicUrl/)
    const { insertLink: _i, findLink: _f, swapLinkSession: _s, markLinkUsed: _m, revokeLink: _r, openLinks: _o, ...noLinks } = memoryConnectionStore()
    const plain = makeServer({ publicUrl: PUBLIC_URL, store: noLinks as ConnectionStore })
    await expect(plain.server.createConnectLink({ userId: 'alice', providerId: 'slack' })).rejects.toThrow(/add insertLink, findLink, swapLinkSession, markLinkUsed, revokeLink, openLinks/)
    const app = linkServer()
    await expect(app.server.createConnectLink({ userId: 'alice', providerId: 'slack', expiresInMs: 7 * 24 * HOUR + 1 })).rejects.toThrow(/at most .*7 days/)
    await expect(app.server.createConnectLink({ userId: 'alice', providerId: 'slack', expiresInMs: 0 })).rejects.toThrow(RangeError)
    await expect(app.server.createConnectLink({ userId: '', providerId: 'slack' })).rejects.toThrow(/user id/)
    expect((await app.server.createConnectLink({ userId: 'alice', providerId: 'slack', expiresInMs: 7 * 24 * HOUR })).expiresAt).toBe(new Date(START + 7 * 24 * HOUR).toISOString())
  })

  it('refuses a provider allowProvider refuses, with a clear error, at creation and again at the press', async () => {
    let allowSlack = true
    const app = linkServer({ allowProvider: target => target.providerId !== 'github' && (target.providerId !== 'slack' || allowSlack) })
    const refused = await app.server.createConnectLink({ userId: 'alice', providerId: 'github' }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ConnectServerError)
    expect(refused).toMatchObject({ status: 403, code: 'provider_not_allowed', message: expect.stringMatching(/allowProvider refuses provider "github"/) })
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    allowSlack = false
    const pressed = await app.open(link.url, 'POST')
    expect(pressed.status).toBe(502)
    expect(pressed.html).toMatch(/Something went wrong/)
    expect(pressed.html).toContain(`<form method="post" action="/api/connect/links/${tokenOf(link.url)}">`)
    expect(app.sim.requests.filter(request => request.method === 'POST')).toHaveLength(0)
  })

  it('checks that the connection a link reconnects is the user’s', async () => {
    const app = linkServer()
    const { authConfigId } = await app.connect('bob')
    await expect(app.server.createConnectLink({ userId: 'alice', providerId: 'slack', replacesConnectionId: authConfigId as string })).rejects.toMatchObject({ status: 404, code: 'connection_not_found' })
  })
})

describe('a link’s pages', () => {
  it('GET shows "Connect Slack" with one button and creates nothing, however often a preview fetches it', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    for (let i = 0; i < 3; i++) {
      const page = await app.open(link.url)
      expect(page.status).toBe(200)
      expect(page.html).toMatch(/<h1>Connect Slack<\/h1>/)
      expect(page.html).toMatch(/Acme asks to connect your Slack account/)
      expect(page.html.match(/<button/g)).toHaveLength(1)
      expect(page.html).toContain(`<form method="post" action="/api/connect/links/${tokenOf(link.url)}">`)
      expect(page.html).not.toMatch(/<script/)
    }
    // Only the provider's name was read, once: nothing was created.
    expect(app.sim.requests.map(request => `${request.method} ${request.path}`)).toEqual(['GET /provider-listings/slack'])
    expect(app.connected).toEqual([])
    // The link is as fresh as it was: the first press still makes its session.
    expect((await app.open(link.url, 'POST')).status).toBe(303)
  })

  it('shows the provider’s id when Metorial cannot name it in time, and asks again only after a pause', async () => {
    const sim = simulation()
    const down = new Response('{"status":503,"code":"unavailable","message":"Down."}', { status: 503 })
    let nameReads = 0
    const app = linkServer(
      {
        fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
          const request = new Request(input, init)
          if (!/\/provider(-listing)?s\//.test(new URL(request.url).pathname)) return sim.handle(request)
          nameReads++
          return Promise.resolve(down.clone())
        }) as typeof fetch,
      },
      sim,
    )
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    expect((await app.open(link.url)).html).toMatch(/<h1>Connect slack<\/h1>/)
    const asked = nameReads
    expect(asked).toBeGreaterThan(0)
    expect((await app.open(link.url)).html).toMatch(/<h1>Connect slack<\/h1>/)
    expect(nameReads, 'a failure is held, not retried on every view').toBe(asked)
    vi.setSystemTime(Date.now() + 11_000)
    expect((await app.open(link.url)).html).toMatch(/<h1>Connect slack<\/h1>/)
    expect(nameReads, 'asked again after the pause').toBeGreaterThan(asked)
  })

  it('shows the provider’s name from the catalogue when the server already has it', async () => {
    const app = linkServer()
    expect((await app.call('alice', 'GET', '/providers')).status).toBe(200)
    const before = app.upstream()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    expect((await app.open(link.url)).html).toMatch(/<h1>Connect Slack<\/h1>/)
    expect(app.upstream()).toBe(before)
  })

  it('connects the link’s user through POST, consent and the done page, which records the completion once', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const done = await connectThrough(app, link.url)
    expect(done.status).toBe(200)
    expect(done.html).toMatch(/Slack is connected/)
    expect(done.html).toMatch(/You can close this tab/)
    expect(app.connected.map(event => event.userId)).toEqual(['alice'])
    expect(app.events.map(event => event.type)).toEqual(['connected'])
    expect((await app.server.listConnections('alice')).map(connection => connection.providerId)).toEqual(['slack'])
    // A reload of the done page says the same and records nothing more.
    expect((await app.open(`${link.url}/done`)).html).toMatch(/Slack is connected/)
    expect(app.connected).toHaveLength(1)
  })

  it('costs two requests to Metorial from creation to connected (the create on the press, one read on the return), and one for the provider’s name', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    await connectThrough(app, link.url)
    expect(app.sim.requests.map(request => `${request.method} ${request.path.replace(/\/[a-z]+_[A-Za-z0-9]+$/, '/:id')}`)).toEqual([
      'GET /provider-listings/slack',
      'POST /provider-setup-sessions',
      'GET /provider-setup-sessions/:id',
    ])
    // The name is kept: the next link to Slack costs only its own two.
    const next = await app.server.createConnectLink({ userId: 'bob', providerId: 'slack' })
    const before = app.sim.requests.length
    await connectThrough(app, next.url)
    expect(app.sim.requests.length - before).toBe(2)
  })

  it('is single-use: once connected, GET and POST say it was already used and call nobody', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    await connectThrough(app, link.url)
    const before = app.upstream()
    for (const method of ['GET', 'POST'] as const) {
      const page = await app.open(link.url, method)
      expect(page.status).toBe(410)
      expect(page.html).toMatch(/already used/)
    }
    expect(app.upstream()).toBe(before)
  })

  it('two presses at once make one setup session and send both browsers to the same consent page', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const [first, second] = await Promise.all([app.open(link.url, 'POST'), app.open(link.url, 'POST')])
    expect(first.status).toBe(303)
    expect(second.status).toBe(303)
    expect(second.location).toBe(first.location)
    expect(app.sim.requests.filter(request => request.method === 'POST')).toHaveLength(1)
    // A press after the user came back without deciding sends them to the same page again.
    expect((await app.open(link.url, 'POST')).location).toBe(first.location)
    expect(app.sim.requests.filter(request => request.method === 'POST')).toHaveLength(1)
  })

  it('connects the link’s user even from a browser signed in to the app as someone else', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const done = await connectThrough(app, link.url, 'mallory')
    expect(done.html).toMatch(/is connected/)
    expect((await app.server.listConnections('alice')).map(connection => connection.providerId)).toEqual(['slack'])
    expect(await app.server.listConnections('mallory')).toEqual([])
  })

  it('after a denial says so and offers to try again, which makes a fresh session while the link lives', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const pressed = await app.open(link.url, 'POST')
    const back = await decide(app.sim, pressed.location as string, 'deny')
    const failed = await app.open(back)
    expect(failed.status).toBe(200)
    expect(failed.html).toMatch(/Slack was not connected/)
    expect(failed.html).toMatch(/try again while this link is valid/)
    expect(failed.html).toContain(`action="/api/connect/links/${tokenOf(link.url)}"`)
    const again = await app.open(link.url, 'POST')
    expect(again.status).toBe(303)
    expect(again.location).not.toBe(pressed.location)
    expect((await app.open(await decide(app.sim, again.location as string, 'allow'))).html).toMatch(/is connected/)
    expect(app.connected).toHaveLength(1)
  })

  it('expires: after its lifetime GET, POST and the done page say so, and no session is made', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack', expiresInMs: HOUR })
    vi.setSystemTime(START + HOUR + 1)
    for (const [url, method] of [[link.url, 'GET'], [link.url, 'POST'], [`${link.url}/done`, 'GET']] as const) {
      const page = await app.open(url, method)
      expect(page.status).toBe(410)
      expect(page.html).toMatch(/This link has expired/)
    }
    expect(app.sim.requests.filter(request => request.method !== 'GET' || request.path.startsWith('/provider-setup-sessions'))).toEqual([])
  })

  it('a revoked, unknown or garbled token gets a plain 404 page that echoes nothing and calls nobody', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    expect(await app.server.revokeConnectLink(link.id)).toBe(true)
    expect(await app.server.revokeConnectLink(link.id)).toBe(false)
    const unknown = `${PUBLIC_URL}/links/${'A'.repeat(43)}`
    const garbled = `${PUBLIC_URL}/links/%3Cscript%3Ealert(1)%3C%2Fscript%3E`
    for (const [url, method] of [[link.url, 'GET'], [link.url, 'POST'], [`${link.url}/done`, 'GET'], [unknown, 'GET'], [unknown, 'POST'], [garbled, 'GET']] as const) {
      const page = await app.open(url, method)
      expect(page.status).toBe(404)
      expect(page.html).toMatch(/Link not found/)
      expect(page.html).not.toContain(tokenOf(link.url))
      expect(page.html).not.toContain('AAAAAAAA')
      expect(page.html).not.toMatch(/script|alert/)
    }
    expect(app.upstream()).toBe(0)
  })

  it('every page carries its security headers', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const pages = [await app.open(link.url), await app.open(`${PUBLIC_URL}/links/nope`), await connectThrough(app, link.url), await app.open(link.url)]
    for (const page of pages) {
      const csp = page.headers.get('content-security-policy') ?? ''
      expect(csp).toMatch(/default-src 'none'/)
      expect(csp).toMatch(/style-src 'unsafe-inline'/)
      expect(csp).toMatch(/form-action 'self' http:\/\/metorial\.test/)
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(csp).not.toMatch(/script-src/)
      expect(page.headers.get('referrer-policy')).toBe('no-referrer')
      expect(page.headers.get('cache-control')).toBe('no-store')
      expect(page.headers.get('x-content-type-options')).toBe('nosniff')
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    }
  })

  it('is rate-limited per link, with a page saying to wait', async () => {
    const app = linkServer({ rateLimit: memoryRateLimit({ limit: 2, windowMs: 60_000 }) })
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const other = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    expect((await app.open(link.url)).status).toBe(200)
    expect((await app.open(link.url)).status).toBe(200)
    const third = await app.open(link.url)
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('60')
    expect(third.html).toMatch(/Too many attempts/)
    expect((await app.open(other.url)).status).toBe(200)
  })

  it('never writes the token, the key or a consent URL’s client secret to the log', async () => {
    const sim = simulation()
    const app = linkServer({ onConnected: () => Promise.reject(new Error(`boom ${PUBLIC_URL}`)) }, sim)
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    sim.failNext('create-session', { status: 500 })
    expect((await app.open(link.url, 'POST')).status).toBe(502)
    const pressed = await app.open(link.url, 'POST')
    await app.open(await decide(sim, pressed.location as string, 'allow'))
    const secret = new URL(pressed.location as string).searchParams.get('client_secret') as string
    expect(app.logs.all()).not.toBe('')
    expect(app.logs.all()).not.toContain(tokenOf(link.url))
    expect(app.logs.all()).not.toContain(secret)
    expect(app.logs.all()).not.toContain(API_KEY)
  })
})

describe('hashed storage: the raw token is in no store', () => {
  async function linkIn(store: ConnectionStore) {
    const app = linkServer({ store })
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    await connectThrough(app, link.url)
    return { app, token: tokenOf(link.url), hash: await sha256(tokenOf(link.url)) }
  }

  it('in the memory store', async () => {
    const store = memoryConnectionStore()
    vi.setSystemTime(START)
    const { token, hash } = await linkIn(store)
    const other = await linkServer({ store }).server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const kept = JSON.stringify(await store.openLinks('alice', new Date(START).toISOString()))
    expect(kept).not.toContain(tokenOf(other.url))
    expect(kept).toContain(await sha256(tokenOf(other.url)))
    expect(JSON.stringify(await store.findLink(hash))).not.toContain(token)
    expect(await store.findLink(hash)).toMatchObject({ userId: 'alice', usedAt: expect.any(String) })
  })

  it('in SQL on PGlite, where a link made on one app server opens on another', async () => {
    const db = new PGlite()
    try {
      const store = sqlConnectionStore({ query: (text, params) => db.query(text, params) })
      const sim = simulation()
      const maker = linkServer({ store }, sim)
      const opener = linkServer({ store }, sim)
      const link = await maker.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
      expect((await connectThrough(opener, link.url)).html).toMatch(/is connected/)
      const rows = await db.query(`SELECT * FROM ${siblingTableName('provider_connections', '_links')}`)
      expect(JSON.stringify(rows.rows)).not.toContain(tokenOf(link.url))
      expect(rows.rows).toEqual([expect.objectContaining({ token_hash: await sha256(tokenOf(link.url)), user_id: 'alice' })])
    } finally {
      await db.close()
    }
  })
})

describe('hashed storage on a real PostgreSQL', () => {
  let stop: (() => Promise<void>) | null = null
  afterAll(async () => stop?.(), 60_000)

  it('keeps only the hash, and two presses on two servers make one session', async () => {
    vi.useRealTimers()
    const server = await startTestPostgres()
    const pool = new pg.Pool({ connectionString: server.url, max: 4 })
    const table = `rpc_links_${process.pid}`
    stop = async () => {
      for (const name of [table, ...['_sessions', '_sync', '_links'].map(suffix => siblingTableName(table, suffix))]) await pool.query(`DROP TABLE IF EXISTS ${name}`)
      await pool.end()
      await server.stop()
    }
    const store = () => sqlConnectionStore({ query: (text, params) => pool.query(text, params), table })
    const sim = simulation()
    const first = linkServer({ store: store() }, sim)
    const second = linkServer({ store: store() }, sim)
    const link = await first.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const [a, b] = await Promise.all([first.open(link.url, 'POST'), second.open(link.url, 'POST')])
    expect(b.location).toBe(a.location)
    expect(sim.requests.filter(request => request.method === 'POST')).toHaveLength(1)
    const rows = await pool.query(`SELECT * FROM ${siblingTableName(table, '_links')}`)
    expect(JSON.stringify(rows.rows)).not.toContain(tokenOf(link.url))
    expect(rows.rows.map(row => row.token_hash)).toEqual([await sha256(tokenOf(link.url))])
  }, 120_000)
})

describe('waitForConnection', () => {
  it('resolves at once when this server records the connection', async () => {
    const app = linkServer()
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    const waiting = app.server.waitForConnection({ userId: 'alice', providerId: 'slack' })
    await connectThrough(app, link.url)
    const connection = await waiting
    expect(connection).toMatchObject({ providerId: 'slack', status: 'active' })
    expect((await app.server.listConnections('alice')).map(item => item.id)).toEqual([connection.id])
  })

  it('resolves with one that already exists, and ignores other users and providers', async () => {
    const app = linkServer()
    await app.connect('bob', 'slack')
    const { authConfigId } = await app.connect('alice', 'slack')
    await app.connect('alice', 'github')
    expect(await app.server.waitForConnection({ userId: 'alice', providerId: 'slack' })).toMatchObject({ id: authConfigId })
  })

  it('finds a connection another app server recorded by reading the store every 2 s', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: START })
    const store = memoryConnectionStore()
    const sim = simulation()
    const waiter = linkServer({ store }, sim)
    const other = linkServer({ store }, sim)
    const seen = vi.fn()
    void waiter.server.waitForConnection({ userId: 'alice', providerId: 'slack' }).then(seen)
    await vi.advanceTimersByTimeAsync(2000)
    const link = await other.server.createConnectLink({ userId: 'alice', providerId: 'slack' })
    await connectThrough(other, link.url)
    expect(seen).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(2000)
    expect(seen).toHaveBeenCalledWith(expect.objectContaining({ providerId: 'slack' }))
  })

  it('rejects with a typed error on timeout (10 minutes by default) and on abort', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: START })
    const app = linkServer()
    const timedOut = app.server.waitForConnection({ userId: 'alice', providerId: 'slack' }).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(10 * 60_000 - 1)
    const short = app.server.waitForConnection({ userId: 'alice', providerId: 'slack', timeoutMs: 5000 }).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(1)
    expect(await timedOut).toMatchObject({ name: 'ConnectServerError', code: 'timeout' })
    await vi.advanceTimersByTimeAsync(5000)
    expect(await short).toBeInstanceOf(ConnectServerError)
    const controller = new AbortController()
    const aborted = app.server.waitForConnection({ userId: 'alice', providerId: 'slack', signal: controller.signal }).catch((error: unknown) => error)
    controller.abort()
    expect(await aborted).toMatchObject({ code: 'aborted' })
  })

  it('for a reconnect, resolves with the new connection, not the one it replaces', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: START })
    const app = linkServer()
    const { authConfigId: oldId } = await app.connect('alice', 'slack')
    const link = await app.server.createConnectLink({ userId: 'alice', providerId: 'slack', replacesConnectionId: oldId as string })
    const seen = vi.fn()
    void app.server.waitForConnection({ userId: 'alice', providerId: 'slack' }).then(seen)
    await vi.advanceTimersByTimeAsync(4000)
    expect(seen).not.toHaveBeenCalled()
    await connectThrough(app, link.url)
    await vi.advanceTimersByTimeAsync(0)
    const [connection] = seen.mock.calls[0] as [{ id: string }]
    expect(connection.id).not.toBe(oldId)
    expect(app.events.map(event => event.type)).toEqual(['connected', 'reconnected'])
    expect((await app.server.listConnections('alice')).map(item => item.id)).toEqual([connection.id])
  })
})
