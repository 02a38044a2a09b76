// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createConnectHandler, DEFAULT_PROVIDERS_CACHE_TTL_MS, memoryConnectionStore, type ConnectHandlerOptions, type ProviderInfo } from '../../src/server/index.js'
import { createMetorialSimulation, SIMULATION_CATALOGUE } from '../../src/simulation/index.js'
import { API_KEY, APP, captureLogger } from './helpers.js'

/**
 * A connect handler over an in-process simulation, with a clock the test moves and a count of the
 * calls that reach Metorial. `fault(request)` may answer instead of the simulation.
 */
function setup(options: Partial<ConnectHandlerOptions> & { providers?: Record<string, { name: string }>; fault?: (request: Request) => Response | null } = {}) {
  const { providers, fault, ...rest } = options
  let clock = Date.parse('2026-12-03T09:00:00Z')
  const sim = createMetorialSimulation({ apiKey: API_KEY, providers, now: () => clock })
  const upstream: string[] = []
  const { logger, logs } = captureLogger()
  const handler = createConnectHandler({
    apiKey: API_KEY,
    baseUrl: 'http://metorial.test',
    getUserId: request => request.headers.get('x-user'),
    store: memoryConnectionStore(),
    logger,
    now: () => clock,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      upstream.push(new URL(request.url).pathname)
      return fault?.(request) ?? sim.handle(request)
    }) as typeof fetch,
    ...rest,
  })
  const get = (user: string | null = 'alice', headers: Record<string, string> = {}) =>
    handler(new Request(`${APP}/api/connect/providers`, { headers: { ...(user ? { 'x-user': user } : {}), ...headers } }))
  const items = async (user = 'alice') => ((await (await get(user)).json()) as { items: ProviderInfo[] }).items
  return { get, items, upstream, logs, advance: (ms: number) => void (clock += ms) }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('GET {endpoint}/providers', () => {
  it('given the simulated instance, lists its forty providers with logos, categories and auth methods', async () => {
    const { items } = setup()
    const list = await items()
    expect(list).toHaveLength(SIMULATION_CATALOGUE.length)
    expect(list.length).toBeGreaterThanOrEqual(40)
    const slack = list.find(item => item.providerId === 'slack')
    expect(slack).toEqual({
      providerId: 'slack',
      providerDeploymentId: 'pde_slack',
      name: 'Slack',
      description: 'Post updates and read channels.',
      logoUrl: expect.stringMatching(/^data:image\/svg\+xml,/),
      categories: ['Communication'],
      authMethods: [{ id: 'pam_slack_oauth', type: 'oauth', name: 'Sign in with Slack' }],
      requiresConnection: true,
    })
    expect(list.find(item => item.providerId === 'exa')).toMatchObject({ requiresConnection: false, authMethods: [] })
    expect(list.find(item => item.providerId === 'calendly')).toMatchObject({ logoUrl: null })
    expect(list.find(item => item.providerId === 'stripe')?.authMethods).toEqual([{ id: 'pam_stripe_token', type: 'token', name: 'API token' }])
  })

  it('answers 401 without a user and 405 for other methods, before calling Metorial', async () => {
    const { get, upstream } = setup()
    expect((await get(null)).status).toBe(401)
    const handler = createConnectHandler({ apiKey: API_KEY, getUserId: () => 'alice', store: memoryConnectionStore(), logger: { warn() {}, error() {} } })
    const post = await handler(new Request(`${APP}/api/connect/providers`, { method: 'POST' }))
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET')
    expect(upstream).toHaveLength(0)
  })

  it('filters by allowProvider per request, with the provider and deployment and no auth method', async () => {
    const seen: unknown[] = []
    const { items } = setup({
      allowProvider: async (target, request) => {
        seen.push(target)
        return request.headers.get('x-user') === 'admin' || target.providerId === 'slack' || target.providerId === 'github'
      },
    })
    expect((await items('alice')).map(item => item.providerId)).toEqual(['slack', 'github'])
    expect(await items('admin')).toHaveLength(SIMULATION_CATALOGUE.length)
    expect(seen).toContainEqual({ providerId: 'slack', providerDeploymentId: 'pde_slack', providerAuthMethodId: null })
  })

  it('serves caching headers and answers 304 to a matching If-None-Match', async () => {
    const { get } = setup()
    const first = await get()
    expect(first.headers.get('cache-control')).toBe(`private, max-age=${DEFAULT_PROVIDERS_CACHE_TTL_MS / 1000}`)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^W\/".+"$/)
    const again = await get('alice', { 'if-none-match': etag as string })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
  })

  it('asks Metorial once per TTL for every user, and concurrent misses share one round', async () => {
    const { get, upstream, advance } = setup({ providers: { slack: { name: 'Slack' }, github: { name: 'GitHub' }, exa: { name: 'Exa' } } })
    // One round: deployments, then a listing and the auth methods per provider.
    const round = 1 + 3 * 2
    const users = Array.from({ length: 50 }, (_, index) => `user-${index}`)
    const answers = await Promise.all(users.map(user => get(user)))
    expect(answers.every(answer => answer.status === 200)).toBe(true)
    expect(upstream).toHaveLength(round)

    // An hour of load: a request from every user every 30 s.
    for (let second = 30; second <= 3600; second += 30) {
      advance(30_000)
      await Promise.all(users.map(user => get(user)))
    }
    const perHour = upstream.length
    // 12 TTLs in the hour, and the first round before it.
    expect(perHour).toBe(round * (1 + 3600_000 / DEFAULT_PROVIDERS_CACHE_TTL_MS))
  })

  it('a shorter providersCacheTtlMs refreshes sooner; the browser never caches longer than the server', async () => {
    const { get, upstream, advance } = setup({ providersCacheTtlMs: 60_000, providers: { slack: { name: 'Slack' } } })
    await get()
    advance(45_000)
    expect((await get()).headers.get('cache-control')).toBe('private, max-age=15')
    advance(16_000)
    await get()
    expect(upstream).toHaveLength(2 * 3)
  })

  it('maps a failed first round like the other routes, holds it briefly, then recovers', async () => {
    let down = true
    const { get, upstream, advance, logs } = setup({
      providers: { slack: { name: 'Slack' } },
      maxRetries: 0,
      fault: () => (down ? new Response(JSON.stringify({ status: 500, code: 'boom', message: 'Internal' }), { status: 500 }) : null),
    })
    const failed = await get()
    expect(failed.status).toBe(502)
    expect(await failed.json()).toEqual({ code: 'upstream_error', message: 'The connection service failed. Try again.' })
    expect(logs.warn.join('\n')).toContain('Internal')
    await Promise.all(Array.from({ length: 20 }, () => get()))
    expect(upstream).toHaveLength(1)
    down = false
    advance(10_000)
    expect((await get()).status).toBe(200)
  })

  it('maps a refused key to 502 upstream_auth and never shows the key', async () => {
    const { get } = setup({ fault: () => new Response(JSON.stringify({ code: 'unauthorized', message: `bad key ${API_KEY}` }), { status: 401 }) })
    const answer = await get()
    expect(answer.status).toBe(502)
    const text = await answer.text()
    expect(text).toContain('upstream_auth')
    expect(text).not.toContain(API_KEY)
  })

  it('keeps serving the last catalogue when a refresh fails', async () => {
    let down = false
    const { items, advance } = setup({
      providers: { slack: { name: 'Slack' } },
      maxRetries: 0,
      fault: () => (down ? new Response('{}', { status: 503 }) : null),
    })
    expect(await items()).toHaveLength(1)
    down = true
    advance(DEFAULT_PROVIDERS_CACHE_TTL_MS + 1)
    expect(await items()).toHaveLength(1)
  })

  it('falls back to the provider when it has no listing', async () => {
    const { items } = setup({
      providers: { slack: { name: 'Slack' } },
      fault: request => (new URL(request.url).pathname.startsWith('/provider-listings/') ? new Response(JSON.stringify({ code: 'not_found', message: 'no' }), { status: 404 }) : null),
    })
    expect(await items()).toEqual([expect.objectContaining({ providerId: 'slack', name: 'Slack', categories: [], logoUrl: expect.stringMatching(/^data:/) })])
  })
})
