// @vitest-environment node
// Rate limit and metadata caps: a per-user limit on session creation, and caps (size, keys, depth)
// on the metadata a client may have forwarded upstream.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_RATE_LIMIT, memoryRateLimit, type RateLimitInput } from '../../src/server/index.js'
import { makeServer } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

const create = (app: ReturnType<typeof makeServer>, user: string, body: Record<string, unknown> = {}) => app.call(user, 'POST', '/setup-sessions', { providerId: 'slack', ...body })

describe('rate limit on session creation', () => {
  it(`by default ${DEFAULT_RATE_LIMIT.limit} per user per minute, then 429 with Retry-After; other users are not affected; a minute later it opens again`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const app = makeServer()
    for (let i = 0; i < DEFAULT_RATE_LIMIT.limit; i++) expect((await create(app, 'alice')).status).toBe(201)
    const before = app.upstream()
    const limited = await create(app, 'alice')
    expect(limited).toMatchObject({ status: 429, json: { code: 'rate_limited' } })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60)
    expect(app.upstream()).toBe(before)
    expect((await create(app, 'bob')).status).toBe(201)
    vi.advanceTimersByTime(60_001)
    expect((await create(app, 'alice')).status).toBe(201)
  })

  it('a flood of 300 creates from one user reaches the upstream at most the limit', async () => {
    const app = makeServer()
    const answers = await Promise.all(Array.from({ length: 300 }, () => create(app, 'mallory')))
    expect(answers.filter(answer => answer.status === 201)).toHaveLength(DEFAULT_RATE_LIMIT.limit)
    expect(answers.filter(answer => answer.status === 429)).toHaveLength(300 - DEFAULT_RATE_LIMIT.limit)
  })

  it('rateLimit: false turns it off; memoryRateLimit tunes it; a function replaces it', async () => {
    const off = makeServer({ rateLimit: false })
    for (let i = 0; i < DEFAULT_RATE_LIMIT.limit + 5; i++) expect((await create(off, 'alice')).status).toBe(201)
    const tight = makeServer({ rateLimit: memoryRateLimit({ limit: 2, windowMs: 10_000 }) })
    expect([(await create(tight, 'alice')).status, (await create(tight, 'alice')).status, (await create(tight, 'alice')).status]).toEqual([201, 201, 429])
    const seen: RateLimitInput[] = []
    const custom = makeServer({
      rateLimit: input => {
        seen.push(input)
        return { allowed: false, retryAfterSeconds: 7 }
      },
    })
    const answer = await create(custom, 'alice')
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBe('7')
    expect(seen[0]).toMatchObject({ userId: 'alice', action: 'create_session' })
    expect(seen[0]?.request).toBeInstanceOf(Request)
  })

  it('reads of sessions and lists are not limited', async () => {
    const app = makeServer({ rateLimit: memoryRateLimit({ limit: 1 }) })
    const created = await create(app, 'alice')
    for (let i = 0; i < 5; i++) {
      expect((await app.call('alice', 'GET', `/setup-sessions/${created.json.id}`)).status).toBe(200)
      expect((await app.call('alice', 'GET', '/connections')).status).toBe(200)
    }
  })

  it('a rateLimit that is not false or a function fails at startup', () => {
    expect(() => makeServer({ rateLimit: 10 as never })).toThrow(/rateLimit/)
  })
})

describe('metadata caps', () => {
  it('15 KB of metadata is refused with a clear 400 before anything is sent upstream', async () => {
    const app = makeServer()
    const answer = await create(app, 'alice', { metadata: { blob: 'x'.repeat(15_000) } })
    expect(answer).toMatchObject({ status: 400, json: { code: 'metadata_too_large' } })
    expect(answer.json.message).toMatch(/2048/)
    expect(app.upstream()).toBe(0)
  })

  it('too many keys, nested ones counted, is refused', async () => {
    const app = makeServer()
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 1]))
    expect(await create(app, 'alice', { metadata: many })).toMatchObject({ status: 400, json: { code: 'metadata_too_large' } })
    expect(await create(app, 'alice', { metadata: { a: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, 1])) } })).toMatchObject({ status: 400 })
    expect((await create(app, 'alice', { metadata: { team: 'blue', plan: { tier: 'pro' } } })).status).toBe(201)
  })

  it('the caps are options', async () => {
    const app = makeServer({ maxMetadataBytes: 64, maxMetadataKeys: 2 })
    expect((await create(app, 'alice', { metadata: { a: 'x'.repeat(80) } })).json.code).toBe('metadata_too_large')
    expect((await create(app, 'alice', { metadata: { a: 1, b: 2, c: 3 } })).json.code).toBe('metadata_too_large')
    expect((await create(app, 'alice', { metadata: { a: 1, b: 2 } })).status).toBe(201)
  })

  it('metadata nested too deep gets an honest message (not a __proto__ one)', async () => {
    let deep: unknown = 1
    for (let i = 0; i < 40; i++) deep = { d: deep }
    const answer = await create(makeServer(), 'alice', { metadata: deep })
    expect(answer).toMatchObject({ status: 400, json: { code: 'invalid_metadata' } })
    expect(answer.json.message).toMatch(/nested more than \d+ levels/)
    expect(answer.json.message).not.toMatch(/__proto__/)
  })
})
